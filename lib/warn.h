/* warn: what usually means a wrong set-up (DESIGN.md section 3.5) — a sheet
 * or a column that took no part, a results file none of whose ids matched,
 * a roster whose ids are mostly mangled, a file whose rows mostly became
 * problems. A warning is a code with the file it concerns and up to two
 * arguments; one function renders it in English (standard error, the
 * summary JSON) or Chinese (the workbook). Warnings never change the
 * accounting: they say where the answer may be wrong. */
#ifndef RC_WARN_H
#define RC_WARN_H

#include <glib.h>

typedef enum {
    RC_WARN_SHEET_SKIPPED,    /* A1: the sheet; A2: why */
    RC_WARN_COLUMN_UNUSED,    /* A1: the column; A2: what its values look like */
    RC_WARN_TIME_ONLY,        /* A1: the column holding times of day without a date */
    RC_WARN_NO_ID_MATCHED,    /* A1: rows with an id; the roster has ids */
    RC_WARN_IDS_MANGLED,      /* A1: ids mangled; A2: rows with an id cell */
    RC_WARN_MOSTLY_PROBLEMS,  /* A1: problem rows; A2: rows */
    RC_WARN_RAGGED_ROWS,      /* A1: rows kept with more or fewer fields than the header */
    RC_WARN_DAY_WITHOUT_DATA, /* A1: the day of a --days range no result row fell on */
    RC_WARN_INPUT_PARTIAL,    /* the file: a results file named *.partial, still being copied, skipped */
    RC_WARN_COUNT
} RcWarnCode;

typedef struct {
    RcWarnCode code;
    char *file;    /* the input's name as messages show it; "" for the run */
    char *a1, *a2; /* never NULL */
} RcWarning;

/* The code as JSON and messages spell it: "sheet-skipped", ... */
const char *rc_warn_code_name(RcWarnCode code);

/* The warning as a sentence, in English (ZH FALSE) or Chinese; owned by
 * the caller (g_free). */
char *rc_warning_text(const RcWarning *w, gboolean zh);

typedef struct RcWarnings RcWarnings;

/* An empty list. Owned: rc_warnings_free(). */
RcWarnings *rc_warnings_new(void);
void rc_warnings_free(RcWarnings *ws);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcWarnings, rc_warnings_free)

/* Adds a warning (FILE, A1, A2 copied; NULL is ""). */
void rc_warnings_add(RcWarnings *ws, RcWarnCode code, const char *file, const char *a1, const char *a2);
/* The same with numbers for arguments. */
void rc_warnings_addn(RcWarnings *ws, RcWarnCode code, const char *file, guint64 a1, guint64 a2);

/* The warnings in the order they were added (borrowed). */
const RcWarning *rc_warnings_get(const RcWarnings *ws, guint *n);

#endif

/* merge: the roster index and the matcher (DESIGN.md section 3). Rosters load
 * first into an arena, indexed by normalised id and by name (both indexes
 * are freed by rc_merge_finish(), when nothing looks residents up); result
 * rows then stream through: window, problems, match by id, rescue by name,
 * state. Memory grows with the roster, never with the results: unmatched
 * and problem rows spool to an unlinked temporary file.
 *
 * A merge owns everything it hands out; pointers stay valid until
 * rc_merge_free(). */
#ifndef RC_MERGE_H
#define RC_MERGE_H

#include <stdio.h>

#include "config.h"
#include "norm.h"
#include "source.h"

#define RC_MERGE_ERROR rc_merge_error_quark()
GQuark rc_merge_error_quark(void);

typedef enum {
    RC_MERGE_ERROR_SPOOL, /* the temporary spool could not be written */
    RC_MERGE_ERROR_WINDOW, /* --since after --until */
} RcMergeError;

/* How a result row found its resident. */
typedef enum {
    RC_MATCH_NONE = 0,
    RC_MATCH_ID,
    RC_MATCH_NAME_PHONE,
    RC_MATCH_NAME_ID_TYPO,
    RC_MATCH_NAME_MASKED_ID,
    RC_MATCH_COUNT
} RcMatch;
const char *rc_match_name(RcMatch m); /* "", "id", "name+phone", ... */

/* Resident flags (besides the id's RC_ID_* bits kept in id_flags). */
enum {
    RC_RES_NAME_DIFFERS = 1u << 0, /* the deciding sample matched by id under another name */
    RC_RES_RAGGED = 1u << 1,       /* the roster row had more or fewer fields than its header */
    RC_RES_EXEMPT = 1u << 2,       /* the status column matches the exempt pattern */
    RC_RES_ID_PACKED = 1u << 3,    /* id.packed holds a mainland id, not id.str */
};

/* One resident: 96 bytes, a million of them at a time, so fields are
 * packed by size, short texts are numbers (rc_merge_text()) and the small
 * fields share one word. */
typedef struct {
    /* from the roster (strings in the merge's arena; "" when absent) */
    const char *name;        /* as written, trimmed */
    /* The id: read it with rc_resident_id() and rc_resident_id_raw(). A
     * mainland id is packed in 64 bits (RC_RES_ID_PACKED), saving its 19
     * bytes in the arena; any other is rc_norm_id's string, or the cell as
     * written when a spreadsheet mangled it (RC_ID_MANGLED). */
    union {
        const char *str;
        guint64 packed;
    } id;
    const char *phone;       /* rc_norm_phone */
    const char *extras;      /* the file's extra fields joined by '\x1f' */
    guint64 name_hash;       /* of the name key (rc_norm_name); 0: no name */
    /* the sample that decides the state (none: match == RC_MATCH_NONE) */
    RcTime sampled_at;       /* RC_TIME_NONE when absent */
    RcTime reported_at;
    guint64 seq;             /* input order of the deciding sample */
    /* texts of few distinct values, as rc_merge_text() numbers (0 is "") */
    guint32 building, unit, room; /* rc_norm_text */
    guint32 result_raw;      /* the deciding sample's result, trimmed */
    guint32 file;            /* index into rc_merge_inputs() */
    guint32 line;
    guint32 next_same_name;  /* index + 1 of the next resident with this name key */
    unsigned id_flags : 8;   /* RC_ID_* */
    unsigned flags : 8;      /* RC_RES_* */
    signed state : 4;        /* RcState, final after rc_merge_finish() */
    signed sample_state : 4; /* what the deciding sample said */
    unsigned match : 4;      /* RcMatch */
} RcResident;

/* The normalised id, "" when none or unusable; BUF holds it when packed.
 * Returns BUF or a string of the merge's. */
#define RC_RESIDENT_ID_BUF 19
const char *rc_resident_id(const RcResident *r, char buf[RC_RESIDENT_ID_BUF]);

/* The id cell as written when a spreadsheet mangled it, else "". */
static inline const char *
rc_resident_id_raw(const RcResident *r)
{
    return (r->id_flags & RC_ID_MANGLED) ? r->id.str : "";
}

typedef struct {
    char *path;              /* as given */
    char *name;              /* base name, used in `source` */
    RcKind kind;
    char *encoding;
    guint64 rows;            /* data rows */
    char **extras;           /* roster: extra column names, NULL-terminated */
} RcInput;

typedef struct {
    guint64 rows, applied, out_of_window, unmatched, problem;
} RcResultCounts;

typedef struct {
    guint64 rows, residents, problem;
} RcRosterCounts;

typedef struct {
    RcTime since;            /* inclusive; RC_TIME_NONE: open */
    RcTime until;            /* exclusive; RC_TIME_NONE: open */
    const char *encoding;    /* forced encoding, or NULL */
    /* Called every few thousand result rows (may be NULL). */
    void (*progress)(guint64 rows, gpointer user);
    gpointer progress_user;
    /* Called for each rejected row, roster or results (may be NULL). FILE is
     * the base name; REASON never holds an id or a phone. */
    void (*problem)(const char *file, guint64 line, const char *reason, gpointer user);
} RcMergeOptions;

typedef struct RcMerge RcMerge;

/* A merge with CFG's aliases and vocabulary (CFG borrowed: keep it alive).
 * Owned: rc_merge_free(). */
RcMerge *rc_merge_new(const RcConfig *cfg, const RcMergeOptions *opts, GError **error);
void rc_merge_free(RcMerge *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcMerge, rc_merge_free)

/* The sheet read from every workbook added afterwards (--sheet): a name or
 * a 1-based number; NULL (the default) for the first visible one. Copied. */
void rc_merge_set_sheet(RcMerge *m, const char *sheet);

/* Loads one roster file (all rosters before any results). */
gboolean rc_merge_add_roster(RcMerge *m, const char *path, GError **error);
/* Streams one results file ("-" is standard input). */
gboolean rc_merge_add_results(RcMerge *m, const char *path, GError **error);
/* Decides every resident's state. Call once, after the last input. */
void rc_merge_finish(RcMerge *m);

/* Borrowed views. */
const RcResident *rc_merge_residents(const RcMerge *m, guint *n);
const RcInput *rc_merge_inputs(const RcMerge *m, guint *n);
/* The text numbered ID (a resident's building, unit, room, result_raw),
 * and how many there are: numbers run from 0 ("") to the count - 1. Equal
 * texts have one number. */
const char *rc_merge_text(const RcMerge *m, guint32 id);
guint32 rc_merge_n_texts(const RcMerge *m);
const RcResultCounts *rc_merge_result_counts(const RcMerge *m);
const RcRosterCounts *rc_merge_roster_counts(const RcMerge *m);
guint64 rc_merge_match_count(const RcMerge *m, RcMatch match);
/* Ragged rows that were kept (reported, not problems). */
guint64 rc_merge_warnings(const RcMerge *m);
/* The union of the rosters' extra column names, in order of first
 * appearance, NULL-terminated; and for input FILE, where each of its extras
 * goes in that union. */
const char *const *rc_merge_extra_columns(const RcMerge *m, guint *n);
const guint *rc_merge_extra_map(const RcMerge *m, guint file);

/* Spooled rows, rewound for reading: each is one record of
 * RC_SPOOL_FIELDS NUL-separated fields, ending "\n\0"... see rc_spool_next. */
typedef struct RcSpool RcSpool;
RcSpool *rc_merge_unmatched(RcMerge *m);
RcSpool *rc_merge_problems(RcMerge *m);

/* A spooled row: where it came from, why, and its raw values. */
enum { RC_SPOOL_FILE, RC_SPOOL_LINE, RC_SPOOL_KIND, RC_SPOOL_REASON, RC_SPOOL_ID, RC_SPOOL_NAME,
       RC_SPOOL_PHONE, RC_SPOOL_RESULT, RC_SPOOL_SAMPLED_AT, RC_SPOOL_RAW, RC_SPOOL_FIELDS };
extern const char *const rc_spool_columns[RC_SPOOL_FIELDS]; /* "file", "line", ... */

/* Rewinds SPOOL. Then each rc_spool_next fills FIELDS (borrowed until the
 * next call) and returns TRUE, FALSE at the end. */
void rc_spool_rewind(RcSpool *spool);
gboolean rc_spool_next(RcSpool *spool, const char *fields[RC_SPOOL_FIELDS]);
guint64 rc_spool_rows(const RcSpool *spool);

#endif

/* merge: the matcher (DESIGN.md section 3). Rosters load first into the
 * roster (roster.h: an arena indexed by normalised id and by name; the
 * indexes are freed by rc_merge_finish(), when nothing looks residents up);
 * result rows then stream through: window, problems, match by id, rescue by
 * name, state. Memory grows with the roster, never with the results:
 * unmatched and problem rows go to spools (spool.h).
 *
 * A merge owns everything it hands out; pointers stay valid until
 * rc_merge_free(). */
#ifndef RC_MERGE_H
#define RC_MERGE_H

#include <stdio.h>

#include "config.h"
#include "history.h"
#include "norm.h"
#include "roster.h"
#include "source.h"
#include "spool.h"
#include "tally.h"
#include "warn.h"

#define RC_MERGE_ERROR rc_merge_error_quark()
GQuark rc_merge_error_quark(void);

typedef enum {
    RC_MERGE_ERROR_WINDOW, /* --since after --until */
} RcMergeError;

typedef struct {
    RcTime since;         /* inclusive; RC_TIME_NONE: open */
    RcTime until;         /* exclusive; RC_TIME_NONE: open */
    const char *encoding; /* forced encoding, or NULL */
    /* Called every few thousand result rows (may be NULL). */
    void (*progress)(guint64 rows, gpointer user);
    gpointer progress_user;
    /* Called for each rejected row, roster or results (may be NULL). FILE is
     * the base name; REASON never holds an id or a phone. */
    void (*problem)(const char *file, guint64 line, const char *reason, gpointer user);
    guint threads; /* 1: every input read in the caller's thread;
                              * otherwise (0, the default) parsed in a second */
    /* DESIGN.md section 6: with --days, every applied sample is also kept
     * per day (rc_merge_history()), and a resident's own sample is that of
     * the last day. NULL: one window. The window must be the range. */
    const RcDays *days;
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

/* Local time for the results added afterwards (--tz), in seconds east of
 * UTC (default RC_TZ_DEFAULT, UTC+8): a time written with a zone, or as
 * an epoch, is converted to it (DESIGN.md section 2). */
void rc_merge_set_utc_offset(RcMerge *m, gint32 seconds);

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
/* What usually means a wrong set-up (DESIGN.md section 3.5), complete after
 * rc_merge_finish(); borrowed. rc_merge_warn() adds one for the file being
 * read (FILE NULL) or a named one. */
RcWarnings *rc_merge_warning_list(RcMerge *m);
/* With --days, the states per resident per day (borrowed); NULL otherwise. */
const RcHistory *rc_merge_history(const RcMerge *m);
void rc_merge_warn(RcMerge *m, RcWarnCode code, const char *file, const char *a1, const char *a2);
/* The union of the rosters' extra column names, in order of first
 * appearance, NULL-terminated; and for input FILE, where each of its extras
 * goes in that union. */
const char *const *rc_merge_extra_columns(const RcMerge *m, guint *n);
const guint *rc_merge_extra_map(const RcMerge *m, guint file);

/* The spooled rows (spool.h), complete after rc_merge_finish(). */
RcSpool *rc_merge_unmatched(RcMerge *m);
RcSpool *rc_merge_problems(RcMerge *m);

/* DESIGN.md section 7: every result row in the window that carried a tube
 * code (rows out of the window take no part), complete after
 * rc_merge_finish(). Its rows hold FILE and LINE as the other spools do,
 * REASON (why the row decided nothing; "" when applied), NAME and PHONE as
 * the row has them, and: */
enum {
    RC_TUBE_CODE = RC_SPOOL_KIND,    /* the tube code, NFKC and trimmed */
    RC_TUBE_RESIDENT = RC_SPOOL_ID,  /* the resident applied to, 1-based; "0": none */
    RC_TUBE_STATE = RC_SPOOL_RESULT, /* the row's result (rc_state_name), "" when unread */
};
RcSpool *rc_merge_tubes(RcMerge *m);
/* The tube's result when a row of it said positive (else review), or
 * RC_STATE_UNKNOWN: a tube with neither is not "hot". CODE as the spool has it. */
RcState rc_merge_tube_hot(const RcMerge *m, const char *code);

#endif

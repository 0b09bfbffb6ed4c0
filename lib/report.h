/* report: the finished view of a merge that every writer reads — residents
 * in output order (building, unit, room in natural order, then roster
 * order), counts per building and state, run facts, and each cell's display
 * text (masked with --mask). Writers share nothing but this. */
#ifndef RC_REPORT_H
#define RC_REPORT_H

#include "history.h"
#include "roster.h"
#include "spool.h"
#include "tally.h"
#include "warn.h"

/* The report is the writers' only way in: they include this header, never
 * merge.h; what they need of the merge, the report hands them. */
typedef struct RcMerge RcMerge;

/* A household's state (DESIGN.md section 7): every resident not exempt
 * tested, some, none, or everyone exempt. */
typedef enum {
    RC_HOUSEHOLD_ALL = 0,
    RC_HOUSEHOLD_PARTLY,
    RC_HOUSEHOLD_NONE,
    RC_HOUSEHOLD_EXEMPT,
    RC_HOUSEHOLD_COUNT
} RcHouseholdState;
/* "all", "partly", "none", "exempt". */
const char *rc_household_state_name(RcHouseholdState s);
typedef guint64 RcHouseholdCounts[RC_HOUSEHOLD_COUNT];

/* Resident columns (DESIGN.md section 4), then the extras. */
typedef enum {
    RC_COL_BUILDING = 0,
    RC_COL_UNIT,
    RC_COL_ROOM,
    RC_COL_NAME,
    RC_COL_ID,
    RC_COL_PHONE,
    RC_COL_STATE,
    RC_COL_RESULT,
    RC_COL_SAMPLED_AT,
    RC_COL_MATCH,
    RC_COL_FLAGS,
    RC_COL_STATUS, /* the roster's status, as written (DESIGN.md section 1) */
    RC_COL_SOURCE,
    RC_COL_FIXED
} RcColumn;

typedef struct {
    const char *building; /* "" for residents without one */
    guint64 residents;
    guint64 states[RC_STATE_COUNT];
    guint64 tested;  /* negative + positive + review + invalid + pending */
    double coverage; /* tested / (residents - exempt); 1 when that is 0 */
} RcBuildingCount;

typedef struct {
    gboolean mask;       /* ids as 310***********1234, phones as 138****5678 */
    gint64 now;          /* generation time, Unix seconds (SOURCE_DATE_EPOCH) */
    RcTime since, until; /* the window, for the run facts */
    guint threads;       /* for the writers: 1 keeps them in the caller's
                              * thread; otherwise (0, the default) two */
    RcTime history_now;  /* with --days: --now, hours are counted to it */
    guint valid_hours;   /* with --days: --valid; 0: none */
} RcReportOptions;

typedef struct {
    RcMerge *merge;
    RcReportOptions opts;
    const RcResident *residents; /* the merge's array */
    guint n_residents;
    guint32 *order;             /* indexes into residents, output order */
    RcBuildingCount *buildings; /* natural order of building; "" last */
    guint n_buildings;
    RcBuildingCount total;
    guint n_columns;            /* RC_COL_FIXED + extras */
    const char *const *columns; /* English header names, n_columns of them */
    char generated_at[32];      /* ISO 8601 UTC */
    int **extra_pos;            /* per input: union extra -> its position, -1 */
    guint n_inputs;
    guint serial; /* this report among the process's, for rc_report_cell's cache */
    /* DESIGN.md section 6, with --days (history NULL otherwise): a column
     * per day ("day:YYYY-MM-DD"), then last_negative, hours_since_negative,
     * missed_in_a_row, days_tested and, with --valid, overdue; and the
     * residents' states counted per day (n_days * RC_STATE_COUNT). */
    const RcHistory *history;
    guint n_history_columns;
    char **history_columns;
    guint64 *day_states;
    double *day_coverage; /* (n_buildings + 1) * n_days: per building, then the total */
    /* DESIGN.md sections 1 and 7: households (the same building, unit and
     * room; a resident without a room is one alone), their states, and
     * their count per state per building (n_buildings + 1: the total). */
    guint8 *household_state; /* per resident (roster index): its household's */
    RcHouseholdCounts *households;
    /* With --mask (issue 13 item 7): every interned text (building, unit,
     * room, result) whose digits may be an id or a phone, masked (NULL:
     * shown as it is); the extra columns' names and the inputs' names
     * likewise. rc_report_text(), rc_report_inputs() and r->columns show
     * these, so that file names, titles and sheets made of them do too. */
    char **masked_text;
    guint n_masked_text;
    char **masked_columns;
    RcInput *masked_inputs;
} RcReport;

/* The history columns after the days. */
typedef enum {
    RC_HCOL_LAST_NEGATIVE = 0,
    RC_HCOL_HOURS_SINCE_NEGATIVE,
    RC_HCOL_MISSED_IN_A_ROW,
    RC_HCOL_DAYS_TESTED,
    RC_HCOL_OVERDUE,
    RC_HCOL_COUNT
} RcHistoryColumn;

/* Builds the report of a finished merge M (borrowed: keep M alive).
 * Owned: rc_report_free(). */
RcReport *rc_report_new(RcMerge *m, const RcReportOptions *opts);
void rc_report_free(RcReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcReport, rc_report_free)

/* What the merge counted and kept, as the writers read it (the inputs'
 * path, name and extras masked with --mask). */
const RcInput *rc_report_inputs(const RcReport *r, guint *n);
const RcResultCounts *rc_report_result_counts(const RcReport *r);
const RcRosterCounts *rc_report_roster_counts(const RcReport *r);
guint64 rc_report_match_count(const RcReport *r, RcMatch match);
/* An interned text (building, unit, ...), masked with --mask. */
const char *rc_report_text(const RcReport *r, guint32 id);
RcSpool *rc_report_unmatched(const RcReport *r);
RcSpool *rc_report_problems(const RcReport *r);

/* The display text of column COL for resident RES, masked when asked (the
 * id and phone columns, and digit runs in the name and the extras).
 * Borrowed: points into RES, a static table, or SCRATCH (overwritten). */
const char *rc_report_cell(const RcReport *r, const RcResident *res, guint col, GString *scratch);

/* With --days: resident RES's history column K (days first, then
 * RcHistoryColumn after them) as text: a state's name, a time, hours with
 * one decimal, a count, "true"/"false". "" where there is nothing. */
const char *rc_report_history_cell(const RcReport *r, const RcResident *res, guint k, GString *scratch);
/* Resident RES's state on day DAY of the history. */
RcState rc_report_day_state(const RcReport *r, const RcResident *res, guint day);
/* Day DAY's counts by state (RC_STATE_COUNT of them, borrowed), residents
 * tested that day into *TESTED, and the day's coverage. */
double rc_report_day_coverage(const RcReport *r, guint day, const guint64 **states, guint64 *tested);
/* Building B's coverage on day DAY (B == n_buildings: the whole area). */
double rc_report_building_day_coverage(const RcReport *r, guint b, guint day);
/* With --days and --valid: is RES overdue (DESIGN.md section 6)? */
gboolean rc_report_overdue(const RcReport *r, const RcResident *res);

/* The status column of RES's roster row, as written ("" when none). */
const char *rc_report_status(const RcReport *r, const RcResident *res);
RcHouseholdState rc_report_household(const RcReport *r, const RcResident *res);

/* DESIGN.md section 7, the door-knocking list: the residents (roster
 * indexes) among positions LO..HI of r->order who are missing, or with
 * --valid overdue, by building, unit, floor (rooms without one last), room.
 * Owned (g_free); their number in *N. */
guint32 *rc_report_door_list(const RcReport *r, guint lo, guint hi, guint *n);
/* The floor of RES's room as a door list shows it: "12", "B1", or "" when
 * the room gives none. Writes into OUT; returns it. */
const char *rc_report_floor(const RcReport *r, const RcResident *res, GString *out);

/* DESIGN.md section 7, pooled tubes: every result row of each tube whose
 * result is positive or review ("hot"), tubes in natural order of their
 * code, each tube's rows applied to a resident first (in output order),
 * then the rows that decided nothing (by source). */
typedef struct {
    const char *tube;         /* the code, NFKC and trimmed */
    RcState tube_state;       /* positive (a row said so) or review */
    RcState state;            /* this row's result; RC_STATE_UNKNOWN: unread (a problem row) */
    gint64 resident;          /* roster index, -1: the row found none */
    const char *source;       /* FILE:LINE */
    const char *name, *phone; /* as the row has them, not masked */
    const char *reason;       /* a code (codes.h) for rc_reason_render, "" when applied */
} RcTubeRow;
typedef struct {
    RcTubeRow *rows;
    guint n;
    guint n_tubes;
    GStringChunk *text;
} RcTubeList;
/* The hot tubes' rows; with BUILDING (a split workbook) only the rows of
 * that building's residents. A spool that cannot be read ends the list
 * early with ERROR set (the list so far is returned). Owned:
 * rc_tube_list_free(). */
RcTubeList *rc_report_tubes(const RcReport *r, const char *building, GError **error);
void rc_tube_list_free(RcTubeList *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcTubeList, rc_tube_list_free)
/* The columns of the tubes list, CSV names in rc_report_tube_columns. */
typedef enum {
    RC_TCOL_TUBE = 0,
    RC_TCOL_RESULT, /* the row's result */
    RC_TCOL_BUILDING,
    RC_TCOL_UNIT,
    RC_TCOL_ROOM,
    RC_TCOL_NAME,
    RC_TCOL_PHONE,
    RC_TCOL_STATE,  /* the resident's state; "" for a row that found none */
    RC_TCOL_STATUS, /* the resident's roster status, as written; "" likewise */
    RC_TCOL_SOURCE,
    RC_TCOL_REASON,
    RC_TCOL_COUNT
} RcTubeColumn;
extern const char *const rc_report_tube_columns[RC_TCOL_COUNT];
/* The text of column COL of ROW: a resident's cells through
 * rc_report_cell() (masked with --mask), a row's own name and phone masked
 * the same way, states by name, the reason rendered (Chinese when ZH).
 * Borrowed: points into ROW, the report, a static table or SCRATCH. */
const char *rc_report_tube_cell(const RcReport *r, const RcTubeRow *row, RcTubeColumn col, gboolean zh,
                                GString *scratch);

/* Did any result row carry a tube code? (The workbook's Tubes sheet.) */
gboolean rc_report_has_tubes(const RcReport *r);

/* The run's warnings (DESIGN.md section 3.5), in the order they arose. */
guint rc_report_n_warnings(const RcReport *r);
/* Warning I: its code (rc_warn_code_name), with its file into FILE and its
 * sentence (Chinese when ZH) into TEXT, both masked with --mask. */
RcWarnCode rc_report_warning(const RcReport *r, guint i, gboolean zh, GString *file, GString *text);

/* Natural order: digit runs compare as numbers ("2号楼" < "10号楼"). */
int rc_natural_cmp(const char *a, const char *b);

/* Masking (DESIGN.md section 4): an id keeps its first 3 and last 4
 * characters, a phone its first 3 and last 4 digits; shorter values are
 * masked whole but for the last character. Writes into OUT; returns it. */
const char *rc_mask_id(const char *id, GString *out);
const char *rc_mask_phone(const char *phone, GString *out);

/* Where a spooled row's shown fields are made (rc_report_spool_row). */
typedef struct {
    GString *id, *phone, *raw, *reason;
} RcSpoolText;
RcSpoolText *rc_spool_text_new(void);
void rc_spool_text_free(RcSpoolText *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcSpoolText, rc_spool_text_free)

/* A spooled row as the writers show it, in FIELDS (pointers redirected
 * into T): its reason rendered (codes.h) in Chinese or English (ZH); with
 * --mask, its id and phone fields masked and their occurrences in its raw
 * text, then every run of digits that may be an id or a phone
 * (rc_norm_mask_numbers) in its raw text, reason, name, result and
 * sampled_at. */
void rc_report_spool_row(const RcReport *r, gboolean zh, const char *fields[RC_SPOOL_FIELDS], RcSpoolText *t);

#endif

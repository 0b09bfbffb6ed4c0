/* tally: what a merge counted, per input and in all, and how result rows
 * matched: the types the report hands the writers (report.h), so that a
 * writer never needs the matcher (merge.h). */
#ifndef RC_TALLY_H
#define RC_TALLY_H

#include "rc.h"

/* How a result row found its resident. */
typedef enum {
    RC_MATCH_NONE = 0,
    RC_MATCH_ID,
    RC_MATCH_NAME_PHONE,
    RC_MATCH_NAME_ID_TYPO,
    RC_MATCH_NAME_MASKED_ID,
    RC_MATCH_NAME_HOUSEHOLD, /* DESIGN.md 3.2: a relative's id (代登记), or the household's phone */
    RC_MATCH_COUNT
} RcMatch;
const char *rc_match_name(RcMatch m); /* "", "id", "name+phone", ... */

typedef struct {
    char *path; /* as given */
    char *name; /* base name, used in `source` */
    RcKind kind;
    char *encoding;
    guint64 rows;  /* data rows */
    char **extras; /* roster: extra column names, NULL-terminated */
    /* for the warnings (DESIGN.md section 3.5) */
    guint64 problems;    /* rows that became problems */
    guint64 ragged;      /* rows kept with more or fewer fields than the header */
    guint64 ids;         /* roster: non-empty id cells; results: usable ids that reached matching */
    guint64 ids_found;   /* results: of those, found on the roster by id */
    guint64 ids_mangled; /* roster: ids a spreadsheet turned into numbers */
} RcInput;

typedef struct {
    guint64 rows, applied, out_of_window, unmatched, problem;
    guint64 ignored;   /* not data: totals, signatures, repeated headers */
    guint64 duplicate; /* of applied: the same sample (resident, times, result) again */
} RcResultCounts;

typedef struct {
    guint64 rows, residents, problem;
    guint64 ignored; /* not data: totals, signatures, repeated headers */
} RcRosterCounts;

#endif

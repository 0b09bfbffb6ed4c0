/* labels: every string a person reads in a workbook (sheet names, column
 * headers, state words, summary captions, notes), in Chinese and English,
 * from one table. Machine-facing names (CSV headers, JSON keys, config keys)
 * stay in rc.h / report.h; these are their faces for people.
 *
 * Every function returns a borrowed static string, or writes into a caller's
 * GString and returns its text; nothing here allocates for the caller. */
#ifndef RC_LABELS_H
#define RC_LABELS_H

#include "report.h"

typedef enum {
    RC_LANG_ZH = 0, /* the default (DESIGN.md section 4) */
    RC_LANG_EN,
    RC_LANG_COUNT
} RcLang;

/* "zh" or "en" (case-insensitive) into *LANG; FALSE for anything else. */
gboolean rc_lang_from_name(const char *name, RcLang *lang);

typedef enum {
    /* sheets, in workbook order (DESIGN.md section 4) */
    RC_LABEL_SHEET_SUMMARY = 0,
    RC_LABEL_SHEET_ALL,
    RC_LABEL_SHEET_POSITIVE,
    RC_LABEL_SHEET_ATTENTION,
    RC_LABEL_SHEET_MISSING,
    RC_LABEL_SHEET_NEGATIVE,
    RC_LABEL_SHEET_EXEMPT,
    RC_LABEL_SHEET_UNMATCHED,
    RC_LABEL_SHEET_PROBLEMS,
    RC_LABEL_SHEET_HISTORY, /* with --days (DESIGN.md section 6) */
    RC_LABEL_SHEET_OVERDUE, /* with --days and --valid */
    /* the history's columns after the days (RcHistoryColumn order) */
    RC_LABEL_LAST_NEGATIVE,
    RC_LABEL_HOURS_SINCE_NEGATIVE,
    RC_LABEL_MISSED_IN_A_ROW,
    RC_LABEL_DAYS_TESTED,
    RC_LABEL_OVERDUE,
    RC_LABEL_YES,
    RC_LABEL_NO,
    RC_LABEL_DAY_COVERAGE, /* heading of the summary's coverage per day */
    RC_LABEL_SHEET_DOOR,   /* DESIGN.md section 7, when the roster has rooms */
    RC_LABEL_FLOOR,
    RC_LABEL_FLOOR_UNKNOWN, /* a room that gives no floor */
    RC_LABEL_HOUSEHOLD,
    RC_LABEL_STATUS,
    RC_LABEL_NOTE,          /* the volunteer's column */
    RC_LABEL_HOUSEHOLD_ALL, /* RcHouseholdState order */
    RC_LABEL_HOUSEHOLD_PARTLY,
    RC_LABEL_HOUSEHOLD_NONE,
    RC_LABEL_HOUSEHOLD_EXEMPT,
    RC_LABEL_SHEET_FLOORS,    /* the floor plan, when the roster has rooms */
    RC_LABEL_FLOORS_UNPLACED, /* the line before the rooms without a floor */
    RC_LABEL_SHEET_TUBES,     /* when result rows carry tubes */
    RC_LABEL_TUBE,
    RC_LABEL_TUBE_RESULT, /* the row's own result */
    RC_LABEL_CHART_DAYS,  /* the line chart of coverage per day */
    /* the summary sheet */
    RC_LABEL_TITLE, /* the workbook's title line */
    RC_LABEL_BUILDING,
    RC_LABEL_RESIDENTS,
    RC_LABEL_TESTED,
    RC_LABEL_COVERAGE,
    RC_LABEL_TOTAL,
    RC_LABEL_NO_BUILDING, /* shown for residents without a building */
    RC_LABEL_FACTS,       /* heading of the run facts */
    RC_LABEL_FACTS_WHOLE, /* note on a one-building workbook's run facts */
    RC_LABEL_VERSION,
    RC_LABEL_GENERATED_AT,
    RC_LABEL_WINDOW_SINCE,
    RC_LABEL_WINDOW_UNTIL,
    RC_LABEL_WINDOW_OPEN, /* an open end of the window */
    RC_LABEL_INPUTS,      /* heading of the inputs table */
    RC_LABEL_INPUT_KIND,
    RC_LABEL_INPUT_ROWS,
    RC_LABEL_INPUT_ENCODING,
    RC_LABEL_INPUT_FILE,
    RC_LABEL_RESULT_ROWS, /* accounting of result rows (DESIGN.md section 3.4) */
    RC_LABEL_APPLIED,
    RC_LABEL_DUPLICATE_ROWS, /* of applied, the same sample again (DESIGN.md section 3.3) */
    RC_LABEL_OUT_OF_WINDOW,
    RC_LABEL_UNMATCHED_ROWS,
    RC_LABEL_PROBLEM_ROWS,
    RC_LABEL_IGNORED_ROWS, /* rows that are not data (DESIGN.md section 1) */
    RC_LABEL_ROSTER_ROWS,  /* accounting of roster rows */
    RC_LABEL_ROSTER_RESIDENTS,
    RC_LABEL_LEGEND,
    RC_LABEL_WARNINGS,
    RC_LABEL_LEGEND_UNMATCHED, /* the legend's line for the blue rows */
    RC_LABEL_CHART_TITLE,
    RC_LABEL_CHART_OMITTED, /* printf format: %u buildings, too many to draw */
    /* notes in sheets */
    RC_LABEL_NONE,      /* first row of an empty sheet */
    RC_LABEL_SEE_WHOLE, /* first row of a one-building workbook's spool sheets */
    RC_LABEL_FOOTER,    /* page numbers in the footer (Excel's &P, &N codes) */
    RC_LABEL_COUNT
} RcLabel;

/* The label ID in LANG. Never NULL. */
const char *rc_label(RcLang lang, RcLabel id);

/* The word for a resident's state ("阳性", "positive"...); "" for a value
 * outside RcState. */
const char *rc_label_state(RcLang lang, RcState state);

/* The state as one character, for a history's day cells: 阴 阳 复 废 待 缺 免,
 * or N P R I W M E. */
const char *rc_label_state_letter(RcLang lang, RcState state);

/* What each state means, for the legend. */
const char *rc_label_state_meaning(RcLang lang, RcState state);

/* Header of resident column COL (< RC_COL_FIXED); NULL for an extra column,
 * which keeps its roster name. */
const char *rc_label_column(RcLang lang, RcColumn col);

/* Header of spool field F (RC_SPOOL_FILE .. RC_SPOOL_RAW). */
const char *rc_label_spool_column(RcLang lang, int f);

/* "名单" / "roster", "结果" / "results". */
const char *rc_label_kind(RcLang lang, RcKind kind);

/* The kind as the spool spells it ("roster", "results") in LANG. */
const char *rc_label_kind_name(RcLang lang, const char *name);

/* How a sample found its resident ("" for RC_MATCH_NONE). */
const char *rc_label_match(RcLang lang, RcMatch match);

/* The report's flags cell ("id-checksum;name-differs", "id-mangled:RAW")
 * with each flag's word in LANG (codes.h's table), written into OUT.
 * Unknown flags stay. Reasons: rc_reason_render (codes.h). */
const char *rc_label_flags(RcLang lang, const char *flags, GString *out);

#endif

/* history: a state per resident per day over a range of days (DESIGN.md
 * section 6), and the order of two samples that decides a state (section
 * 3.3), which the single-window merge uses too.
 *
 * The merge feeds every applied sample to rc_history_apply(); the store
 * keeps, per resident and day, only the deciding sample's state and times
 * (8 bytes), and per resident the latest negative — never the results.
 * For duplicates (section 3.3) a day that held one distinct sample costs
 * nothing more (the cell holds it exactly); a day with several keeps an
 * 8-byte fingerprint per distinct sample until rc_history_seal(). */
#ifndef RC_HISTORY_H
#define RC_HISTORY_H

#include "norm.h"

/* What section 3.3 compares of a sample. */
typedef struct {
    RcState state;      /* negative, positive, review, invalid or pending */
    RcTime sampled_at;  /* RC_TIME_NONE when absent */
    RcTime reported_at; /* RC_TIME_NONE when absent */
} RcSampleKey;

/* DESIGN.md section 3.3: > 0 when sample A decides over B, < 0 when B
 * decides over A, 0 when neither does (the same moment and result: the same
 * sample exported twice). Positive first (it is sticky); then the later
 * time: sampled_at, else reported_at; then the later reported_at (an absent
 * one is the earliest); then a decided result over pending; then the more
 * cautious (review, invalid, negative). A total order, never input order;
 * the merge breaks its ties further for what outputs show. */
int rc_sample_cmp(const RcSampleKey *a, const RcSampleKey *b);

/* The range of days, parsed from --days: "FROM..TO" (dates as rc_norm_time
 * reads them, without a time of day), or "N" for the N days ending at
 * LAST_DAY (the --day value, a date; NULL or "" when none was given, which
 * makes "N" an error). FIRST is the midnight starting the first day. */
typedef struct {
    RcTime first;
    guint n_days;
} RcDays;

#define RC_HISTORY_MAX_DAYS 366

#define RC_HISTORY_ERROR rc_history_error_quark()
GQuark rc_history_error_quark(void);
typedef enum {
    RC_HISTORY_ERROR_DAYS, /* --days is not FROM..TO nor N */
} RcHistoryError;

gboolean rc_days_parse(const char *spec, const char *last_day, RcDays *out, GError **error);

/* The day index of T in DAYS, or -1 when T is outside the range. */
int rc_days_index(const RcDays *days, RcTime t);

typedef struct RcHistory RcHistory;

/* A store for N_RESIDENTS residents over DAYS; it grows when more residents
 * are applied (indexes past N_RESIDENTS). Owned: rc_history_free(). */
RcHistory *rc_history_new(const RcDays *days, guint n_residents);
void rc_history_free(RcHistory *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcHistory, rc_history_free)

const RcDays *rc_history_days(const RcHistory *h);

/* Applies sample S to resident IDX (0-based) on day DAY (rc_days_index of
 * the sample's time, which must be in range). Returns FALSE when the day
 * already held the same sample (a duplicate), TRUE otherwise. */
gboolean rc_history_apply(RcHistory *h, guint idx, int day, const RcSampleKey *s);

/* No more samples come: frees what only rc_history_apply() needed (the
 * fingerprints of days with several samples). */
void rc_history_seal(RcHistory *h);

/* What a resident's history says. */
typedef struct {
    RcTime last_negative;  /* the latest negative sample's time, RC_TIME_NONE: none */
    guint missed_in_a_row; /* days at the end with no sample (an exempt resident: 0) */
    guint days_tested;     /* days with an applied sample */
} RcHistorySummary;

/* Resident IDX's state on day DAY: the deciding sample's, else EXEMPT when
 * the resident is exempt, else MISSING. */
RcState rc_history_state(const RcHistory *h, guint idx, guint day, gboolean exempt);
void rc_history_summary(const RcHistory *h, guint idx, gboolean exempt, RcHistorySummary *out);

/* Hours from LAST_NEGATIVE to NOW (negative when the sample is later than
 * NOW); meaningless for RC_TIME_NONE. */
double rc_history_hours_since(RcTime last_negative, RcTime now);

/* DESIGN.md section 6: with --valid HOURS, overdue when not exempt, not
 * positive (STATE, the resident's state), and no negative in the HOURS
 * before NOW (a negative exactly HOURS before NOW still counts). */
gboolean rc_history_overdue(RcState state, gboolean exempt, RcTime last_negative, RcTime now, guint hours);

#endif

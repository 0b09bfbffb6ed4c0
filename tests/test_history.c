/* test_history: the order of samples (DESIGN.md section 3.3) and a state
 * per resident per day (section 6), a case a line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "history.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

static RcTime at(const char *s)
{
    RcTime t;
    if (!s)
        return RC_TIME_NONE;
    if (!rc_norm_time(s, strlen(s), &t, NULL))
        fail_msg("test time '%s' does not parse", s);
    return t;
}

#define NEG RC_STATE_NEGATIVE
#define POS RC_STATE_POSITIVE
#define REV RC_STATE_REVIEW
#define INV RC_STATE_INVALID
#define PEN RC_STATE_PENDING
#define MIS RC_STATE_MISSING
#define EXE RC_STATE_EXEMPT

/* ---- section 3.3 ---- */

typedef struct {
    RcState sa;
    const char *sampled_a, *reported_a;
    RcState sb;
    const char *sampled_b, *reported_b;
    int want; /* sign of rc_sample_cmp(a, b) */
} CmpCase;

static const CmpCase cmp_cases[] = {
    /* positive is sticky, whatever the times */
    {POS, "2022-04-10 08:00", NULL, NEG, "2022-04-10 20:00", NULL, 1},
    {NEG, "2022-04-10 20:00", NULL, POS, "2022-04-10 08:00", NULL, -1},
    /* the later sampled_at */
    {NEG, "2022-04-10 20:00", NULL, REV, "2022-04-10 08:00", NULL, 1},
    {PEN, "2022-04-10 20:00", NULL, NEG, "2022-04-10 08:00", NULL, 1},
    /* equal sampled_at: the later reported_at */
    {NEG, "2022-04-10 08:00", "2022-04-10 20:00", PEN, "2022-04-10 08:00", "2022-04-10 12:00", 1},
    /* absent sampled_at on one side: reported_at decides */
    {NEG, NULL, "2022-04-10 20:00", INV, "2022-04-10 08:00", "2022-04-10 12:00", 1},
    /* one sampled_at absent: each at its window time (sampled_at, else reported_at) */
    {NEG, NULL, "2022-04-10 12:00", REV, "2022-04-10 10:00", "2022-04-10 13:00", 1},
    {NEG, NULL, "2022-04-10 09:00", PEN, "2022-04-10 10:00", NULL, -1},
    /* equal sampled_at, one reported_at absent: the absent one is earlier */
    {PEN, "2022-04-10 08:00", "2022-04-10 12:00", NEG, "2022-04-10 08:00", NULL, 1},
    {NEG, NULL, NULL, PEN, NULL, "2022-04-10 12:00", -1},
    /* same moment: decided over pending */
    {PEN, "2022-04-10 08:00", NULL, NEG, "2022-04-10 08:00", NULL, -1},
    {NEG, "2022-04-10 08:00", NULL, PEN, "2022-04-10 08:00", NULL, 1},
    /* same moment, decided and disagreeing: the more cautious */
    {NEG, "2022-04-10 08:00", NULL, REV, "2022-04-10 08:00", NULL, -1},
    {INV, "2022-04-10 08:00", NULL, NEG, "2022-04-10 08:00", NULL, 1},
    {REV, "2022-04-10 08:00", NULL, INV, "2022-04-10 08:00", NULL, 1},
    {REV, NULL, NULL, NEG, NULL, NULL, 1},
    /* the same sample twice: neither decides */
    {NEG, "2022-04-10 08:00", "2022-04-10 12:00", NEG, "2022-04-10 08:00", "2022-04-10 12:00", 0},
    {POS, NULL, NULL, POS, NULL, NULL, 0},
};

static void test_sample_cmp(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMENTS(cmp_cases); i++) {
        const CmpCase *c = &cmp_cases[i];
        RcSampleKey a = {c->sa, at(c->sampled_a), at(c->reported_a)};
        RcSampleKey b = {c->sb, at(c->sampled_b), at(c->reported_b)};
        int got = rc_sample_cmp(&a, &b), back = rc_sample_cmp(&b, &a);
        int sign = (got > 0) - (got < 0);
        if (sign != c->want || ((back > 0) - (back < 0)) != -c->want)
            fail_msg("case %zu: cmp %d, reversed %d, want sign %d", i, got, back, c->want);
    }
}

/* A total order: over every triple of samples with times present and
 * absent, a beats b and b beats c means a beats c — so the deciding sample
 * cannot depend on the order the samples come in. */
static void test_sample_cmp_total(void **state)
{
    (void)state;
    static const char *const times[] = {NULL, "2022-04-10 08:00", "2022-04-10 10:00", "2022-04-10 12:00"};
    static const RcState states[] = {POS, REV, INV, NEG, PEN};
    GArray *keys = g_array_new(FALSE, FALSE, sizeof(RcSampleKey));
    for (size_t s = 0; s < N_ELEMENTS(states); s++)
        for (size_t i = 0; i < N_ELEMENTS(times); i++)
            for (size_t j = 0; j < N_ELEMENTS(times); j++) {
                RcSampleKey k = {states[s], at(times[i]), at(times[j])};
                g_array_append_val(keys, k);
            }
    const RcSampleKey *k = (const RcSampleKey *)keys->data;
    for (guint a = 0; a < keys->len; a++)
        for (guint b = 0; b < keys->len; b++)
            for (guint c = 0; c < keys->len; c++)
                if (rc_sample_cmp(&k[a], &k[b]) > 0 && rc_sample_cmp(&k[b], &k[c]) > 0 &&
                    rc_sample_cmp(&k[a], &k[c]) <= 0)
                    fail_msg("not transitive: %u > %u > %u but not %u > %u", a, b, c, a, c);
    g_array_unref(keys);
}

/* ---- --days ---- */

typedef struct {
    const char *spec, *last_day;
    const char *first; /* NULL: an error */
    guint n_days;
} DaysCase;

static const DaysCase days_cases[] = {
    {"2022-04-04..2022-04-10", NULL, "2022-04-04", 7},
    {"2022-04-10..2022-04-10", NULL, "2022-04-10", 1},
    {"2022/4/1..2022/4/3", NULL, "2022-04-01", 3},
    {"2022-02-27..2022-03-01", NULL, "2022-02-27", 3},
    {"7", "2022-04-10", "2022-04-04", 7},
    {"1", "2022-04-10", "2022-04-10", 1},
    {"7", NULL, NULL, 0}, /* N needs --day */
    {"0", "2022-04-10", NULL, 0},
    {"367", "2022-04-10", NULL, 0},
    {"x", "2022-04-10", NULL, 0},
    {"", "2022-04-10", NULL, 0},
    {"2022-04-10..2022-04-04", NULL, NULL, 0},       /* backwards */
    {"2022-04-04 08:00..2022-04-10", NULL, NULL, 0}, /* a time of day */
    {"2022-04-04..", NULL, NULL, 0},
    {"2021-01-01..2022-12-31", NULL, NULL, 0}, /* more than 366 days */
};

static void test_days_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMENTS(days_cases); i++) {
        const DaysCase *c = &days_cases[i];
        RcDays d = {0, 0};
        GError *err = NULL;
        gboolean ok = rc_days_parse(c->spec, c->last_day, &d, &err);
        if (ok != (c->first != NULL))
            fail_msg("--days '%s': ok %d, error %s", c->spec, ok, err ? err->message : "none");
        if (ok && (d.first != at(c->first) || d.n_days != c->n_days))
            fail_msg("--days '%s': %u days", c->spec, d.n_days);
        if (!ok)
            assert_true(g_error_matches(err, RC_HISTORY_ERROR, RC_HISTORY_ERROR_DAYS));
        g_clear_error(&err);
    }
    RcDays d;
    assert_true(rc_days_parse("2022-04-04..2022-04-10", NULL, &d, NULL));
    assert_int_equal(rc_days_index(&d, at("2022-04-03 23:59:59")), -1);
    assert_int_equal(rc_days_index(&d, at("2022-04-04 00:00")), 0);
    assert_int_equal(rc_days_index(&d, at("2022-04-09 23:59")), 5);
    assert_int_equal(rc_days_index(&d, at("2022-04-10 00:01")), 6);
    assert_int_equal(rc_days_index(&d, at("2022-04-11 00:00")), -1);
    assert_int_equal(rc_days_index(&d, RC_TIME_NONE), -1);
}

/* ---- a resident's days: samples applied, then the states and summary ---- */

typedef struct {
    RcState state;
    const char *sampled, *reported;
} S;

typedef struct {
    const char *what;
    gboolean exempt;
    S samples[6];     /* up to a {0, NULL, NULL} end */
    const char *days; /* the state each day, one letter: N P R I W M E */
    const char *last_negative;
    guint missed, tested;
    guint duplicates;
} DayCase;

/* the range of every case: 2022-04-04 .. 2022-04-07 (4 days) */
static const DayCase day_cases[] = {
    {"no sample at all", FALSE, {{0}}, "MMMM", NULL, 4, 0, 0},
    {"no sample, exempt", TRUE, {{0}}, "EEEE", NULL, 0, 0, 0},
    {"a positive on day 2, then negatives",
     FALSE,
     {{POS, "2022-04-05 09:00", NULL}, {NEG, "2022-04-06 09:00", NULL}, {NEG, "2022-04-07 09:00", NULL}},
     "MPNN",
     "2022-04-07 09:00",
     0,
     3,
     0},
    {"positive sticks within its day",
     FALSE,
     {{POS, "2022-04-05 09:00", NULL}, {NEG, "2022-04-05 18:00", NULL}},
     "MPMM",
     "2022-04-05 18:00",
     2,
     1,
     0},
    {"23:59 and 00:01 are two days",
     FALSE,
     {{NEG, "2022-04-05 23:59", NULL}, {NEG, "2022-04-06 00:01", NULL}},
     "MNNM",
     "2022-04-06 00:01",
     1,
     2,
     0},
    {"missed two rounds in a row",
     FALSE,
     {{NEG, "2022-04-04 08:00", NULL}, {NEG, "2022-04-05 08:00", NULL}},
     "NNMM",
     "2022-04-05 08:00",
     2,
     2,
     0},
    {"an exempt resident's days neither count nor break the run",
     TRUE,
     {{NEG, "2022-04-04 08:00", NULL}},
     "NEEE",
     "2022-04-04 08:00",
     0,
     1,
     0},
    {"later sample decides the day; order of input does not",
     FALSE,
     {{NEG, "2022-04-06 18:00", NULL}, {REV, "2022-04-06 08:00", NULL}},
     "MMNM",
     "2022-04-06 18:00",
     1,
     1,
     0},
    {"same moment, the more cautious",
     FALSE,
     {{NEG, "2022-04-06 08:00", NULL}, {REV, "2022-04-06 08:00", NULL}},
     "MMRM",
     "2022-04-06 08:00",
     1,
     1,
     0},
    {"pending then its result, reported later",
     FALSE,
     {{PEN, "2022-04-07 08:00", "2022-04-07 09:00"}, {NEG, "2022-04-07 08:00", "2022-04-07 20:00"}},
     "MMMN",
     "2022-04-07 08:00",
     0,
     1,
     0},
    {"the same sample twice counts once",
     FALSE,
     {{NEG, "2022-04-07 08:00", "2022-04-07 20:00"}, {NEG, "2022-04-07 08:00", "2022-04-07 20:00"}},
     "MMMN",
     "2022-04-07 08:00",
     0,
     1,
     1},
    /* duplicates (section 3.3): a day that held one sample compares with
     * it; a day with several remembers each */
    {"three samples of a day, two seen twice",
     FALSE,
     {{NEG, "2022-04-06 08:00", NULL},
      {NEG, "2022-04-06 12:00", NULL},
      {NEG, "2022-04-06 08:00", NULL},
      {REV, "2022-04-06 12:00", NULL},
      {NEG, "2022-04-06 12:00", NULL}},
     "MMRM",
     "2022-04-06 12:00",
     1,
     1,
     2},
    {"an earlier sample seen again after a later one",
     FALSE,
     {{NEG, "2022-04-06 08:00", NULL}, {NEG, "2022-04-06 18:00", NULL}, {NEG, "2022-04-06 08:00", NULL}},
     "MMNM",
     "2022-04-06 18:00",
     1,
     1,
     1},
    {"a positive and a negative of the same moment are two samples",
     FALSE,
     {{POS, "2022-04-06 08:00", NULL}, {NEG, "2022-04-06 08:00", NULL}, {POS, "2022-04-06 08:00", NULL}},
     "MMPM",
     "2022-04-06 08:00",
     1,
     1,
     1},
    {"reported times 80 years away: told apart, and a repeat still a duplicate",
     FALSE,
     {{NEG, "2022-04-06 08:00", "2102-04-06 08:00"},
      {NEG, "2022-04-06 08:00", "2103-04-06 08:00"},
      {NEG, "2022-04-06 08:00", "2102-04-06 08:00"}},
     "MMNM",
     "2022-04-06 08:00",
     1,
     1,
     1},
    {"a reported time 80 years away, twice",
     FALSE,
     {{NEG, "2022-04-06 08:00", "2102-04-06 08:00"}, {NEG, "2022-04-06 08:00", "2102-04-06 08:00"}},
     "MMNM",
     "2022-04-06 08:00",
     1,
     1,
     1},
    {"no sampled_at: the day of reported_at",
     FALSE,
     {{INV, NULL, "2022-04-05 10:00"}},
     "MIMM",
     NULL,
     2,
     1,
     0},
};

static char letter(RcState s)
{
    static const char l[] = "NPRIWME";
    return l[s];
}

static void test_days(void **state)
{
    (void)state;
    RcDays days;
    assert_true(rc_days_parse("2022-04-04..2022-04-07", NULL, &days, NULL));
    for (size_t i = 0; i < N_ELEMENTS(day_cases); i++) {
        const DayCase *c = &day_cases[i];
        /* every case twice: the samples in order and reversed */
        for (int rev = 0; rev < 2; rev++) {
            g_autoptr(RcHistory) h = rc_history_new(&days, 3);
            guint n = 0, dups = 0;
            while (n < N_ELEMENTS(c->samples) && (c->samples[n].sampled || c->samples[n].reported))
                n++;
            for (guint k = 0; k < n; k++) {
                const S *s = &c->samples[rev ? n - 1 - k : k];
                RcSampleKey key = {s->state, at(s->sampled), at(s->reported)};
                int day =
                    rc_days_index(&days, key.sampled_at != RC_TIME_NONE ? key.sampled_at : key.reported_at);
                assert_true(day >= 0);
                if (!rc_history_apply(h, 1, day, &key))
                    dups++;
            }
            char got[8] = "";
            for (guint d = 0; d < days.n_days; d++)
                got[d] = letter(rc_history_state(h, 1, d, c->exempt));
            RcHistorySummary sum;
            rc_history_summary(h, 1, c->exempt, &sum);
            if (strcmp(got, c->days) != 0 || sum.last_negative != at(c->last_negative) ||
                sum.missed_in_a_row != c->missed || sum.days_tested != c->tested || dups != c->duplicates)
                fail_msg("%s%s: days %s (want %s), missed %u (%u), tested %u (%u), duplicates %u (%u)",
                         c->what, rev ? " (reversed)" : "", got, c->days, sum.missed_in_a_row, c->missed,
                         sum.days_tested, c->tested, dups, c->duplicates);
            /* the neighbours stay untouched */
            assert_int_equal(rc_history_state(h, 0, 0, FALSE), MIS);
            assert_int_equal(rc_history_state(h, 2, 3, TRUE), EXE);
        }
    }
}

static void test_grows(void **state)
{
    (void)state;
    RcDays days;
    assert_true(rc_days_parse("2022-04-04..2022-04-05", NULL, &days, NULL));
    g_autoptr(RcHistory) h = rc_history_new(&days, 0);
    RcSampleKey k = {NEG, at("2022-04-05 10:00"), RC_TIME_NONE};
    for (guint i = 0; i < 1000; i += 7)
        assert_true(rc_history_apply(h, i, 1, &k));
    for (guint i = 0; i < 1000; i++)
        assert_int_equal(rc_history_state(h, i, 1, FALSE), i % 7 ? MIS : NEG);
    assert_int_equal(rc_history_state(h, 5000, 1, FALSE), MIS);
}

/* ---- --valid ---- */

typedef struct {
    RcState state;
    gboolean exempt;
    const char *last_negative;
    guint hours;
    gboolean want;
} OverdueCase;

static const OverdueCase overdue_cases[] = {
    {NEG, FALSE, "2022-04-07 12:00", 72, FALSE},
    {NEG, FALSE, "2022-04-05 00:00", 72, FALSE}, /* exactly 72 hours before now: still valid */
    {NEG, FALSE, "2022-04-04 23:59", 72, TRUE},  /* a minute more */
    {MIS, FALSE, NULL, 72, TRUE},
    {MIS, TRUE, NULL, 72, FALSE}, /* exempt */
    {EXE, TRUE, NULL, 48, FALSE},
    {POS, FALSE, NULL, 72, FALSE}, /* positive: another list */
    {REV, FALSE, "2022-04-06 00:00", 48, FALSE},
    {REV, FALSE, "2022-04-06 00:00", 24, TRUE},
};

static void test_overdue(void **state)
{
    (void)state;
    RcTime now = at("2022-04-08 00:00");
    for (size_t i = 0; i < N_ELEMENTS(overdue_cases); i++) {
        const OverdueCase *c = &overdue_cases[i];
        gboolean got = rc_history_overdue(c->state, c->exempt, at(c->last_negative), now, c->hours);
        if (got != c->want)
            fail_msg("overdue case %zu: got %d", i, got);
    }
    assert_true(rc_history_hours_since(at("2022-04-05 00:00"), now) == 72.0);
    assert_true(rc_history_hours_since(at("2022-04-07 23:30"), now) == 0.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_cmp), cmocka_unit_test(test_sample_cmp_total),
        cmocka_unit_test(test_days_parse), cmocka_unit_test(test_days),
        cmocka_unit_test(test_grows),      cmocka_unit_test(test_overdue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

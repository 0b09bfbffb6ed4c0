/* history: states per resident per day (DESIGN.md section 6) and the order
 * of samples (section 3.3). */
#include <string.h>

#include "history.h"
#include "u64map.h"

G_DEFINE_QUARK(rc - history - error - quark, rc_history_error)

#define DAY_SECONDS 86400

/* How cautious a result is (section 3.3: a decided result over pending;
 * review over invalid over negative). Positive is sticky: above all. */
static int caution(RcState s)
{
    switch (s) {
    case RC_STATE_POSITIVE:
        return 4;
    case RC_STATE_REVIEW:
        return 3;
    case RC_STATE_INVALID:
        return 2;
    case RC_STATE_NEGATIVE:
        return 1;
    default:
        return 0;
    }
}

static int cmp_num(gint64 a, gint64 b)
{
    return (a > b) - (a < b);
}

/* The one order of samples, the merge's and the history's. Where DESIGN.md
 * 3.3 says "on equal (or absent) sampled_at, the later reported_at", a
 * sample without sampled_at is placed at its reported_at (the time its
 * window is judged by, section 3.2), and an absent time is earlier than any:
 * comparing reported_at whenever either sampled_at is absent, or treating an
 * absent time as equal to every other, is no total order (three samples can
 * each beat the next), and the deciding sample would depend on input order. */
int rc_sample_cmp(const RcSampleKey *a, const RcSampleKey *b)
{
    gboolean pa = a->state == RC_STATE_POSITIVE, pb = b->state == RC_STATE_POSITIVE;
    if (pa != pb)
        return pa ? 1 : -1;
    int c = cmp_num(a->sampled_at != RC_TIME_NONE ? a->sampled_at : a->reported_at,
                    b->sampled_at != RC_TIME_NONE ? b->sampled_at : b->reported_at);
    if (c == 0)
        c = cmp_num(a->reported_at, b->reported_at);
    if (c == 0)
        c = caution(a->state) - caution(b->state);
    return c;
}

/* ---- days ---- */

static gboolean parse_date(const char *s, RcTime *out)
{
    RcTime t;
    if (!rc_norm_time(s, strlen(s), &t, NULL) || t % DAY_SECONDS != 0)
        return FALSE;
    *out = t;
    return TRUE;
}

gboolean rc_days_parse(const char *spec, const char *last_day, RcDays *out, GError **error)
{
    const char *dots = strstr(spec, "..");
    RcTime from, to;
    if (dots) {
        g_autofree char *a = g_strndup(spec, (gsize)(dots - spec));
        if (!parse_date(g_strstrip(a), &from) || !parse_date(dots + 2, &to)) {
            g_set_error(error, RC_HISTORY_ERROR, RC_HISTORY_ERROR_DAYS,
                        "--days '%s': FROM..TO takes two dates, as 2022-04-04..2022-04-10", spec);
            return FALSE;
        }
    } else {
        char *end = NULL;
        guint64 n = g_ascii_strtoull(spec, &end, 10);
        if (!*spec || *end || n == 0 || n > RC_HISTORY_MAX_DAYS) {
            g_set_error(error, RC_HISTORY_ERROR, RC_HISTORY_ERROR_DAYS,
                        "--days '%s': give FROM..TO or a number of days from 1 to %d", spec,
                        RC_HISTORY_MAX_DAYS);
            return FALSE;
        }
        if (!last_day || !*last_day || !parse_date(last_day, &to)) {
            g_set_error(error, RC_HISTORY_ERROR, RC_HISTORY_ERROR_DAYS,
                        "--days %s needs --day DATE, the last day of the range", spec);
            return FALSE;
        }
        from = to - (RcTime)(n - 1) * DAY_SECONDS;
    }
    if (to < from || (to - from) / DAY_SECONDS >= RC_HISTORY_MAX_DAYS) {
        g_set_error(error, RC_HISTORY_ERROR, RC_HISTORY_ERROR_DAYS,
                    "--days '%s': the range must run forwards and span at most %d days", spec,
                    RC_HISTORY_MAX_DAYS);
        return FALSE;
    }
    out->first = from;
    out->n_days = (guint)((to - from) / DAY_SECONDS) + 1;
    return TRUE;
}

int rc_days_index(const RcDays *days, RcTime t)
{
    if (t == RC_TIME_NONE || t < days->first)
        return -1;
    RcTime d = (t - days->first) / DAY_SECONDS;
    return d < (RcTime)days->n_days ? (int)d : -1;
}

/* ---- the store ---- */

/* A day of a resident in 8 bytes: the deciding sample's state (code, 0: no
 * sample) and sampled time of day in A; its reported time in B, as seconds
 * from the range's start (absent: G_MININT32). */
typedef struct {
    guint32 a;
    gint32 b;
} Cell;

#define CELL_SOD_NONE 0x1ffffu /* 17 bits of seconds of the day + 1 */
#define CELL_SOD_MASK 0x1ffffu
/* The day's samples are all in the set of fingerprints: it has held more
 * than one distinct sample, or one whose reported time the cell cannot
 * hold exactly. A day without it has held one sample only, exactly. */
#define CELL_REMEMBERED (1u << 23)

struct RcHistory {
    RcDays days;
    guint n, cap;          /* residents held, allocated */
    Cell *cells;           /* cap * n_days, a resident's days together */
    RcTime *last_negative; /* cap */
    RcU64Set seen;         /* fingerprints of the samples of CELL_REMEMBERED days */
};

RcHistory *rc_history_new(const RcDays *days, guint n_residents)
{
    RcHistory *h = g_new0(RcHistory, 1);
    h->days = *days;
    h->cap = MAX(n_residents, 16u);
    h->n = n_residents;
    h->cells = g_new0(Cell, (gsize)h->cap * days->n_days);
    h->last_negative = g_new(RcTime, h->cap);
    for (guint i = 0; i < h->cap; i++)
        h->last_negative[i] = RC_TIME_NONE;
    rc_u64set_init(&h->seen);
    return h;
}

void rc_history_free(RcHistory *h)
{
    if (!h)
        return;
    g_free(h->cells);
    g_free(h->last_negative);
    rc_u64set_destroy(&h->seen);
    g_free(h);
}

const RcDays *rc_history_days(const RcHistory *h)
{
    return &h->days;
}

static void grow(RcHistory *h, guint idx)
{
    if (idx < h->cap) {
        h->n = MAX(h->n, idx + 1);
        return;
    }
    guint cap = h->cap;
    while (cap <= idx)
        cap *= 2;
    h->cells = g_renew(Cell, h->cells, (gsize)cap * h->days.n_days);
    memset(h->cells + (gsize)h->cap * h->days.n_days, 0,
           sizeof(Cell) * (gsize)(cap - h->cap) * h->days.n_days);
    h->last_negative = g_renew(RcTime, h->last_negative, cap);
    for (guint i = h->cap; i < cap; i++)
        h->last_negative[i] = RC_TIME_NONE;
    h->cap = cap;
    h->n = idx + 1;
}

/* The cell of sample S; *EXACT is FALSE when its reported time lies more
 * than 68 years from the range and was clamped. */
static Cell cell_pack(const RcHistory *h, const RcSampleKey *s, gboolean *exact)
{
    Cell c;
    guint32 sod = CELL_SOD_NONE;
    if (s->sampled_at != RC_TIME_NONE) {
        RcTime d = s->sampled_at - h->days.first;
        sod = (guint32)(((d % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS);
    }
    c.a = ((guint32)(s->state + 1) << 24) | sod;
    RcTime r = s->reported_at;
    *exact = TRUE;
    if (r == RC_TIME_NONE)
        c.b = G_MININT32;
    else {
        RcTime d = r - h->days.first;
        c.b = (gint32)CLAMP(d, (RcTime)G_MININT32 + 1, (RcTime)G_MAXINT32);
        *exact = c.b == d;
    }
    return c;
}

static RcSampleKey cell_unpack(const RcHistory *h, int day, Cell c)
{
    RcSampleKey k;
    k.state = (RcState)((int)(c.a >> 24) - 1);
    guint32 sod = c.a & CELL_SOD_MASK;
    k.sampled_at = sod == CELL_SOD_NONE ? RC_TIME_NONE : h->days.first + (RcTime)day * DAY_SECONDS + sod;
    k.reported_at = c.b == G_MININT32 ? RC_TIME_NONE : h->days.first + c.b;
    return k;
}

/* A fingerprint of sample S of resident IDX: the same resident, times and
 * result give the same number. The state is its low three bits, exactly:
 * two samples of different results never share one, so a collision of the
 * other 61 bits can only count a sample of the same result twice, and it
 * counts only (the deciding sample never depends on the set). Never 0. */
static guint64 fingerprint(guint idx, const RcSampleKey *s)
{
    guint64 h = rc_mix64(idx + 0x9E3779B97F4A7C15ull);
    h = rc_mix64(h ^ (guint64)s->sampled_at);
    h = rc_mix64(h ^ (guint64)s->reported_at);
    return (h & ~(guint64)7) | (guint64)(s->state + 1);
}

gboolean rc_history_apply(RcHistory *h, guint idx, int day, const RcSampleKey *s)
{
    g_return_val_if_fail(day >= 0 && (guint)day < h->days.n_days, FALSE);
    grow(h, idx);
    if (s->state == RC_STATE_NEGATIVE) {
        RcTime t = s->sampled_at != RC_TIME_NONE ? s->sampled_at : s->reported_at;
        if (t != RC_TIME_NONE && (h->last_negative[idx] == RC_TIME_NONE || t > h->last_negative[idx]))
            h->last_negative[idx] = t;
    }
    Cell *c = &h->cells[(gsize)idx * h->days.n_days + (guint)day];
    gboolean exact;
    Cell mine = cell_pack(h, s, &exact);
    if (c->a == 0) {
        /* the day's first sample: the cell holds it, unless it cannot */
        *c = mine;
        if (!exact) {
            c->a |= CELL_REMEMBERED;
            rc_u64set_add(&h->seen, fingerprint(idx, s));
        }
        return TRUE;
    }
    gboolean fresh;
    if (!(c->a & CELL_REMEMBERED)) {
        /* the day held one sample only, exactly: S is it again, or the
         * day's second; from now on every sample of the day is remembered */
        if (exact && mine.a == c->a && mine.b == c->b)
            return FALSE;
        RcSampleKey held = cell_unpack(h, day, *c);
        rc_u64set_add(&h->seen, fingerprint(idx, &held));
        c->a |= CELL_REMEMBERED;
    }
    fresh = rc_u64set_add(&h->seen, fingerprint(idx, s));
    RcSampleKey held = cell_unpack(h, day, *c);
    if (rc_sample_cmp(s, &held) > 0)
        *c = (Cell){mine.a | CELL_REMEMBERED, mine.b};
    return fresh;
}

void rc_history_seal(RcHistory *h)
{
    rc_u64set_destroy(&h->seen);
}

RcState rc_history_state(const RcHistory *h, guint idx, guint day, gboolean exempt)
{
    if (idx < h->n && day < h->days.n_days) {
        Cell c = h->cells[(gsize)idx * h->days.n_days + day];
        if (c.a)
            return (RcState)((int)(c.a >> 24) - 1);
    }
    return exempt ? RC_STATE_EXEMPT : RC_STATE_MISSING;
}

void rc_history_summary(const RcHistory *h, guint idx, gboolean exempt, RcHistorySummary *out)
{
    out->last_negative = idx < h->n ? h->last_negative[idx] : RC_TIME_NONE;
    out->missed_in_a_row = 0;
    out->days_tested = 0;
    gboolean run = TRUE;
    for (guint d = h->days.n_days; d-- > 0;) {
        gboolean tested = idx < h->n && h->cells[(gsize)idx * h->days.n_days + d].a != 0;
        if (tested) {
            out->days_tested++;
            run = FALSE;
        } else if (run && !exempt) {
            /* an exempt day neither counts nor breaks the run */
            out->missed_in_a_row++;
        }
    }
}

double rc_history_hours_since(RcTime last_negative, RcTime now)
{
    return (double)(now - last_negative) / 3600.0;
}

gboolean rc_history_overdue(RcState state, gboolean exempt, RcTime last_negative, RcTime now, guint hours)
{
    if (exempt || state == RC_STATE_POSITIVE || state == RC_STATE_EXEMPT)
        return FALSE;
    return last_negative == RC_TIME_NONE || now - last_negative > (RcTime)hours * 3600;
}

/* report: output order, counts per building, display cells. */
#include "report.h"
#include "codes.h"
#include "merge.h"
#include "place.h"

#include <stdlib.h>
#include <string.h>

static const char *const fixed_columns[RC_COL_FIXED] = {
    "building", "unit",       "room",  "name",  "id",     "phone",  "state",
    "result",   "sampled_at", "match", "flags", "status", "source",
};

int rc_natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (g_ascii_isdigit(*a) && g_ascii_isdigit(*b)) {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            gsize na = 0, nb = 0;
            while (g_ascii_isdigit(a[na]))
                na++;
            while (g_ascii_isdigit(b[nb]))
                nb++;
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = memcmp(a, b, na);
            if (c)
                return c;
            a += na;
            b += nb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* Natural order with the empty value last ("no building" after the rest). */
static int place_cmp(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    if (!*a || !*b)
        return (*a ? 0 : 1) - (*b ? 0 : 1);
    int c = rc_natural_cmp(a, b);
    return c ? c : strcmp(a, b);
}

/* Natural order of two text numbers of merge M: place_cmp on their texts. */
static gint text_cmp(gconstpointer pa, gconstpointer pb, gpointer m)
{
    const char *a = rc_merge_text(m, *(const guint32 *)pa), *b = rc_merge_text(m, *(const guint32 *)pb);
    return place_cmp(&a, &b);
}

/* A building or unit to sort: its text and its key (rc_place_key). */
typedef struct {
    guint32 id;
    const char *text, *key;
} Keyed;

/* Buildings and units: natural order of their keys (DESIGN.md section 2,
 * Places: 一号楼 is 1, before 2号楼), then place_cmp on their texts. */
static gint keyed_cmp(gconstpointer pa, gconstpointer pb)
{
    const Keyed *a = pa, *b = pb;
    int c = *a->text && *b->text ? place_cmp(&a->key, &b->key) : 0;
    return c ? c : place_cmp(&a->text, &b->text);
}

/* VALS (text numbers of M) sorted by keyed_cmp, each key made once. */
static void sort_keyed(const RcMerge *m, GArray *vals, RcPlaceKind kind)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    Keyed *k = g_new(Keyed, MAX(vals->len, 1));
    GStringChunk *keys = g_string_chunk_new(4096);
    for (guint i = 0; i < vals->len; i++) {
        k[i].id = g_array_index(vals, guint32, i);
        k[i].text = rc_merge_text(m, k[i].id);
        if (!rc_place_key(k[i].text, strlen(k[i].text), kind, buf))
            g_string_assign(buf, k[i].text);
        k[i].key = g_string_chunk_insert(keys, buf->str);
    }
    if (vals->len > 1)
        qsort(k, vals->len, sizeof *k, keyed_cmp);
    for (guint i = 0; i < vals->len; i++)
        g_array_index(vals, guint32, i) = k[i].id;
    g_string_chunk_free(keys);
    g_free(k);
}

/* The rank of each text number used by one place field of the residents
 * (at OFFSET), in natural order (of their keys when KEYED), "" last. Owned:
 * g_free(). */
static guint32 *rank_values(const RcMerge *m, const RcResident *res, guint n, gsize offset, gboolean keyed,
                            RcPlaceKind kind)
{
    guint32 n_texts = rc_merge_n_texts(m);
    guint8 *used = g_new0(guint8, n_texts);
    g_autoptr(GArray) vals = g_array_new(FALSE, FALSE, sizeof(guint32));
    for (guint i = 0; i < n; i++) {
        guint32 v = *(const guint32 *)((const char *)&res[i] + offset);
        if (!used[v]) {
            used[v] = 1;
            g_array_append_val(vals, v);
        }
    }
    g_free(used);
    /* Each text has one number: the ranks are the sorted positions. */
    if (keyed)
        sort_keyed(m, vals, kind);
    else
        g_array_sort_with_data(vals, text_cmp, (gpointer)m);
    guint32 *rank = g_new0(guint32, n_texts);
    for (guint i = 0; i < vals->len; i++)
        rank[g_array_index(vals, guint32, i)] = i;
    return rank;
}

typedef struct {
    guint32 b, u, r, idx;
} SortKey;

static int key_cmp(const void *pa, const void *pb)
{
    const SortKey *a = pa, *b = pb;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    if (a->u != b->u)
        return a->u < b->u ? -1 : 1;
    if (a->r != b->r)
        return a->r < b->r ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void count_into(RcBuildingCount *c, const RcResident *r)
{
    c->residents++;
    c->states[r->state]++;
    if (r->state != RC_STATE_MISSING && r->state != RC_STATE_EXEMPT)
        c->tested++;
}

static void finish_count(RcBuildingCount *c)
{
    guint64 due = c->residents - c->states[RC_STATE_EXEMPT];
    c->coverage = due ? (double)c->tested / (double)due : 1.0;
}

static const char *const history_names[RC_HCOL_COUNT] = {
    "last_negative", "hours_since_negative", "missed_in_a_row", "days_tested", "overdue",
};

/* DESIGN.md section 6: the columns of a history, and the states per day. */
static void history_columns(RcReport *r)
{
    r->history = rc_merge_history(r->merge);
    if (!r->history)
        return;
    const RcDays *days = rc_history_days(r->history);
    guint after = r->opts.valid_hours ? RC_HCOL_COUNT : RC_HCOL_OVERDUE;
    r->n_history_columns = days->n_days + after;
    r->history_columns = g_new0(char *, r->n_history_columns + 1);
    for (guint d = 0; d < days->n_days; d++) {
        char date[32];
        rc_time_format(days->first + (RcTime)d * 86400, FALSE, date);
        date[10] = '\0';
        r->history_columns[d] = g_strdup_printf("day:%s", date);
    }
    for (guint k = 0; k < after; k++)
        r->history_columns[days->n_days + k] = g_strdup(history_names[k]);
    r->day_states = g_new0(guint64, (gsize)days->n_days * RC_STATE_COUNT);
    r->day_coverage = g_new0(double, (gsize)(r->n_buildings + 1) * days->n_days);
    /* the order holds each building's residents together, buildings in order */
    g_autofree RcBuildingCount *day = g_new0(RcBuildingCount, days->n_days);
    guint i = 0;
    for (guint b = 0; b <= r->n_buildings; b++) {
        guint end = b < r->n_buildings ? i + (guint)r->buildings[b].residents : r->n_residents;
        memset(day, 0, sizeof *day * days->n_days);
        for (guint k = b < r->n_buildings ? i : 0; k < end; k++) {
            const RcResident *res = &r->residents[r->order[k]];
            for (guint d = 0; d < days->n_days; d++) {
                RcState st = rc_report_day_state(r, res, d);
                if (b == r->n_buildings)
                    r->day_states[(gsize)d * RC_STATE_COUNT + st]++;
                day[d].residents++;
                day[d].states[st]++;
                day[d].tested += st != RC_STATE_MISSING && st != RC_STATE_EXEMPT;
            }
        }
        for (guint d = 0; d < days->n_days; d++) {
            finish_count(&day[d]);
            r->day_coverage[(gsize)b * days->n_days + d] = day[d].coverage;
        }
        if (b < r->n_buildings)
            i = end;
    }
}

double rc_report_building_day_coverage(const RcReport *r, guint b, guint day)
{
    return r->day_coverage[(gsize)b * rc_history_days(r->history)->n_days + day];
}

RcState rc_report_day_state(const RcReport *r, const RcResident *res, guint day)
{
    return rc_history_state(r->history, (guint)(res - r->residents), day, (res->flags & RC_RES_EXEMPT) != 0);
}

double rc_report_day_coverage(const RcReport *r, guint day, const guint64 **states, guint64 *tested)
{
    RcBuildingCount c = {"", r->n_residents, {0}, 0, 0};
    memcpy(c.states, r->day_states + (gsize)day * RC_STATE_COUNT, sizeof c.states);
    c.tested = r->n_residents - c.states[RC_STATE_MISSING] - c.states[RC_STATE_EXEMPT];
    finish_count(&c);
    *states = r->day_states + (gsize)day * RC_STATE_COUNT;
    *tested = c.tested;
    return c.coverage;
}

gboolean rc_report_overdue(const RcReport *r, const RcResident *res)
{
    if (!r->history || !r->opts.valid_hours)
        return FALSE;
    RcHistorySummary sum;
    gboolean exempt = (res->flags & RC_RES_EXEMPT) != 0;
    rc_history_summary(r->history, (guint)(res - r->residents), exempt, &sum);
    return rc_history_overdue((RcState)res->state, exempt, sum.last_negative, r->opts.history_now,
                              r->opts.valid_hours);
}

const char *rc_report_history_cell(const RcReport *r, const RcResident *res, guint k, GString *scratch)
{
    const RcDays *days = rc_history_days(r->history);
    if (k < days->n_days)
        return rc_state_name(rc_report_day_state(r, res, k));
    RcHistorySummary sum;
    rc_history_summary(r->history, (guint)(res - r->residents), (res->flags & RC_RES_EXEMPT) != 0, &sum);
    switch (k - days->n_days) {
    case RC_HCOL_LAST_NEGATIVE:
        if (sum.last_negative == RC_TIME_NONE)
            return "";
        g_string_set_size(scratch, 32);
        return rc_time_format(sum.last_negative, FALSE, scratch->str);
    case RC_HCOL_HOURS_SINCE_NEGATIVE:
        if (sum.last_negative == RC_TIME_NONE)
            return "";
        g_string_set_size(scratch, G_ASCII_DTOSTR_BUF_SIZE);
        /* the C locale's decimal point, whatever the user's */
        return g_ascii_formatd(scratch->str, G_ASCII_DTOSTR_BUF_SIZE, "%.2f",
                               rc_history_hours_since(sum.last_negative, r->opts.history_now));
    case RC_HCOL_MISSED_IN_A_ROW:
        g_string_printf(scratch, "%u", sum.missed_in_a_row);
        return scratch->str;
    case RC_HCOL_DAYS_TESTED:
        g_string_printf(scratch, "%u", sum.days_tested);
        return scratch->str;
    case RC_HCOL_OVERDUE:
        return rc_report_overdue(r, res) ? "true" : "false";
    default:
        return "";
    }
}

static const char *const household_names[RC_HOUSEHOLD_COUNT] = {"all", "partly", "none", "exempt"};

const char *rc_household_state_name(RcHouseholdState s)
{
    return (s >= 0 && s < RC_HOUSEHOLD_COUNT) ? household_names[s] : "";
}

/* A household's state from its residents' (DESIGN.md section 7). */
static RcHouseholdState household_of(guint n, guint exempt, guint tested)
{
    return exempt == n            ? RC_HOUSEHOLD_EXEMPT
           : tested == 0          ? RC_HOUSEHOLD_NONE
           : tested + exempt == n ? RC_HOUSEHOLD_ALL
                                  : RC_HOUSEHOLD_PARTLY;
}

/* DESIGN.md section 1: a household is the roster's (rc_roster_household:
 * the household column within the building when there is one, else the
 * same building, unit and room; 0 a resident alone). Its members need not
 * be together in the order (户号 H1 in rooms 101 and 102, H2 in 101): each
 * household is counted once, in its building. */
static void household_states(RcReport *r)
{
    r->household_state = g_new0(guint8, MAX(r->n_residents, 1));
    r->households = g_new0(RcHouseholdCounts, r->n_buildings + 1);
    guint32 nh = 0;
    for (guint i = 0; i < r->n_residents; i++)
        nh = MAX(nh, r->residents[i].household);
    /* per household: residents, exempt, tested, its building + 1 */
    typedef struct {
        guint32 v[4];
    } Agg;
    Agg *agg = g_new0(Agg, (gsize)nh + 1);
    guint b = 0, in_b = 0;
    for (guint k = 0; k < r->n_residents; k++) {
        while (b < r->n_buildings && in_b >= r->buildings[b].residents) {
            b++;
            in_b = 0;
        }
        in_b++;
        const RcResident *res = &r->residents[r->order[k]];
        RcState st = (RcState)res->state;
        gboolean exempt = st == RC_STATE_EXEMPT, tested = !exempt && st != RC_STATE_MISSING;
        if (!res->household) {
            RcHouseholdState hs = household_of(1, exempt, tested);
            r->household_state[r->order[k]] = (guint8)hs;
            r->households[MIN(b, r->n_buildings)][hs]++;
            r->households[r->n_buildings][hs]++;
            continue;
        }
        guint32 *h = agg[res->household].v;
        h[0]++;
        h[1] += exempt;
        h[2] += tested;
        if (!h[3])
            h[3] = MIN(b, r->n_buildings) + 1;
    }
    for (guint32 h = 1; h <= nh; h++) {
        guint32 *v = agg[h].v;
        if (!v[0])
            continue;
        RcHouseholdState hs = household_of(v[0], v[1], v[2]);
        r->households[v[3] - 1][hs]++;
        r->households[r->n_buildings][hs]++;
        v[0] = hs; /* the state, for the residents below */
    }
    for (guint i = 0; i < r->n_residents; i++)
        if (r->residents[i].household)
            r->household_state[i] = (guint8)agg[r->residents[i].household].v[0];
    g_free(agg);
}

const char *rc_report_status(const RcReport *r, const RcResident *res)
{
    return rc_merge_text(r->merge, res->status);
}

RcHouseholdState rc_report_household(const RcReport *r, const RcResident *res)
{
    return (RcHouseholdState)r->household_state[res - r->residents];
}

static gboolean floor_of(const RcReport *r, const RcResident *res, RcFloor *f)
{
    const char *room = rc_merge_text(r->merge, res->room);
    return rc_place_floor(room, strlen(room), f);
}

const char *rc_report_floor(const RcReport *r, const RcResident *res, GString *out)
{
    RcFloor f;
    if (!floor_of(r, res, &f))
        g_string_assign(out, "");
    else if (f.floor < 0)
        g_string_printf(out, "B%d", -f.floor);
    else
        g_string_printf(out, "%d", f.floor);
    return out->str;
}

typedef struct {
    guint32 idx; /* roster index */
    guint32 pos; /* position in the report's order */
    int floor;   /* G_MAXINT: none */
} DoorKey;

static int door_cmp(const void *a, const void *b)
{
    const DoorKey *x = a, *y = b;
    if (x->floor != y->floor)
        return x->floor < y->floor ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

guint32 *rc_report_door_list(const RcReport *r, guint lo, guint hi, guint *n)
{
    GArray *keys = g_array_new(FALSE, FALSE, sizeof(DoorKey));
    guint32 *out = g_new(guint32, MAX(hi - MIN(lo, hi), 1));
    *n = 0;
    for (guint i = lo; i <= hi; i++) {
        const RcResident *res = i < hi ? &r->residents[r->order[i]] : NULL;
        const DoorKey *last = keys->len ? &g_array_index(keys, DoorKey, keys->len - 1) : NULL;
        /* a building and unit ends: its rows sorted by floor, in order */
        if (last && (!res || res->building != r->residents[last->idx].building ||
                     res->unit != r->residents[last->idx].unit)) {
            g_array_sort(keys, door_cmp);
            for (guint k = 0; k < keys->len; k++)
                out[(*n)++] = g_array_index(keys, DoorKey, k).idx;
            g_array_set_size(keys, 0);
        }
        if (!res || !(res->state == RC_STATE_MISSING || rc_report_overdue(r, res)))
            continue;
        RcFloor f;
        DoorKey k = {r->order[i], i, floor_of(r, res, &f) ? f.floor : G_MAXINT};
        g_array_append_val(keys, k);
    }
    g_array_unref(keys);
    return out;
}

/* S masked (rc_norm_mask_numbers), or NULL when masking changes nothing. */
static char *masked_or_null(const char *s, GString *buf)
{
    if (!s)
        return NULL;
    rc_norm_mask_numbers(s, strlen(s), buf);
    return strcmp(buf->str, s) ? g_strdup(buf->str) : NULL;
}

static char *masked_dup(const char *s, GString *buf)
{
    char *m = masked_or_null(s, buf);
    return m ? m : g_strdup(s);
}

/* --mask (issue 13 item 7): a building, unit or room, an extra column's
 * name or an input's name (a sheet's name among them) may hold an id or a
 * phone as well as any cell; everything made of them (titles, file names
 * of --split-by and --notice, the summary's buildings) shows these. */
static void mask_texts(RcReport *r)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    r->n_masked_text = rc_merge_n_texts(r->merge);
    r->masked_text = g_new0(char *, MAX(r->n_masked_text, 1));
    for (guint32 i = 0; i < r->n_masked_text; i++)
        r->masked_text[i] = masked_or_null(rc_merge_text(r->merge, i), buf);
    guint n_extra;
    const char *const *extra = rc_merge_extra_columns(r->merge, &n_extra);
    r->masked_columns = g_new0(char *, n_extra + 1);
    for (guint i = 0; i < n_extra; i++)
        r->masked_columns[i] = masked_dup(extra[i], buf);
    guint n_in;
    const RcInput *in = rc_merge_inputs(r->merge, &n_in);
    r->masked_inputs = g_new0(RcInput, MAX(n_in, 1));
    for (guint f = 0; f < n_in; f++) {
        RcInput *o = &r->masked_inputs[f];
        *o = in[f];
        o->path = masked_dup(in[f].path, buf);
        o->name = masked_dup(in[f].name, buf);
        o->encoding = in[f].encoding;
        if (in[f].extras) {
            guint k = g_strv_length(in[f].extras);
            o->extras = g_new0(char *, k + 1);
            for (guint j = 0; j < k; j++)
                o->extras[j] = masked_dup(in[f].extras[j], buf);
        }
    }
}

RcReport *rc_report_new(RcMerge *m, const RcReportOptions *opts)
{
    static gint serials;
    RcReport *r = g_new0(RcReport, 1);
    r->serial = (guint)g_atomic_int_add(&serials, 1) + 1;
    r->merge = m;
    r->opts = *opts;
    r->opts.threads = opts->threads == 1 ? 1 : 2;
    r->residents = rc_merge_residents(m, &r->n_residents);
    guint n = r->n_residents;
    if (r->opts.mask)
        mask_texts(r);

    guint32 *rb =
        rank_values(m, r->residents, n, G_STRUCT_OFFSET(RcResident, building), TRUE, RC_PLACE_BUILDING);
    guint32 *ru = rank_values(m, r->residents, n, G_STRUCT_OFFSET(RcResident, unit), TRUE, RC_PLACE_UNIT);
    guint32 *rr =
        rank_values(m, r->residents, n, G_STRUCT_OFFSET(RcResident, room), FALSE, RC_PLACE_BUILDING);
    SortKey *keys = g_new(SortKey, MAX(n, 1));
    guint n_b = 0;
    for (guint i = 0; i < n; i++) {
        const RcResident *res = &r->residents[i];
        keys[i].b = rb[res->building];
        keys[i].u = ru[res->unit];
        keys[i].r = rr[res->room];
        keys[i].idx = i;
        n_b = MAX(n_b, keys[i].b + 1);
    }
    if (n > 1)
        qsort(keys, n, sizeof *keys, key_cmp);
    r->order = g_new(guint32, MAX(n, 1));
    r->buildings = g_new0(RcBuildingCount, MAX(n_b, 1));
    for (guint i = 0; i < n; i++) {
        const RcResident *res = &r->residents[keys[i].idx];
        r->order[i] = keys[i].idx;
        RcBuildingCount *c = &r->buildings[keys[i].b];
        c->building = rc_report_text(r, res->building);
        count_into(c, res);
        count_into(&r->total, res);
    }
    r->n_buildings = n_b;
    for (guint i = 0; i < n_b; i++)
        finish_count(&r->buildings[i]);
    finish_count(&r->total);
    r->total.building = "";
    g_free(keys);
    g_free(rb);
    g_free(ru);
    g_free(rr);

    guint n_extra;
    const char *const *extra = rc_merge_extra_columns(m, &n_extra);
    r->n_columns = RC_COL_FIXED + n_extra;
    const char **cols = g_new0(const char *, r->n_columns + 1);
    for (guint i = 0; i < RC_COL_FIXED; i++)
        cols[i] = fixed_columns[i];
    for (guint i = 0; i < n_extra; i++)
        cols[RC_COL_FIXED + i] = r->masked_columns && r->masked_columns[i] ? r->masked_columns[i] : extra[i];
    r->columns = cols;

    /* Where each union extra column sits in each roster file's extras. */
    guint n_in;
    rc_merge_inputs(m, &n_in);
    r->extra_pos = g_new0(int *, MAX(n_in, 1));
    r->n_inputs = n_in;
    for (guint f = 0; f < n_in; f++) {
        const guint *map = rc_merge_extra_map(m, f);
        if (!map)
            continue;
        const RcInput *in = &rc_merge_inputs(m, &n_in)[f];
        r->extra_pos[f] = g_new(int, MAX(n_extra, 1));
        for (guint u = 0; u < n_extra; u++)
            r->extra_pos[f][u] = -1;
        for (guint k = 0; in->extras && in->extras[k]; k++)
            r->extra_pos[f][map[k]] = (int)k;
    }

    history_columns(r);
    household_states(r);

    GDateTime *dt = g_date_time_new_from_unix_utc(opts->now);
    g_autofree char *iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
    g_strlcpy(r->generated_at, iso, sizeof r->generated_at);
    g_date_time_unref(dt);
    return r;
}

void rc_report_free(RcReport *r)
{
    if (!r)
        return;
    g_free(r->order);
    g_free(r->buildings);
    g_free((gpointer)r->columns);
    for (guint i = 0; i < r->n_masked_text; i++)
        g_free(r->masked_text[i]);
    g_free(r->masked_text);
    g_strfreev(r->masked_columns);
    for (guint f = 0; r->masked_inputs && f < r->n_inputs; f++) {
        g_free(r->masked_inputs[f].path);
        g_free(r->masked_inputs[f].name);
        g_strfreev(r->masked_inputs[f].extras);
    }
    g_free(r->masked_inputs);
    for (guint f = 0; f < r->n_inputs; f++)
        g_free(r->extra_pos[f]);
    g_free(r->extra_pos);
    g_strfreev(r->history_columns);
    g_free(r->day_states);
    g_free(r->day_coverage);
    g_free(r->household_state);
    g_free(r->households);
    g_free(r);
}

/* Counts characters, not bytes: a shifted row puts text ("阴性") in the id
 * or phone column, and half a character would be invalid UTF-8 in every
 * output (a workbook Excel refuses). Values are valid UTF-8 (lib/source). */
static const char *mask_keep(const char *s, gsize head, gsize tail, GString *out)
{
    glong n = g_utf8_strlen(s, -1);
    g_string_truncate(out, 0);
    if (n == 0)
        return out->str;
    if (n <= (glong)(head + tail)) {
        for (glong i = 0; i + 1 < n; i++)
            g_string_append_c(out, '*');
        g_string_append(out, g_utf8_offset_to_pointer(s, n - 1));
        return out->str;
    }
    const char *keep_tail = g_utf8_offset_to_pointer(s, n - (glong)tail);
    g_string_append_len(out, s, g_utf8_offset_to_pointer(s, (glong)head) - s);
    for (glong i = (glong)head; i < n - (glong)tail; i++)
        g_string_append_c(out, '*');
    g_string_append(out, keep_tail);
    return out->str;
}

const char *rc_mask_id(const char *id, GString *out)
{
    return mask_keep(id, 3, 4, out);
}

const char *rc_mask_phone(const char *phone, GString *out)
{
    return mask_keep(phone, 3, 4, out);
}

static void append_flag(GString *g, const char *flag)
{
    if (g->len)
        g_string_append_c(g, ';');
    g_string_append(g, flag);
}

const char *rc_report_cell(const RcReport *r, const RcResident *res, guint col, GString *scratch)
{
    switch (col) {
    case RC_COL_BUILDING:
        return rc_report_text(r, res->building);
    case RC_COL_UNIT:
        return rc_report_text(r, res->unit);
    case RC_COL_ROOM:
        return rc_report_text(r, res->room);
    case RC_COL_NAME:
        return r->opts.mask ? rc_norm_mask_numbers(res->name, strlen(res->name), scratch) : res->name;
    case RC_COL_ID: {
        char buf[RC_RESIDENT_ID_BUF];
        const char *id = rc_resident_id(res, buf);
        if (r->opts.mask)
            return rc_mask_id(id, scratch);
        g_string_assign(scratch, id);
        return scratch->str;
    }
    case RC_COL_PHONE:
        return r->opts.mask ? rc_mask_phone(res->phone, scratch) : res->phone;
    case RC_COL_STATE:
        return rc_state_name((RcState)res->state);
    case RC_COL_RESULT:
        return rc_report_text(r, res->result_raw);
    case RC_COL_SAMPLED_AT:
        if (res->sampled_at == RC_TIME_NONE)
            return "";
        g_string_set_size(scratch, 32);
        return rc_time_format(res->sampled_at, FALSE, scratch->str);
    case RC_COL_MATCH:
        return rc_match_name((RcMatch)res->match);
    case RC_COL_FLAGS: {
        /* codes.h's table, in its order; id-mangled carries ":RAW" */
        g_string_truncate(scratch, 0);
        for (int k = 0; k < RC_FLAG_COUNT; k++) {
            const RcFlagInfo *fl = rc_flag((RcFlag)k);
            if (!((fl->id_bit ? res->id_flags : res->flags) & fl->bit))
                continue;
            append_flag(scratch, fl->name);
            if (k == RC_FLAG_ID_MANGLED) {
                g_autoptr(GString) m = g_string_new(NULL);
                g_string_append_c(scratch, ':');
                g_string_append(scratch, r->opts.mask ? rc_mask_id(rc_resident_id_raw(res), m)
                                                      : rc_resident_id_raw(res));
            }
        }
        return scratch->str;
    }
    case RC_COL_STATUS: {
        const char *status = rc_report_status(r, res);
        return r->opts.mask ? rc_norm_mask_numbers(status, strlen(status), scratch) : status;
    }
    case RC_COL_SOURCE: {
        guint n;
        const RcInput *in = rc_report_inputs(r, &n);
        char digits[16];
        int k = (int)sizeof digits;
        guint32 v = res->line;
        do
            digits[--k] = (char)('0' + v % 10);
        while ((v /= 10) && k > 0);
        g_string_assign(scratch, in[res->file].name);
        g_string_append_c(scratch, ':');
        g_string_append_len(scratch, digits + k, (gssize)sizeof digits - k);
        return scratch->str;
    }
    default: {
        guint u = col - RC_COL_FIXED;
        if (col < RC_COL_FIXED || col >= r->n_columns || !r->extra_pos[res->file])
            return "";
        int k = r->extra_pos[res->file][u];
        if (k < 0)
            return "";
        /* The writers ask for a resident's extras in column order: the next
         * one is found from where this thread found the last, not by
         * walking K separators from the start each time (a roster with
         * 40,000 extra columns: issue 13 item 11). */
        static _Thread_local struct {
            guint serial;
            const RcResident *res;
            const char *extras, *p;
            int k;
        } last;
        const char *p = res->extras;
        int i = 0;
        if (last.serial == r->serial && last.res == res && last.extras == res->extras && last.k <= k) {
            p = last.p;
            i = last.k;
        }
        for (; i < k && p; i++) {
            p = strchr(p, '\x1f');
            if (p)
                p++;
        }
        if (!p)
            return "";
        last.serial = r->serial;
        last.res = res;
        last.extras = res->extras;
        last.p = p;
        last.k = k;
        const char *end = strchr(p, '\x1f');
        gsize len = end ? (gsize)(end - p) : strlen(p);
        if (r->opts.mask) /* a roster's other columns may hold phones and ids too */
            return rc_norm_mask_numbers(p, len, scratch);
        g_string_assign(scratch, "");
        g_string_append_len(scratch, p, (gssize)len);
        return scratch->str;
    }
    }
}

static void replace_all(GString *g, const char *what, const char *with)
{
    gsize wl = strlen(what);
    if (!wl)
        return;
    gsize at = 0;
    char *hit;
    while ((hit = strstr(g->str + at, what)) != NULL) {
        gsize pos = (gsize)(hit - g->str);
        g_string_erase(g, (gssize)pos, (gssize)wl);
        g_string_insert(g, (gssize)pos, with);
        at = pos + strlen(with);
    }
}

RcSpoolText *rc_spool_text_new(void)
{
    RcSpoolText *t = g_new(RcSpoolText, 1);
    t->id = g_string_new(NULL);
    t->phone = g_string_new(NULL);
    t->raw = g_string_new(NULL);
    t->reason = g_string_new(NULL);
    return t;
}

void rc_spool_text_free(RcSpoolText *t)
{
    if (!t)
        return;
    g_string_free(t->id, TRUE);
    g_string_free(t->phone, TRUE);
    g_string_free(t->raw, TRUE);
    g_string_free(t->reason, TRUE);
    g_free(t);
}

/* --mask on a spooled row (rc_report_spool_row). */
static void spool_mask(const char *fields[RC_SPOOL_FIELDS], GString *id, GString *phone, GString *raw)
{
    g_autoptr(GString) whole = g_string_new(fields[RC_SPOOL_RAW]);
    g_autoptr(GString) one = g_string_new(NULL);
    rc_mask_id(fields[RC_SPOOL_ID], id);
    rc_mask_phone(fields[RC_SPOOL_PHONE], phone);
    replace_all(whole, fields[RC_SPOOL_ID], id->str);
    replace_all(whole, fields[RC_SPOOL_PHONE], phone->str);
    fields[RC_SPOOL_ID] = id->str;
    fields[RC_SPOOL_PHONE] = phone->str;
    /* A rejected row may hold an id or a phone in any column (a shifted
     * row, a result cell holding an id): its free text is masked by
     * content too, each value NUL-terminated in RAW, pointed at after. */
    static const int text[] = {RC_SPOOL_RAW, RC_SPOOL_REASON, RC_SPOOL_NAME, RC_SPOOL_RESULT,
                               RC_SPOOL_SAMPLED_AT};
    gsize at[G_N_ELEMENTS(text)];
    g_string_truncate(raw, 0);
    for (gsize k = 0; k < G_N_ELEMENTS(text); k++) {
        const char *v = k == 0 ? whole->str : fields[text[k]];
        rc_norm_mask_numbers(v, strlen(v), one);
        at[k] = raw->len;
        g_string_append_len(raw, one->str, (gssize)one->len + 1);
    }
    for (gsize k = 0; k < G_N_ELEMENTS(text); k++)
        fields[text[k]] = raw->str + at[k];
}

void rc_report_spool_row(const RcReport *r, gboolean zh, const char *fields[RC_SPOOL_FIELDS], RcSpoolText *t)
{
    if (r->opts.mask)
        spool_mask(fields, t->id, t->phone, t->raw);
    fields[RC_SPOOL_REASON] = rc_reason_render(zh, fields[RC_SPOOL_REASON], t->reason);
}

gboolean rc_report_has_tubes(const RcReport *r)
{
    return rc_spool_rows(rc_merge_tubes(r->merge)) > 0;
}

/* Tubes in natural order; a tube's applied rows by place, then roster
 * order; then its other rows by source. */
static int tube_row_cmp(const void *pa, const void *pb, void *data)
{
    const RcTubeRow *a = pa, *b = pb;
    const RcReport *r = data;
    int c = rc_natural_cmp(a->tube, b->tube);
    if (c)
        return c;
    if ((a->resident < 0) != (b->resident < 0))
        return a->resident < 0 ? 1 : -1;
    if (a->resident >= 0) {
        const RcResident *x = &r->residents[a->resident], *y = &r->residents[b->resident];
        const guint32 px[3] = {x->building, x->unit, x->room}, py[3] = {y->building, y->unit, y->room};
        for (int k = 0; k < 3; k++) {
            const char *s = rc_merge_text(r->merge, px[k]), *t = rc_merge_text(r->merge, py[k]);
            if ((c = place_cmp(&s, &t)) != 0)
                return c;
        }
        if (a->resident != b->resident)
            return a->resident < b->resident ? -1 : 1;
    }
    c = rc_natural_cmp(a->source, b->source);
    return c ? c : strcmp(a->source, b->source);
}

RcTubeList *rc_report_tubes(const RcReport *r, const char *building, GError **error)
{
    RcTubeList *t = g_new0(RcTubeList, 1);
    t->text = g_string_chunk_new(4096);
    GArray *rows = g_array_new(FALSE, FALSE, sizeof(RcTubeRow));
    g_autoptr(RcSpoolReader) rd = rc_spool_reader_new(rc_merge_tubes(r->merge));
    g_autoptr(GString) src = g_string_new(NULL);
    const char *f[RC_SPOOL_FIELDS];
    while (rc_spool_reader_next(rd, f, error)) {
        RcState hot = rc_merge_tube_hot(r->merge, f[RC_TUBE_CODE]);
        if (hot == RC_STATE_UNKNOWN)
            continue;
        guint64 who = g_ascii_strtoull(f[RC_TUBE_RESIDENT], NULL, 10);
        if (who > r->n_residents)
            who = 0;
        if (building && (!who || strcmp(rc_report_text(r, r->residents[who - 1].building), building) != 0))
            continue;
        g_string_printf(src, "%s:%s", f[RC_SPOOL_FILE], f[RC_SPOOL_LINE]);
        RcTubeRow row = {
            .tube = g_string_chunk_insert_const(t->text, f[RC_TUBE_CODE]),
            .tube_state = hot,
            .state = *f[RC_TUBE_STATE] ? rc_state_from_name(f[RC_TUBE_STATE]) : RC_STATE_UNKNOWN,
            .resident = (gint64)who - 1,
            .source = g_string_chunk_insert(t->text, src->str),
            .name = g_string_chunk_insert(t->text, f[RC_SPOOL_NAME]),
            .phone = g_string_chunk_insert(t->text, f[RC_SPOOL_PHONE]),
            .reason = g_string_chunk_insert_const(t->text, f[RC_SPOOL_REASON]),
        };
        g_array_append_val(rows, row);
    }
    g_array_sort_with_data(rows, (GCompareDataFunc)tube_row_cmp, (gpointer)r);
    for (guint i = 0; i < rows->len; i++)
        if (i == 0 ||
            strcmp(g_array_index(rows, RcTubeRow, i).tube, g_array_index(rows, RcTubeRow, i - 1).tube) != 0)
            t->n_tubes++;
    t->n = rows->len;
    t->rows = (RcTubeRow *)(void *)g_array_free(rows, FALSE);
    return t;
}

const char *const rc_report_tube_columns[RC_TCOL_COUNT] = {
    "tube", "result", "building", "unit", "room", "name", "phone", "state", "status", "source", "reason",
};

const char *rc_report_tube_cell(const RcReport *r, const RcTubeRow *row, RcTubeColumn col, gboolean zh,
                                GString *scratch)
{
    static const RcColumn place[] = {[RC_TCOL_BUILDING] = RC_COL_BUILDING, [RC_TCOL_UNIT] = RC_COL_UNIT,
                                     [RC_TCOL_ROOM] = RC_COL_ROOM,         [RC_TCOL_NAME] = RC_COL_NAME,
                                     [RC_TCOL_PHONE] = RC_COL_PHONE,       [RC_TCOL_STATUS] = RC_COL_STATUS};
    const RcResident *res = row->resident >= 0 ? &r->residents[row->resident] : NULL;
    switch (col) {
    case RC_TCOL_TUBE:
        return row->tube;
    case RC_TCOL_RESULT:
        return row->state == RC_STATE_UNKNOWN ? "" : rc_state_name(row->state);
    case RC_TCOL_BUILDING:
    case RC_TCOL_UNIT:
    case RC_TCOL_ROOM:
        return res ? rc_report_cell(r, res, place[col], scratch) : "";
    case RC_TCOL_NAME:
    case RC_TCOL_PHONE:
        if (res)
            return rc_report_cell(r, res, place[col], scratch);
        if (!r->opts.mask)
            return col == RC_TCOL_NAME ? row->name : row->phone;
        return col == RC_TCOL_NAME ? rc_norm_mask_numbers(row->name, strlen(row->name), scratch)
                                   : rc_mask_phone(row->phone, scratch);
    case RC_TCOL_STATE:
        return res ? rc_state_name((RcState)res->state) : "";
    case RC_TCOL_STATUS:
        return res ? rc_report_cell(r, res, place[col], scratch) : "";
    case RC_TCOL_SOURCE:
        return row->source;
    case RC_TCOL_REASON: {
        if (!*row->reason)
            return "";
        g_autoptr(GString) said = g_string_new(NULL);
        rc_reason_render(zh, row->reason, said);
        return r->opts.mask ? rc_norm_mask_numbers(said->str, said->len, scratch)
                            : (g_string_assign(scratch, said->str), scratch->str);
    }
    default:
        return "";
    }
}

void rc_tube_list_free(RcTubeList *t)
{
    if (!t)
        return;
    g_free(t->rows);
    g_string_chunk_free(t->text);
    g_free(t);
}

guint rc_report_n_warnings(const RcReport *r)
{
    guint n;
    rc_warnings_get(rc_merge_warning_list(r->merge), &n);
    return n;
}

RcWarnCode rc_report_warning(const RcReport *r, guint i, gboolean zh, GString *file, GString *text)
{
    guint n;
    const RcWarning *w = &rc_warnings_get(rc_merge_warning_list(r->merge), &n)[i];
    g_autofree char *msg = rc_warning_text(w, zh);
    if (r->opts.mask) {
        rc_norm_mask_numbers(w->file, strlen(w->file), file);
        rc_norm_mask_numbers(msg, strlen(msg), text);
    } else {
        g_string_assign(file, w->file);
        g_string_assign(text, msg);
    }
    return w->code;
}

const RcInput *rc_report_inputs(const RcReport *r, guint *n)
{
    const RcInput *in = rc_merge_inputs(r->merge, n);
    return r->masked_inputs ? r->masked_inputs : in;
}

const RcResultCounts *rc_report_result_counts(const RcReport *r)
{
    return rc_merge_result_counts(r->merge);
}

const RcRosterCounts *rc_report_roster_counts(const RcReport *r)
{
    return rc_merge_roster_counts(r->merge);
}

guint64 rc_report_match_count(const RcReport *r, RcMatch match)
{
    return rc_merge_match_count(r->merge, match);
}

const char *rc_report_text(const RcReport *r, guint32 id)
{
    if (id < r->n_masked_text && r->masked_text[id])
        return r->masked_text[id];
    return rc_merge_text(r->merge, id);
}

RcSpool *rc_report_unmatched(const RcReport *r)
{
    return rc_merge_unmatched(r->merge);
}

RcSpool *rc_report_problems(const RcReport *r)
{
    return rc_merge_problems(r->merge);
}

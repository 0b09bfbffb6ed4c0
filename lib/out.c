/* out: CSV, TSV and JSON writers over the report. */
#include "out.h"
#include "place.h"

#include <string.h>

/* A value a spreadsheet would run as a formula when it opens the CSV:
 * one starting with '=', '@', a tab or CR, or with '+' or '-' before
 * something that is not a number ("-cmd|...", "+A1"). Raw results such as
 * "-", "+", "(-)", "(+)" and numbers like "-1" or "+86..." stay as they are. */
static gboolean formula_like(const char *s)
{
    switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
        return TRUE;
    case '+':
    case '-':
        return s[1] != '\0' && !g_ascii_isdigit(s[1]) && s[1] != '.' && s[1] != ' ' && s[1] != '(' &&
               s[1] != ')';
    default:
        return FALSE;
    }
}

/* Appends S as one CSV (SEP ',') or TSV (SEP '\t') value; a formula-like
 * value gets a leading apostrophe, as spreadsheets themselves write text. */
static void csv_cell(GString *g, const char *s, char sep)
{
    gboolean formula = formula_like(s);
    if (sep == '\t') {
        if (formula)
            g_string_append_c(g, '\'');
        gsize at = g->len;
        g_string_append(g, s);
        for (gsize i = at; i < g->len; i++)
            if (g->str[i] == '\t' || g->str[i] == '\n' || g->str[i] == '\r')
                g->str[i] = ' ';
        return;
    }
    if (!strpbrk(s, ",\"\r\n")) {
        if (formula)
            g_string_append_c(g, '\'');
        g_string_append(g, s);
        return;
    }
    g_string_append_c(g, '"');
    if (formula)
        g_string_append_c(g, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            g_string_append_c(g, '"');
        g_string_append_c(g, *p);
    }
    g_string_append_c(g, '"');
}

/* Writes the row built in G and empties it. */
static void flush_row(GString *g, FILE *fp)
{
    g_string_append_c(g, '\n');
    fwrite(g->str, 1, g->len, fp);
    g_string_truncate(g, 0);
}

/* Residents are formatted in chunks by two threads while this one writes
 * the finished chunks in order: formatting is most of a large CSV's cost,
 * and the bytes come out the same as from one thread. At most CHUNKS_AHEAD
 * chunks wait, so memory stays bounded. */
#define CHUNK_ROWS   16384
#define CHUNKS_AHEAD 8

typedef struct {
    const RcReport *r;
    char sep;
    guint only;
    guint from, to; /* positions in r->order */
    GString *out;
    gboolean done;
    GMutex lock;
    GCond cond;
} Chunk;

static void format_rows(const RcReport *r, char sep, guint only, guint from, guint to, GString *out)
{
    g_autoptr(GString) scratch = g_string_new(NULL);
    for (guint i = from; i < to; i++) {
        const RcResident *res = &r->residents[r->order[i]];
        if (only && !(only & RC_STATE_BIT(res->state)))
            continue;
        for (guint c = 0; c < r->n_columns; c++) {
            if (c)
                g_string_append_c(out, sep);
            csv_cell(out, rc_report_cell(r, res, c, scratch), sep);
            /* a history's columns come after the fixed ones, before the extras */
            for (guint k = 0; c + 1 == RC_COL_FIXED && k < r->n_history_columns; k++) {
                g_string_append_c(out, sep);
                csv_cell(out, rc_report_history_cell(r, res, k, scratch), sep);
            }
        }
        g_string_append_c(out, '\n');
    }
}

static void format_chunk(gpointer data, gpointer user)
{
    Chunk *ch = data;
    format_rows(ch->r, ch->sep, ch->only, ch->from, ch->to, ch->out);
    g_mutex_lock(&ch->lock);
    ch->done = TRUE;
    g_cond_signal(&ch->cond);
    g_mutex_unlock(&ch->lock);
}

void rc_out_residents_csv(const RcReport *r, FILE *fp, char sep, guint only)
{
    g_autoptr(GString) row = g_string_sized_new(512);
    for (guint c = 0; c < r->n_columns; c++) {
        if (c)
            g_string_append_c(row, sep);
        csv_cell(row, r->columns[c], sep);
        for (guint k = 0; c + 1 == RC_COL_FIXED && k < r->n_history_columns; k++) {
            g_string_append_c(row, sep);
            csv_cell(row, r->history_columns[k], sep);
        }
    }
    flush_row(row, fp);
    guint n_chunks = (r->n_residents + CHUNK_ROWS - 1) / CHUNK_ROWS;
    if (n_chunks <= 1 || r->opts.threads == 1) {
        /* one chunk at a time: memory stays flat whatever the roster */
        for (guint from = 0; from < r->n_residents; from += CHUNK_ROWS) {
            g_string_truncate(row, 0);
            format_rows(r, sep, only, from, MIN(r->n_residents, from + CHUNK_ROWS), row);
            fwrite(row->str, 1, row->len, fp);
        }
        return;
    }
    Chunk *chunks = g_new0(Chunk, n_chunks);
    GThreadPool *pool = g_thread_pool_new(format_chunk, NULL, 2, TRUE, NULL);
    guint pushed = 0;
    for (guint k = 0; k < n_chunks; k++) {
        while (pushed < n_chunks && pushed < k + CHUNKS_AHEAD) {
            Chunk *ch = &chunks[pushed];
            ch->r = r;
            ch->sep = sep;
            ch->only = only;
            ch->from = pushed * CHUNK_ROWS;
            ch->to = MIN(r->n_residents, ch->from + CHUNK_ROWS);
            ch->out = g_string_sized_new(CHUNK_ROWS * 128);
            g_mutex_init(&ch->lock);
            g_cond_init(&ch->cond);
            g_thread_pool_push(pool, ch, NULL);
            pushed++;
        }
        Chunk *ch = &chunks[k];
        g_mutex_lock(&ch->lock);
        while (!ch->done)
            g_cond_wait(&ch->cond, &ch->lock);
        g_mutex_unlock(&ch->lock);
        fwrite(ch->out->str, 1, ch->out->len, fp);
        g_string_free(ch->out, TRUE);
        g_mutex_clear(&ch->lock);
        g_cond_clear(&ch->cond);
    }
    g_thread_pool_free(pool, FALSE, TRUE);
    g_free(chunks);
}

static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", fp);
            break;
        case '\\':
            fputs("\\\\", fp);
            break;
        case '\n':
            fputs("\\n", fp);
            break;
        case '\r':
            fputs("\\r", fp);
            break;
        case '\t':
            fputs("\\t", fp);
            break;
        default:
            if (*p < 0x20)
                fprintf(fp, "\\u%04x", *p);
            else
                fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

/* DESIGN.md section 6: "days" as an object of day -> state, then the
 * history's columns as numbers, strings, booleans or null. */
static void json_history(FILE *fp, const RcReport *r, const RcResident *res, GString *scratch)
{
    const RcDays *days = rc_history_days(r->history);
    fputs(", \"days\": {", fp);
    for (guint d = 0; d < days->n_days; d++) {
        fputs(d ? ", " : "", fp);
        json_str(fp, r->history_columns[d] + 4); /* after "day:" */
        fputs(": ", fp);
        json_str(fp, rc_report_history_cell(r, res, d, scratch));
    }
    fputs("}", fp);
    for (guint k = days->n_days; k < r->n_history_columns; k++) {
        const char *v = rc_report_history_cell(r, res, k, scratch);
        fputs(", ", fp);
        json_str(fp, r->history_columns[k]);
        fputs(": ", fp);
        if (k - days->n_days == RC_HCOL_LAST_NEGATIVE)
            v[0] ? json_str(fp, v) : (void)fputs("null", fp);
        else
            fputs(v[0] ? v : "null", fp);
    }
}

void rc_out_residents_json(const RcReport *r, FILE *fp, guint only)
{
    g_autoptr(GString) scratch = g_string_new(NULL);
    gboolean first = TRUE;
    fputs("[", fp);
    for (guint i = 0; i < r->n_residents; i++) {
        const RcResident *res = &r->residents[r->order[i]];
        if (only && !(only & RC_STATE_BIT(res->state)))
            continue;
        fputs(first ? "\n  {" : ",\n  {", fp);
        first = FALSE;
        for (guint c = 0; c < RC_COL_FIXED; c++) {
            if (c)
                fputs(", ", fp);
            json_str(fp, r->columns[c]);
            fputs(": ", fp);
            json_str(fp, rc_report_cell(r, res, c, scratch));
        }
        if (r->history)
            json_history(fp, r, res, scratch);
        fputs(", \"extra\": {", fp);
        for (guint c = RC_COL_FIXED; c < r->n_columns; c++) {
            if (c > RC_COL_FIXED)
                fputs(", ", fp);
            json_str(fp, r->columns[c]);
            fputs(": ", fp);
            json_str(fp, rc_report_cell(r, res, c, scratch));
        }
        fputs("}}", fp);
    }
    fputs(first ? "]\n" : "\n]\n", fp);
}

void rc_out_spool_csv(const RcReport *r, RcSpool *spool, FILE *fp)
{
    g_autoptr(RcSpoolText) text = rc_spool_text_new();
    g_autoptr(GString) row = g_string_sized_new(512);
    const char *f[RC_SPOOL_FIELDS];
    for (int i = 0; i < RC_SPOOL_FIELDS; i++) {
        if (i)
            g_string_append_c(row, ',');
        csv_cell(row, rc_spool_columns[i], ',');
    }
    flush_row(row, fp);
    rc_spool_rewind(spool);
    while (rc_spool_next(spool, f)) {
        rc_report_spool_row(r, FALSE, f, text);
        for (int i = 0; i < RC_SPOOL_FIELDS; i++) {
            if (i)
                g_string_append_c(row, ',');
            csv_cell(row, f[i], ',');
        }
        flush_row(row, fp);
    }
}

static void json_states(FILE *fp, const guint64 *states)
{
    fputs("{", fp);
    for (int s = 0; s < RC_STATE_COUNT; s++)
        fprintf(fp, "%s\"%s\": %" G_GUINT64_FORMAT, s ? ", " : "", rc_state_name((RcState)s), states[s]);
    fputs("}", fp);
}

/* DESIGN.md section 7: households by state. */
static void json_households(FILE *fp, const guint64 *counts)
{
    fputs("{", fp);
    for (int h = 0; h < RC_HOUSEHOLD_COUNT; h++)
        fprintf(fp, "%s\"%s\": %" G_GUINT64_FORMAT, h ? ", " : "",
                rc_household_state_name((RcHouseholdState)h), counts[h]);
    fputs("}", fp);
}

/* DESIGN.md section 6: the summary's coverage per day of a history. */
static void json_days(FILE *fp, const RcReport *r)
{
    const RcDays *days = rc_history_days(r->history);
    fputs("  \"days\": [", fp);
    for (guint d = 0; d < days->n_days; d++) {
        const guint64 *st;
        guint64 tested;
        double cov = rc_report_day_coverage(r, d, &st, &tested);
        fputs(d ? ",\n    {\"day\": " : "\n    {\"day\": ", fp);
        json_str(fp, r->history_columns[d] + 4);
        fprintf(fp, ", \"tested\": %" G_GUINT64_FORMAT ", \"states\": ", tested);
        json_states(fp, st);
        fprintf(fp, ", \"coverage\": %.4f}", cov);
    }
    fputs("\n  ],\n", fp);
}

static void json_time(FILE *fp, RcTime t)
{
    char buf[32];
    if (t == RC_TIME_NONE) {
        fputs("null", fp);
        return;
    }
    json_str(fp, rc_time_format(t, TRUE, buf));
}

void rc_out_summary_json(const RcReport *r, FILE *fp)
{
    const RcResultCounts *rc = rc_report_result_counts(r);
    const RcRosterCounts *ro = rc_report_roster_counts(r);
    guint n_in;
    const RcInput *in = rc_report_inputs(r, &n_in);

    fputs("{\n  \"version\": ", fp);
    json_str(fp, RC_VERSION);
    fputs(",\n  \"generated_at\": ", fp);
    json_str(fp, r->generated_at);
    fputs(",\n  \"window\": {\"since\": ", fp);
    json_time(fp, r->opts.since);
    fputs(", \"until\": ", fp);
    json_time(fp, r->opts.until);
    fputs("},\n  \"inputs\": [", fp);
    for (guint i = 0; i < n_in; i++) {
        fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", fp);
        json_str(fp, in[i].path);
        fputs(", \"kind\": ", fp);
        json_str(fp, rc_kind_name(in[i].kind));
        fputs(", \"encoding\": ", fp);
        json_str(fp, in[i].encoding ? in[i].encoding : "");
        fprintf(fp, ", \"rows\": %" G_GUINT64_FORMAT "}", in[i].rows);
    }
    fprintf(fp,
            "%s],\n  \"results\": {\"rows\": %" G_GUINT64_FORMAT ", \"applied\": %" G_GUINT64_FORMAT
            ", \"out_of_window\": %" G_GUINT64_FORMAT ", \"unmatched\": %" G_GUINT64_FORMAT
            ", \"problem\": %" G_GUINT64_FORMAT ", \"ignored\": %" G_GUINT64_FORMAT
            ", \"duplicate\": %" G_GUINT64_FORMAT "},\n",
            n_in ? "\n  " : "", rc->rows, rc->applied, rc->out_of_window, rc->unmatched, rc->problem,
            rc->ignored, rc->duplicate);
    fprintf(fp,
            "  \"roster\": {\"rows\": %" G_GUINT64_FORMAT ", \"residents\": %" G_GUINT64_FORMAT
            ", \"problem\": %" G_GUINT64_FORMAT ", \"ignored\": %" G_GUINT64_FORMAT "},\n",
            ro->rows, ro->residents, ro->problem, ro->ignored);
    fputs("  \"states\": ", fp);
    json_states(fp, r->total.states);
    fputs(",\n  \"matches\": {", fp);
    for (int m = RC_MATCH_ID; m < RC_MATCH_COUNT; m++)
        fprintf(fp, "%s\"%s\": %" G_GUINT64_FORMAT, m > RC_MATCH_ID ? ", " : "", rc_match_name((RcMatch)m),
                rc_report_match_count(r, (RcMatch)m));
    fputs("},\n  \"warnings\": [", fp);
    g_autoptr(GString) wfile = g_string_new(NULL);
    g_autoptr(GString) wtext = g_string_new(NULL);
    guint n_warn = rc_report_n_warnings(r);
    for (guint i = 0; i < n_warn; i++) {
        RcWarnCode code = rc_report_warning(r, i, FALSE, wfile, wtext);
        fputs(i ? ",\n    {\"code\": " : "\n    {\"code\": ", fp);
        json_str(fp, rc_warn_code_name(code));
        fputs(", \"file\": ", fp);
        json_str(fp, wfile->str);
        fputs(", \"message\": ", fp);
        json_str(fp, wtext->str);
        fputs("}", fp);
    }
    fputs(n_warn ? "\n  ],\n" : "],\n", fp);
    if (r->history)
        json_days(fp, r);
    fputs("  \"households\": ", fp);
    json_households(fp, r->households[r->n_buildings]);
    fprintf(fp, ",\n  \"coverage\": %.4f,\n  \"buildings\": [", r->total.coverage);
    for (guint i = 0; i < r->n_buildings; i++) {
        const RcBuildingCount *b = &r->buildings[i];
        fputs(i ? ",\n    {\"building\": " : "\n    {\"building\": ", fp);
        json_str(fp, b->building);
        fprintf(fp, ", \"residents\": %" G_GUINT64_FORMAT ", \"tested\": %" G_GUINT64_FORMAT ", \"states\": ",
                b->residents, b->tested);
        json_states(fp, b->states);
        fputs(", \"households\": ", fp);
        json_households(fp, r->households[i]);
        fprintf(fp, ", \"coverage\": %.4f}", b->coverage);
    }
    fputs(r->n_buildings ? "\n  ]\n}\n" : "]\n}\n", fp);
}

void rc_out_door_csv(const RcReport *r, FILE *fp)
{
    static const char *const head[] = {"building", "unit",      "floor",  "room", "name",
                                       "phone",    "household", "status", "note"};
    g_autoptr(GString) row = g_string_sized_new(256);
    g_autoptr(GString) scratch = g_string_new(NULL);
    for (guint k = 0; k < G_N_ELEMENTS(head); k++) {
        if (k)
            g_string_append_c(row, ',');
        g_string_append(row, head[k]);
    }
    flush_row(row, fp);
    guint n;
    g_autofree guint32 *list = rc_report_door_list(r, 0, r->n_residents, &n);
    for (guint i = 0; i < n; i++) {
        const RcResident *res = &r->residents[list[i]];
        static const RcColumn place[] = {RC_COL_BUILDING, RC_COL_UNIT};
        for (guint k = 0; k < G_N_ELEMENTS(place); k++) {
            csv_cell(row, rc_report_cell(r, res, place[k], scratch), ',');
            g_string_append_c(row, ',');
        }
        const char *floor = rc_report_floor(r, res, scratch);
        csv_cell(row, floor[0] ? floor : "unknown", ',');
        static const RcColumn who[] = {RC_COL_ROOM, RC_COL_NAME, RC_COL_PHONE};
        for (guint k = 0; k < G_N_ELEMENTS(who); k++) {
            g_string_append_c(row, ',');
            csv_cell(row, rc_report_cell(r, res, who[k], scratch), ',');
        }
        g_string_append_c(row, ',');
        g_string_append(row, rc_household_state_name(rc_report_household(r, res)));
        g_string_append_c(row, ',');
        const char *status = rc_report_status(r, res);
        csv_cell(row, r->opts.mask ? rc_norm_mask_numbers(status, strlen(status), scratch) : status, ',');
        g_string_append_c(row, ',');
        flush_row(row, fp);
    }
}

void rc_out_tubes_csv(const RcReport *r, const RcTubeList *tubes, FILE *fp)
{
    g_autoptr(GString) row = g_string_sized_new(256);
    g_autoptr(GString) scratch = g_string_new(NULL);
    for (int k = 0; k < RC_TCOL_COUNT; k++) {
        if (k)
            g_string_append_c(row, ',');
        g_string_append(row, rc_report_tube_columns[k]);
    }
    flush_row(row, fp);
    for (guint i = 0; i < tubes->n; i++) {
        for (int k = 0; k < RC_TCOL_COUNT; k++) {
            if (k)
                g_string_append_c(row, ',');
            csv_cell(row, rc_report_tube_cell(r, &tubes->rows[i], (RcTubeColumn)k, FALSE, scratch), ',');
        }
        flush_row(row, fp);
    }
}

void rc_out_notice(const RcReport *r, guint b, gboolean en, FILE *fp)
{
    const RcBuildingCount *bc = &r->buildings[b];
    char day[32] = "";
    RcTime last = r->opts.until != RC_TIME_NONE ? r->opts.until - 1 : RC_TIME_NONE;
    if (last != RC_TIME_NONE) {
        rc_time_format(last, FALSE, day);
        day[10] = '\0';
    }
    guint64 due = bc->residents - bc->states[RC_STATE_EXEMPT];
    if (en)
        fprintf(fp, "%s%s%s: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " tested (%.1f%%)\n", day,
                day[0] ? " " : "", bc->building[0] ? bc->building : "(no building)", bc->tested, due,
                bc->coverage * 100.0);
    else
        fprintf(fp,
                "%s%s%s核酸检测：应检%" G_GUINT64_FORMAT "人，已检%" G_GUINT64_FORMAT "人，检测率%.1f%%\n",
                day, day[0] ? " " : "", bc->building[0] ? bc->building : "（未填楼栋）", due, bc->tested,
                bc->coverage * 100.0);
    /* the building's span of the order, then a line per household to test */
    guint lo = 0;
    for (guint i = 0; i < b; i++)
        lo += (guint)r->buildings[i].residents;
    guint hi = lo + (guint)bc->residents;
    g_autoptr(GString) line = g_string_new(NULL);
    g_autoptr(GString) masked = g_string_new(NULL);
    gboolean any = FALSE;
    for (guint i = lo; i < hi;) {
        const RcResident *first = &r->residents[r->order[i]];
        guint j = i + 1;
        while (first->room && j < hi && r->residents[r->order[j]].unit == first->unit &&
               r->residents[r->order[j]].room == first->room)
            j++;
        RcHouseholdState hs = rc_report_household(r, first);
        if (hs == RC_HOUSEHOLD_NONE || hs == RC_HOUSEHOLD_PARTLY) {
            g_string_assign(line, rc_report_text(r, first->unit));
            const char *room = rc_report_text(r, first->room);
            if (room[0])
                g_string_append_printf(line, "%s%s", line->len ? " " : "", room);
            for (guint k = i; k < j; k++) {
                const RcResident *res = &r->residents[r->order[k]];
                if (res->state != RC_STATE_MISSING)
                    continue;
                /* names only, masked: these texts leave the committee's hands */
                rc_place_mask_name(res->name, strlen(res->name), masked);
                g_string_append_printf(line, "%s%s", line->len ? " " : "", masked->str);
            }
            if (r->opts.mask) {
                rc_norm_mask_numbers(line->str, line->len, masked);
                g_string_assign(line, masked->str);
            }
            fprintf(fp, "%s\n", line->str);
            any = TRUE;
        }
        i = j;
    }
    if (!any)
        fputs(en ? "Every household has tested.\n" : "各户均已检测。\n", fp);
}

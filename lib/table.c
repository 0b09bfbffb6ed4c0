/* table: the sink contract. Records from a reader (CSV through table_csv.c,
 * a workbook's sheet through lib/xlsx) become, in order: the header (found
 * by table_header.c's rule), data rows, and row problems, each handed to
 * the sink, with the stats counted here. With two threads the reader runs
 * in the second one and events cross over table_pipe.c; the sink is always
 * called from the caller's thread, in the same order either way. */
#include "table_internal.h"

#include <string.h>

G_DEFINE_QUARK(rc - table - error - quark, rc_table_error)

#define PREFIX_MAX (4u * 1024 * 1024)
#define PREFIX_MIN (64u * 1024)

static const char delimiters[] = {',', ';', '\t'};

/* One read: the record being assembled, what becomes of it, the sink. */
typedef struct {
    Rec rec;
    guint records;      /* non-blank records seen */
    guint header_index; /* which of them is the header */
    const TableRules *rules;
    char delim;
    const char *sheet; /* a workbook's sheet, for the header */
    gboolean sheet_in_line;
    const char *sheet_place;
    GString *last_place[4]; /* a roster sheet's last building, unit, room, household;
                             * NULL until one is seen */
    Rec scratch;
    RcHeader *header;
    const RcTableSink *sink;
    gpointer user;
    RcTableStats *stats;
    GError *error;     /* first sink error; stops the read */
    guint n_role_cols; /* columns that hold a role, for the ragged rule */
    guint max_role_col;
    /* reused row view */
    GPtrArray *view_fields;
    GArray *view_lens;
    TablePipe *pipe;  /* set: events go to the caller's thread */
    guint *name_lens; /* the header's names' lengths */
    /* what the first rows' values look like, per column (sink->column) */
    guint sampled;
    guint *filled; /* per column: non-empty values */
    guint (*looks)[RC_TABLE_LOOKS_COUNT];
    char prep[RC_TABLE_PREP_CAP]; /* what sink->prepare wrote for the row */
} Parse;

/* Calls the sink for one event (in the caller's thread). */
static void sink_event(Parse *ps, TableEvType type, const RcRecord *r, const char *reason, gboolean kept,
                       GError **error)
{
    const RcTableSink *sink = ps->sink;
    if (!sink)
        return;
    if (type == EV_HEADER && sink->header)
        sink->header(ps->header, ps->user, error);
    else if (type == EV_ROW && sink->row)
        sink->row(ps->header, r, ps->user, error);
    else if (type == EV_PROBLEM && sink->problem)
        sink->problem(ps->header, r, reason, kept, ps->user);
    else if (type == EV_IGNORED && sink->ignored)
        sink->ignored(ps->header, r, reason, ps->user);
}

static void replay(gpointer ctx, TableEvType type, const RcRecord *r, const char *reason, gboolean kept,
                   GError **error)
{
    sink_event(ctx, type, r, reason, kept, error);
}

static void ahead(gpointer ctx, char *prep, gsize prep_len, guint stage)
{
    Parse *ps = ctx;
    ps->sink->ahead(prep, prep_len, stage, ps->user);
}

/* Hands an event to the sink: directly, or through the pipe. */
static void deliver(Parse *ps, TableEvType type, const RcRecord *r, const char *reason, gboolean kept)
{
    if (ps->pipe) {
        table_pipe_event(ps->pipe, type, &ps->rec, r, reason, kept);
        return;
    }
    if (!ps->error)
        sink_event(ps, type, r, reason, kept, &ps->error);
}

/* ---- rows that are not data (DESIGN.md section 1) ---- */

/* S (LEN bytes) without spaces (ASCII, U+3000) at either end. */
static const char *strip(const char *s, guint *len)
{
    guint n = *len;
    for (;;) {
        if (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        } else if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
            s += 3;
            n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    *len = n;
    return s;
}

static gboolean starts_with(const char *s, guint len, const char *word)
{
    gsize wl = strlen(word);
    return len >= wl && memcmp(s, word, wl) == 0;
}

/* Totals: 合计, 总计, 小计, 共计 (合 计 too) at the start of a cell. */
static gboolean is_total_word(const char *s, guint len)
{
    static const char *const words[] = {"合计", "总计", "小计", "共计", "合 计", "总 计", "小 计", "总数"};
    for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
        if (starts_with(s, len, words[i]))
            return TRUE;
    return FALSE;
}

/* A count of people in the name column: 12人, 共12人, 共 12 人. */
static gboolean is_head_count(const char *s, guint len)
{
    if (starts_with(s, len, "共")) {
        s += 3;
        len -= 3;
    }
    guint digits = 0;
    while (len && (g_ascii_isdigit(*s) || *s == ' ')) {
        digits += *s != ' ';
        s++;
        len--;
    }
    return digits > 0 && len == 3 && memcmp(s, "人", 3) == 0;
}

/* A signature or note line: its first cell starts so. */
static gboolean is_note_line(const char *s, guint len)
{
    static const char *const words[] = {
        "制表",      "审核人",   "审核：",   "审核:",    "填表人",  "填报人",   "填表说明", "填报说明",
        "填表日期",  "填报日期", "填报单位", "负责人：", "负责人:", "统计时间", "统计日期", "注：",
        "注:",       "说明：",   "说明:",    "备注：",   "备注:",   "联系人：", "联系人:",  "联系电话：",
        "联系电话:", "签字",     "签名：",   "签名:",    "盖章"};
    for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
        if (starts_with(s, len, words[i]))
            return TRUE;
    /* 注1：, 注①: a note numbered */
    return starts_with(s, len, "注") && len <= 12 &&
           (g_strstr_len(s, len, "：") || g_strstr_len(s, len, ":"));
}

/* ---- what a column's values look like ---- */

const char *rc_table_looks_name(RcTableLooks looks)
{
    static const char *const names[RC_TABLE_LOOKS_COUNT] = {"ids", "phones", "result words",
                                                            "times of day without a date"};
    return looks >= 0 && looks < RC_TABLE_LOOKS_COUNT ? names[looks] : "";
}

static guint count_digits(const char *s, guint len)
{
    guint n = 0;
    while (n < len && g_ascii_isdigit(s[n]))
        n++;
    return n;
}

/* An id (18 characters, the last a digit or X, or 15 digits), a mobile
 * phone (11 digits from 1), or a result word: -1 when none. */
static int looks_like(const char *s, guint len)
{
    guint d = count_digits(s, len);
    if ((len == 18 && (d == 18 || (d == 17 && (s[17] == 'X' || s[17] == 'x')))) || (len == 15 && d == 15))
        return RC_TABLE_LOOKS_IDS;
    if (len == 11 && d == 11 && s[0] == '1')
        return RC_TABLE_LOOKS_PHONES;
    static const char *const words[] = {"阴性", "阳性",   "阴",     "阳",      "未检出",
                                        "检出", "弱阳性", "待复核", "混管阳性"};
    for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
        gsize wl = strlen(words[i]);
        if (len >= wl && memcmp(s, words[i], wl) == 0 && (len == wl || s[wl] == '(' || len - wl <= 6))
            return RC_TABLE_LOOKS_RESULTS;
    }
    if (len >= 8 &&
        (g_ascii_strncasecmp(s, "negative", 8) == 0 || g_ascii_strncasecmp(s, "positive", 8) == 0))
        return RC_TABLE_LOOKS_RESULTS;
    return -1;
}

/* Counts, for the first RC_TABLE_SAMPLE_ROWS rows (in the thread that
 * parses; read after it ends), what the values of the extras (and of a sampled_at without a date column) look like. */
static void sample_row(Parse *ps)
{
    const RcHeader *h = ps->header;
    const Rec *rec = &ps->rec;
    if (!ps->sink || !ps->sink->column || ps->sampled >= RC_TABLE_SAMPLE_ROWS)
        return;
    if (!ps->filled) {
        ps->filled = g_new0(guint, MAX(h->n_columns, 1));
        ps->looks = g_malloc0(MAX(h->n_columns, 1) * sizeof *ps->looks);
    }
    ps->sampled++;
    int sampled_at = h->date_col < 0 ? h->col[RC_ROLE_SAMPLED_AT] : -1;
    for (guint i = 0; i < h->n_columns && i < rec->n; i++) {
        if (h->roles[i] != RC_ROLE_NONE && (int)i != sampled_at)
            continue;
        guint l = rec->lens[i];
        const char *v = strip(rec_field(rec, i), &l);
        if (!l)
            continue;
        ps->filled[i]++;
        if ((int)i == sampled_at) {
            if (rc_table_time_only(v, l))
                ps->looks[i][RC_TABLE_LOOKS_TIMES_ONLY]++;
            continue;
        }
        int k = looks_like(v, l);
        if (k >= 0)
            ps->looks[i][k]++;
    }
}

/* After a read: sink->column() for each column most of whose sampled
 * values look like one thing (three values at least). */
static void report_columns(Parse *ps)
{
    if (!ps->filled || ps->error)
        return;
    for (guint i = 0; i < ps->header->n_columns; i++)
        for (int k = 0; k < RC_TABLE_LOOKS_COUNT; k++)
            if (ps->filled[i] >= 3 && ps->looks[i][k] * 2 > ps->filled[i]) {
                ps->sink->column(ps->header, i, (RcTableLooks)k, ps->user);
                break;
            }
}

/* The first characters of the words above, as 3-byte UTF-8 keys: a cell
 * starting otherwise is none of them (the check per row is this). */
static gboolean may_start_a_word(const char *s, guint len)
{
    if (len < 3 || (unsigned char)s[0] < 0xE0)
        return FALSE;
    guint32 key =
        (guint32)(unsigned char)s[0] << 16 | (guint32)(unsigned char)s[1] << 8 | (unsigned char)s[2];
    switch (key) {
    case 0xE59088: /* 合 */
    case 0xE680BB: /* 总 */
    case 0xE5B08F: /* 小 */
    case 0xE585B1: /* 共 */
    case 0xE588B6: /* 制 */
    case 0xE5AEA1: /* 审 */
    case 0xE5A1AB: /* 填 */
    case 0xE8B49F: /* 负 */
    case 0xE7BB9F: /* 统 */
    case 0xE6B3A8: /* 注 */
    case 0xE8AFB4: /* 说 */
    case 0xE5A487: /* 备 */
    case 0xE88194: /* 联 */
    case 0xE7ADBE: /* 签 */
    case 0xE79B96: /* 盖 */
        return TRUE;
    default:
        return FALSE;
    }
}

/* Why the data row in PS's record is not data, or NULL. Cheap on real
 * data: a byte or three of the first cell and of the name, one compare
 * with the header. */
static const char *not_data(const Parse *ps)
{
    const Rec *rec = &ps->rec;
    const RcHeader *h = ps->header;
    int first = -1;
    for (guint i = 0; i < rec->n && first < 0; i++) {
        guint l = rec->lens[i];
        strip(rec_field(rec, i), &l);
        if (l)
            first = (int)i;
    }
    if (first < 0)
        return NULL;
    guint fl = rec->lens[first];
    const char *f = strip(rec_field(rec, (guint)first), &fl);
    int name_col = h->col[RC_ROLE_NAME];
    guint nl = 0;
    const char *name = "";
    if (name_col >= 0 && (guint)name_col < rec->n) {
        nl = rec->lens[name_col];
        name = strip(rec_field(rec, (guint)name_col), &nl);
    }
    gboolean f_word = may_start_a_word(f, fl);
    if ((f_word && is_total_word(f, fl)) ||
        (nl && ((may_start_a_word(name, nl) && is_total_word(name, nl)) ||
                ((g_ascii_isdigit(name[0]) || name[0] == '\xe5') && is_head_count(name, nl)))))
        return "totals row";
    if (f_word && is_note_line(f, fl))
        return "signature or note line";
    /* a repeated header: every cell as the header has it (two at least) */
    guint same = 0;
    for (guint i = 0; i < rec->n && i < h->n_columns; i++) {
        guint l = rec->lens[i];
        const char *c = strip(rec_field(rec, i), &l);
        if (!l)
            continue;
        if (l != ps->name_lens[i] || memcmp(c, h->names[i], l) != 0) {
            if (ps->name_lens[i] == G_MAXUINT)
                continue; /* numbered here, as written there */
            return NULL;
        }
        same++;
    }
    return same >= MIN(2u, h->n_columns) ? "repeated header" : NULL;
}

static void emit_data(Parse *ps)
{
    Rec *rec = &ps->rec;
    RcHeader *h = ps->header;
    guint n_raw = rec->n;
    guint n = MAX(n_raw, h->n_columns);

    g_ptr_array_set_size(ps->view_fields, 0);
    g_array_set_size(ps->view_lens, 0);
    if (!rec->oversize && (!ps->pipe || (ps->sink && ps->sink->prepare))) {
        for (guint i = 0; i < n; i++) {
            const char *f = "";
            guint l = 0;
            if (i < n_raw) {
                f = rec_field(rec, i);
                l = rec->lens[i];
            }
            g_ptr_array_add(ps->view_fields, (gpointer)f);
            g_array_append_val(ps->view_lens, l);
        }
    }
    RcRecord r = {
        .line = rec->line,
        .n_fields = rec->oversize ? 0 : n,
        .fields = (const char **)ps->view_fields->pdata,
        .lens = (const guint *)ps->view_lens->data,
        .ragged = !rec->oversize && n_raw != h->n_columns,
        .place_inherited = rec->inherited,
        .n_raw = n_raw,
    };
    if (ps->stats)
        ps->stats->rows++;
    if (rec->oversize) {
        if (ps->stats)
            ps->stats->problems++;
        deliver(ps, EV_PROBLEM, &r, rec->oversize_reason, FALSE);
        return;
    }
    const char *why_not = not_data(ps);
    if (why_not) {
        if (ps->stats)
            ps->stats->ignored++;
        deliver(ps, EV_IGNORED, &r, why_not, FALSE);
        return;
    }
    if (r.ragged) {
        gboolean kept = n_raw > ps->max_role_col || ps->n_role_cols == 0;
        char got[16], want[16];
        g_snprintf(got, sizeof got, "%u", n_raw);
        g_snprintf(want, sizeof want, "%u", h->n_columns);
        g_autofree char *why = rc_reason(kept ? RC_REASON_RAGGED : RC_REASON_RAGGED_NEEDED, got, want);
        if (ps->stats) {
            if (kept)
                ps->stats->ragged++;
            else
                ps->stats->problems++;
        }
        deliver(ps, EV_PROBLEM, &r, why, kept);
        if (!kept)
            return;
    }
    sample_row(ps);
    if (ps->sink && ps->sink->prepare) {
        r.prep_len = (guint)MIN(ps->sink->prepare(h, &r, ps->sink->prep_user, ps->prep), RC_TABLE_PREP_CAP);
        r.prep = ps->prep;
    }
    deliver(ps, EV_ROW, &r, NULL, FALSE);
}

/* A complete record in ps->rec, from either reader: blank, above the
 * header, the header, or data. The reader clears the record after. */
static void on_record(Parse *ps)
{
    Rec *rec = &ps->rec;
    if (!rec->oversize && rec_blank(rec)) {
        if (ps->header && ps->stats)
            ps->stats->blank++;
        return;
    }
    guint idx = ps->records++;
    if (idx == ps->header_index) {
        ps->header = table_header_build(ps->rules, rec, ps->delim, ps->sheet);
        ps->name_lens = g_new0(guint, MAX(ps->header->n_columns, 1));
        for (guint i = 0; i < ps->header->n_columns; i++) /* G_MAXUINT: a name numbered */
            ps->name_lens[i] = strcmp(ps->header->how[i], "extra, repeated name numbered") == 0
                                   ? G_MAXUINT
                                   : (guint)strlen(ps->header->names[i]);
        ps->header->sheet_in_line = ps->sheet_in_line;
        if (ps->header->col[RC_ROLE_BUILDING] < 0)
            ps->header->sheet_place = ps->sheet_place;
        for (guint i = 0; i < ps->header->n_columns; i++)
            if (ps->header->roles[i] != RC_ROLE_NONE) {
                ps->n_role_cols++;
                ps->max_role_col = i;
            }
        deliver(ps, EV_HEADER, NULL, NULL, FALSE);
    } else if (idx > ps->header_index && ps->header) { /* set at the header, always before */
        emit_data(ps);
    }
}

/* Sets PS up for the real read of a table whose header is the non-blank
 * record at HEADER_INDEX, found under RULES and DELIM, rows to SINK. */
static void parse_begin(Parse *ps, char delim, guint header_index, const TableRules *rules,
                        const RcTableSink *sink, gpointer user, RcTableStats *stats)
{
    memset(ps, 0, sizeof *ps);
    rec_init(&ps->rec);
    rec_init(&ps->scratch);
    ps->delim = delim;
    ps->header_index = header_index;
    ps->rules = rules;
    ps->sink = sink;
    ps->user = user;
    ps->stats = stats;
    ps->view_fields = g_ptr_array_new();
    ps->view_lens = g_array_new(FALSE, FALSE, sizeof(guint));
}

static void parse_teardown(Parse *ps)
{
    g_free(ps->filled);
    g_free(ps->looks);
    g_free(ps->name_lens);
    rec_destroy(&ps->rec);
    rec_destroy(&ps->scratch);
    for (int k = 0; k < 4; k++)
        if (ps->last_place[k])
            g_string_free(ps->last_place[k], TRUE);
    table_header_free(ps->header);
    g_ptr_array_unref(ps->view_fields);
    g_array_unref(ps->view_lens);
    g_clear_error(&ps->error);
}

/* TRUE when the producer should stop: the sink failed. */
static gboolean stopping(const Parse *ps)
{
    return ps->error || (ps->pipe && table_pipe_stopping(ps->pipe));
}

/* The end of a producer: in the pipeline its last batch carries the error
 * (taken from *ERROR), if any; without it, nothing to do. */
static void end_production(Parse *ps, GError **error)
{
    if (ps->pipe)
        table_pipe_end(ps->pipe, g_steal_pointer(error));
}

/* Runs PRODUCER on PS: in a second thread, the sink here, or all here (the
 * sink's threads is 1). On
 * return the producer's error (in *PRODUCER_ERROR when serial) or the
 * sink's is in ERROR. */
static gboolean run(Parse *ps, GThreadFunc producer, gpointer data, gboolean (*produce)(gpointer),
                    GError **producer_error, GError **error)
{
    if (!ps->sink || ps->sink->threads != 1)
        return table_pipe_run(&ps->pipe, producer, data, replay, ps->sink && ps->sink->ahead ? ahead : NULL,
                              ps, error);
    if (!produce(data)) {
        g_propagate_error(error, g_steal_pointer(producer_error));
        return FALSE;
    }
    if (ps->error) {
        g_propagate_error(error, g_steal_pointer(&ps->error));
        return FALSE;
    }
    return TRUE;
}

/* ---- CSV ---- */

static gboolean count_lines_enough(const GString *prefix)
{
    guint nl = 0;
    for (gsize i = 0; i < prefix->len; i++)
        if (prefix->str[i] == '\n' || prefix->str[i] == '\r')
            if (++nl > 4 * RC_TABLE_HEADER_SCAN)
                return TRUE;
    return FALSE;
}

typedef struct {
    Parse *ps;
    TableCsv *csv;
    RcSource *src;
    GString *prefix; /* owned until fed */
    gboolean eof;
    GError *error; /* a source error */
} Producer;

static gboolean csv_record(gpointer data)
{
    Parse *ps = data;
    on_record(ps);
    return !ps->error;
}

/* Feeds the buffered prefix, then the rest of the source, then ends the
 * read. In the pipeline, the last batch carries the error, if any. */
static gboolean produce(gpointer data)
{
    Producer *pr = data;
    Parse *ps = pr->ps;
    const char *d;
    gsize len;
    gboolean ok = TRUE;
    table_csv_feed(pr->csv, pr->prefix->str, pr->prefix->len);
    g_string_free(g_steal_pointer(&pr->prefix), TRUE);
    while (!pr->eof && !stopping(ps)) {
        if (!rc_source_read(pr->src, &d, &len, &pr->error)) {
            ok = FALSE;
            break;
        }
        if (len == 0)
            break;
        table_csv_feed(pr->csv, d, len);
    }
    if (ok && !ps->error)
        table_csv_finish(pr->csv, TRUE);
    end_production(ps, &pr->error);
    return ok;
}

static gpointer produce_thread(gpointer data)
{
    produce(data);
    return NULL;
}

gboolean rc_table_read(RcSource *src, RcKind kind, const RcConfig *cfg, const RcTableSink *sink,
                       gpointer user, RcTableStats *stats, GError **error)
{
    g_autoptr(GString) prefix = g_string_sized_new(PREFIX_MIN);
    const char *data;
    gsize len;
    gboolean eof = FALSE;

    if (stats)
        memset(stats, 0, sizeof *stats);

    /* 1. Buffer a prefix long enough to hold the first rows. */
    while (!eof) {
        if (!rc_source_read(src, &data, &len, error))
            return FALSE;
        if (len == 0) {
            eof = TRUE;
            break;
        }
        g_string_append_len(prefix, data, (gssize)len);
        if (prefix->len >= PREFIX_MAX || (prefix->len >= PREFIX_MIN && count_lines_enough(prefix)))
            break;
    }

    /* 2. Delimiter and header row: the prefix's first records under each
     * delimiter, through the header rule. */
    TableTrial trials[G_N_ELEMENTS(delimiters)];
    for (gsize d = 0; d < G_N_ELEMENTS(delimiters); d++)
        table_csv_trial(&trials[d], prefix->str, prefix->len, eof, delimiters[d], RC_TABLE_HEADER_SCAN);
    guint t = 0, row = 0;
    TableRules *rules = table_header_find(trials, G_N_ELEMENTS(trials), kind, cfg, rc_source_name(src), NULL,
                                          &t, &row, error);
    for (gsize d = 0; d < G_N_ELEMENTS(delimiters); d++)
        table_trial_clear(&trials[d]);
    if (!rules)
        return FALSE;

    /* 3. The real parse: the prefix again, then the rest. */
    Parse ps;
    parse_begin(&ps, delimiters[t], row, rules, sink, user, stats);
    Producer pr = {&ps, table_csv_new(delimiters[t], &ps.rec, csv_record, &ps),
                   src, g_steal_pointer(&prefix),
                   eof, NULL};
    gboolean ok = run(&ps, produce_thread, &pr, produce, &pr.error, error);
    if (ok)
        report_columns(&ps);
    table_csv_free(pr.csv);
    parse_teardown(&ps);
    table_rules_free(rules);
    return ok;
}

/* ---- workbooks: rows from lib/xlsx through the same record path ---- */

/* An xlsx row into REC (cleared first): its line is the sheet row. */
static void rec_from_row(Rec *rec, const RcXlsxRow *row)
{
    rec_clear(rec);
    rec->line = row->number;
    if (row->oversize)
        rec_spoil(rec, row->oversize);
    for (guint i = 0; i < row->n_cells && !rec->oversize; i++)
        rec_add_cell(rec, row->cells[i], row->lens[i]);
}

/* A place cell that says "as above": empty (a merged range leaves every
 * cell below its first empty), or a ditto mark. */
static gboolean place_ditto(const char *s, guint len)
{
    static const char *const marks[] = {"同上", "〃", "\"", "同左", "”", "＂", "''"};
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len)
        return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS(marks); i++)
        if (strlen(marks[i]) == len && memcmp(marks[i], s, len) == 0)
            return TRUE;
    return FALSE;
}

/* DESIGN.md section 1: in a roster sheet's place columns (building, unit,
 * room, household), an empty cell or a ditto mark takes the value of the
 * row above in the same sheet, and the row is marked (place-inherited).
 * Ids, names and phones never inherit. */
static void inherit_places(Parse *ps)
{
    static const RcRole roles[4] = {RC_ROLE_BUILDING, RC_ROLE_UNIT, RC_ROLE_ROOM, RC_ROLE_HOUSEHOLD};
    Rec *rec = &ps->rec;
    const RcHeader *h = ps->header;
    if (!h || h->kind != RC_KIND_ROSTER || rec->oversize || rec_blank(rec))
        return;
    int take[4] = {-1, -1, -1, -1};
    gboolean any = FALSE;
    for (int k = 0; k < 4; k++) {
        int col = h->col[roles[k]];
        if (col < 0 || (guint)col >= rec->n)
            continue;
        const char *v = rec_field(rec, (guint)col);
        guint len = rec->lens[col];
        if (!place_ditto(v, len)) {
            if (!ps->last_place[k])
                ps->last_place[k] = g_string_sized_new(64);
            g_string_truncate(ps->last_place[k], 0);
            g_string_append_len(ps->last_place[k], v, (gssize)len);
        } else if (ps->last_place[k]) {
            take[k] = col;
            any = TRUE;
        }
    }
    if (!any)
        return;
    Rec *out = &ps->scratch;
    rec_clear(out);
    out->line = rec->line;
    for (guint i = 0; i < rec->n; i++) {
        const char *v = rec_field(rec, i);
        guint len = rec->lens[i];
        for (int k = 0; k < 4; k++)
            if (take[k] == (int)i) {
                v = ps->last_place[k]->str;
                len = (guint)ps->last_place[k]->len;
            }
        rec_add_cell(out, v, len);
    }
    rec_copy(rec, out);
    rec->inherited = !rec->oversize;
}

/* The sheet row in ps->rec through on_record(), as a CSV record would go;
 * a data row shorter than the header is padded. */
static void sheet_record(Parse *ps)
{
    Rec *rec = &ps->rec;
    if (ps->header && !rec->oversize)
        while (rec->n < ps->header->n_columns && !rec->oversize)
            rec_add(rec, "", 0);
    inherit_places(ps);
    on_record(ps);
    rec->inherited = FALSE;
    rec_clear(rec);
}

typedef struct {
    Parse *ps;
    RcXlsx *x;
    GPtrArray *held; /* Rec *: rows read while looking for the header */
    gboolean more;   /* rows may follow the held ones */
    GError *error;   /* the reader's */
} SheetProducer;

/* Feeds the held rows, then the rest of the sheet. In the pipeline, the
 * last batch carries the reader's error, if any. */
static gboolean produce_sheet(gpointer data)
{
    SheetProducer *sp = data;
    Parse *ps = sp->ps;
    gboolean ok = TRUE;
    for (guint i = 0; i < sp->held->len && !ps->error; i++) {
        rec_copy(&ps->rec, g_ptr_array_index(sp->held, i));
        sheet_record(ps);
    }
    g_ptr_array_set_size(sp->held, 0);
    while (sp->more && !stopping(ps)) {
        const RcXlsxRow *row;
        if (!rc_xlsx_next_row(sp->x, &row, &sp->error)) {
            ok = FALSE;
            break;
        }
        if (!row)
            break;
        rec_from_row(&ps->rec, row);
        sheet_record(ps);
    }
    end_production(ps, &sp->error);
    return ok;
}

static gpointer produce_sheet_thread(gpointer data)
{
    produce_sheet(data);
    return NULL;
}

/* TRUE when the sheet being read may name a building: the workbook holds
 * other visible worksheets (one sheet per building), and the name is not
 * a spreadsheet's default (Sheet1, 工作表1). */
static gboolean sheet_is_place(const RcXlsx *x)
{
    guint visible = 0;
    for (guint i = 0; i < rc_xlsx_n_sheets(x); i++)
        visible += !rc_xlsx_sheet_hidden(x, i) && !rc_xlsx_sheet_chart(x, i);
    g_autofree char *name = g_utf8_casefold(rc_xlsx_sheet(x), -1);
    g_strstrip(name);
    const char *rest = g_str_has_prefix(name, "sheet")    ? name + 5
                       : g_str_has_prefix(name, "工作表") ? name + 9
                                                          : NULL;
    if (!*name)
        return FALSE;
    if (rest) {
        while (*rest == ' ')
            rest++;
        while (g_ascii_isdigit(*rest))
            rest++;
        if (!*rest)
            return FALSE;
    }
    return visible > 1;
}

gboolean rc_table_read_xlsx(RcXlsx *x, RcKind kind, const RcConfig *cfg, const RcTableSink *sink,
                            gpointer user, RcTableStats *stats, GError **error)
{
    g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func(rec_free);
    const RcXlsxRow *row = NULL;
    Rec scratch;

    if (stats)
        memset(stats, 0, sizeof *stats);

    /* 1. Hold the first rows, up to RC_TABLE_HEADER_SCAN non-blank ones,
     * which are the header rule's candidates. */
    TableTrial trial = {g_ptr_array_new(), ','};
    rec_init(&scratch);
    while (trial.rows->len < RC_TABLE_HEADER_SCAN) {
        if (!rc_xlsx_next_row(x, &row, error)) {
            rec_destroy(&scratch);
            g_ptr_array_unref(trial.rows);
            return FALSE;
        }
        if (!row)
            break;
        rec_from_row(&scratch, row);
        Rec *h = rec_dup(&scratch);
        g_ptr_array_add(held, h);
        if (h->oversize || !rec_blank(h))
            g_ptr_array_add(trial.rows, h);
    }
    rec_destroy(&scratch);

    /* 2. The header rule. */
    guint t = 0, header_row = 0;
    TableRules *rules =
        table_header_find(&trial, 1, kind, cfg, rc_xlsx_path(x), rc_xlsx_sheet(x), &t, &header_row, error);
    g_ptr_array_unref(trial.rows);
    if (!rules)
        return FALSE;

    /* 3. Every row, the held ones again first, through the record path;
     * in the pipeline, inflating and parsing run in the second thread. */
    Parse ps;
    parse_begin(&ps, ',', header_row, rules, sink, user, stats);
    ps.sheet = rc_xlsx_sheet(x);
    ps.sheet_in_line = rc_xlsx_n_sheets(x) > 1;
    ps.sheet_place = sheet_is_place(x) ? ps.sheet : NULL;
    SheetProducer sp = {&ps, x, held, row != NULL, NULL};
    gboolean ok = run(&ps, produce_sheet_thread, &sp, produce_sheet, &sp.error, error);
    if (ok)
        report_columns(&ps);
    parse_teardown(&ps);
    table_rules_free(rules);
    return ok;
}

void rc_table_info_clear(RcTableInfo *info)
{
    if (!info)
        return;
    g_free(info->encoding);
    g_free(info->sheet);
    if (info->skipped)
        for (guint i = 0; info->sheets[i]; i++)
            g_free(info->skipped[i]);
    g_free(info->skipped);
    g_strfreev(info->sheets);
    g_free(info->hidden);
    g_free(info->read);
    memset(info, 0, sizeof *info);
}

/* The sheets to read, in order, into SEL (indexes); WHY per sheet gets
 * why one is not read when SPEC names none (hidden, a chart). SPEC: the
 * names of rc_table_read_path's SHEET, or NULL. */
static gboolean sheets_to_read(RcXlsx *x, char **spec, GArray *sel, const char **why, GError **error)
{
    guint n = rc_xlsx_n_sheets(x);
    if (!spec) {
        for (guint i = 0; i < n; i++) {
            if (rc_xlsx_sheet_chart(x, i))
                why[i] = "a chart sheet";
            else if (rc_xlsx_sheet_hidden(x, i))
                why[i] = "hidden";
            else
                g_array_append_val(sel, i);
        }
        return TRUE;
    }
    /* One --sheet serves every workbook of a run: a name this workbook
     * lacks is another's, as long as some name is this one's. */
    GError *first = NULL;
    for (char **s = spec; *s; s++) {
        guint i;
        GError *err = NULL;
        if (!rc_xlsx_find_sheet(x, *s, &i, &err)) {
            if (!first)
                first = err;
            else
                g_error_free(err);
            continue;
        }
        gboolean seen = FALSE;
        for (guint k = 0; k < sel->len; k++)
            seen |= g_array_index(sel, guint, k) == i;
        if (!seen)
            g_array_append_val(sel, i);
    }
    if (!sel->len && first) {
        g_propagate_error(error, first);
        return FALSE;
    }
    g_clear_error(&first);
    return TRUE;
}

/* "A, B,,C" -> { "A", "B", "C" }; NULL when SHEET names none. Owned. */
static char **split_sheets(const char *sheet)
{
    if (!sheet)
        return NULL;
    g_auto(GStrv) parts = g_strsplit(sheet, ",", -1);
    GPtrArray *out = g_ptr_array_new();
    for (char **p = parts; *p; p++) {
        g_strstrip(*p);
        if (**p)
            g_ptr_array_add(out, g_strdup(*p));
    }
    if (!out->len) {
        g_ptr_array_unref(out);
        return NULL;
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static void stats_add(RcTableStats *to, const RcTableStats *s)
{
    to->rows += s->rows;
    to->blank += s->blank;
    to->problems += s->problems;
    to->ragged += s->ragged;
}

/* Every sheet of the workbook at PATH that SHEET asks for (see
 * rc_table_read_path). */
static gboolean read_workbook(const char *path, const char *sheet, RcKind kind, const RcConfig *cfg,
                              const RcTableSink *sink, gpointer user, RcTableStats *stats, RcTableInfo *info,
                              GError **error)
{
    g_auto(GStrv) spec = split_sheets(sheet);
    /* opened on the first sheet named that this workbook has */
    g_autoptr(RcXlsx) x = NULL;
    for (guint t = 0; !x; t++) {
        GError *err = NULL;
        x = rc_xlsx_open(path, spec ? spec[t] : NULL, &err);
        if (!x && (!spec || !spec[t + 1] || !g_error_matches(err, RC_XLSX_ERROR, RC_XLSX_ERROR_NO_SHEET))) {
            g_propagate_error(error, err);
            return FALSE;
        }
        g_clear_error(&err);
    }
    guint n = rc_xlsx_n_sheets(x);
    const char **why = g_new0(const char *, MAX(n, 1));
    gboolean *read = g_new0(gboolean, MAX(n, 1));
    g_autoptr(GArray) sel = g_array_new(FALSE, FALSE, sizeof(guint));
    gboolean ok = sheets_to_read(x, spec, sel, why, error);
    GError *first = NULL;
    guint n_read = 0;
    for (guint k = 0; ok && k < sel->len; k++) {
        guint i = g_array_index(sel, guint, k);
        if (i != rc_xlsx_sheet_index(x) || k > 0)
            ok = rc_xlsx_select(x, i, error);
        if (!ok)
            break;
        RcTableStats one = {0};
        GError *err = NULL;
        if (rc_table_read_xlsx(x, kind, cfg, sink, user, &one, &err)) {
            read[i] = TRUE;
            n_read++;
        } else if (g_error_matches(err, RC_TABLE_ERROR, RC_TABLE_ERROR_NO_HEADER)) {
            why[i] = "no usable header";
            if (!first)
                first = g_steal_pointer(&err);
            g_clear_error(&err);
        } else {
            g_propagate_error(error, err);
            ok = FALSE;
        }
        if (stats)
            stats_add(stats, &one);
    }
    if (ok && !n_read) {
        if (first)
            g_propagate_error(error, g_steal_pointer(&first));
        else
            g_set_error(error, RC_XLSX_ERROR, RC_XLSX_ERROR_NO_SHEET, "%s: no worksheet to read", path);
        ok = FALSE;
    }
    g_clear_error(&first);
    if (info) {
        info->encoding = g_strdup(rc_xlsx_format_name(x));
        info->sheets = g_new0(char *, n + 1);
        info->hidden = g_new0(gboolean, MAX(n, 1));
        info->skipped = g_new0(char *, MAX(n, 1));
        info->read = read;
        read = NULL;
        for (guint i = 0; i < n; i++) {
            info->sheets[i] = g_strdup(rc_xlsx_sheet_name(x, i));
            info->hidden[i] = rc_xlsx_sheet_hidden(x, i);
            info->skipped[i] = g_strdup(why[i]);
            if (info->read[i] && !info->sheet) {
                info->sheet = g_strdup(info->sheets[i]);
                info->sheet_index = i;
            }
        }
        if (!info->sheet) {
            info->sheet = g_strdup(rc_xlsx_sheet(x));
            info->sheet_index = rc_xlsx_sheet_index(x);
        }
    }
    g_free(read);
    g_free(why);
    return ok;
}

gboolean rc_table_read_path(const char *path, const char *encoding, const char *sheet, RcKind kind,
                            const RcConfig *cfg, const RcTableSink *sink, gpointer user, RcTableStats *stats,
                            RcTableInfo *info, GError **error)
{
    if (info)
        memset(info, 0, sizeof *info);
    gboolean workbook = strcmp(path, "-") != 0 &&
                        (rc_xlsx_sniff(path) != RC_XLSX_FORMAT_NONE || rc_xlsx_path_is_workbook(path));
    if (!workbook) {
        g_autoptr(RcSource) src = rc_source_open(path, encoding, error);
        if (!src)
            return FALSE;
        gboolean ok = rc_table_read(src, kind, cfg, sink, user, stats, error);
        if (info) {
            info->encoding = g_strdup(rc_source_encoding(src));
            info->forced = rc_source_encoding_forced(src);
        }
        return ok;
    }
    if (info)
        info->workbook = TRUE;
    if (stats)
        memset(stats, 0, sizeof *stats);
    return read_workbook(path, sheet, kind, cfg, sink, user, stats, info, error);
}

/* ---- values that span two columns ---- */

gboolean rc_table_time_only(const char *s, gsize len)
{
    const char *p = s, *end = s + len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (end - p >= 6 && (memcmp(p, "上午", 6) == 0 || memcmp(p, "下午", 6) == 0)) {
        p += 6;
        while (p < end && *p == ' ')
            p++;
    }
    /* H[H] then a mark (: 时 点 時 點), M[M], optionally a mark (: 分) and
     * S[S] (秒), then perhaps AM / PM */
    int parts = 0;
    while (p < end) {
        int digits = 0;
        while (p < end && g_ascii_isdigit(*p) && digits < 3) {
            p++;
            digits++;
        }
        if (digits == 0 || digits > 2)
            return FALSE;
        parts++;
        if (p == end)
            break;
        static const char *const marks[] = {":", "时", "点", "時", "點", "分", "秒"};
        gsize k;
        for (k = 0; k < G_N_ELEMENTS(marks); k++) {
            gsize ml = strlen(marks[k]);
            if ((gsize)(end - p) >= ml && memcmp(p, marks[k], ml) == 0) {
                p += ml;
                break;
            }
        }
        if (k == G_N_ELEMENTS(marks)) {
            while (p < end && *p == ' ')
                p++;
            gsize rest = (gsize)(end - p);
            return parts >= 2 && rest == 2 &&
                   (g_ascii_strncasecmp(p, "am", 2) == 0 || g_ascii_strncasecmp(p, "pm", 2) == 0);
        }
    }
    return parts >= 2 && parts <= 3;
}

const char *rc_record_sampled_at(const RcHeader *h, const RcRecord *r, GString *scratch, guint *len)
{
    guint tl = 0, dl = 0;
    const char *t = rc_record_field(r, h->col[RC_ROLE_SAMPLED_AT], &tl);
    if (h->date_col < 0) {
        *len = tl;
        return t;
    }
    const char *d = rc_record_field(r, h->date_col, &dl);
    while (dl && (*d == ' ' || *d == '\t')) {
        d++;
        dl--;
    }
    while (dl && (d[dl - 1] == ' ' || d[dl - 1] == '\t'))
        dl--;
    if (dl == 0 || !rc_table_time_only(t, tl)) {
        *len = tl; /* no date, or a time column that holds its own date */
        return t;
    }
    g_string_truncate(scratch, 0);
    g_string_append_len(scratch, d, dl);
    g_string_append_c(scratch, ' ');
    g_string_append_len(scratch, t, tl);
    *len = (guint)scratch->len;
    return scratch->str;
}

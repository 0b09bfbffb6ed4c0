/* table: libcsv fed one physical line at a time, so that every record knows
 * the line it starts on; header and delimiter found on a buffered prefix. */
#include "table.h"

#include <csv.h>
#include <string.h>

G_DEFINE_QUARK(rc-table-error-quark, rc_table_error)

#define PREFIX_MAX (4u * 1024 * 1024)
#define PREFIX_MIN (64u * 1024)
#define FIELD_OVERHEAD 16 /* bytes a field costs against the record cap */

static const char delimiters[] = { ',', ';', '\t' };

/* ---- header cells ---- */

char *
rc_table_header_key(const char *cell)
{
    g_autofree char *nfkc = g_utf8_normalize(cell, -1, G_NORMALIZE_NFKC);
    if (!nfkc)
        return g_strdup("");
    g_autofree char *folded = g_utf8_casefold(nfkc, -1);
    GString *out = g_string_sized_new(strlen(folded));
    for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == '*' || c == ':' || c == 0xFEFF || c == 0x200B ||
            c == 0x200C || c == 0x200D || c == 0x3000 || c == 0x00A0)
            continue;
        g_string_append_unichar(out, c);
    }
    return g_string_free(out, FALSE);
}

gboolean
rc_table_roles_enough(RcKind kind, const int col[RC_ROLE_COUNT])
{
    if (kind == RC_KIND_ROSTER)
        return col[RC_ROLE_NAME] >= 0;
    return col[RC_ROLE_RESULT] >= 0 && (col[RC_ROLE_ID] >= 0 || col[RC_ROLE_NAME] >= 0);
}

/* Alias key -> role + 1 (0 is "absent" for GHashTable lookups). */
static GHashTable *
alias_table(const RcConfig *cfg, RcKind kind)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int r = 0; r < RC_ROLE_COUNT; r++) {
        for (const char *const *a = rc_config_aliases(cfg, kind, (RcRole)r); *a; a++) {
            char *key = rc_table_header_key(*a);
            if (*key && !g_hash_table_contains(t, key))
                g_hash_table_insert(t, key, GINT_TO_POINTER(r + 1));
            else
                g_free(key);
        }
    }
    return t;
}

/* ---- record assembly shared by the trial and the real parse ---- */

/* The record being assembled: fields back to back, each NUL-terminated, in
 * one growing buffer; plain arrays of offsets and lengths. No allocation per
 * row once the buffers have grown to the widest record. */
typedef struct {
    char *buf;
    gsize len, cap;
    guint *offs, *lens;
    guint n, ncap;
    gsize bytes;      /* against the record cap */
    gboolean oversize;
    const char *oversize_reason;
} Rec;

static void
rec_init(Rec *r)
{
    memset(r, 0, sizeof *r);
    r->cap = 1024;
    r->buf = g_malloc(r->cap);
    r->ncap = 32;
    r->offs = g_new(guint, r->ncap);
    r->lens = g_new(guint, r->ncap);
}

static void
rec_clear(Rec *r)
{
    r->len = 0;
    r->n = 0;
    r->bytes = 0;
    r->oversize = FALSE;
    r->oversize_reason = NULL;
}

static void
rec_destroy(Rec *r)
{
    g_free(r->buf);
    g_free(r->offs);
    g_free(r->lens);
}

static void
rec_add(Rec *r, const void *s, gsize len)
{
    if (r->oversize)
        return;
    r->bytes += len + FIELD_OVERHEAD;
    if (r->bytes > RC_TABLE_RECORD_CAP) {
        r->oversize = TRUE;
        r->oversize_reason = "record longer than 1 MiB";
        r->len = 0;
        r->n = 0;
        return;
    }
    if (r->len + len + 1 > r->cap) {
        while (r->len + len + 1 > r->cap)
            r->cap *= 2;
        r->buf = g_realloc(r->buf, r->cap);
    }
    if (r->n == r->ncap) {
        r->ncap = MAX(r->ncap * 2, 32); /* rec_init sets 32: MAX for an analyser that loses it */
        r->offs = g_renew(guint, r->offs, r->ncap);
        r->lens = g_renew(guint, r->lens, r->ncap);
    }
    r->offs[r->n] = (guint)r->len;
    r->lens[r->n] = (guint)len;
    r->n++;
    if (len)
        memcpy(r->buf + r->len, s, len);
    r->len += len;
    r->buf[r->len++] = '\0';
}

static gboolean
rec_blank(const Rec *r)
{
    for (guint i = 0; i < r->n; i++) {
        guint l = r->lens[i];
        const char *f = r->buf + r->offs[i];
        for (guint k = 0; k < l; k++)
            if (f[k] != ' ' && f[k] != '\t')
                return FALSE;
    }
    return TRUE;
}

/* libcsv grows its field buffer through this; refusing past the cap makes
 * csv_parse stop with CSV_ENOMEM, which we turn into a problem row. The
 * buffer may hold two bytes more than a field (a quoted field's closing
 * quote, and a full buffer stops libcsv before the byte that ends the
 * field): on_field() rejects what is longer than the cap. */
static void *
capped_realloc(void *p, size_t n)
{
    if (n > RC_TABLE_FIELD_CAP + 2)
        return NULL;
    return realloc(p, n);
}

static int
no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void
parser_init(struct csv_parser *p, char delim)
{
    csv_init(p, CSV_STRICT_FINI);
    csv_set_delim(p, (unsigned char)delim);
    csv_set_space_func(p, no_space);
    csv_set_realloc_func(p, capped_realloc);
    csv_set_blk_size(p, 1024);
}

/* ---- the parse ---- */

typedef struct {
    struct csv_parser p;
    Rec rec;
    guint64 line;        /* physical line of the bytes being fed */
    guint64 rec_line;    /* line the current record started on */
    gboolean at_start;   /* no byte of the next record fed yet */
    gboolean pending_cr; /* last byte fed was a CR ending a chunk */
    gboolean skip_line;  /* drop bytes to the end of this line (after an overflow) */

    /* what to do with finished records */
    guint records;       /* non-blank records seen */
    guint header_index;  /* which record is the header (real parse) */
    guint trial_limit;   /* trial: stop keeping after this many */
    GPtrArray *trial;    /* trial: GStrv per record */

    const char *file;
    const char *sheet;   /* a workbook's sheet, for the header */
    RcKind kind;
    GHashTable *aliases;
    RcHeader *header;
    const RcTableSink *sink;
    gpointer user;
    RcTableStats *stats;
    GError *error;       /* first sink error; stops the parse */
    guint *role_cols;    /* columns that hold a role, for the ragged rule */
    guint n_role_cols;
    guint max_role_col;
    /* reused row view */
    GPtrArray *view_fields;
    GArray *view_lens;
    struct Pipe *pipe;   /* set: events go to the caller's thread */
    char prep[RC_TABLE_PREP_CAP]; /* what sink->prepare wrote for the row */
} Parse;

static void
header_free(RcHeader *h)
{
    if (!h)
        return;
    g_strfreev(h->names);
    g_free(h->roles);
    g_free(h->extras);
    g_free(h);
}

static RcHeader *
header_build(Parse *ps, const Rec *r, char delim, guint64 line)
{
    RcHeader *h = g_new0(RcHeader, 1);
    guint n = r->n;
    h->kind = ps->kind;
    h->delimiter = delim;
    h->line = line;
    h->sheet = ps->sheet;
    h->n_columns = n;
    h->names = g_new0(char *, n + 1);
    h->roles = g_new0(RcRole, n);
    h->extras = g_new0(guint, n);
    for (int i = 0; i < RC_ROLE_COUNT; i++)
        h->col[i] = -1;
    for (guint i = 0; i < n; i++) {
        const char *cell = r->buf + r->offs[i];
        h->names[i] = g_strstrip(g_strdup(cell));
        g_autofree char *key = rc_table_header_key(cell);
        int role = GPOINTER_TO_INT(g_hash_table_lookup(ps->aliases, key)) - 1;
        if (role >= 0 && h->col[role] < 0) {
            h->col[role] = (int)i;
            h->roles[i] = (RcRole)role;
        } else {
            h->roles[i] = RC_ROLE_NONE;
            h->extras[h->n_extras++] = i;
        }
    }
    return h;
}

/* ---- the pipeline: with two cores, decoding and parsing run in a thread
 * of their own and hand events, in order, to the caller's thread, which runs
 * the sink. Batches are recycled, so memory stays bounded. ---- */

typedef enum { EV_HEADER, EV_ROW, EV_PROBLEM } EvType;

typedef struct {
    guint8 type, kept, ragged;
    guint n_fields, n_raw;
    guint first;          /* first field in the batch's offs / lens */
    guint64 line;
    gsize reason;         /* offset in text, G_MAXSIZE for none */
    gsize prep;           /* offset in text of the prepared bytes */
    guint prep_len;
} Event;

typedef struct {
    Event *events;
    guint n_events, cap_events;
    char *text;           /* record buffers and reasons, back to back */
    gsize text_len, text_cap;
    gsize *offs;          /* per field: offset in text */
    guint *lens;
    guint n_fields, cap_fields;
    GError *error;        /* the parser's error, in the last batch */
    gboolean last;
} Batch;

struct Pipe {
    GAsyncQueue *full, *free;
    gint stop;            /* the sink failed: the parser may stop early */
    Batch *cur;
};

#define PIPE_BATCHES 4
#define BATCH_EVENTS 4096
#define BATCH_TEXT (1u << 20)

static Batch *
batch_new(void)
{
    Batch *b = g_new0(Batch, 1);
    b->cap_events = BATCH_EVENTS;
    b->events = g_new(Event, b->cap_events);
    b->text_cap = BATCH_TEXT + 64 * 1024;
    b->text = g_malloc(b->text_cap);
    b->cap_fields = 16 * BATCH_EVENTS;
    b->offs = g_new(gsize, b->cap_fields);
    b->lens = g_new(guint, b->cap_fields);
    return b;
}

static void
batch_reset(Batch *b)
{
    b->n_events = 0;
    b->n_fields = 0;
    b->text[0] = '\0'; /* offset 0: the empty field of short rows */
    b->text_len = 1;
}

static void
batch_free(Batch *b)
{
    g_free(b->events);
    g_free(b->text);
    g_free(b->offs);
    g_free(b->lens);
    g_clear_error(&b->error);
    g_free(b);
}

static Batch *
pipe_batch(struct Pipe *p)
{
    if (!p->cur) {
        p->cur = g_async_queue_pop(p->free);
        batch_reset(p->cur);
    }
    return p->cur;
}

static void
pipe_push(struct Pipe *p)
{
    g_async_queue_push(p->full, p->cur);
    p->cur = NULL;
}

static gsize
batch_text(Batch *b, const char *s, gsize len)
{
    if (b->text_len + len > b->text_cap) {
        while (b->text_len + len > b->text_cap)
            b->text_cap *= 2;
        b->text = g_realloc(b->text, b->text_cap);
    }
    gsize at = b->text_len;
    /* cppcheck-suppress ctunullpointer ; S is NULL only with LEN 0: pipe_event() passes PREP only when PREP_LEN */
    memcpy(b->text + at, s, len);
    b->text_len += len;
    return at;
}

/* Queues an event. A row or problem carries the record being assembled
 * (REC, its N_FIELDS first fields, padded with empty ones): its buffer is
 * copied whole, in one go. */
static void
pipe_event(struct Pipe *p, EvType type, const Rec *rec, guint n_fields, guint64 line, gboolean ragged,
           const char *reason, gboolean kept, const char *prep, guint prep_len)
{
    Batch *b = pipe_batch(p);
    if (b->n_events == b->cap_events) {
        b->cap_events *= 2;
        b->events = g_renew(Event, b->events, b->cap_events);
    }
    if (b->n_fields + n_fields > b->cap_fields) {
        while (b->n_fields + n_fields > b->cap_fields)
            b->cap_fields *= 2;
        b->offs = g_renew(gsize, b->offs, b->cap_fields);
        b->lens = g_renew(guint, b->lens, b->cap_fields);
    }
    Event ev = { (guint8)type, (guint8)kept, (guint8)ragged, n_fields, rec ? rec->n : 0, b->n_fields, line,
                 G_MAXSIZE, 0, prep_len };
    if (n_fields) {
        gsize base = batch_text(b, rec->buf, rec->len);
        gsize *o = b->offs + b->n_fields;
        guint *l = b->lens + b->n_fields;
        guint k = MIN(n_fields, rec->n);
        for (guint i = 0; i < k; i++) {
            o[i] = base + rec->offs[i];
            l[i] = rec->lens[i];
        }
        for (guint i = k; i < n_fields; i++) {
            o[i] = 0;
            l[i] = 0;
        }
        b->n_fields += n_fields;
    }
    if (reason)
        ev.reason = batch_text(b, reason, strlen(reason) + 1);
    if (prep_len)
        ev.prep = batch_text(b, prep, prep_len);
    /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): every batch comes from batch_new(), BATCH_EVENTS long */
    b->events[b->n_events++] = ev;
    if (b->n_events >= BATCH_EVENTS || b->text_len >= BATCH_TEXT)
        pipe_push(p);
}

/* Hands an event to the sink: directly, or through the pipe. */
static void
deliver(Parse *ps, EvType type, const RcRecord *r, const char *reason, gboolean kept)
{
    if (ps->pipe) {
        pipe_event(ps->pipe, type, r ? &ps->rec : NULL, r ? r->n_fields : 0, r ? r->line : 0,
                   r ? r->ragged : FALSE, reason, kept, r ? r->prep : NULL, r ? r->prep_len : 0);
        return;
    }
    if (!ps->sink || ps->error)
        return;
    if (type == EV_HEADER && ps->sink->header)
        ps->sink->header(ps->header, ps->user, &ps->error);
    else if (type == EV_ROW && ps->sink->row)
        ps->sink->row(ps->header, r, ps->user, &ps->error);
    else if (type == EV_PROBLEM && ps->sink->problem)
        ps->sink->problem(ps->header, r, reason, kept, ps->user);
}

static void
emit_problem(Parse *ps, const RcRecord *r, const char *reason, gboolean kept)
{
    deliver(ps, EV_PROBLEM, r, reason, kept);
}

static void
emit_data(Parse *ps)
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
                f = rec->buf + rec->offs[i];
                l = rec->lens[i];
            }
            g_ptr_array_add(ps->view_fields, (gpointer)f);
            g_array_append_val(ps->view_lens, l);
        }
    }
    RcRecord r = {
        .line = ps->rec_line,
        .n_fields = rec->oversize ? 0 : n,
        .fields = (const char **)ps->view_fields->pdata,
        .lens = (const guint *)ps->view_lens->data,
        .ragged = !rec->oversize && n_raw != h->n_columns,
        .n_raw = n_raw,
    };
    if (ps->stats)
        ps->stats->rows++;
    if (rec->oversize) {
        if (ps->stats)
            ps->stats->problems++;
        emit_problem(ps, &r, rec->oversize_reason, FALSE);
        return;
    }
    if (r.ragged) {
        gboolean kept = n_raw > ps->max_role_col || ps->n_role_cols == 0;
        g_autofree char *why = g_strdup_printf("%u fields where the header has %u%s", n_raw,
                                               h->n_columns, kept ? "" : ": a needed column is missing");
        if (ps->stats) {
            if (kept)
                ps->stats->ragged++;
            else
                ps->stats->problems++;
        }
        emit_problem(ps, &r, why, kept);
        if (!kept)
            return;
    }
    if (ps->sink && ps->sink->prepare) {
        r.prep_len = (guint)MIN(ps->sink->prepare(h, &r, ps->sink->prep_user, ps->prep), RC_TABLE_PREP_CAP);
        r.prep = ps->prep;
    }
    deliver(ps, EV_ROW, &r, NULL, FALSE);
}

static void
on_field(void *s, size_t len, void *data)
{
    Parse *ps = data;
    if (len > RC_TABLE_FIELD_CAP && !ps->rec.oversize) {
        ps->rec.oversize = TRUE;
        ps->rec.oversize_reason = "field longer than 64 KiB";
    }
    rec_add(&ps->rec, s, len);
}

static void
on_record(int c, void *data)
{
    Parse *ps = data;
    Rec *rec = &ps->rec;
    (void)c;
    ps->at_start = TRUE;
    if (!rec->oversize && rec_blank(rec)) {
        if (ps->header && ps->stats)
            ps->stats->blank++;
        rec_clear(rec);
        return;
    }
    guint idx = ps->records++;
    if (ps->trial) {
        if (idx < ps->trial_limit) {
            GStrv cells = g_new0(char *, rec->n + 1);
            for (guint i = 0; i < rec->n; i++)
                cells[i] = g_strdup(rec->buf + rec->offs[i]);
            g_ptr_array_add(ps->trial, cells);
        }
    } else if (idx == ps->header_index) {
        ps->header = header_build(ps, rec, (char)csv_get_delim(&ps->p), ps->rec_line);
        ps->role_cols = g_new0(guint, ps->header->n_columns);
        for (guint i = 0; i < ps->header->n_columns; i++)
            if (ps->header->roles[i] != RC_ROLE_NONE) {
                ps->role_cols[ps->n_role_cols++] = i;
                ps->max_role_col = i;
            }
        deliver(ps, EV_HEADER, NULL, NULL, FALSE);
    } else if (idx > ps->header_index) {
        emit_data(ps);
    }
    rec_clear(rec);
}

/* libcsv's state between records (csv.c's ROW_NOT_BEGUN). */
#define LIBCSV_ROW_NOT_BEGUN 0

/* The fast path for a whole physical line with no quote character, met
 * between records: libcsv would only split it at the delimiter, so split it
 * here with memchr, several times faster than libcsv's loop of a call per
 * byte. Quoted records, and lines a chunk cut, still go through libcsv. */
static gboolean
parse_plain_line(Parse *ps, const char *d, gsize n)
{
    if (ps->p.pstate != LIBCSV_ROW_NOT_BEGUN || ps->p.entry_pos != 0 || memchr(d, '"', n))
        return FALSE;
    gsize end = n;
    while (end && (d[end - 1] == '\n' || d[end - 1] == '\r'))
        end--;
    if (end == 0)
        return TRUE; /* a blank line: libcsv skips it too */
    ps->rec_line = ps->line;
    ps->at_start = FALSE;
    char delim = (char)ps->p.delim_char;
    const char *f = d, *stop = d + end;
    for (;;) {
        const char *q = memchr(f, delim, (gsize)(stop - f));
        const char *fe = q ? q : stop;
        on_field((void *)f, (gsize)(fe - f), ps);
        if (!q)
            break;
        f = q + 1;
    }
    on_record(d[end], ps);
    return TRUE;
}

static void
parse_bytes(Parse *ps, const char *d, gsize n, gboolean whole_line)
{
    if (ps->skip_line || n == 0)
        return;
    /* A NUL byte is damage in a text file (a zero-filled block after a
     * crash, UTF-16 without its BOM), and every value is a C string on
     * from here: the record holding one is a problem row, not values cut
     * short or joined across it. A segment never holds two records' bytes. */
    if (!ps->rec.oversize && memchr(d, '\0', n)) {
        ps->rec.oversize = TRUE;
        ps->rec.oversize_reason = "NUL byte in a field";
    }
    if (whole_line && parse_plain_line(ps, d, n))
        return;
    if (ps->at_start) {
        /* A run of line ends alone is a blank line libcsv skips: the record
         * starts on a later line. */
        gboolean only_nl = TRUE;
        for (gsize i = 0; i < n && only_nl; i++)
            only_nl = d[i] == '\n' || d[i] == '\r';
        if (!only_nl) {
            ps->rec_line = ps->line;
            ps->at_start = FALSE;
        }
    }
    size_t done = csv_parse(&ps->p, d, n, on_field, on_record, ps);
    while (done < n && csv_error(&ps->p) == CSV_ENOMEM && ps->p.entry_pos > 1) {
        /* The field outgrew its cap: the record is a problem, but it ends
         * where the CSV says, however many lines a quoted field runs on
         * (starting afresh on the next line would read the rest of a
         * quoted field as rows). What the field holds is dropped, but for
         * its last byte: libcsv takes back a closing quote from it. */
        ps->rec.oversize = TRUE;
        ps->rec.oversize_reason = "field longer than 64 KiB";
        ps->p.entry_buf[0] = ps->p.entry_buf[ps->p.entry_pos - 1];
        ps->p.entry_pos = 1;
        ps->p.status = CSV_SUCCESS;
        d += done;
        n -= done;
        done = csv_parse(&ps->p, d, n, on_field, on_record, ps);
    }
    if (done < n) {
        /* libcsv failed otherwise: this record is a problem; start afresh
         * on the next physical line. */
        ps->rec.oversize = TRUE;
        ps->rec.oversize_reason = csv_error(&ps->p) == CSV_ENOMEM ? "field longer than 64 KiB"
                                                                 : "unreadable CSV record";
        char delim = (char)csv_get_delim(&ps->p);
        csv_free(&ps->p);
        parser_init(&ps->p, delim);
        on_record('\n', ps);
        ps->skip_line = TRUE;
    }
}

/* Feeds D to libcsv one physical line at a time (LF, CRLF, bare CR). */
static void
feed(Parse *ps, const char *d, gsize n)
{
    gsize i = 0;
    const char *cr = NULL; /* next CR at or after i, cached: LF files have none */
    gboolean cr_known = FALSE;

    while (i < n && !ps->error) {
        if (ps->pending_cr) {
            ps->pending_cr = FALSE;
            if (d[i] == '\n') {
                parse_bytes(ps, d + i, 1, FALSE);
                i++;
            }
            ps->line++;
            ps->skip_line = FALSE;
            continue;
        }
        const char *lf = memchr(d + i, '\n', n - i);
        if (!cr_known || (cr && cr < d + i)) {
            cr = memchr(d + i, '\r', n - i);
            cr_known = TRUE;
        }
        const char *end;
        if (cr && (!lf || cr < lf)) {
            gsize k = (gsize)(cr - d);
            if (k + 1 == n) { /* CR last in the chunk: LF may follow in the next */
                parse_bytes(ps, d + i, n - i, FALSE);
                ps->pending_cr = TRUE;
                return;
            }
            end = d[k + 1] == '\n' ? cr + 2 : cr + 1;
        } else if (lf) {
            end = lf + 1;
        } else {
            parse_bytes(ps, d + i, n - i, FALSE);
            return;
        }
        gsize seg = (gsize)(end - (d + i));
        parse_bytes(ps, d + i, seg, TRUE);
        ps->line++;
        ps->skip_line = FALSE;
        i += seg;
    }
}

/* libcsv's parser states (csv.c); the struct is public, the names are not. */
#define LIBCSV_FIELD_BEGUN 2

static void
finish(Parse *ps)
{
    gboolean unclosed = ps->p.quoted && ps->p.pstate == LIBCSV_FIELD_BEGUN;
    if (unclosed || csv_fini(&ps->p, on_field, on_record, ps) != 0) {
        /* CSV_STRICT_FINI: a quote opened and never closed. */
        ps->rec.oversize = TRUE;
        ps->rec.oversize_reason = "quoted field never closed before the end of the file";
        on_record(-1, ps);
    }
}

static void
parse_setup(Parse *ps, char delim)
{
    memset(ps, 0, sizeof *ps);
    parser_init(&ps->p, delim);
    rec_init(&ps->rec);
    ps->line = 1;
    ps->rec_line = 1;
    ps->at_start = TRUE;
}

static void
parse_teardown(Parse *ps)
{
    csv_free(&ps->p);
    rec_destroy(&ps->rec);
    header_free(ps->header);
    g_free(ps->role_cols);
    if (ps->trial)
        g_ptr_array_unref(ps->trial);
    if (ps->view_fields)
        g_ptr_array_unref(ps->view_fields);
    if (ps->view_lens)
        g_array_unref(ps->view_lens);
    g_clear_error(&ps->error);
}

/* The kinds a header is tried as, in order: KIND, or for RC_KIND_COUNT
 * (auto) results first, the more specific, then roster. */
static void
kinds_to_try(RcKind kind, RcKind kinds[2])
{
    kinds[0] = kinds[1] = kind;
    if (kind == RC_KIND_COUNT) {
        kinds[0] = RC_KIND_RESULTS;
        kinds[1] = RC_KIND_ROSTER;
    }
}

/* No header among the first rows: WHERE (the file, and the sheet) and the
 * columns the KINDS tried needed. */
static void
set_no_header(GError **error, const char *where, const RcKind kinds[2])
{
    g_set_error(error, RC_TABLE_ERROR, RC_TABLE_ERROR_NO_HEADER,
                "%s: no header in the first %d rows holds the needed columns (%s)", where, RC_TABLE_HEADER_SCAN,
                kinds[0] == RC_KIND_ROSTER ? "a name"
                : kinds[0] == kinds[1]     ? "a result, and an id or a name"
                                           : "a name for a roster, or a result and an id or a name for results");
}

/* Sets PS up for the real parse of FILE, whose header is the record at
 * HEADER_INDEX, and whose rows go to SINK. */
static void
parse_begin(Parse *ps, char delim, int header_index, const char *file, RcKind kind, GHashTable *aliases,
            const RcTableSink *sink, gpointer user, RcTableStats *stats)
{
    parse_setup(ps, delim);
    ps->header_index = (guint)header_index;
    ps->file = file;
    ps->kind = kind;
    ps->aliases = aliases;
    ps->sink = sink;
    ps->user = user;
    ps->stats = stats;
    ps->view_fields = g_ptr_array_new();
    ps->view_lens = g_array_new(FALSE, FALSE, sizeof(guint));
}

/* The end of a run in the caller's thread: PRODUCED is the producer's
 * answer, with its error in *PRODUCER_ERROR; a sink's error waits in PS. */
static gboolean
serial_done(gboolean produced, GError **producer_error, Parse *ps, GError **error)
{
    if (!produced) {
        g_propagate_error(error, g_steal_pointer(producer_error));
        return FALSE;
    }
    if (ps->error) {
        g_propagate_error(error, g_steal_pointer(&ps->error));
        return FALSE;
    }
    return TRUE;
}

/* Which record (of the first RC_TABLE_HEADER_SCAN non-blank ones) is a
 * header under DELIM; -1 if none. *NCOLS gets its width. */
static int
trial_header(const char *prefix, gsize len, gboolean eof, char delim, RcKind kind,
             GHashTable *aliases, guint *ncols)
{
    Parse ps;
    parse_setup(&ps, delim);
    ps.trial = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    ps.trial_limit = RC_TABLE_HEADER_SCAN;
    feed(&ps, prefix, len);
    if (eof)
        csv_fini(&ps.p, on_field, on_record, &ps);
    int found = -1;
    for (guint i = 0; i < ps.trial->len && found < 0; i++) {
        GStrv cells = g_ptr_array_index(ps.trial, i);
        int col[RC_ROLE_COUNT];
        for (int r = 0; r < RC_ROLE_COUNT; r++)
            col[r] = -1;
        guint n = 0;
        for (; cells[n]; n++) {
            g_autofree char *key = rc_table_header_key(cells[n]);
            int role = GPOINTER_TO_INT(g_hash_table_lookup(aliases, key)) - 1;
            if (role >= 0 && col[role] < 0)
                col[role] = (int)n;
        }
        if (rc_table_roles_enough(kind, col)) {
            found = (int)i;
            *ncols = n;
        }
    }
    parse_teardown(&ps);
    return found;
}

static gboolean
count_lines_enough(const GString *prefix)
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
    RcSource *src;
    GString *prefix;      /* owned until fed */
    gboolean eof;
    GError *error;        /* a source error */
} Producer;

/* In the pipeline, a producer's last batch says so and carries its error
 * (taken from *ERROR), if any. Without the pipeline, nothing to do. */
static void
end_production(Parse *ps, GError **error)
{
    if (!ps->pipe)
        return;
    Batch *b = pipe_batch(ps->pipe);
    b->last = TRUE;
    b->error = g_steal_pointer(error);
    pipe_push(ps->pipe);
}

/* Feeds the buffered prefix, then the rest of the source, then ends the
 * parse. In the pipeline, the last batch carries the error, if any. */
static gboolean
produce(Producer *pr)
{
    Parse *ps = pr->ps;
    const char *data;
    gsize len;
    gboolean ok = TRUE;
    feed(ps, pr->prefix->str, pr->prefix->len);
    g_string_free(g_steal_pointer(&pr->prefix), TRUE);
    while (!pr->eof && !ps->error) {
        if (ps->pipe && g_atomic_int_get(&ps->pipe->stop))
            break;
        if (!rc_source_read(pr->src, &data, &len, &pr->error)) {
            ok = FALSE;
            break;
        }
        if (len == 0)
            break;
        feed(ps, data, len);
    }
    if (ok && !ps->error)
        finish(ps);
    end_production(ps, &pr->error);
    return ok;
}

static gpointer
produce_thread(gpointer data)
{
    produce(data);
    return NULL;
}

/* Runs one event of a batch through the sink, in the caller's thread.
 * VF holds at least ev->n_fields pointers. */
static void
replay(Parse *ps, Batch *b, const Event *ev, const char **vf, GError **error)
{
    const RcTableSink *sink = ps->sink;
    if (!sink)
        return;
    if (ev->type == EV_HEADER) {
        if (sink->header)
            sink->header(ps->header, ps->user, error);
        return;
    }
    const gsize *o = b->offs + ev->first;
    for (guint i = 0; i < ev->n_fields; i++)
        vf[i] = b->text + o[i];
    RcRecord r = {
        .line = ev->line,
        .n_fields = ev->n_fields,
        .fields = vf,
        .lens = b->lens + ev->first,
        .ragged = ev->ragged,
        .n_raw = ev->n_raw,
        .prep = b->text + ev->prep,
        .prep_len = ev->prep_len,
    };
    if (ev->type == EV_ROW && sink->row)
        sink->row(ps->header, &r, ps->user, error);
    else if (ev->type == EV_PROBLEM && sink->problem)
        sink->problem(ps->header, &r, b->text + ev->reason, ev->kept, ps->user);
}

static gboolean run_pipeline(Parse *ps, GThreadFunc producer, gpointer data, GError **error);

gboolean
rc_table_read(RcSource *src, RcKind kind, const RcConfig *cfg, const RcTableSink *sink,
              gpointer user, RcTableStats *stats, GError **error)
{
    g_autoptr(GHashTable) aliases = NULL;
    g_autoptr(GString) prefix = g_string_sized_new(PREFIX_MIN);
    const char *data;
    gsize len;
    gboolean eof = FALSE;
    gboolean ok = FALSE;

    if (stats)
        memset(stats, 0, sizeof *stats);
    /* prefix is handed to the parser, which frees it */

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

    /* 2. Decide delimiter and header row: the earliest header wins, then
     * the widest. */
    int best = -1;
    guint best_cols = 0;
    char best_delim = ',';
    RcKind kinds[2];
    kinds_to_try(kind, kinds);
    for (int k = 0; k < 2 && best < 0; k++) {
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): GLib's own check that &aliases holds a pointer */
        g_clear_pointer(&aliases, g_hash_table_unref);
        aliases = alias_table(cfg, kinds[k]);
        kind = kinds[k];
        for (gsize d = 0; d < G_N_ELEMENTS(delimiters); d++) {
            guint ncols = 0;
            int idx = trial_header(prefix->str, prefix->len, eof, delimiters[d], kind, aliases, &ncols);
            if (idx >= 0 && (best < 0 || idx < best || (idx == best && ncols > best_cols))) {
                best = idx;
                best_cols = ncols;
                best_delim = delimiters[d];
            }
        }
    }
    if (best < 0) {
        set_no_header(error, rc_source_name(src), kinds);
        return FALSE;
    }

    /* 3. The real parse: the prefix again, then the rest. */
    Parse ps;
    parse_begin(&ps, best_delim, best, rc_source_name(src), kind, aliases, sink, user, stats);
    Producer pr = { &ps, src, g_steal_pointer(&prefix), eof, NULL };
    if (sink->threads != 1)
        ok = run_pipeline(&ps, produce_thread, &pr, error);
    else
        ok = serial_done(produce(&pr), &pr.error, &ps, error);
    parse_teardown(&ps);
    return ok;
}

/* ---- workbooks: rows from lib/xlsx through the same record path ---- */

/* A row kept while the header is looked for. */
typedef struct {
    guint64 number;
    guint n;
    char **cells;
    guint *lens;
    const char *oversize; /* static */
} HeldRow;

static void
held_row_free(gpointer p)
{
    HeldRow *h = p;
    g_strfreev(h->cells);
    g_free(h->lens);
    g_free(h);
}

static gboolean
cells_blank(guint n, const char *const *cells, const guint *lens)
{
    for (guint i = 0; i < n; i++)
        for (guint k = 0; k < lens[i]; k++)
            if (cells[i][k] != ' ' && cells[i][k] != '\t')
                return FALSE;
    return TRUE;
}

/* One sheet row through on_record(), as a CSV record would go: its line is
 * the sheet row; a data row shorter than the header is padded. */
static void
feed_sheet_row(Parse *ps, guint64 number, guint n, const char *const *cells, const guint *lens,
               const char *oversize)
{
    Rec *rec = &ps->rec;
    ps->rec_line = number;
    if (oversize) {
        rec->oversize = TRUE;
        rec->oversize_reason = oversize;
    }
    for (guint i = 0; i < n && !rec->oversize; i++) {
        if (lens[i] > RC_TABLE_FIELD_CAP) {
            rec->oversize = TRUE;
            rec->oversize_reason = "field longer than 64 KiB";
            break;
        }
        if (memchr(cells[i], '\0', lens[i])) { /* an .xls string may hold one */
            rec->oversize = TRUE;
            rec->oversize_reason = "NUL byte in a field";
            break;
        }
        rec_add(rec, cells[i], lens[i]);
    }
    if (ps->header && !rec->oversize)
        while (rec->n < ps->header->n_columns && !rec->oversize)
            rec_add(rec, "", 0);
    on_record(0, ps);
}

typedef struct {
    Parse *ps;
    RcXlsx *x;
    GPtrArray *held;      /* rows read while looking for the header */
    gboolean more;        /* rows may follow the held ones */
    GError *error;        /* the reader's */
} SheetProducer;

/* Feeds the held rows, then the rest of the sheet. In the pipeline, the
 * last batch carries the reader's error, if any. */
static gboolean
produce_sheet(SheetProducer *sp)
{
    Parse *ps = sp->ps;
    gboolean ok = TRUE;
    for (guint i = 0; i < sp->held->len && !ps->error; i++) {
        HeldRow *h = g_ptr_array_index(sp->held, i);
        feed_sheet_row(ps, h->number, h->n, (const char *const *)h->cells, h->lens, h->oversize);
    }
    g_ptr_array_set_size(sp->held, 0);
    while (sp->more && !ps->error) {
        const RcXlsxRow *row;
        if (ps->pipe && g_atomic_int_get(&ps->pipe->stop))
            break;
        if (!rc_xlsx_next_row(sp->x, &row, &sp->error)) {
            ok = FALSE;
            break;
        }
        if (!row)
            break;
        feed_sheet_row(ps, row->number, row->n_cells, row->cells, row->lens, row->oversize);
    }
    end_production(ps, &sp->error);
    return ok;
}

static gpointer
produce_sheet_thread(gpointer data)
{
    produce_sheet(data);
    return NULL;
}

/* The pipeline of rc_table_read for another producer: PRODUCER runs in a
 * second thread with ps->pipe set and ends with a batch marked last
 * (carrying its error); this thread replays every event to the sink. */
static gboolean
run_pipeline(Parse *ps, GThreadFunc producer, gpointer data, GError **error)
{
    struct Pipe pipe = { g_async_queue_new(), g_async_queue_new(), 0, NULL };
    for (int i = 0; i < PIPE_BATCHES; i++)
        g_async_queue_push(pipe.free, batch_new());
    ps->pipe = &pipe;
    GThread *th = g_thread_new("rc-parse", producer, data);
    GError *sink_error = NULL, *parse_error = NULL;
    guint vf_cap = 64;
    const char **vf = g_new(const char *, vf_cap);
    for (gboolean last = FALSE; !last;) {
        Batch *b = g_async_queue_pop(pipe.full);
        for (guint e = 0; e < b->n_events && !sink_error; e++) {
            if (b->events[e].n_fields > vf_cap) {
                vf_cap = b->events[e].n_fields;
                vf = g_renew(const char *, vf, vf_cap);
            }
            replay(ps, b, &b->events[e], vf, &sink_error);
        }
        if (sink_error)
            g_atomic_int_set(&pipe.stop, 1);
        last = b->last;
        if (last)
            parse_error = g_steal_pointer(&b->error);
        g_async_queue_push(pipe.free, b);
    }
    g_thread_join(th);
    g_free(vf);
    for (int i = 0; i < PIPE_BATCHES; i++)
        batch_free(g_async_queue_pop(pipe.free));
    g_async_queue_unref(pipe.full);
    g_async_queue_unref(pipe.free);
    ps->pipe = NULL;
    if (sink_error || parse_error) {
        g_propagate_error(error, sink_error ? sink_error : parse_error);
        if (sink_error)
            g_clear_error(&parse_error);
        return FALSE;
    }
    return TRUE;
}

gboolean
rc_table_read_xlsx(RcXlsx *x, RcKind kind, const RcConfig *cfg, const RcTableSink *sink, gpointer user,
                   RcTableStats *stats, GError **error)
{
    g_autoptr(GHashTable) aliases = NULL;
    g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func(held_row_free);
    const RcXlsxRow *row = NULL;
    guint non_blank = 0;
    gboolean ok = FALSE;

    if (stats)
        memset(stats, 0, sizeof *stats);

    /* 1. Hold the first rows, up to RC_TABLE_HEADER_SCAN non-blank ones. */
    while (non_blank < RC_TABLE_HEADER_SCAN) {
        if (!rc_xlsx_next_row(x, &row, error))
            return FALSE;
        if (!row)
            break;
        HeldRow *h = g_new0(HeldRow, 1);
        h->number = row->number;
        h->n = row->n_cells;
        h->cells = g_new0(char *, row->n_cells + 1);
        h->lens = g_new0(guint, MAX(row->n_cells, 1));
        for (guint i = 0; i < row->n_cells; i++) {
            h->cells[i] = g_strndup(row->cells[i], row->lens[i]);
            h->lens[i] = row->lens[i];
        }
        h->oversize = row->oversize;
        g_ptr_array_add(held, h);
        if (row->oversize || !cells_blank(h->n, (const char *const *)h->cells, h->lens))
            non_blank++;
    }

    /* 2. The header: the first non-blank row holding the needed roles. */
    int best = -1;
    RcKind kinds[2];
    kinds_to_try(kind, kinds);
    for (int k = 0; k < 2 && best < 0; k++) {
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): GLib's own check that &aliases holds a pointer */
        g_clear_pointer(&aliases, g_hash_table_unref);
        aliases = alias_table(cfg, kinds[k]);
        kind = kinds[k];
        int idx = 0;
        for (guint i = 0; i < held->len && best < 0; i++) {
            HeldRow *h = g_ptr_array_index(held, i);
            if (!h->oversize && cells_blank(h->n, (const char *const *)h->cells, h->lens))
                continue;
            int col[RC_ROLE_COUNT];
            for (int r = 0; r < RC_ROLE_COUNT; r++)
                col[r] = -1;
            for (guint c = 0; c < h->n && !h->oversize; c++) {
                g_autofree char *key = rc_table_header_key(h->cells[c]);
                int role = GPOINTER_TO_INT(g_hash_table_lookup(aliases, key)) - 1;
                if (role >= 0 && col[role] < 0)
                    col[role] = (int)c;
            }
            if (!h->oversize && rc_table_roles_enough(kind, col))
                best = idx;
            idx++;
        }
    }
    if (best < 0) {
        g_autofree char *where = g_strdup_printf("%s: sheet '%s'", rc_xlsx_path(x), rc_xlsx_sheet(x));
        set_no_header(error, where, kinds);
        return FALSE;
    }

    /* 3. Every row, the held ones again first, through the record path;
     * in the pipeline, inflating and parsing run in the second thread. */
    Parse ps;
    parse_begin(&ps, ',', best, rc_xlsx_path(x), kind, aliases, sink, user, stats);
    ps.sheet = rc_xlsx_sheet(x);
    SheetProducer sp = { &ps, x, held, row != NULL, NULL };
    if (sink->threads != 1)
        ok = run_pipeline(&ps, produce_sheet_thread, &sp, error);
    else
        ok = serial_done(produce_sheet(&sp), &sp.error, &ps, error);
    parse_teardown(&ps);
    return ok;
}

void
rc_table_info_clear(RcTableInfo *info)
{
    if (!info)
        return;
    g_free(info->encoding);
    g_free(info->sheet);
    g_strfreev(info->sheets);
    g_free(info->hidden);
    memset(info, 0, sizeof *info);
}

gboolean
rc_table_read_path(const char *path, const char *encoding, const char *sheet, RcKind kind, const RcConfig *cfg,
                   const RcTableSink *sink, gpointer user, RcTableStats *stats, RcTableInfo *info, GError **error)
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
    g_autoptr(RcXlsx) x = rc_xlsx_open(path, sheet, error);
    if (!x)
        return FALSE;
    if (info) {
        guint n = rc_xlsx_n_sheets(x);
        info->encoding = g_strdup(rc_xlsx_format_name(x));
        info->sheet = g_strdup(rc_xlsx_sheet(x));
        info->sheet_index = rc_xlsx_sheet_index(x);
        info->sheets = g_new0(char *, n + 1);
        info->hidden = g_new0(gboolean, MAX(n, 1));
        for (guint i = 0; i < n; i++) {
            info->sheets[i] = g_strdup(rc_xlsx_sheet_name(x, i));
            info->hidden[i] = rc_xlsx_sheet_hidden(x, i);
        }
    }
    return rc_table_read_xlsx(x, kind, cfg, sink, user, stats, error);
}

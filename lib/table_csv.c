/* table_csv: the CSV reader. libcsv is fed one physical line at a time (LF,
 * CRLF or a bare CR), so that every record knows the line it starts on; a
 * whole line with no quote goes through a memchr fast path instead. Fields
 * land in the shared record buffer (table_rec.c), whose caps turn an
 * overlong field or record into a problem row. This is the only file that
 * includes csv.h or reads libcsv's private state. */
#include "table_internal.h"

#include <csv.h>
#include <string.h>

struct TableCsv {
    struct csv_parser p;
    Rec *rec;
    TableCsvRecordFunc record;
    gpointer data;
    guint64 line;        /* physical line of the bytes being fed */
    gboolean at_start;   /* no byte of the next record fed yet */
    gboolean pending_cr; /* last byte fed was a CR ending a chunk */
    gboolean skip_line;  /* drop bytes to the end of this line (after an overflow) */
    gboolean stopped;    /* the record callback said stop */
};

/* libcsv's parser states (csv.c); the struct is public, the names are not. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN   2

/* libcsv grows its field buffer through this; refusing past the cap makes
 * csv_parse stop with CSV_ENOMEM, which we turn into a problem row. The
 * buffer may hold two bytes more than a field (a quoted field's closing
 * quote, and a full buffer stops libcsv before the byte that ends the
 * field): rec_add() rejects what is longer than the cap. */
static void *capped_realloc(void *p, size_t n)
{
    if (n > RC_TABLE_FIELD_CAP + 2)
        return NULL;
    return realloc(p, n);
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void parser_init(struct csv_parser *p, char delim)
{
    csv_init(p, CSV_STRICT_FINI);
    csv_set_delim(p, (unsigned char)delim);
    csv_set_space_func(p, no_space);
    csv_set_realloc_func(p, capped_realloc);
    csv_set_blk_size(p, 1024);
}

static void on_field(void *s, size_t len, void *data)
{
    TableCsv *c = data;
    rec_add(c->rec, s, len);
}

static void on_record(int ch, void *data)
{
    TableCsv *c = data;
    (void)ch;
    c->at_start = TRUE;
    if (!c->record(c->data))
        c->stopped = TRUE;
    rec_clear(c->rec);
}

TableCsv *table_csv_new(char delim, Rec *rec, TableCsvRecordFunc record, gpointer data)
{
    TableCsv *c = g_new0(TableCsv, 1);
    parser_init(&c->p, delim);
    c->rec = rec;
    c->record = record;
    c->data = data;
    c->line = 1;
    c->rec->line = 1;
    c->at_start = TRUE;
    return c;
}

void table_csv_free(TableCsv *c)
{
    if (!c)
        return;
    csv_free(&c->p);
    g_free(c);
}

/* The fast path for a whole physical line with no quote character, met
 * between records: libcsv would only split it at the delimiter, so split it
 * here with memchr, several times faster than libcsv's loop of a call per
 * byte. Quoted records, and lines a chunk cut, still go through libcsv. */
static gboolean parse_plain_line(TableCsv *c, const char *d, gsize n)
{
    if (c->p.pstate != LIBCSV_ROW_NOT_BEGUN || c->p.entry_pos != 0 || memchr(d, '"', n))
        return FALSE;
    gsize end = n;
    while (end && (d[end - 1] == '\n' || d[end - 1] == '\r'))
        end--;
    if (end == 0)
        return TRUE; /* a blank line: libcsv skips it too */
    c->rec->line = c->line;
    c->at_start = FALSE;
    char delim = (char)c->p.delim_char;
    const char *f = d, *stop = d + end;
    for (;;) {
        const char *q = memchr(f, delim, (gsize)(stop - f));
        const char *fe = q ? q : stop;
        rec_add(c->rec, f, (gsize)(fe - f));
        if (!q)
            break;
        f = q + 1;
    }
    on_record(d[end], c);
    return TRUE;
}

static void parse_bytes(TableCsv *c, const char *d, gsize n, gboolean whole_line)
{
    if (c->skip_line || n == 0)
        return;
    /* A NUL byte is damage in a text file (a zero-filled block after a
     * crash, UTF-16 without its BOM), and every value is a C string on
     * from here: the record holding one is a problem row, not values cut
     * short or joined across it. A segment never holds two records' bytes. */
    if (memchr(d, '\0', n))
        rec_spoil(c->rec, rc_reason_static(RC_REASON_NUL_BYTE));
    if (whole_line && parse_plain_line(c, d, n))
        return;
    if (c->at_start) {
        /* A run of line ends alone is a blank line libcsv skips: the record
         * starts on a later line. */
        gboolean only_nl = TRUE;
        for (gsize i = 0; i < n && only_nl; i++)
            only_nl = d[i] == '\n' || d[i] == '\r';
        if (!only_nl) {
            c->rec->line = c->line;
            c->at_start = FALSE;
        }
    }
    size_t done = csv_parse(&c->p, d, n, on_field, on_record, c);
    while (done < n && csv_error(&c->p) == CSV_ENOMEM && c->p.entry_pos > 1) {
        /* The field outgrew its cap: the record is a problem, but it ends
         * where the CSV says, however many lines a quoted field runs on
         * (starting afresh on the next line would read the rest of a
         * quoted field as rows). What the field holds is dropped, but for
         * its last byte: libcsv takes back a closing quote from it. */
        rec_spoil(c->rec, rc_reason_static(RC_REASON_LONG_FIELD));
        c->p.entry_buf[0] = c->p.entry_buf[c->p.entry_pos - 1];
        c->p.entry_pos = 1;
        c->p.status = CSV_SUCCESS;
        d += done;
        n -= done;
        done = csv_parse(&c->p, d, n, on_field, on_record, c);
    }
    if (done < n) {
        /* libcsv failed otherwise: this record is a problem; start afresh
         * on the next physical line. */
        rec_spoil(c->rec, rc_reason_static(csv_error(&c->p) == CSV_ENOMEM ? RC_REASON_LONG_FIELD
                                                                          : RC_REASON_BAD_CSV));
        char delim = (char)csv_get_delim(&c->p);
        csv_free(&c->p);
        parser_init(&c->p, delim);
        on_record('\n', c);
        c->skip_line = TRUE;
    }
}

void table_csv_feed(TableCsv *c, const char *d, gsize n)
{
    gsize i = 0;
    const char *cr = NULL; /* next CR at or after i, cached: LF files have none */
    gboolean cr_known = FALSE;

    while (i < n && !c->stopped) {
        if (c->pending_cr) {
            c->pending_cr = FALSE;
            if (d[i] == '\n') {
                parse_bytes(c, d + i, 1, FALSE);
                i++;
            }
            c->line++;
            c->skip_line = FALSE;
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
                parse_bytes(c, d + i, n - i, FALSE);
                c->pending_cr = TRUE;
                return;
            }
            end = d[k + 1] == '\n' ? cr + 2 : cr + 1;
        } else if (lf) {
            end = lf + 1;
        } else {
            parse_bytes(c, d + i, n - i, FALSE);
            return;
        }
        gsize seg = (gsize)(end - (d + i));
        parse_bytes(c, d + i, seg, TRUE);
        c->line++;
        c->skip_line = FALSE;
        i += seg;
    }
}

void table_csv_finish(TableCsv *c, gboolean strict)
{
    if (!strict) {
        csv_fini(&c->p, on_field, on_record, c);
        return;
    }
    gboolean unclosed = c->p.quoted && c->p.pstate == LIBCSV_FIELD_BEGUN;
    if (unclosed || csv_fini(&c->p, on_field, on_record, c) != 0) {
        /* CSV_STRICT_FINI: a quote opened and never closed. */
        rec_spoil(c->rec, rc_reason_static(RC_REASON_UNCLOSED_QUOTE));
        on_record(-1, c);
    }
}

/* ---- trials: the first records under one delimiter, for the header rule ---- */

typedef struct {
    Rec *rec;
    TableTrial *t;
    guint limit;
} Trial;

static gboolean trial_record(gpointer data)
{
    Trial *tr = data;
    if (!tr->rec->oversize && rec_blank(tr->rec))
        return TRUE;
    if (tr->t->rows->len < tr->limit)
        g_ptr_array_add(tr->t->rows, rec_dup(tr->rec));
    return TRUE;
}

void table_csv_trial(TableTrial *t, const char *prefix, gsize len, gboolean eof, char delim, guint limit)
{
    Rec rec;
    rec_init(&rec);
    t->rows = g_ptr_array_new_with_free_func(rec_free);
    t->delim = delim;
    Trial tr = {&rec, t, limit};
    TableCsv *c = table_csv_new(delim, &rec, trial_record, &tr);
    table_csv_feed(c, prefix, len);
    if (eof)
        table_csv_finish(c, FALSE);
    table_csv_free(c);
    rec_destroy(&rec);
}

void table_trial_clear(TableTrial *t)
{
    if (t->rows)
        g_ptr_array_unref(t->rows);
    t->rows = NULL;
}

/* table_pipe: with two cores, decoding and parsing run in a thread of their
 * own and hand events (a header, a row, a problem), in order, to the
 * caller's thread, which runs the sink. Each event carries a copy of the
 * record buffer's bytes; batches are recycled, so memory stays bounded. The
 * pipe knows records and events, not where they came from (CSV or a
 * workbook) nor what the sink does with them. */
#include "table_internal.h"

#include <string.h>

typedef struct {
    guint8 type, kept, ragged, inherited;
    guint n_fields, n_raw;
    guint first; /* first field in the batch's offs / lens */
    guint64 line;
    gsize reason; /* offset in text, G_MAXSIZE for none */
    gsize prep;   /* offset in text of the prepared bytes */
    guint prep_len;
} Event;

typedef struct {
    Event *events;
    guint n_events, cap_events;
    char *text; /* record buffers and reasons, back to back */
    gsize text_len, text_cap;
    gsize *offs; /* per field: offset in text */
    guint *lens;
    guint n_fields, cap_fields;
    GError *error; /* the producer's error, in the last batch */
    gboolean last;
} Batch;

struct TablePipe {
    GAsyncQueue *full, *free;
    gint stop; /* the consumer failed: the producer may stop early */
    Batch *cur;
};

#define PIPE_BATCHES 4
#define BATCH_EVENTS 4096
#define BATCH_TEXT   (1u << 20)

static Batch *batch_new(void)
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

static void batch_reset(Batch *b)
{
    b->n_events = 0;
    b->n_fields = 0;
    b->text[0] = '\0'; /* offset 0: the empty field of short rows */
    b->text_len = 1;
}

static void batch_free(Batch *b)
{
    g_free(b->events);
    g_free(b->text);
    g_free(b->offs);
    g_free(b->lens);
    g_clear_error(&b->error);
    g_free(b);
}

static Batch *pipe_batch(TablePipe *p)
{
    if (!p->cur) {
        p->cur = g_async_queue_pop(p->free);
        batch_reset(p->cur);
    }
    return p->cur;
}

static void pipe_push(TablePipe *p)
{
    g_async_queue_push(p->full, p->cur);
    p->cur = NULL;
}

static gsize batch_text(Batch *b, const char *s, gsize len)
{
    if (b->text_len + len > b->text_cap) {
        while (b->text_len + len > b->text_cap)
            b->text_cap *= 2;
        b->text = g_realloc(b->text, b->text_cap);
    }
    gsize at = b->text_len;
    /* cppcheck-suppress ctunullpointer ; S is NULL only with LEN 0: the prepared bytes go only when there are some */
    memcpy(b->text + at, s, len);
    b->text_len += len;
    return at;
}

/* A row or problem carries the record being assembled (REC, its first
 * r->n_fields fields, padded with empty ones): its buffer is copied whole,
 * in one go. */
void table_pipe_event(TablePipe *p, TableEvType type, const Rec *rec, const RcRecord *r, const char *reason,
                      gboolean kept)
{
    Batch *b = pipe_batch(p);
    guint n_fields = r ? r->n_fields : 0;
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
    Event ev = {(guint8)type,
                (guint8)kept,
                (guint8)(r && r->ragged),
                (guint8)(r && r->place_inherited),
                n_fields,
                r ? rec->n : 0,
                b->n_fields,
                r ? r->line : 0,
                G_MAXSIZE,
                0,
                r ? r->prep_len : 0};
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
    if (ev.prep_len)
        ev.prep = batch_text(b, r->prep, ev.prep_len);
    /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): every batch comes from batch_new(), BATCH_EVENTS long */
    b->events[b->n_events++] = ev;
    if (b->n_events >= BATCH_EVENTS || b->text_len >= BATCH_TEXT)
        pipe_push(p);
}

gboolean table_pipe_stopping(TablePipe *p)
{
    return g_atomic_int_get(&p->stop) != 0;
}

void table_pipe_end(TablePipe *p, GError *error)
{
    Batch *b = pipe_batch(p);
    b->last = TRUE;
    b->error = error;
    pipe_push(p);
}

/* Runs one event of a batch through REPLAY, in the caller's thread.
 * VF holds at least ev->n_fields pointers. */
static void replay_event(Batch *b, const Event *ev, const char **vf, TableReplayFunc replay, gpointer ctx,
                         GError **error)
{
    if (ev->type == EV_HEADER) {
        replay(ctx, EV_HEADER, NULL, NULL, FALSE, error);
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
        .place_inherited = ev->inherited,
        .n_raw = ev->n_raw,
        .prep = b->text + ev->prep,
        .prep_len = ev->prep_len,
    };
    replay(ctx, (TableEvType)ev->type, &r, ev->reason == G_MAXSIZE ? NULL : b->text + ev->reason, ev->kept,
           error);
}

/* Shows event J of B, if it is a row with prepared bytes, to AHEAD at
 * STAGE. */
static void look_ahead(Batch *b, guint j, guint stage, TableAheadFunc ahead, gpointer ctx)
{
    const Event *ev = &b->events[j];
    if (ev->type == EV_ROW && ev->prep_len)
        ahead(ctx, b->text + ev->prep, ev->prep_len, stage);
}

gboolean table_pipe_run(TablePipe **slot, GThreadFunc producer, gpointer data, TableReplayFunc replay,
                        TableAheadFunc ahead, gpointer ctx, GError **error)
{
    TablePipe pipe = {g_async_queue_new(), g_async_queue_new(), 0, NULL};
    for (int i = 0; i < PIPE_BATCHES; i++)
        g_async_queue_push(pipe.free, batch_new());
    *slot = &pipe;
    GThread *th = g_thread_new("rc-parse", producer, data);
    GError *replay_error = NULL, *producer_error = NULL;
    guint vf_cap = 64;
    const char **vf = g_new(const char *, vf_cap);
    for (gboolean last = FALSE; !last;) {
        Batch *b = g_async_queue_pop(pipe.full);
        /* a batch's first rows are looked ahead at when it comes; each
         * later row when its turn at a stage comes */
        for (guint st = 0; ahead && st < RC_TABLE_AHEAD_STAGES; st++)
            for (guint j = 0; j < MIN(b->n_events, RC_TABLE_AHEAD >> st); j++)
                look_ahead(b, j, st, ahead, ctx);
        for (guint e = 0; e < b->n_events && !replay_error; e++) {
            for (guint st = 0; ahead && st < RC_TABLE_AHEAD_STAGES; st++)
                if (e + (RC_TABLE_AHEAD >> st) < b->n_events)
                    look_ahead(b, e + (RC_TABLE_AHEAD >> st), st, ahead, ctx);
            if (b->events[e].n_fields > vf_cap) {
                vf_cap = b->events[e].n_fields;
                vf = g_renew(const char *, vf, vf_cap);
            }
            replay_event(b, &b->events[e], vf, replay, ctx, &replay_error);
        }
        if (replay_error)
            g_atomic_int_set(&pipe.stop, 1);
        last = b->last;
        if (last)
            producer_error = g_steal_pointer(&b->error);
        g_async_queue_push(pipe.free, b);
    }
    g_thread_join(th);
    g_free(vf);
    for (int i = 0; i < PIPE_BATCHES; i++)
        batch_free(g_async_queue_pop(pipe.free));
    g_async_queue_unref(pipe.full);
    g_async_queue_unref(pipe.free);
    *slot = NULL;
    if (replay_error || producer_error) {
        g_propagate_error(error, replay_error ? replay_error : producer_error);
        if (replay_error)
            g_clear_error(&producer_error);
        return FALSE;
    }
    return TRUE;
}

char *rc_prep_put(char *o, const char *const *s, const gsize *l, guint16 *lens, int n, gsize max)
{
    for (int i = 0; i < n; i++) {
        gsize k = MIN(l[i], max);
        lens[i] = (guint16)k;
        if (k)
            memcpy(o, s[i], k);
        o[k] = '\0';
        o += k + 1;
    }
    return o;
}

const char *rc_prep_get(const char *o, const char **const *s, gsize *const *l, const guint16 *lens, int n)
{
    for (int i = 0; i < n; i++) {
        *s[i] = o;
        *l[i] = lens[i];
        o += lens[i] + 1;
    }
    return o;
}

/* table_internal: what the parts of lib/table share, private to them.
 *
 *   table_rec.c     the capped record buffer every reader fills (CSV and
 *                   workbook rows alike), and copies of it
 *   table_header.c  the header rule: which row is the header, which role
 *                   each column plays (DESIGN.md section 1)
 *   table_csv.c     the CSV reader: libcsv fed line by line, its fast path,
 *                   line numbers; the only file that knows libcsv
 *   table_pipe.c    the two-thread pipe: records and reasons in batches from
 *                   a producer thread to the caller's thread, in order
 *   table.c         the sink contract: records to rows, problems and stats,
 *                   and the readers' entry points */
#ifndef RC_TABLE_INTERNAL_H
#define RC_TABLE_INTERNAL_H

#include "codes.h"
#include "table.h"

#include <string.h>

/* ---- table_rec.c ---- */

/* One record being assembled: fields back to back, each NUL-terminated, in
 * one growing buffer; plain arrays of offsets and lengths. No allocation per
 * row once the buffers have grown to the widest record. A field past
 * RC_TABLE_FIELD_CAP, a record past RC_TABLE_RECORD_CAP or a NUL byte makes
 * the record oversize: its fields are dropped and the reason kept. */
typedef struct {
    char *buf;
    gsize len, cap;
    guint *offs, *lens;
    guint n, ncap;
    gsize bytes;  /* against the record cap */
    guint64 line; /* physical line (a sheet's row) it starts on */
    gboolean oversize;
    const char *oversize_reason; /* static */
    gboolean inherited;          /* a place cell took the row above's value */
} Rec;

void rec_init(Rec *r);
void rec_clear(Rec *r); /* empties it for the next record; keeps line */
void rec_destroy(Rec *r);
/* Marks R a problem with REASON (static) unless it is one already. */
void rec_spoil(Rec *r, const char *reason);
#define RC_TABLE_FIELD_OVERHEAD 16 /* bytes a field costs against the record cap */

/* The field appended, room made and caps checked by the caller. */
static inline void rec_put(Rec *r, const void *s, gsize len)
{
    r->offs[r->n] = (guint)r->len;
    r->lens[r->n] = (guint)len;
    r->n++;
    if (len)
        memcpy(r->buf + r->len, s, len);
    r->len += len;
    r->buf[r->len++] = '\0';
}

void rec_add_slow(Rec *r, const void *s, gsize len);

/* Appends a field of LEN bytes (a CSV field: the caller found NUL bytes).
 * Inline: it runs once per field of every row. */
static inline void rec_add(Rec *r, const void *s, gsize len)
{
    gsize bytes = r->bytes + len + RC_TABLE_FIELD_OVERHEAD;
    if (G_LIKELY(!r->oversize && len <= RC_TABLE_FIELD_CAP && bytes <= RC_TABLE_RECORD_CAP &&
                 r->len + len + 1 <= r->cap && r->n < r->ncap)) {
        r->bytes = bytes;
        rec_put(r, s, len);
        return;
    }
    rec_add_slow(r, s, len);
}
/* Appends a cell, which may hold a NUL byte (an .xls string may). */
void rec_add_cell(Rec *r, const char *s, gsize len);
gboolean rec_blank(const Rec *r);
static inline const char *rec_field(const Rec *r, guint i)
{
    return r->buf + r->offs[i];
}
/* A copy of R (owned: rec_free()), and R's content copied into DST. */
Rec *rec_dup(const Rec *r);
void rec_copy(Rec *dst, const Rec *src);
void rec_free(gpointer r);

/* ---- table_header.c ---- */

/* The header rule of one kind of table, made from a config. */
typedef struct TableRules TableRules;
TableRules *table_rules_new(const RcConfig *cfg, RcKind kind);
void table_rules_free(TableRules *rules);
RcKind table_rules_kind(const TableRules *rules);

/* Candidate header rows as one reader saw them under one delimiter: the
 * first RC_TABLE_HEADER_SCAN non-blank records (Rec *, oversize included). */
typedef struct {
    GPtrArray *rows;
    char delim;
} TableTrial;

/* The header rule's search, for every reader: for each kind to try (KIND,
 * or for RC_KIND_COUNT results, then roster), the earliest row over all
 * TRIALS that holds the roles the kind needs, the widest on a tie. Sets
 * *TRIAL and *ROW (its index among the trial's rows) and returns the rules
 * it was found with (owned: table_rules_free()). NULL with
 * RC_TABLE_ERROR_NO_HEADER naming FILE (and SHEET) when no row qualifies,
 * or RC_TABLE_ERROR_COLUMNS when two of its columns claim one role. */
TableRules *table_header_find(const TableTrial *trials, guint n_trials, RcKind kind, const RcConfig *cfg,
                              const char *file, const char *sheet, guint *trial, guint *row, GError **error);

/* The header record R under RULES. Owned: table_header_free(). */
RcHeader *table_header_build(const TableRules *rules, const Rec *r, char delim, const char *sheet);
void table_header_free(RcHeader *h);

/* ---- table_csv.c ---- */

typedef struct TableCsv TableCsv;

/* Called with each record REC holds complete (blank ones too); REC is
 * cleared after. Returns FALSE to stop the feeding. */
typedef gboolean (*TableCsvRecordFunc)(gpointer data);

/* A reader splitting text on DELIM into REC (borrowed), calling RECORD for
 * each record. Owned: table_csv_free(). */
TableCsv *table_csv_new(char delim, Rec *rec, TableCsvRecordFunc record, gpointer data);
void table_csv_free(TableCsv *c);
/* Feeds N bytes of text; records may span calls. */
void table_csv_feed(TableCsv *c, const char *d, gsize n);
/* The end of the text: the last record, or, STRICT, a problem record when
 * a quoted field was never closed. */
void table_csv_finish(TableCsv *c, gboolean strict);
/* The first LIMIT non-blank records of PREFIX under DELIM (ended as a whole
 * text when EOF), as a trial for table_header_find(). Free with
 * table_trial_clear(). */
void table_csv_trial(TableTrial *t, const char *prefix, gsize len, gboolean eof, char delim, guint limit);
void table_trial_clear(TableTrial *t);

/* ---- table_pipe.c ---- */

typedef enum { EV_HEADER, EV_ROW, EV_PROBLEM, EV_IGNORED } TableEvType;

typedef struct TablePipe TablePipe;

/* Queues an event from the producer thread. A row or problem carries REC's
 * first N_FIELDS fields (padded with empty ones) and R's line, ragged flag
 * and prepared bytes; REASON may be NULL. */
void table_pipe_event(TablePipe *p, TableEvType type, const Rec *rec, const RcRecord *r, const char *reason,
                      gboolean kept);
/* TRUE once the consumer failed: the producer may stop early. */
gboolean table_pipe_stopping(TablePipe *p);
/* The producer's last word: its error (taken), if any. */
void table_pipe_end(TablePipe *p, GError *error);

/* Runs each event in the caller's thread; R is NULL for EV_HEADER. */
typedef void (*TableReplayFunc)(gpointer ctx, TableEvType type, const RcRecord *r, const char *reason,
                                gboolean kept, GError **error);

/* Called with a row's prepared bytes ahead of its replay (RcTableSink's
 * ahead()). */
typedef void (*TableAheadFunc)(gpointer ctx, char *prep, gsize prep_len, guint stage);

/* Runs PRODUCER(DATA) in a second thread with *SLOT set to a new pipe,
 * which it must end with table_pipe_end(); replays every event through
 * REPLAY(CTX) here, in order, and shows rows to AHEAD(CTX) (may be NULL)
 * RC_TABLE_AHEAD >> STAGE events before their replay. After the first
 * replay error the rest is drained unreplayed. Returns FALSE with the
 * replay's error, else the producer's. *SLOT is NULL again on return. */
gboolean table_pipe_run(TablePipe **slot, GThreadFunc producer, gpointer data, TableReplayFunc replay,
                        TableAheadFunc ahead, gpointer ctx, GError **error);

#endif

/* table: UTF-8 text from a source -> CSV records (libcsv, streaming) -> a
 * header with column roles -> data rows handed to a sink one at a time.
 *
 * The delimiter (',', ';' or TAB) and the header are decided together from
 * the first rows: the header is the first row, within the first
 * RC_TABLE_HEADER_SCAN, that holds the roles a table of its kind needs
 * (DESIGN.md section 1). Rows above it are neither data nor problems. Header
 * cells match aliases after NFKC, trimming, case-folding and dropping spaces,
 * '*' and colons. Unknown columns are extras, kept in order.
 *
 * Everything handed to the sink is borrowed for the duration of the call. */
#ifndef RC_TABLE_H
#define RC_TABLE_H

#include "config.h"
#include "source.h"
#include "xlsx.h"

#define RC_TABLE_ERROR rc_table_error_quark()
GQuark rc_table_error_quark(void);

typedef enum {
    RC_TABLE_ERROR_NO_HEADER, /* no row within the first rows holds the needed roles */
    RC_TABLE_ERROR_COLUMNS,   /* two columns of the header claim one role */
    RC_TABLE_ERROR_PARSE,     /* libcsv failure that cannot be recovered */
    RC_TABLE_ERROR_SINK,      /* reserved: the sink's own errors pass through unchanged */
} RcTableError;

#define RC_TABLE_HEADER_SCAN 10
#define RC_TABLE_FIELD_CAP   (64 * 1024)   /* bytes in one field */
#define RC_TABLE_RECORD_CAP  (1024 * 1024) /* bytes in one record (fields + 16 each) */

typedef struct {
    RcKind kind;    /* as asked, or as found when asked for RC_KIND_COUNT */
    char delimiter; /* ',' ';' or '\t' */
    guint64 line;   /* physical line of the header */
    guint n_columns;
    char **names;           /* header cells as written, trimmed; a repeated extra name numbered "NAME (2)" */
    RcRole *roles;          /* per column: a role or RC_ROLE_NONE (an extra) */
    int col[RC_ROLE_COUNT]; /* column of each role, -1 when absent */
    guint n_extras;
    guint *extras;           /* columns of the extras, in order; a household column is one too */
    const char *sheet;       /* a workbook's sheet (delimiter then reads ','); NULL for CSV */
    const char **how;        /* per column: the rule that decided its role, static English text */
    int date_col;            /* results: a sampling date column whose times are col[SAMPLED_AT]'s; -1 */
    char **notes;            /* NULL-terminated: what the rule decided that a person should know
                            * (a column set aside, a name numbered); lower case, no location */
    gboolean sheet_in_line;  /* the workbook has several sheets: rows are located
                             * FILE:SHEET:LINE */
    const char *sheet_place; /* no building column, and the sheet's name stands for
                              * the building (DESIGN.md section 1); else NULL */
} RcHeader;

typedef struct {
    guint64 line; /* physical line where the record starts */
    guint n_fields;
    const char **fields; /* NUL-terminated UTF-8; a missing field reads "" */
    const guint *lens;
    gboolean ragged;          /* field count differs from the header's */
    gboolean place_inherited; /* a roster sheet's place cell was empty or a ditto
                               * mark and took the row above's value */
    guint n_raw;              /* fields actually present in the file */
    const char *prep;         /* what the sink's prepare() made of this row */
    guint prep_len;
} RcRecord;

/* How far ahead of row() a sink's ahead() sees the rows: stage S at
 * RC_TABLE_AHEAD >> S rows. */
#define RC_TABLE_AHEAD        16u
#define RC_TABLE_AHEAD_STAGES 4

/* What a sink's prepare() may write for one row. */
#define RC_TABLE_PREP_CAP 4096

/* The strings of a prepared row, after the sink's fixed head: N strings S
 * of lengths L (each cut to MAX bytes) written at O, each NUL-terminated,
 * their lengths into LENS; returns where the next byte goes. rc_prep_get()
 * reads them back: *S[i] then points into the prepared bytes. One pair
 * serves every sink, so the layout is written once. */
char *rc_prep_put(char *o, const char *const *s, const gsize *l, guint16 *lens, int n, gsize max);
const char *rc_prep_get(const char *o, const char **const *s, gsize *const *l, const guint16 *lens, int n);

/* Field COL of R, "" when the row is short or COL is -1. */
static inline const char *rc_record_field(const RcRecord *r, int col, guint *len)
{
    if (col < 0 || (guint)col >= r->n_fields) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = r->lens[col];
    return r->fields[col];
}

/* What a column's values mostly look like (DESIGN.md section 1): said of a
 * column that took no part (an extra), or of a sampled_at of times of day
 * with no date column to complete them. */
typedef enum {
    RC_TABLE_LOOKS_IDS,
    RC_TABLE_LOOKS_PHONES,
    RC_TABLE_LOOKS_RESULTS,
    RC_TABLE_LOOKS_TIMES_ONLY,
    RC_TABLE_LOOKS_COUNT
} RcTableLooks;

/* "ids", "phones", "result words", "times of day without a date". */
const char *rc_table_looks_name(RcTableLooks looks);

/* The first rows looked at for RcTableSink.column(). */
#define RC_TABLE_SAMPLE_ROWS 200

typedef struct {
    /* Once, when the header is found. */
    gboolean (*header)(const RcHeader *h, gpointer user, GError **error);
    /* Each data row (blank rows are skipped and counted). A ragged row that
     * still has every role column comes here with ragged set, after a
     * problem() call with KEPT = TRUE. */
    gboolean (*row)(const RcHeader *h, const RcRecord *r, gpointer user, GError **error);
    /* A row-level problem: ragged, a field or record past its cap. KEPT says
     * whether the row still goes on to row(); when FALSE the row is a problem
     * row for the accounting. R's fields may be empty when the row was too
     * large to hold. REASON is lower case without a location. */
    void (*problem)(const RcHeader *h, const RcRecord *r, const char *reason, gboolean kept, gpointer user);
    /* A row that is not data (DESIGN.md section 1, "Rows that are not
     * data"): a totals row, a signature or note line, a repeated header.
     * It goes neither to row() nor to problem(); the accounting counts it
     * as ignored. REASON is lower case, static ("totals row", ...). */
    void (*ignored)(const RcHeader *h, const RcRecord *r, const char *reason, gpointer user);
    /* Optional: after the last row of a table read whole, for each extra
     * column (not a household) most of whose values in the first
     * RC_TABLE_SAMPLE_ROWS rows look like ids, phones or result words, and
     * for a sampled_at of times of day alone (no date column): the column
     * and what its values look like. */
    void (*column)(const RcHeader *h, guint col, RcTableLooks looks, gpointer user);
    /* Optional: called for each row that row() will get, before it, in the
     * thread that parses (the second one in the pipeline), with PREP_USER.
     * Writes at most RC_TABLE_PREP_CAP bytes of derived data (normalised
     * fields, say) into OUT and returns their length; row() finds them in
     * r->prep. It must touch nothing that row() uses: this is how a sink
     * moves work onto the second core. */
    gsize (*prepare)(const RcHeader *h, const RcRecord *r, gpointer prep_user, char *out);
    gpointer prep_user;
    /* Optional, with a second thread only: called in the caller's thread
     * with a row's prepared bytes RC_TABLE_AHEAD >> STAGE rows before row()
     * gets it, for each STAGE below RC_TABLE_AHEAD_STAGES, with the sink's
     * USER. A sink prefetches there what row() will touch, each stage one
     * step further down a chain of loads, so that the loads of several rows
     * overlap instead of each waiting for memory. It may write into PREP
     * (row() then finds what it wrote: what a probe found, say) and must
     * change nothing else. */
    void (*ahead)(char *prep, gsize prep_len, guint stage, gpointer user);
    /* 1: decoding, parsing and prepare() run in the caller's thread;
     * otherwise (0, the default) in a second thread while the caller's runs
     * the sink. Sink calls come in the same order either way, always from
     * the caller's thread. */
    guint threads;
} RcTableSink;

typedef struct {
    guint64 rows;     /* data rows after the header (kept + not kept) */
    guint64 blank;    /* rows with every field empty, skipped */
    guint64 problems; /* rows not kept */
    guint64 ragged;   /* ragged rows kept */
    guint64 ignored;  /* rows that are not data, in rows too */
} RcTableStats;

/* Reads SRC to its end as a table of KIND (RC_KIND_COUNT: whichever the
 * header says, results tried first). Returns FALSE with ERROR on a
 * source error, when no header is found (RC_TABLE_ERROR_NO_HEADER, message
 * "FILE: no header ..."), or when a sink callback fails (its error is
 * passed through). STATS may be NULL. */
gboolean rc_table_read(RcSource *src, RcKind kind, const RcConfig *cfg, const RcTableSink *sink,
                       gpointer user, RcTableStats *stats, GError **error);

/* Reads the sheet X is open on, as rc_table_read reads CSV: the same header
 * rule (within the first RC_TABLE_HEADER_SCAN non-blank rows), roles,
 * extras, caps, sink calls and stats; a record's line is its sheet row.
 * Rows shorter than the header are padded with empty fields (a sheet does
 * not store trailing empty cells), so only a row with values past the
 * header's last column is ragged. The header's delimiter reads ',' and its
 * sheet names the sheet. Errors: the reader's (RC_XLSX_ERROR), no header
 * (RC_TABLE_ERROR_NO_HEADER, "FILE: sheet 'NAME': no header ..."), the
 * sink's. Threads as rc_table_read: by default the sheet is inflated and
 * parsed in a second thread (the sink's threads). */
gboolean rc_table_read_xlsx(RcXlsx *x, RcKind kind, const RcConfig *cfg, const RcTableSink *sink,
                            gpointer user, RcTableStats *stats, GError **error);

/* What rc_table_read_path found out about a file, even when the read then
 * failed (fields it did not reach are NULL). Clear with
 * rc_table_info_clear(). */
typedef struct {
    gboolean workbook; /* read as .xlsx / .xls */
    char *encoding;    /* CSV: rc_source_encoding(); a workbook: "xlsx" or "xls" */
    gboolean forced;   /* CSV: the encoding was forced */
    char *sheet;       /* workbook: the first sheet read */
    guint sheet_index; /* workbook: its index in sheets */
    char **sheets;     /* workbook: every sheet's name in order, NULL-terminated */
    gboolean *hidden;  /* workbook: per sheet, hidden or not */
    gboolean *read;    /* workbook: per sheet, read (a header was found) */
    char **skipped;    /* workbook: per sheet, why it was not read though it
                            * could have been ("hidden", "no usable header"), or
                            * NULL (read, or left out by SHEET) */
} RcTableInfo;
void rc_table_info_clear(RcTableInfo *info);

/* Reads PATH whatever it is: a zip (.xlsx) or an OLE file (.xls, or an
 * encrypted workbook, refused) by its first bytes, or by a name ending in
 * .xlsx / .xlsm whatever its bytes (so a damaged workbook is reported as
 * one); everything else, "-" (standard input) and an .xls that holds text,
 * as CSV through rc_source_open(PATH, ENCODING). ENCODING applies to CSV
 * only. A workbook is read sheet after sheet (DESIGN.md section 1), each
 * with its own header (the sink's header() is called for each): SHEET
 * NULL reads every visible worksheet; else SHEET names the sheets to read,
 * separated by commas, each a name (exact, then any case) or a 1-based
 * number. A sheet without a usable header is skipped, named in
 * INFO->skipped, when another sheet is read; when none is, the first's
 * error stands. Hidden and chart sheets are skipped unless named. STATS
 * add up over the sheets. INFO may be NULL. Errors as rc_source_open,
 * rc_xlsx_open, rc_table_read and rc_table_read_xlsx. */
gboolean rc_table_read_path(const char *path, const char *encoding, const char *sheet, RcKind kind,
                            const RcConfig *cfg, const RcTableSink *sink, gpointer user, RcTableStats *stats,
                            RcTableInfo *info, GError **error);

/* TRUE when S (LEN bytes) is a time of day and nothing else: 8:31,
 * 08:31:00, 8时31分, 下午3点05, 8:31 AM. */
gboolean rc_table_time_only(const char *s, gsize len);

/* The sampled_at text of R (DESIGN.md section 1, Formats): its field, or
 * when the header pairs a sampling date column with it (date_col) and the
 * field is a time of day alone, the date, a space and the time, built in
 * SCRATCH. An empty date leaves the time alone. Borrowed; *LEN its length. */
const char *rc_record_sampled_at(const RcHeader *h, const RcRecord *r, GString *scratch, guint *len);

/* The normalised form of a header cell, as aliases are compared: NFKC,
 * case-folded, spaces, '*' and ':' dropped. Owned: g_free(). */
char *rc_table_header_key(const char *cell);

/* TRUE when ROLES (per role: present or not) satisfy what KIND needs:
 * roster: a name; results: a result and an id or a name. */
gboolean rc_table_roles_enough(RcKind kind, const int col[RC_ROLE_COUNT]);

#endif

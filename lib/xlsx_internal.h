/* xlsx_internal: what the workbook reader's files share, and no other
 * module sees. The reader (RcXlsx) is one struct; each file owns a part of
 * the work:
 *   xlsx.c         errors, the workbook's parts (relationships, workbook,
 *                  styles, shared strings), the sheet stream, rows, the
 *                  public functions;
 *   xlsx_zip.c     the zip: opening, the size and ratio caps, the one loop
 *                  that feeds a part's inflated bytes to expat;
 *   xlsx_numfmt.c  number formats and a number's text (pure functions);
 *   xls.c          OLE compound files and the .xls child process
 *                  (libfreexl).
 * Names here start with xlsx_ (xls_ for xls.c); they are not API. */
#ifndef RC_XLSX_INTERNAL_H
#define RC_XLSX_INTERNAL_H

#include "codes.h"
#include "xlsx.h"

#include <expat.h>
#include <sys/types.h>
#include <unzip.h>

#define XLSX_MAX_SHEETS 4096
/* Bounds no real workbook part comes near; past them a part is refused. */
#define XLSX_MAX_DEPTH 256        /* elements open at once */
#define XLSX_TAG_CAP   (1u << 20) /* bytes of one tag, comment or PI */
/* Bytes of a cell's text kept before _xHHHH_ escapes are decoded: one
 * escape is 7 bytes for one character, so a text past the cell cap still
 * decodes to more than the cap and is marked, never cut unsaid. */
#define XLSX_RAW_CELL_CAP (7 * ((gsize)RC_XLSX_CELL_CAP + 1))

/* ---- number formats (xlsx_numfmt.c) ---- */

typedef enum { NF_GENERAL, NF_DATE, NF_TIME, NF_DATETIME, NF_ZEROS } NfKind;

typedef struct {
    guint8 kind;  /* NfKind */
    guint8 width; /* NF_ZEROS: digits to pad to */
} NumFmt;

/* A built-in format id's kind (dates and times; the rest is general). */
NumFmt xlsx_numfmt_builtin(guint id);
/* A custom format code's kind, from its first section. */
NumFmt xlsx_numfmt_classify(const char *code);
/* The text of V under NF into OUT (at most 63 bytes and a NUL); its length. */
gsize xlsx_numfmt_text(double v, NumFmt nf, gboolean date1904, char *out);
/* V as Excel's General format shows it; the same contract. */
gsize xlsx_numfmt_general(double v, char *out);

/* ---- the reader ---- */

typedef struct {
    char *name;
    char *part; /* zip entry of a worksheet; NULL for other sheet types */
    char *rid;
    gboolean hidden;
    gboolean chart; /* a chart or dialog sheet: nothing to read */
} Sheet;

typedef enum { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE } CellType;

typedef struct {
    guint col;
    guint len;
    gsize off; /* in the row buffer */
} CellRef;

/* Every expat user-data struct starts with the reader, so that shared
 * handlers (the DTD refusal) find it: CTX_X(data). */
#define CTX_X(data) (*(RcXlsx **)(data))

struct RcXlsx {
    RcXlsx *self; /* first, see CTX_X */
    char *path;
    RcXlsxFormat format;
    Sheet *sheets;
    guint n_sheets;
    guint current;
    gboolean date1904;

    /* styles: per cellXfs index, its number format */
    NumFmt *xf;
    guint n_xf;

    /* shared strings, back to back, each NUL-terminated */
    gboolean have_sst;
    char *sst;
    gsize sst_len, sst_cap;
    guint32 *sst_off; /* 4 bytes a string: the part cap keeps the text under 4 GiB */
    guint n_sst, sst_off_cap;

    /* the zip and the part being inflated (xlsx_zip.c) */
    unzFile zip;
    const char *part_name;
    guint64 part_zpos; /* where its compressed bytes start in the file */
    guint64 part_inflated;
    gboolean part_open;

    /* the parse of any part: its own handlers, behind the depth check */
    XML_StartElementHandler on_start;
    XML_EndElementHandler on_end;
    guint depth; /* elements open */

    /* the sheet's parse */
    XML_Parser parser;
    gboolean sheet_done, row_ready;
    GError *error; /* set by a handler; the parse is aborted */
    guint64 last_row;
    guint next_col;
    gboolean in_row, in_cell, in_is, in_rph, collect;
    CellType ctype;
    guint ccol;
    guint cstyle;
    GString *text; /* the current cell's <v> or <is> text */

    /* the row being built and the row handed out */
    char *rbuf;
    gsize rlen, rcap;
    CellRef *refs;
    guint n_refs, refs_cap;
    guint width; /* last non-empty column + 1 */
    const char *oversize;
    const char **cells;
    guint *lens;
    guint cells_cap;
    RcXlsxRow row;

    /* .xls: libfreexl runs in a child process (xls.c) */
    const void *xls; /* the child's handle */
    guint xls_rows;
    guint xls_cols;
    guint xls_next;
    pid_t xls_pid; /* the child, until reaped */
    int xls_fd;    /* its messages; -1 when none */
    GByteArray *msg;
};

extern const char xlsx_encrypted_msg[];

/* "PATH: message" into ERROR. */
void xlsx_set_error(RcXlsx *x, GError **error, RcXlsxError code, const char *fmt, ...) G_GNUC_PRINTF(4, 5);
/* P failed: the handler's error if one was kept, else expat's, naming PART. */
void xlsx_xml_error(RcXlsx *x, XML_Parser p, const char *part, GError **error);

/* TRUE when N bytes at OFF of FD were read into BUF. */
gboolean xlsx_pread_all(int fd, void *buf, gsize n, guint64 off);

/* Picks the sheet SPEC names (see rc_xlsx_open) among x->sheets. */
gboolean xlsx_pick_sheet(RcXlsx *x, const char *spec, GError **error);

/* ---- rows, built by the sheet stream and by the .xls reader ---- */

/* Why a row cannot be taken whole (RcXlsxRow.oversize): the table layer
 * makes it a problem row with this reason (translated in lib/labels.c).
 * The .xls child sends the index. */
enum { ROW_WHOLE, ROW_LONG_FIELD, ROW_LONG_RECORD, ROW_UNREADABLE_CELL, ROW_TWO_CELLS, ROW_PROBLEMS };
extern const char *const xlsx_row_problems[ROW_PROBLEMS];

void xlsx_row_problem(RcXlsx *x, int why);
void xlsx_row_reset(RcXlsx *x);
void xlsx_row_add(RcXlsx *x, guint col, const char *s, gsize n);
void xlsx_row_finish(RcXlsx *x, guint64 number);

/* ---- the zip (xlsx_zip.c) ---- */

/* Opens x->path as a zip. */
gboolean xlsx_zip_open(RcXlsx *x, GError **error);
/* Makes NAME the part being read. *MISSING (when not NULL) gets TRUE and
 * the call succeeds when the zip has no such entry. */
gboolean xlsx_part_open(RcXlsx *x, const char *name, gboolean *missing, GError **error);
/* Feeds the open part to P until the parse ends or a handler suspends it
 * (XML_StopParser(p, XML_TRUE)); a suspended parse is resumed first. */
gboolean xlsx_part_feed(RcXlsx *x, XML_Parser p, GError **error);
/* Closes the open part, checking its CRC; no-op when none is open. */
gboolean xlsx_part_close(RcXlsx *x, GError **error);
/* Streams the whole part NAME through P (open, feed, close). */
gboolean xlsx_parse_part(RcXlsx *x, const char *name, XML_Parser p, gboolean *missing, GError **error);

/* ---- .xls (xls.c) ---- */

/* Starts reading the OLE file x->path: refuses an encrypted workbook, else
 * starts the libfreexl child, receives the sheet list and the sheet SPEC
 * picks. */
gboolean xls_open(RcXlsx *x, const char *spec, GError **error);
/* The next row from the child, as rc_xlsx_next_row. */
gboolean xls_next_row(RcXlsx *x, const RcXlsxRow **row, GError **error);
/* Ends the child and frees what talking to it took; no-op when none. */
void xls_stop(RcXlsx *x);

#endif

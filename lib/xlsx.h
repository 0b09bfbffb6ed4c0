/* xlsx: workbooks read directly (DESIGN.md section 1), one row at a time,
 * each cell as the text a person sees in Excel, ready for the table layer.
 *
 * .xlsx is a zip of XML parts: the chosen sheet is inflated (minizip) and
 * parsed (expat) in blocks, a row per call, so memory holds one row and the
 * shared-strings table, never the sheet. Old .xls (BIFF8) goes through
 * libfreexl, which holds the workbook in memory (an .xls has at most 65,536
 * rows) and runs in a child process: it reads some crafted files out of
 * bounds, and a crash there must be an input error here, not the end of
 * the run. An encrypted workbook (an OLE file holding "EncryptedPackage") is
 * refused with its own error.
 *
 * Cell text: shared and inline strings as written (rich-text runs joined,
 * phonetic runs dropped, _xHHHH_ escapes decoded); booleans TRUE / FALSE;
 * numbers with a date or time format (built-in 14-22, 27-36, 45-47, 50-58,
 * or a custom format with y, m, d, h or s) as "YYYY-MM-DD", "HH:MM:SS" or
 * "YYYY-MM-DD HH:MM:SS"; a custom format of only zeros ("000000") pads the
 * integer as Excel shows it; other numbers as the shortest decimal that
 * reads back the same with at most 15 significant digits, integers without
 * ".0". A number of 1e15 or more cannot hold an id exactly (Excel keeps 15
 * digits): it comes out in scientific notation ("3.1010419770717E+17"),
 * which rc_norm_id flags as mangled, so no digit is ever invented.
 *
 * Limits, so that a broken or hostile file is an error, not a crash or a
 * runaway allocation: a part may inflate to at most 1 GiB, and past 10 MiB
 * to at most 100 times its compressed size; a cell keeps at most
 * RC_XLSX_CELL_CAP bytes and a row RC_XLSX_ROW_CAP (past them the row is
 * marked oversize); XML with a DTD is refused. */
#ifndef RC_XLSX_H
#define RC_XLSX_H

#include <glib.h>

#define RC_XLSX_ERROR rc_xlsx_error_quark()
GQuark rc_xlsx_error_quark(void);

typedef enum {
    RC_XLSX_ERROR_OPEN,          /* missing or unreadable file */
    RC_XLSX_ERROR_FORMAT,        /* neither a zip nor an OLE file, or a zip that is not an .xlsx */
    RC_XLSX_ERROR_CORRUPT,       /* truncated or damaged zip or .xls, a missing part, bad data */
    RC_XLSX_ERROR_XML,           /* a part that is not well-formed XML (or has a DTD) */
    RC_XLSX_ERROR_TOO_LARGE,     /* a part past the size or ratio cap */
    RC_XLSX_ERROR_ENCRYPTED,     /* password-protected */
    RC_XLSX_ERROR_NO_SHEET,      /* the sheet asked for is not there; no visible worksheet */
    RC_XLSX_ERROR_SHARED_STRING, /* a shared-string index out of range */
} RcXlsxError;

typedef enum {
    RC_XLSX_FORMAT_NONE, /* not a workbook by its first bytes (text, or unreadable) */
    RC_XLSX_FORMAT_XLSX, /* a zip: PK\3\4 (or an empty zip's PK\5\6) */
    RC_XLSX_FORMAT_XLS,  /* an OLE compound file: .xls, or an encrypted .xlsx */
} RcXlsxFormat;

#define RC_XLSX_CELL_CAP    (64 * 1024)   /* bytes kept of one cell */
#define RC_XLSX_ROW_CAP     (1024 * 1024) /* bytes kept of one row's text */
#define RC_XLSX_MAX_COLUMNS 16384         /* A..XFD */

/* What PATH holds, from its first 8 bytes. Never fails: a file that cannot
 * be read is RC_XLSX_FORMAT_NONE (its reader reports the error). */
RcXlsxFormat rc_xlsx_sniff(const char *path);

/* TRUE when PATH's name ends in .xlsx or .xlsm (any case): such a file
 * goes to the workbook reader whatever its bytes, so that a damaged one is
 * reported as such. Not .xls: many systems export tab-separated text or
 * HTML under that name, and the CSV reader takes the text. */
gboolean rc_xlsx_path_is_workbook(const char *path);

typedef struct RcXlsx RcXlsx;

/* Opens the workbook at PATH (.xlsx or .xls, told by content) and readies
 * SHEET: NULL for the first visible worksheet, else a sheet name (exact,
 * then case-insensitive) or a 1-based number among all sheets. Reads the
 * workbook's structure, styles and shared strings; not the sheet yet.
 * Owned: rc_xlsx_free(). Errors (RC_XLSX_ERROR) start with PATH. */
RcXlsx *rc_xlsx_open(const char *path, const char *sheet, GError **error);
void rc_xlsx_free(RcXlsx *x);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcXlsx, rc_xlsx_free)

typedef struct {
    guint64 number;           /* 1-based row number in the sheet */
    guint n_cells;            /* through the last non-empty cell (0: a blank row) */
    const char *const *cells; /* NUL-terminated UTF-8; columns without a cell are "" */
    const guint *lens;
    const char *oversize; /* NULL, or why cells were cut: "field longer than 64 KiB",
                                * "record longer than 1 MiB" */
} RcXlsxRow;

/* The next row of the sheet in *ROW, borrowed until the next call; *ROW is
 * NULL at the end. Rows the sheet does not hold are skipped (numbers jump).
 * Returns FALSE with ERROR on a damaged part, bad XML, a cap, a
 * shared-string index out of range; the reader is then finished. */
gboolean rc_xlsx_next_row(RcXlsx *x, const RcXlsxRow **row, GError **error);

RcXlsxFormat rc_xlsx_format(const RcXlsx *x);
const char *rc_xlsx_format_name(const RcXlsx *x); /* "xlsx" or "xls" */
const char *rc_xlsx_path(const RcXlsx *x);        /* as given to rc_xlsx_open */

/* Every sheet, in workbook order (chart sheets included); borrowed. */
guint rc_xlsx_n_sheets(const RcXlsx *x);
const char *rc_xlsx_sheet_name(const RcXlsx *x, guint i);
gboolean rc_xlsx_sheet_hidden(const RcXlsx *x, guint i);
/* TRUE for a chart or dialog sheet (nothing to read). */
gboolean rc_xlsx_sheet_chart(const RcXlsx *x, guint i);
/* The index of the sheet SPEC names (as rc_xlsx_open's SHEET, but never
 * NULL) into *INDEX; FALSE with ERROR (RC_XLSX_ERROR_NO_SHEET) when there
 * is none, or it is a chart sheet. The sheet being read stays. */
gboolean rc_xlsx_find_sheet(RcXlsx *x, const char *spec, guint *index, GError **error);
/* Makes sheet I (0-based, < rc_xlsx_n_sheets) the one rc_xlsx_next_row
 * reads, from its first row; the sheet read before is dropped. An .xls
 * starts a new reader process. FALSE with ERROR as rc_xlsx_open (a chart
 * sheet, a missing part); the reader then holds no sheet to read. */
gboolean rc_xlsx_select(RcXlsx *x, guint i, GError **error);
/* The sheet being read: its index and name. */
guint rc_xlsx_sheet_index(const RcXlsx *x);
const char *rc_xlsx_sheet(const RcXlsx *x);

/* The text of a number cell holding V (as the XML's <v> says it) under
 * number format FORMAT_CODE (NULL or "General" for none; built-in ids are
 * turned into codes by the reader), 1904 date system when DATE1904. Writes
 * at most 63 bytes and a NUL into OUT; returns the length. For tests and
 * for .xls cells. */
gsize rc_xlsx_number_text(double v, const char *format_code, gboolean date1904, char out[64]);

/* For tests: the caps on a part's inflated size, on its inflation ratio,
 * and the size from which the ratio counts. 0 restores each default
 * (1 GiB, 100, 10 MiB). Not thread-safe. */
void rc_xlsx_set_limits(guint64 part_cap, guint ratio, guint64 ratio_floor);

/* For tests: the .xls child aborts once it has sent the sheet list. */
void rc_xlsx_set_xls_child_abort(gboolean on);

#endif

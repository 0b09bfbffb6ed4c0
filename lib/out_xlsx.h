/* out_xlsx: the workbook for district officials (DESIGN.md section 4,
 * "Workbook"), written with libxlsxwriter in constant-memory mode so that
 * memory stays flat however many residents there are.
 *
 * Sheets, always present and in this order (labels from lib/labels):
 *   汇总 Summary    per building: residents, exempt, tested, each state,
 *                   coverage; totals; run facts; colour legend; a stacked
 *                   bar chart of states per building
 *   全部 All        every resident, row filled by state
 *   阳性 Positive, 待复核 Attention (review, invalid, pending),
 *   未检测 Missing, 阴性 Negative, 免检 Exempt     residents by state
 *   名单外 Unmatched result rows not on the roster, with the reason
 *   问题 Problems   rejected rows: file, line, kind, reason, raw values
 * An empty sheet says so in its first row after the header. A sheet that
 * would pass the row limit (1,048,576 with its header) continues on
 * "NAME (2)", "NAME (3)"... placed right after it.
 *
 * Resident sheets: the report's columns in the report's order, ids and
 * phones as text, sampled_at as a date-time cell, header frozen and
 * repeated on every printed page, autofilter, fitted widths, A4 landscape
 * one page wide. Cells come from rc_report_cell(), so --mask holds
 * everywhere (spool rows through rc_report_spool_row()).
 *
 * Split by building: with RcXlsxOptions.building set, only that building's
 * residents and summary row are written. Its Unmatched and Problems sheets
 * hold one row pointing to the whole-area workbook instead of rows: those
 * rows belong to no building (an unmatched result names no resident, a
 * problem row may be unreadable), and copying every one into each of
 * hundreds of building workbooks would multiply them, so the whole-area
 * workbook alone carries them. Its 入户 Door-to-door, 楼层 Floors and
 * 异常管 Tubes sheets hold that building's residents only (a tube's rows
 * of other buildings and its unmatched rows are in the whole-area
 * workbook: issue 18 item 6). Its run facts (inputs, accounting) are the
 * whole run's and say so. */
#ifndef RC_OUT_XLSX_H
#define RC_OUT_XLSX_H

#include "labels.h"
#include "report.h"

#define RC_OUT_XLSX_ERROR rc_out_xlsx_error_quark()
GQuark rc_out_xlsx_error_quark(void);

typedef enum {
    RC_OUT_XLSX_ERROR_CREATE, /* libxlsxwriter could not start the workbook */
    RC_OUT_XLSX_ERROR_WRITE,  /* a cell, sheet or the final file could not be written */
} RcOutXlsxError;

/* Excel's row limit per sheet, header included. */
#define RC_XLSX_MAX_ROWS 1048576u

typedef struct {
    RcLang lang;
    const char *building; /* only this building's residents; NULL: all */
    guint32 max_rows;     /* rows per sheet, header included (min 2); 0:
                            * RC_XLSX_MAX_ROWS */
    const char *tmpdir;   /* libxlsxwriter's temporary files; NULL: $TMPDIR */
} RcXlsxOptions;

/* Writes the workbook of report R to PATH (a file libxlsxwriter creates or
 * truncates: give it the temporary of rc_outfile_open_path()), then reads
 * it back: every part must inflate with its CRC right and every sheet end
 * whole with the rows written to it, since libxlsxwriter does not check its
 * writes to the temporary files it copies sheets through. O may be NULL
 * (Chinese, every building). Returns FALSE with ERROR set ("PATH: cannot
 * write the workbook: ...", "PATH: the workbook came out damaged ...") when
 * libxlsxwriter or a temporary fails; PATH may then hold a partial file for
 * the caller to remove. Prints nothing. */
gboolean rc_out_xlsx_write(const RcReport *r, const char *path, const RcXlsxOptions *o, GError **error);

/* A file name (without extension) for BUILDING that Windows, macOS and
 * Linux all accept: / \ : * ? " < > | and control characters become '_',
 * leading spaces and trailing spaces and dots are dropped, a reserved DOS
 * device name (CON, PRN, AUX, NUL, COM1..9, LPT1..9, with any extension)
 * gets a '_' after the device part ("CON_", "nul_.txt"), an empty result
 * is "_", and the name is cut to at
 * most 100 bytes at a character boundary. Invalid UTF-8 is repaired. NULL
 * is treated as "". Owned: g_free(). */
char *rc_out_xlsx_safe_name(const char *building);

/* rc_out_xlsx_safe_name() of each of the N BUILDINGS, made distinct
 * ignoring case and composition as Windows and macOS file systems compare
 * ("ı栋" and "I栋", "é" composed and decomposed clash): the first of
 * names that clash keeps its name, later ones get " (2)", " (3)"..., never
 * one that another building's name already has. Same order as BUILDINGS;
 * NULL-terminated. Owned: g_strfreev(). */
GStrv rc_out_xlsx_unique_names(const char *const *buildings, guint n);

#endif

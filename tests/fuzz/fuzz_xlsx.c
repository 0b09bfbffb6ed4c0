/* libFuzzer: the .xlsx reader (lib/xlsx: minizip, expat, styles, shared
 * strings, cell text) on any bytes, then the same workbook through the
 * table layer's workbook path (every sheet selected in turn, and every
 * sheet read as a roster: skipped sheets, inherited places). Every row
 * keeps the reader's promises: at
 * most RC_XLSX_MAX_COLUMNS cells, each NUL-terminated at its length, within
 * RC_XLSX_CELL_CAP, valid UTF-8, the row within RC_XLSX_ROW_CAP.
 *
 * Seeds (tests/fuzz/seeds/xlsx): the fixtures' workbooks, and two of them
 * rewritten with stored (uncompressed) parts, so that mutations reach the
 * XML and not only the deflate streams.
 *
 * OLE files (.xls, encrypted workbooks) are left out: libfreexl runs in a
 * forked child by design (its crashes there are "damaged .xls file"), and
 * a fork per input would leave little time for the .xlsx reader. */
#include <string.h>

#include "fuzz_common.h"
#include "table.h"
#include "xlsx.h"

static void check_row(const RcXlsxRow *row)
{
    gsize total = 0;
    if (row->n_cells > RC_XLSX_MAX_COLUMNS)
        abort();
    for (guint i = 0; i < row->n_cells; i++) {
        const char *c = row->cells[i];
        guint n = row->lens[i];
        if (n > RC_XLSX_CELL_CAP || c[n] != '\0' || !g_utf8_validate(c, (gssize)n, NULL))
            abort();
        total += n;
    }
    if (total > RC_XLSX_ROW_CAP)
        abort();
}

static gboolean on_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    gsize *n = user;
    for (guint i = 0; i < r->n_fields; i++)
        if (r->fields[i][r->lens[i]] != '\0')
            abort();
    (*n)++;
    return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static RcConfig *cfg;
    if (!cfg) {
        cfg = rc_config_new();
        /* Small caps, so that inflation limits are reached, and quickly. */
        rc_xlsx_set_limits(16u << 20, 100, 1u << 20);
    }
    FuzzFile f;
    fuzz_file_open(&f, data, len);
    if (rc_xlsx_sniff(f.path) == RC_XLSX_FORMAT_XLS) {
        fuzz_file_close(&f);
        return 0;
    }

    GError *err = NULL;
    RcXlsx *x = rc_xlsx_open(f.path, NULL, &err);
    if (x) {
        for (guint i = 0; i < rc_xlsx_n_sheets(x); i++)
            if (!rc_xlsx_sheet_name(x, i))
                abort();
        const RcXlsxRow *row;
        while (rc_xlsx_next_row(x, &row, &err) && row)
            check_row(row);
        /* every other sheet, selected in turn (a sheet list of thousands
         * is capped: the first 64) */
        for (guint i = 1; i < rc_xlsx_n_sheets(x) && i < 64; i++) {
            g_clear_error(&err);
            if (!rc_xlsx_select(x, i, &err))
                continue;
            while (rc_xlsx_next_row(x, &row, &err) && row)
                check_row(row);
        }
        rc_xlsx_free(x);
    }
    g_clear_error(&err);

    /* Through the table layer: the first visible sheet or the second by
     * number, in one thread or two, as the length's low bits pick. */
    x = rc_xlsx_open(f.path, len & 2 ? "2" : NULL, &err);
    if (x) {
        gsize rows = 0;
        RcTableSink sink = {.row = on_row, .threads = len & 1 ? 2 : 1};
        RcTableStats stats;
        rc_table_read_xlsx(x, RC_KIND_COUNT, cfg, &sink, &rows, &stats, &err);
        rc_xlsx_free(x);
    }
    g_clear_error(&err);

    /* Every sheet through the path callers take, as a roster: headers per
     * sheet, sheets skipped, place cells inherited. */
    {
        gsize rows = 0;
        RcTableSink sink = {.row = on_row, .threads = 1};
        RcTableStats stats;
        RcTableInfo info;
        rc_table_read_path(f.path, NULL, len & 4 ? "1,2,3" : NULL, RC_KIND_ROSTER, cfg, &sink, &rows, &stats,
                           &info, &err);
        rc_table_info_clear(&info);
        g_clear_error(&err);
    }
    fuzz_file_close(&f);
    return 0;
}

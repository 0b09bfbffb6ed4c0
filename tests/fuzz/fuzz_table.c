/* libFuzzer: the CSV table layer (delimiter, header, roles, caps) on any
 * bytes, in one thread and through the parser thread. */
#include "fuzz_common.h"
#include "table.h"

#include <string.h>

static void on_ignored(const RcHeader *h, const RcRecord *r, const char *reason, gpointer user)
{
    if (!reason || !*reason)
        abort();
}

static void on_column(const RcHeader *h, guint col, RcTableLooks looks, gpointer user)
{
    if (col >= h->n_columns || !*rc_table_looks_name(looks))
        abort();
}

static gboolean on_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    gsize *n = user;
    static GString *when;
    if (!when)
        when = g_string_new(NULL);
    guint wl = 0;
    const char *w = rc_record_sampled_at(h, r, when, &wl);
    if (strlen(w) < wl)
        abort();
    for (guint i = 0; i < r->n_fields; i++)
        *n += r->lens[i] + (r->fields[i][r->lens[i]] == '\0' ? 0 : 1000000); /* NUL-terminated at len */
    return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static RcConfig *cfg;
    if (!cfg)
        cfg = rc_config_new();
    FuzzFile f;
    fuzz_file_open(&f, data, len);
    for (guint threads = 1; threads <= 2; threads++) {
        GError *err = NULL;
        RcSource *src = rc_source_open(f.path, NULL, &err);
        if (!src) {
            g_clear_error(&err);
            continue;
        }
        gsize n = 0;
        RcTableSink sink = {.row = on_row, .ignored = on_ignored, .column = on_column, .threads = threads};
        RcTableStats stats;
        rc_table_read(src, RC_KIND_COUNT, cfg, &sink, &n, &stats, &err);
        if (n >= 1000000)
            abort();
        g_clear_error(&err);
        rc_source_free(src);
    }
    fuzz_file_close(&f);
    return 0;
}

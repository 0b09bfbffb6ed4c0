/* libFuzzer: encoding detection and decoding of any bytes (lib/source). */
#include <string.h>

#include "fuzz_common.h"
#include "source.h"

/* Valid UTF-8, where NUL bytes (U+0000, passed through) are allowed. */
static gboolean utf8_with_nuls(const char *d, gsize n)
{
    while (n) {
        const char *z = memchr(d, '\0', n);
        gsize run = z ? (gsize)(z - d) : n;
        if (run && !g_utf8_validate(d, (gssize)run, NULL))
            return FALSE;
        if (!z)
            break;
        d += run + 1;
        n -= run + 1;
    }
    return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static const char *const encodings[] = {NULL, "utf-8", "gb18030", "utf-16le"};
    FuzzFile f;
    fuzz_file_open(&f, data, len);
    for (gsize e = 0; e < G_N_ELEMENTS(encodings); e++) {
        GError *err = NULL;
        rc_source_set_block_size(e == 0 && len > 0 ? 1 + data[0] % 7 : 0);
        RcSource *src = rc_source_open(f.path, encodings[e], &err);
        if (!src) {
            g_clear_error(&err);
            continue;
        }
        const char *d;
        gsize n;
        while (rc_source_read(src, &d, &n, &err) && n > 0)
            if (!utf8_with_nuls(d, n))
                abort(); /* the promise: UTF-8 out, or an error */
        g_clear_error(&err);
        rc_source_free(src);
    }
    rc_source_set_block_size(0);
    fuzz_file_close(&f);
    return 0;
}

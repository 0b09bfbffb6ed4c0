/* source_throughput: reads FILE through lib/source.c (rc_source_open, then
 * rc_source_read to the end) and prints bytes in, bytes out, the encoding
 * and the rate in MB/s of input. Used by bench-source.sh.
 * Usage: source_throughput FILE [ENCODING]; RC_BENCH_BLOCK=BYTES sets the
 * read size (rc_source_set_block_size). */
#include <stdio.h>
#include <stdlib.h>

#include "source.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: source_throughput FILE [ENCODING]\n");
        return 1;
    }
    g_autoptr(GError) error = NULL;
    const char *block = g_getenv("RC_BENCH_BLOCK");
    if (block != NULL)
        rc_source_set_block_size((gsize)g_ascii_strtoull(block, NULL, 10));
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(RcSource) src = rc_source_open(argv[1], argc > 2 ? argv[2] : NULL, &error);
    if (src == NULL) {
        fprintf(stderr, "source_throughput: %s\n", error->message);
        return 2;
    }
    const char *data;
    gsize len;
    guint64 out = 0, blocks = 0;
    while (rc_source_read(src, &data, &len, &error) && len > 0) {
        out += len;
        blocks++;
    }
    if (error != NULL) {
        fprintf(stderr, "source_throughput: %s\n", error->message);
        return 2;
    }
    double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    guint64 in = rc_source_bytes_read(src);
    printf("%-16s in %" G_GUINT64_FORMAT " B, out %" G_GUINT64_FORMAT " B, %" G_GUINT64_FORMAT
           " blocks, %.3f s, %.0f MB/s\n",
           rc_source_encoding(src), in, out, blocks, secs, secs > 0 ? (double)in / 1e6 / secs : 0.0);
    return 0;
}

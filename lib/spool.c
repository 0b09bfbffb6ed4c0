/* spool: rows in an unlinked temporary file, each field as a 32-bit length
 * and its bytes (spool.h). The writer buffers and checks every write();
 * readers read with pread() at their own offsets. */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

G_DEFINE_QUARK(rc - spool - error - quark, rc_spool_error)

const char *const rc_spool_columns[RC_SPOOL_FIELDS] = {
    "file", "line", "kind", "reason", "id", "name", "phone", "result", "sampled_at", "raw",
};

#define BUF_SIZE (64 * 1024)

struct RcSpoolReader {
    const RcSpool *spool;
    guint64 off;    /* file offset of buf[0] */
    gsize pos, len; /* read position and bytes held in buf */
    char buf[BUF_SIZE];
    GString *row; /* the row being read, its fields NUL-terminated */
};

struct RcSpool {
    int fd;
    guint64 rows;
    guint64 written;  /* bytes in the file */
    gboolean failed;  /* a write failed: the file is short */
    const char *name; /* for messages */
    char *dir;        /* where it lives, for messages */
    gsize len;        /* bytes buffered */
    char buf[BUF_SIZE];
    RcSpoolReader *own; /* rc_spool_next()'s */
};

RcSpool *rc_spool_new(const char *name, GError **error)
{
    const char *dir = g_get_tmp_dir(); /* $TMPDIR, as the workbook's temporaries */
    g_autofree char *tmpl = g_build_filename(dir, "rollcall-spool-XXXXXX", NULL);
    int fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, RC_SPOOL_ERROR, RC_SPOOL_ERROR_CREATE, "%s: cannot create the %s spool: %s", dir,
                    name, g_strerror(e));
        return NULL;
    }
    g_unlink(tmpl); /* gone when the file is closed, however the run ends */
    RcSpool *s = g_new0(RcSpool, 1);
    s->fd = fd;
    s->name = name;
    s->dir = g_strdup(dir);
    return s;
}

void rc_spool_free(RcSpool *s)
{
    if (!s)
        return;
    rc_spool_reader_free(s->own);
    close(s->fd);
    g_free(s->dir);
    g_free(s);
}

static gboolean write_failed(RcSpool *s, int e, GError **error)
{
    s->failed = TRUE;
    g_set_error(error, RC_SPOOL_ERROR, RC_SPOOL_ERROR_WRITE, "%s: cannot write the %s spool: %s", s->dir,
                s->name, g_strerror(e));
    return FALSE;
}

gboolean rc_spool_flush(RcSpool *s, GError **error)
{
    if (s->failed)
        return write_failed(s, EIO, error);
    const char *p = s->buf;
    gsize n = s->len;
    while (n) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return write_failed(s, w < 0 ? errno : ENOSPC, error);
        p += w;
        n -= (gsize)w;
        s->written += (guint64)w;
    }
    s->len = 0;
    return TRUE;
}

/* Appends (P, N) to the buffer, writing it out when full. */
static gboolean put(RcSpool *s, const void *p, gsize n, GError **error)
{
    const char *c = p;
    while (n) {
        if (s->len == BUF_SIZE && !rc_spool_flush(s, error))
            return FALSE;
        gsize k = MIN(n, BUF_SIZE - s->len);
        memcpy(s->buf + s->len, c, k);
        s->len += k;
        c += k;
        n -= k;
    }
    return TRUE;
}

gboolean rc_spool_write(RcSpool *s, const char *const fields[RC_SPOOL_FIELDS],
                        const guint lens[RC_SPOOL_FIELDS], GError **error)
{
    if (s->failed)
        return write_failed(s, EIO, error);
    for (int i = 0; i < RC_SPOOL_FIELDS; i++) {
        guint32 l = lens[i];
        if (!put(s, &l, sizeof l, error) || !put(s, fields[i], l, error))
            return FALSE;
    }
    s->rows++;
    return TRUE;
}

guint64 rc_spool_rows(const RcSpool *spool)
{
    return spool->rows;
}

/* ---- readers ---- */

RcSpoolReader *rc_spool_reader_new(const RcSpool *spool)
{
    RcSpoolReader *rd = g_new(RcSpoolReader, 1);
    rd->spool = spool;
    rd->off = 0;
    rd->pos = rd->len = 0;
    rd->row = g_string_new(NULL);
    return rd;
}

void rc_spool_reader_free(RcSpoolReader *rd)
{
    if (!rd)
        return;
    g_string_free(rd->row, TRUE);
    g_free(rd);
}

/* Copies N bytes at the read position to DST. Returns 1, 0 at the end of
 * the flushed rows, -1 on a read error (errno set). */
static int take(RcSpoolReader *rd, char *dst, gsize n)
{
    while (n) {
        if (rd->pos == rd->len) {
            rd->off += rd->len;
            rd->pos = rd->len = 0;
            guint64 left = rd->spool->written - rd->off;
            if (left == 0)
                return 0;
            ssize_t got;
            do
                got = pread(rd->spool->fd, rd->buf, (gsize)MIN(left, BUF_SIZE), (off_t)rd->off);
            while (got < 0 && errno == EINTR);
            if (got <= 0) {
                if (got == 0)
                    errno = EIO; /* the file is shorter than what was written */
                return -1;
            }
            rd->len = (gsize)got;
        }
        gsize k = MIN(n, rd->len - rd->pos);
        memcpy(dst, rd->buf + rd->pos, k);
        rd->pos += k;
        dst += k;
        n -= k;
    }
    return 1;
}

gboolean rc_spool_reader_next(RcSpoolReader *rd, const char *fields[RC_SPOOL_FIELDS], GError **error)
{
    gsize offs[RC_SPOOL_FIELDS];
    g_string_truncate(rd->row, 0);
    for (int i = 0; i < RC_SPOOL_FIELDS; i++) {
        guint32 l;
        int got = take(rd, (char *)&l, sizeof l);
        if (got == 0 && i == 0)
            return FALSE; /* the end, between rows */
        offs[i] = rd->row->len;
        if (got > 0) {
            g_string_set_size(rd->row, rd->row->len + l + 1);
            got = take(rd, rd->row->str + offs[i], l);
            rd->row->str[offs[i] + l] = '\0';
        }
        if (got <= 0) {
            int e = got < 0 ? errno : EIO;
            g_set_error(error, RC_SPOOL_ERROR, RC_SPOOL_ERROR_READ, "%s: cannot read the %s spool: %s",
                        rd->spool->dir, rd->spool->name, g_strerror(e));
            return FALSE;
        }
    }
    for (int i = 0; i < RC_SPOOL_FIELDS; i++)
        fields[i] = rd->row->str + offs[i];
    return TRUE;
}

void rc_spool_rewind(RcSpool *spool)
{
    rc_spool_flush(spool, NULL);
    rc_spool_reader_free(spool->own);
    spool->own = rc_spool_reader_new(spool);
}

gboolean rc_spool_next(RcSpool *spool, const char *fields[RC_SPOOL_FIELDS])
{
    if (!spool->own)
        rc_spool_rewind(spool);
    return rc_spool_reader_next(spool->own, fields, NULL);
}

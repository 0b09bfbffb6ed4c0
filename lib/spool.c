/* spool: rows in an unlinked temporary file, each field as a 32-bit length
 * and its bytes (spool.h). */
#include "spool.h"

#include <errno.h>
#include <stdio.h>

G_DEFINE_QUARK(rc-spool-error-quark, rc_spool_error)

const char *const rc_spool_columns[RC_SPOOL_FIELDS] = {
    "file", "line", "kind", "reason", "id", "name", "phone", "result", "sampled_at", "raw",
};

struct RcSpool {
    FILE *fp;
    guint64 rows;
    GString *buf;             /* the row being read */
    const char *name;         /* for errors */
};

RcSpool *
rc_spool_new(const char *name, GError **error)
{
    FILE *fp = tmpfile(); /* unlinked at creation, mode 0600 */
    if (!fp) {
        g_set_error(error, RC_SPOOL_ERROR, RC_SPOOL_ERROR_CREATE, "cannot create the %s spool: %s", name,
                    g_strerror(errno));
        return NULL;
    }
    RcSpool *s = g_new0(RcSpool, 1);
    s->fp = fp;
    s->buf = g_string_new(NULL);
    s->name = name;
    return s;
}

void
rc_spool_free(RcSpool *s)
{
    if (!s)
        return;
    fclose(s->fp);
    g_string_free(s->buf, TRUE);
    g_free(s);
}

void
rc_spool_write(RcSpool *s, const char *const fields[RC_SPOOL_FIELDS], const guint lens[RC_SPOOL_FIELDS])
{
    for (int i = 0; i < RC_SPOOL_FIELDS; i++) {
        guint32 l = lens[i];
        fwrite(&l, sizeof l, 1, s->fp);
        fwrite(fields[i], 1, l, s->fp);
    }
    s->rows++;
}

void
rc_spool_rewind(RcSpool *spool)
{
    fflush(spool->fp);
    rewind(spool->fp);
}

gboolean
rc_spool_next(RcSpool *spool, const char *fields[RC_SPOOL_FIELDS])
{
    gsize offs[RC_SPOOL_FIELDS];
    g_string_truncate(spool->buf, 0);
    for (int i = 0; i < RC_SPOOL_FIELDS; i++) {
        guint32 l;
        if (fread(&l, sizeof l, 1, spool->fp) != 1)
            return FALSE;
        offs[i] = spool->buf->len;
        g_string_set_size(spool->buf, spool->buf->len + l + 1);
        if (l && fread(spool->buf->str + offs[i], 1, l, spool->fp) != l)
            return FALSE;
        spool->buf->str[offs[i] + l] = '\0';
    }
    for (int i = 0; i < RC_SPOOL_FIELDS; i++)
        fields[i] = spool->buf->str + offs[i];
    return TRUE;
}

guint64
rc_spool_rows(const RcSpool *spool)
{
    return spool->rows;
}

/* table_rec: the one record buffer of lib/table. The CSV reader and the
 * workbook reader both assemble each row in it, so the caps on a field and
 * on a record, and what a NUL byte means, are the same whatever the file:
 * an oversize record keeps its line and its reason, not its fields. */
#include "table_internal.h"

#include <string.h>

void rec_init(Rec *r)
{
    memset(r, 0, sizeof *r);
    r->cap = 1024;
    r->buf = g_malloc(r->cap);
    r->ncap = 32;
    r->offs = g_new(guint, r->ncap);
    r->lens = g_new(guint, r->ncap);
    r->line = 1;
}

void rec_clear(Rec *r)
{
    r->len = 0;
    r->n = 0;
    r->bytes = 0;
    r->oversize = FALSE;
    r->oversize_reason = NULL;
}

void rec_destroy(Rec *r)
{
    g_free(r->buf);
    g_free(r->offs);
    g_free(r->lens);
}

void rec_spoil(Rec *r, const char *reason)
{
    if (r->oversize)
        return;
    r->oversize = TRUE;
    r->oversize_reason = reason;
}

void rec_add_slow(Rec *r, const void *s, gsize len)
{
    if (len > RC_TABLE_FIELD_CAP)
        rec_spoil(r, rc_reason_static(RC_REASON_LONG_FIELD));
    if (r->oversize)
        return;
    r->bytes += len + RC_TABLE_FIELD_OVERHEAD;
    if (r->bytes > RC_TABLE_RECORD_CAP) {
        r->oversize = TRUE;
        r->oversize_reason = rc_reason_static(RC_REASON_LONG_RECORD);
        r->len = 0;
        r->n = 0;
        return;
    }
    if (r->len + len + 1 > r->cap) {
        while (r->len + len + 1 > r->cap)
            r->cap *= 2;
        r->buf = g_realloc(r->buf, r->cap);
    }
    if (r->n == r->ncap) {
        r->ncap = MAX(r->ncap * 2, 32); /* rec_init sets 32: MAX for an analyser that loses it */
        r->offs = g_renew(guint, r->offs, r->ncap);
        r->lens = g_renew(guint, r->lens, r->ncap);
    }
    rec_put(r, s, len);
}

void rec_add_cell(Rec *r, const char *s, gsize len)
{
    if (!r->oversize && len <= RC_TABLE_FIELD_CAP && memchr(s, '\0', len))
        rec_spoil(r, rc_reason_static(RC_REASON_NUL_BYTE));
    rec_add(r, s, len);
}

gboolean rec_blank(const Rec *r)
{
    for (guint i = 0; i < r->n; i++) {
        guint l = r->lens[i];
        const char *f = r->buf + r->offs[i];
        for (guint k = 0; k < l; k++)
            if (f[k] != ' ' && f[k] != '\t')
                return FALSE;
    }
    return TRUE;
}

void rec_copy(Rec *dst, const Rec *src)
{
    rec_clear(dst);
    if (src->len > dst->cap) {
        dst->cap = src->len;
        dst->buf = g_realloc(dst->buf, dst->cap);
    }
    if (src->n > dst->ncap) {
        dst->ncap = src->n;
        dst->offs = g_renew(guint, dst->offs, dst->ncap);
        dst->lens = g_renew(guint, dst->lens, dst->ncap);
    }
    if (src->len)
        memcpy(dst->buf, src->buf, src->len);
    if (src->n) {
        memcpy(dst->offs, src->offs, src->n * sizeof *src->offs);
        memcpy(dst->lens, src->lens, src->n * sizeof *src->lens);
    }
    dst->len = src->len;
    dst->n = src->n;
    dst->bytes = src->bytes;
    dst->line = src->line;
    dst->oversize = src->oversize;
    dst->oversize_reason = src->oversize_reason;
}

Rec *rec_dup(const Rec *r)
{
    Rec *d = g_new(Rec, 1);
    rec_init(d);
    rec_copy(d, r);
    return d;
}

void rec_free(gpointer p)
{
    Rec *r = p;
    if (!r)
        return;
    rec_destroy(r);
    g_free(r);
}

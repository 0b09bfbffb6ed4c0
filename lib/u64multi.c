/* u64multi: the frozen multimap's sort (u64multi.h). */
#include "u64multi.h"

#include <stdlib.h>
#include <string.h>

void rc_u64multi_destroy(RcU64Multi *mm)
{
    g_free(mm->pairs);
    g_free(mm->dir);
    rc_u64multi_init(mm);
}

static int pair_cmp(const void *a, const void *b)
{
    const RcU64Slot *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->val < y->val ? -1 : x->val > y->val;
}

/* Pairs sorted within one bucket: mostly one or two, so insertion; a key
 * with many values (a phone a thousand residents give) by qsort. */
static void sort_bucket(RcU64Slot *p, gsize n)
{
    if (n > 16) {
        qsort(p, n, sizeof *p, pair_cmp);
        return;
    }
    for (gsize i = 1; i < n; i++) {
        RcU64Slot t = p[i];
        gsize j = i;
        for (; j > 0 && pair_cmp(&p[j - 1], &t) > 0; j--)
            p[j] = p[j - 1];
        p[j] = t;
    }
}

void rc_u64multi_freeze(RcU64Multi *mm)
{
    g_return_if_fail(mm->dir == NULL);
    g_return_if_fail(mm->n < G_MAXUINT32);
    /* about one pair a bucket: a run is found in the bucket's few pairs */
    mm->bits = 4;
    while (mm->bits < 31 && ((gsize)1 << mm->bits) < mm->n)
        mm->bits++;
    gsize nb = (gsize)1 << mm->bits;
    guint32 *dir = rc_u64map_table((nb + 1) * sizeof(guint32));
    for (gsize i = 0; i < mm->n; i++)
        dir[((mm->pairs[i].key * 0x9E3779B97F4A7C15ull) >> (64 - mm->bits)) + 1]++;
    for (gsize b = 0; b < nb; b++)
        dir[b + 1] += dir[b];
    /* counting sort by bucket: dir[b] walks from bucket b's start to its
     * end, the next bucket's start, so shifting it by one restores it */
    RcU64Slot *out = g_new(RcU64Slot, MAX(mm->n, 1));
    for (gsize i = 0; i < mm->n; i++) {
        gsize b = (gsize)((mm->pairs[i].key * 0x9E3779B97F4A7C15ull) >> (64 - mm->bits));
        out[dir[b]++] = mm->pairs[i];
    }
    memmove(dir + 1, dir, nb * sizeof(guint32));
    dir[0] = 0;
    for (gsize b = 0; b < nb; b++)
        if (dir[b + 1] - dir[b] > 1)
            sort_bucket(out + dir[b], dir[b + 1] - dir[b]);
    g_free(mm->pairs);
    mm->pairs = out;
    mm->cap = mm->n;
    mm->dir = dir;
}

/* u64multi: a multimap from 64-bit keys (never 0) to 32-bit values that is
 * filled once and then only read: pairs are appended in order, then sorted
 * once (rc_u64multi_freeze) into runs of equal keys, found through a
 * directory of the keys' hashed top bits. For the roster's rescue indexes
 * (issue 16): appending touches memory in order and the sort costs a few
 * passes, where a hash table's insert is a cache miss each and its chains
 * one more array; a lookup is two cache misses, and a key's values come
 * back together, sorted. */
#ifndef RC_U64MULTI_H
#define RC_U64MULTI_H

#include "u64map.h"

typedef struct {
    RcU64Slot *pairs; /* appended; sorted by key, then value, once frozen */
    gsize n, cap;
    guint32 *dir; /* frozen: 2^bits + 1 offsets into pairs, by bucket; else NULL */
    guint bits;
} RcU64Multi;

static inline void rc_u64multi_init(RcU64Multi *mm)
{
    memset(mm, 0, sizeof *mm);
}

/* Frees it; again is harmless. */
void rc_u64multi_destroy(RcU64Multi *mm);

/* Adds the pair (KEY, VAL); KEY not 0. Not after rc_u64multi_freeze(). */
static inline void rc_u64multi_add(RcU64Multi *mm, guint64 key, guint32 val)
{
    if (mm->n == mm->cap) {
        mm->cap = mm->cap ? 2 * mm->cap : 1024;
        mm->pairs = g_renew(RcU64Slot, mm->pairs, mm->cap);
    }
    mm->pairs[mm->n].key = key;
    mm->pairs[mm->n].val = val;
    mm->n++;
}

/* Sorts the pairs and builds the directory: lookups may begin. */
void rc_u64multi_freeze(RcU64Multi *mm);

static inline gboolean rc_u64multi_frozen(const RcU64Multi *mm)
{
    return mm->dir != NULL;
}

/* The values of KEY, in increasing order (a value added twice comes
 * twice): *N of them from the pair returned (NULL and 0 when none). */
static inline const RcU64Slot *rc_u64multi_get(const RcU64Multi *mm, guint64 key, gsize *n)
{
    *n = 0;
    if (!mm->dir || !key)
        return NULL;
    gsize b = (gsize)((key * 0x9E3779B97F4A7C15ull) >> (64 - mm->bits));
    const RcU64Slot *p = mm->pairs + mm->dir[b], *end = mm->pairs + mm->dir[b + 1];
    while (p < end && p->key < key)
        p++;
    const RcU64Slot *first = p;
    while (p < end && p->key == key)
        p++;
    *n = (gsize)(p - first);
    return *n ? first : NULL;
}

#endif

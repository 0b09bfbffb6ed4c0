/* u64map: a flat open-addressing table from a 64-bit key (never 0) to a
 * 32-bit value, for the roster's indexes and the merge's sets. A lookup is
 * one cache miss, where a GHashTable of strings costs four (the hashes, the
 * keys, the string itself, the values); at a million residents that is
 * most of the matcher's time. Header-only: the probes inline where they
 * are hot. */
#ifndef RC_U64MAP_H
#define RC_U64MAP_H

#include <glib.h>
#include <sys/mman.h>

/* Asks for transparent huge pages on a large table before it is touched:
 * random probes into tens of megabytes otherwise pay a TLB miss each. A hint
 * only; where the kernel says no, nothing changes. */
static inline void rc_hint_huge(void *p, gsize len)
{
#ifdef MADV_HUGEPAGE
    const guintptr huge = 2u << 20;
    guintptr start = ((guintptr)p + huge - 1) & ~(huge - 1);
    guintptr end = ((guintptr)p + len) & ~(huge - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}

/* 12 bytes, not 16: packed, as the table is most of an index's memory
 * (x86 and ARMv8 load the unaligned key at no cost). */
typedef struct __attribute__((packed)) {
    guint64 key; /* 0 is an empty slot */
    guint32 val;
} RcU64Slot;
G_STATIC_ASSERT(sizeof(RcU64Slot) == 12);

typedef struct {
    RcU64Slot *slots;
    gsize cap, n; /* cap is 1 << bits */
    guint bits;
} RcU64Map;

/* A zeroed table of LEN bytes, hinted huge when large. Free with g_free.
 * calloc maps large blocks fresh from the kernel, already zero: the hint
 * comes before any page is touched, and nothing is zeroed twice. */
static inline void *rc_u64map_table(gsize len)
{
    void *p = g_malloc0(len);
    rc_hint_huge(p, len);
    return p;
}

static inline void rc_u64map_init(RcU64Map *ix)
{
    ix->bits = 10;
    ix->cap = (gsize)1 << ix->bits;
    ix->n = 0;
    ix->slots = rc_u64map_table(ix->cap * sizeof(RcU64Slot));
}

/* Frees the table; again is harmless. */
static inline void rc_u64map_destroy(RcU64Map *ix)
{
    g_free(ix->slots);
    ix->slots = NULL;
}

/* The slot of KEY, or the empty slot where it would go. */
static inline RcU64Slot *rc_u64map_find(const RcU64Map *ix, guint64 key)
{
    gsize i = (gsize)((key * 0x9E3779B97F4A7C15ull) >> (64 - ix->bits)); /* Fibonacci hashing */
    for (;; i = (i + 1) & (ix->cap - 1))
        if (ix->slots[i].key == key || ix->slots[i].key == 0)
            return &ix->slots[i];
}

/* Starts loading the slot where KEY's probe begins. */
static inline void rc_u64map_prefetch(const RcU64Map *ix, guint64 key)
{
    __builtin_prefetch(&ix->slots[(gsize)((key * 0x9E3779B97F4A7C15ull) >> (64 - ix->bits))]);
}

/* The value of KEY, 0 when absent. */
static inline guint32 rc_u64map_get(const RcU64Map *ix, guint64 key)
{
    return rc_u64map_find(ix, key)->val;
}

static inline void rc_u64map_put(RcU64Map *ix, guint64 key, guint32 val);

/* Makes room for N keys in all at a load of at most 3/4, moving the keys
 * to a larger table when the table is too small. */
static inline void rc_u64map_reserve(RcU64Map *ix, gsize n)
{
    if (4 * n <= 3 * ix->cap)
        return;
    RcU64Map old = *ix;
    while (4 * n > 3 * ix->cap) {
        ix->bits++;
        ix->cap *= 2;
    }
    ix->n = 0;
    ix->slots = rc_u64map_table(ix->cap * sizeof(RcU64Slot));
    for (gsize i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            rc_u64map_put(ix, old.slots[i].key, old.slots[i].val);
    g_free(old.slots);
}

/* Sets KEY (not 0) to VAL, adding it if new. */
static inline void rc_u64map_put(RcU64Map *ix, guint64 key, guint32 val)
{
    rc_u64map_reserve(ix, ix->n + 1); /* the table doubles when full */
    RcU64Slot *sl = rc_u64map_find(ix, key);
    if (!sl->key) {
        sl->key = key;
        ix->n++;
    }
    sl->val = val;
}

/* splitmix64's finalizer: a bijection of 64-bit words that spreads every
 * input bit over the output. Chained as mix(mix(a) ^ b), a fingerprint is
 * one-to-one in each part (boost's hash_combine, h ^ (v + c + (h << 6) +
 * (h >> 2)), is not, and merged distinct samples). */
static inline guint64 rc_mix64(guint64 x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* A set of 64-bit keys (never 0), 8 bytes a slot: the merge's and the
 * history's fingerprints of samples (DESIGN.md section 3.3, duplicates). */
typedef struct {
    guint64 *slots; /* 0 is an empty slot */
    gsize cap, n;   /* cap is 1 << bits */
    guint bits;
} RcU64Set;

static inline void rc_u64set_init(RcU64Set *s)
{
    s->bits = 10;
    s->cap = (gsize)1 << s->bits;
    s->n = 0;
    s->slots = rc_u64map_table(s->cap * sizeof(guint64));
}

/* Frees the table; again is harmless. */
static inline void rc_u64set_destroy(RcU64Set *s)
{
    g_free(s->slots);
    s->slots = NULL;
}

static inline guint64 *rc_u64set_find(const RcU64Set *s, guint64 key)
{
    gsize i = (gsize)((key * 0x9E3779B97F4A7C15ull) >> (64 - s->bits));
    for (;; i = (i + 1) & (s->cap - 1))
        if (s->slots[i] == key || s->slots[i] == 0)
            return &s->slots[i];
}

/* Adds KEY (not 0); FALSE when it was there already. */
static inline gboolean rc_u64set_add(RcU64Set *s, guint64 key)
{
    if (4 * (s->n + 1) > 3 * s->cap) { /* keep the load at most 3/4 */
        RcU64Set old = *s;
        s->bits++;
        s->cap *= 2;
        s->slots = rc_u64map_table(s->cap * sizeof(guint64));
        for (gsize i = 0; i < old.cap; i++)
            if (old.slots[i])
                *rc_u64set_find(s, old.slots[i]) = old.slots[i];
        g_free(old.slots);
    }
    guint64 *sl = rc_u64set_find(s, key);
    if (*sl)
        return FALSE;
    *sl = key;
    s->n++;
    return TRUE;
}

#endif

/* roster: residents in an arena, their id and name indexes, the numbered
 * texts and the extra columns (roster.h). DESIGN.md section 3.1. */
#include "roster.h"

#include <string.h>

#include "u64map.h"

/* ---- the indexes ----
 * Keys are packed mainland ids (17 digits and a check character fit in 64
 * bits) and 64-bit hashes of name keys, in u64map tables; ids of other
 * documents (passports, permits) go to a GHashTable keyed by the string. */

guint64
rc_id_pack(const char *id)
{
    guint64 v = 0;
    for (int i = 0; i < 17; i++) {
        if (id[i] < '0' || id[i] > '9')
            return 0;
        v = v * 10 + (guint64)(id[i] - '0');
    }
    int c = id[17] == 'X' ? 10 : (id[17] >= '0' && id[17] <= '9') ? id[17] - '0' : -1;
    if (c < 0 || id[18] != '\0')
        return 0;
    return v * 11 + (guint64)c + 1;
}

/* The rc_id_pack() of an id, back: 18 characters and a NUL into OUT. */
static void
id_unpack(guint64 key, char *out)
{
    guint64 v = key - 1;
    int c = (int)(v % 11);
    v /= 11;
    out[17] = c == 10 ? 'X' : (char)('0' + c);
    for (int i = 16; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
    out[18] = '\0';
}

/* 64-bit FNV-1a of a name key, never 0. Two different names share it with
 * a chance of about 2^-64; rescue compares the strings anyway. */
guint64
rc_name_hash(const char *s)
{
    guint64 h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (guchar)*s) * 0x100000001b3ull;
    return h | 1;
}

typedef struct {
    RcU64Map packed;
    GHashTable *other;
} IdIndex;

static void
id_index_init(IdIndex *ix)
{
    rc_u64map_init(&ix->packed);
    ix->other = g_hash_table_new(g_str_hash, g_str_equal);
}

/* Frees the index; again is harmless. */
static void
id_index_destroy(IdIndex *ix)
{
    rc_u64map_destroy(&ix->packed);
    if (ix->other)
        g_hash_table_unref(ix->other);
    ix->other = NULL;
}

/* The resident of ID, whose rc_id_pack() is KEY (0: not a mainland id). */
static guint
id_index_lookup(const IdIndex *ix, guint64 key, const char *id)
{
    return key ? rc_u64map_get(&ix->packed, key) : GPOINTER_TO_UINT(g_hash_table_lookup(ix->other, id));
}

struct RcRoster {
    GStringChunk *arena;      /* roster strings */
    GStringChunk *interned;   /* texts: places and result words */
    GPtrArray *texts;         /* number -> interned text; 0 is "" */
    GHashTable *text_ids;     /* interned text -> number */
    RcResident *residents;    /* grown by doubling */
    guint n_residents, cap_residents;
    IdIndex by_id;            /* id -> index + 1 */
    RcU64Map by_name;         /* name key hash -> index + 1 of the latest resident */
    GPtrArray *extra_cols;    /* char*, NULL-terminated */
    GHashTable *extra_index;  /* column name -> index + 1 */
    GPtrArray *extra_maps;    /* guint* per input (NULL for results) */
};

static const char empty[] = "";

/* roster.h says how large a resident is; keep it true. */
G_STATIC_ASSERT(sizeof(RcResident) == 104);

RcRoster *
rc_roster_new(void)
{
    RcRoster *ro = g_new0(RcRoster, 1);
    ro->arena = g_string_chunk_new(1 << 20);
    ro->interned = g_string_chunk_new(4096);
    ro->texts = g_ptr_array_new();
    g_ptr_array_add(ro->texts, (gpointer)empty);
    ro->text_ids = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(ro->text_ids, (gpointer)empty, GUINT_TO_POINTER(0));
    id_index_init(&ro->by_id);
    rc_u64map_init(&ro->by_name);
    ro->extra_cols = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(ro->extra_cols, NULL);
    ro->extra_index = g_hash_table_new(g_str_hash, g_str_equal);
    ro->extra_maps = g_ptr_array_new_with_free_func(g_free);
    return ro;
}

void
rc_roster_free(RcRoster *ro)
{
    if (!ro)
        return;
    g_string_chunk_free(ro->arena);
    g_string_chunk_free(ro->interned);
    g_ptr_array_unref(ro->texts);
    g_hash_table_unref(ro->text_ids);
    g_free(ro->residents);
    id_index_destroy(&ro->by_id);
    rc_u64map_destroy(&ro->by_name);
    g_ptr_array_unref(ro->extra_cols);
    g_hash_table_unref(ro->extra_index);
    g_ptr_array_unref(ro->extra_maps);
    g_free(ro);
}

const char *
rc_roster_str(RcRoster *ro, const char *s, gsize len)
{
    if (len == 0)
        return empty;
    return g_string_chunk_insert_len(ro->arena, s, (gssize)len);
}

guint32
rc_roster_intern(RcRoster *ro, const char *s)
{
    gpointer val;
    if (g_hash_table_lookup_extended(ro->text_ids, s, NULL, &val))
        return GPOINTER_TO_UINT(val);
    const char *t = g_string_chunk_insert(ro->interned, s);
    guint32 id = ro->texts->len;
    g_ptr_array_add(ro->texts, (gpointer)t);
    g_hash_table_insert(ro->text_ids, (gpointer)t, GUINT_TO_POINTER(id));
    return id;
}

const char *
rc_roster_text(const RcRoster *ro, guint32 id)
{
    g_return_val_if_fail(id < ro->texts->len, empty);
    return ro->texts->pdata[id];
}

guint32
rc_roster_n_texts(const RcRoster *ro)
{
    return ro->texts->len;
}

guint
rc_roster_add(RcRoster *ro, const RcResident *res, guint64 id_key, gboolean usable_id)
{
    guint idx = ro->n_residents + 1;
    RcResident r = *res;
    r.next_same_name = 0;
    if (r.name_hash) {
        RcU64Slot *sl = rc_u64map_find(&ro->by_name, r.name_hash);
        r.next_same_name = sl->key ? sl->val : 0;
        rc_u64map_put(&ro->by_name, r.name_hash, idx);
    }
    if (id_key)
        rc_u64map_put(&ro->by_id.packed, id_key, idx);
    else if (usable_id)
        g_hash_table_insert(ro->by_id.other, (gpointer)r.id.str, GUINT_TO_POINTER(idx));
    if (ro->n_residents == ro->cap_residents) {
        ro->cap_residents = ro->cap_residents ? 2 * ro->cap_residents : 4096;
        ro->residents = g_renew(RcResident, ro->residents, ro->cap_residents);
        rc_hint_huge(ro->residents + ro->n_residents, (ro->cap_residents - ro->n_residents) * sizeof(RcResident));
    }
    ro->residents[ro->n_residents++] = r;
    return idx;
}

guint
rc_roster_find_id(const RcRoster *ro, guint64 key, const char *id)
{
    return id_index_lookup(&ro->by_id, key, id);
}

guint
rc_roster_first_named(const RcRoster *ro, guint64 hash)
{
    return rc_u64map_get(&ro->by_name, hash);
}

RcResident *
rc_roster_residents(RcRoster *ro, guint *n)
{
    *n = ro->n_residents;
    return ro->residents;
}

void
rc_roster_trim(RcRoster *ro)
{
    if (ro->cap_residents > ro->n_residents && ro->n_residents) {
        ro->cap_residents = ro->n_residents;
        ro->residents = g_renew(RcResident, ro->residents, ro->cap_residents);
    }
}

void
rc_roster_drop_indexes(RcRoster *ro)
{
    id_index_destroy(&ro->by_id);
    rc_u64map_destroy(&ro->by_name);
}

const char *
rc_resident_id(const RcResident *r, char buf[RC_RESIDENT_ID_BUF])
{
    if (r->flags & RC_RES_ID_PACKED) {
        id_unpack(r->id.packed, buf);
        return buf;
    }
    return (r->id_flags & RC_ID_MANGLED) ? "" : r->id.str;
}

/* ---- extra columns ---- */

void
rc_roster_add_extras(RcRoster *ro, guint file, const char *const *names, guint n)
{
    guint *map = g_new0(guint, n + 1);
    for (guint i = 0; i < n; i++) {
        const char *name = names[i];
        guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(ro->extra_index, name));
        if (!idx) {
            g_ptr_array_index(ro->extra_cols, ro->extra_cols->len - 1) = g_strdup(name);
            g_ptr_array_add(ro->extra_cols, NULL);
            idx = ro->extra_cols->len - 1;
            g_hash_table_insert(ro->extra_index, g_ptr_array_index(ro->extra_cols, idx - 1),
                                GUINT_TO_POINTER(idx));
        }
        map[i] = idx - 1;
    }
    while (ro->extra_maps->len <= file)
        g_ptr_array_add(ro->extra_maps, NULL);
    g_free(g_ptr_array_index(ro->extra_maps, file));
    g_ptr_array_index(ro->extra_maps, file) = map;
}

const char *const *
rc_roster_extra_columns(const RcRoster *ro, guint *n)
{
    *n = ro->extra_cols->len - 1;
    return (const char *const *)ro->extra_cols->pdata;
}

const guint *
rc_roster_extra_map(const RcRoster *ro, guint file)
{
    return file < ro->extra_maps->len ? g_ptr_array_index(ro->extra_maps, file) : NULL;
}

/* ---- the prepared row ----
 * A head of fixed size (the id's flags, the exempt mark, six lengths), then
 * the six strings, each NUL-terminated. Copied in and out with memcpy: it
 * sits at any alignment in the pipeline's batches. */

typedef struct {
    guint32 idflags;
    guint16 len[6];
    guint8 exempt;
} PrepHead;
G_STATIC_ASSERT(sizeof(PrepHead) <= 32);

gsize
rc_roster_prep_write(const RcRosterPrep *p, char *out)
{
    const char *s[6] = { p->id, p->key, p->phone, p->place[0], p->place[1], p->place[2] };
    const gsize l[6] = { p->idlen, p->keylen, p->phonelen, p->place_len[0], p->place_len[1], p->place_len[2] };
    PrepHead h = { .idflags = p->idflags, .exempt = p->exempt ? 1 : 0 };
    char *o = out + sizeof h;
    for (int i = 0; i < 6; i++) {
        gsize n = MIN(l[i], RC_NORM_CAP - 1);
        h.len[i] = (guint16)n;
        if (n)
            memcpy(o, s[i], n);
        o[n] = '\0';
        o += n + 1;
    }
    memcpy(out, &h, sizeof h);
    return (gsize)(o - out);
}

void
rc_roster_prep_read(const char *buf, gsize len, RcRosterPrep *p)
{
    PrepHead h;
    g_assert(len >= sizeof h);
    memcpy(&h, buf, sizeof h);
    const char **s[6] = { &p->id, &p->key, &p->phone, &p->place[0], &p->place[1], &p->place[2] };
    gsize *l[6] = { &p->idlen, &p->keylen, &p->phonelen, &p->place_len[0], &p->place_len[1], &p->place_len[2] };
    const char *o = buf + sizeof h;
    for (int i = 0; i < 6; i++) {
        *s[i] = o;
        *l[i] = h.len[i];
        o += h.len[i] + 1;
    }
    g_assert((gsize)(o - buf) <= len);
    p->idflags = h.idflags;
    p->exempt = h.exempt != 0;
}

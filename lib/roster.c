/* roster: residents in an arena, their id and name indexes, the numbered
 * texts and the extra columns (roster.h). DESIGN.md section 3.1. */
#include "roster.h"

#include <string.h>

#include "table.h"
#include "u64map.h"
#include "u64multi.h"

/* ---- the indexes ----
 * Keys are packed mainland ids (17 digits and a check character fit in 64
 * bits) and 64-bit hashes of name keys, in u64map tables; ids of other
 * documents (passports, permits) go to a GHashTable keyed by the string. */

guint64 rc_id_pack(const char *id)
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
static void id_unpack(guint64 key, char *out)
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
guint64 rc_name_hash(const char *s)
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

static void id_index_init(IdIndex *ix)
{
    rc_u64map_init(&ix->packed);
    ix->other = g_hash_table_new(g_str_hash, g_str_equal);
}

/* Frees the index; again is harmless. */
static void id_index_destroy(IdIndex *ix)
{
    rc_u64map_destroy(&ix->packed);
    if (ix->other)
        g_hash_table_unref(ix->other);
    ix->other = NULL;
}

/* The resident of ID, whose rc_id_pack() is KEY (0: not a mainland id). */
static guint id_index_lookup(const IdIndex *ix, guint64 key, const char *id)
{
    return key ? rc_u64map_get(&ix->packed, key) : GPOINTER_TO_UINT(g_hash_table_lookup(ix->other, id));
}

/* A 64-bit key of two numbers for the u64map indexes, never 0. */
static guint64 mix2(guint64 a, guint64 b)
{
    guint64 h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
    h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 29)) * 0x94D049BB133111EBull;
    return (h ^ (h >> 32)) | 1;
}

/* FNV-1a of (S, LEN). */
static guint64 hash_bytes(const char *s, gsize len)
{
    guint64 h = 0xcbf29ce484222325ull;
    for (gsize i = 0; i < len; i++)
        h = (h ^ (guchar)s[i]) * 0x100000001b3ull;
    return h;
}

/* The rescue indexes (issue 16), each built from the residents when a
 * rescue first asks (most runs need few or none of them) as a frozen
 * multimap, and invalid again when a resident is added. */
typedef enum {
    IX_PHONE_ENDS, /* the views, in RcView order: mix2(name_id, the part) */
    IX_ID_TAIL,
    IX_ID_HEAD,
    IX_MANGLED,
    IX_NAME_PHONE, /* mix2(name_id, phone) */
    IX_HOUSE_NAME, /* mix2(household, name_id) */
    IX_PHONE,      /* phone_key(phone) */
    IX_COUNT
} Index;
G_STATIC_ASSERT(IX_PHONE_ENDS == (int)RC_VIEW_PHONE_ENDS && IX_ID_TAIL == (int)RC_VIEW_ID_TAIL &&
                IX_ID_HEAD == (int)RC_VIEW_ID_HEAD && IX_MANGLED == (int)RC_VIEW_MANGLED &&
                IX_NAME_PHONE == (int)RC_VIEW_COUNT);

/* DESIGN.md section 2, Places: the spellings of one column's values met
 * (1号楼, 1栋, 01 ...), grouped by rc_place_key(). Residents carry their
 * group's first spelling until rc_roster_complete() puts the commonest. */
typedef struct {
    guint32 text;  /* the spelling's number */
    guint32 group; /* index into groups */
    guint64 count; /* residents who spell it so */
} Spelling;

typedef struct {
    GHashTable *spelling_of; /* text number -> index + 1 into spellings */
    GArray *spellings;       /* Spelling, in the order met */
    GHashTable *group_of;    /* key (owned) -> index + 1 into groups */
    GArray *groups;          /* guint32: the first spelling's text number */
    guint last;              /* index + 1 of the previous row's spelling */
} PlaceColumn;

struct RcRoster {
    GStringChunk *arena;    /* roster strings */
    GStringChunk *interned; /* texts: places and result words */
    GPtrArray *texts;       /* number -> interned text; 0 is "" */
    GHashTable *text_ids;   /* interned text -> number */
    RcResident *residents;  /* a mapping of its own, grown by doubling: residents_resize() */
    guint n_residents, cap_residents;
    IdIndex by_id;        /* id -> index + 1 */
    guint64 id_letters;   /* rc_roster_id_letter_positions() */
    GArray *name_latest;  /* guint32 per name_id: index + 1 of its latest resident */
    RcU64Map name_ids;    /* name key hash (probed on) -> name_id */
    GPtrArray *name_keys; /* name_id -> key, in the arena; 0 is "" */
    GArray *name_counts;  /* guint32 per name_id: its residents */
    RcU64Map households;  /* household key -> number */
    guint32 n_households;
    guint64 last_household_key; /* the previous row's, and its number */
    guint32 last_household;
    guint8 *household_size;     /* household -> residents, HOUSEHOLD_MAX + 1 at most */
    RcU64Multi index[IX_COUNT]; /* key -> resident index + 1; built when first asked */
    gboolean complete;
    GPtrArray *extra_cols;   /* char*, NULL-terminated */
    GHashTable *extra_index; /* column name -> index + 1 */
    GPtrArray *extra_maps;   /* guint* per input (NULL for results) */
    PlaceColumn places[2];   /* building, unit */
};

static const char empty[] = "";

/* roster.h says how large a resident is; keep it true. */
G_STATIC_ASSERT(sizeof(RcResident) == 104);

/* The bytes of a residents' array of CAP: whole pages. */
static gsize residents_bytes(guint cap)
{
    const gsize page = 4096;
    return ((gsize)cap * sizeof(RcResident) + page - 1) & ~(page - 1);
}

/* Makes the residents' array hold CAP. It is an anonymous mapping, which
 * mremap() grows or shrinks without copying: a copy at each doubling (a
 * hundred megabytes at a million residents) and the page faults of both
 * arrays took a tenth of the roster's time. Runs out of memory as GLib's
 * allocators do, with g_error(). */
static void residents_resize(RcRoster *ro, guint cap)
{
    gsize len = residents_bytes(cap);
    void *p = ro->residents ? mremap(ro->residents, residents_bytes(ro->cap_residents), len, MREMAP_MAYMOVE)
                            : mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        g_error("failed to allocate %" G_GSIZE_FORMAT " bytes", len);
#ifdef MADV_HUGEPAGE
    /* the whole mapping: a hint on a part would split it, and mremap()
     * could not grow it */
    madvise(p, len, MADV_HUGEPAGE);
#endif
    ro->residents = p;
    ro->cap_residents = cap;
}

RcRoster *rc_roster_new(void)
{
    RcRoster *ro = g_new0(RcRoster, 1);
    ro->arena = g_string_chunk_new(1 << 20);
    ro->interned = g_string_chunk_new(4096);
    ro->texts = g_ptr_array_new();
    g_ptr_array_add(ro->texts, (gpointer)empty);
    ro->text_ids = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(ro->text_ids, (gpointer)empty, GUINT_TO_POINTER(0));
    id_index_init(&ro->by_id);
    ro->name_latest = g_array_new(FALSE, TRUE, sizeof(guint32));
    g_array_set_size(ro->name_latest, 1);
    rc_u64map_init(&ro->name_ids);
    ro->name_keys = g_ptr_array_new();
    g_ptr_array_add(ro->name_keys, (gpointer)empty);
    ro->name_counts = g_array_new(FALSE, TRUE, sizeof(guint32));
    g_array_set_size(ro->name_counts, 1);
    rc_u64map_init(&ro->households);
    for (int x = 0; x < IX_COUNT; x++)
        rc_u64multi_init(&ro->index[x]);
    ro->extra_cols = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(ro->extra_cols, NULL);
    ro->extra_index = g_hash_table_new(g_str_hash, g_str_equal);
    ro->extra_maps = g_ptr_array_new_with_free_func(g_free);
    for (int c = 0; c < 2; c++) {
        ro->places[c].spelling_of = g_hash_table_new(NULL, NULL);
        ro->places[c].spellings = g_array_new(FALSE, FALSE, sizeof(Spelling));
        ro->places[c].group_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        ro->places[c].groups = g_array_new(FALSE, FALSE, sizeof(guint32));
    }
    return ro;
}

void rc_roster_free(RcRoster *ro)
{
    if (!ro)
        return;
    g_string_chunk_free(ro->arena);
    g_string_chunk_free(ro->interned);
    g_ptr_array_unref(ro->texts);
    g_hash_table_unref(ro->text_ids);
    if (ro->residents)
        munmap(ro->residents, residents_bytes(ro->cap_residents));
    rc_roster_drop_indexes(ro);
    g_ptr_array_unref(ro->name_keys);
    g_array_unref(ro->name_counts);
    g_ptr_array_unref(ro->extra_cols);
    g_hash_table_unref(ro->extra_index);
    g_ptr_array_unref(ro->extra_maps);
    for (int c = 0; c < 2; c++) {
        g_hash_table_unref(ro->places[c].spelling_of);
        g_array_unref(ro->places[c].spellings);
        g_hash_table_unref(ro->places[c].group_of);
        g_array_unref(ro->places[c].groups);
    }
    g_free(ro);
}

const char *rc_roster_str(RcRoster *ro, const char *s, gsize len)
{
    if (len == 0)
        return empty;
    return g_string_chunk_insert_len(ro->arena, s, (gssize)len);
}

guint32 rc_roster_intern(RcRoster *ro, const char *s)
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

const char *rc_roster_text(const RcRoster *ro, guint32 id)
{
    g_return_val_if_fail(id < ro->texts->len, empty);
    return ro->texts->pdata[id];
}

guint32 rc_roster_n_texts(const RcRoster *ro)
{
    return ro->texts->len;
}

guint32 rc_roster_name_id(RcRoster *ro, const char *key, gboolean add)
{
    return key[0] ? rc_roster_name_id_hashed(ro, key, rc_name_hash(key), add) : 0;
}

guint32 rc_roster_name_id_hashed(RcRoster *ro, const char *key, guint64 hash, gboolean add)
{
    if (!key[0])
        return 0;
    /* open addressing on the hash: two keys sharing one go on probing */
    for (guint64 h = hash;; h = mix2(h, 1)) {
        RcU64Slot *sl = rc_u64map_find(&ro->name_ids, h);
        if (!sl->key) {
            if (!add)
                return 0;
            guint32 id = ro->name_keys->len;
            g_ptr_array_add(ro->name_keys, (gpointer)g_string_chunk_insert(ro->arena, key));
            g_array_set_size(ro->name_counts, id + 1);
            g_array_set_size(ro->name_latest, id + 1);
            rc_u64map_put(&ro->name_ids, h, id);
            return id;
        }
        if (strcmp(ro->name_keys->pdata[sl->val], key) == 0)
            return sl->val;
    }
}

const char *rc_roster_name_key(const RcRoster *ro, guint32 name_id)
{
    return name_id < ro->name_keys->len ? ro->name_keys->pdata[name_id] : empty;
}

guint rc_roster_n_named(const RcRoster *ro, guint32 name_id)
{
    return name_id < ro->name_counts->len ? g_array_index(ro->name_counts, guint32, name_id) : 0;
}

guint64 rc_roster_place_hash(RcPlaceKind kind, const char *text, gsize len, GString *scratch)
{
    if (!len)
        return 0;
    if (rc_place_key(text, len, kind, scratch))
        return hash_bytes(scratch->str, scratch->len) | 1;
    return hash_bytes(text, len) | 1;
}

guint64 rc_roster_household_key(const char *hh, gsize hh_len, guint64 building, guint64 unit,
                                const char *room, gsize room_len)
{
    if (hh_len)
        return mix2(hash_bytes(hh, hh_len), building);
    if (room_len)
        return mix2(mix2(building, unit), hash_bytes(room, room_len));
    return 0;
}

guint32 rc_roster_household(RcRoster *ro, guint64 key)
{
    if (!key)
        return 0;
    /* neighbours in a roster mostly share a household */
    if (key == ro->last_household_key)
        return ro->last_household;
    guint32 h = rc_u64map_get(&ro->households, key);
    if (!h)
        rc_u64map_put(&ro->households, key, h = ++ro->n_households);
    ro->last_household_key = key;
    return ro->last_household = h;
}

gsize rc_view_part(RcView v, const char *s, gsize len, guint known, char *out)
{
    gsize a = 0, b = 0; /* shown: the first A and the last B characters */
    switch (v) {
    case RC_VIEW_PHONE_ENDS:
        a = 3, b = 4;
        break;
    case RC_VIEW_ID_TAIL:
        b = 4;
        break;
    case RC_VIEW_ID_HEAD:
        a = 14;
        break;
    case RC_VIEW_MANGLED:
        if (len != 18)
            return 0;
        a = known ? known : MIN(strcspn(s, "*"), 14);
        if (a < 7 || a > 14)
            return 0;
        break;
    default:
        return 0;
    }
    if (len < a + b || len < 7 || len > 99 || memchr(s, '*', a) || memchr(s + len - b, '*', b))
        return 0;
    /* the length, the first A, a separator, the last B: at most 21 bytes */
    out[0] = (char)len;
    memcpy(out + 1, s, a);
    out[1 + a] = ':';
    memcpy(out + 2 + a, s + len - b, b);
    return 2 + a + b;
}

/* The key of a phone in IX_PHONE. */
static guint64 phone_key(const char *p, gsize len)
{
    return hash_bytes(p, len) | 1;
}

static void view_put(RcU64Multi *mm, RcView v, guint32 name_id, const char *s, gsize len, guint idx)
{
    char part[32];
    gsize pl = rc_view_part(v, s, len, 0, part);
    if (pl)
        rc_u64multi_add(mm, mix2(name_id, hash_bytes(part, pl)), idx);
}

/* Puts resident R (index + 1 IDX) into index X under each of its keys. */
static void index_resident(RcU64Multi *mm, Index x, const RcResident *r, guint idx)
{
    const char *at = r->phone, *p;
    gsize len;
    if (x == IX_PHONE) {
        while ((p = rc_phone_next(&at, &len)))
            rc_u64multi_add(mm, phone_key(p, len), idx);
        return;
    }
    if (!r->name_id)
        return;
    char buf[RC_RESIDENT_ID_BUF];
    const char *id = rc_resident_id(r, buf);
    switch (x) {
    case IX_NAME_PHONE:
        while ((p = rc_phone_next(&at, &len)))
            rc_u64multi_add(mm, mix2(r->name_id, hash_bytes(p, len)), idx);
        break;
    case IX_HOUSE_NAME:
        if (r->household)
            rc_u64multi_add(mm, mix2(r->household, r->name_id), idx);
        break;
    case IX_PHONE_ENDS:
        while ((p = rc_phone_next(&at, &len)))
            view_put(mm, RC_VIEW_PHONE_ENDS, r->name_id, p, len, idx);
        break;
    case IX_ID_TAIL:
    case IX_ID_HEAD:
        if (id[0])
            view_put(mm, (RcView)x, r->name_id, id, strlen(id), idx);
        break;
    case IX_MANGLED:
        if (r->id_flags & RC_ID_MANGLED) {
            char mask[RC_NORM_CAP];
            if (rc_norm_id_sci_mask(r->id.str, strlen(r->id.str), mask, sizeof mask))
                view_put(mm, RC_VIEW_MANGLED, r->name_id, mask, 18, idx);
        }
        break;
    default:
        break;
    }
}

/* Index X, built now from every resident if a rescue has not asked for it
 * yet: one pass in roster order and a sort (u64multi.h). */
static const RcU64Multi *index_of(RcRoster *ro, Index x)
{
    RcU64Multi *mm = &ro->index[x];
    if (!rc_u64multi_frozen(mm)) {
        for (guint i = 0; i < ro->n_residents; i++)
            index_resident(mm, x, &ro->residents[i], i + 1);
        rc_u64multi_freeze(mm);
    }
    return mm;
}

/* The residents under KEY in index X: *N of them from the run returned. */
static const RcU64Slot *index_get(RcRoster *ro, Index x, guint64 key, gsize *n)
{
    return rc_u64multi_get(index_of(ro, x), key, n);
}

/* The one resident of a run (sorted by value), RC_ROSTER_SEVERAL when it
 * holds several, 0 when empty. */
static guint one_of(const RcU64Slot *run, gsize n)
{
    if (!n)
        return 0;
    return run[0].val == run[n - 1].val ? run[0].val : RC_ROSTER_SEVERAL;
}

guint rc_roster_view_next(RcRoster *ro, RcView v, RcRosterWalk *at)
{
    (void)ro;
    (void)v;
    if (!at->left)
        return 0;
    const RcU64Slot *sl = at->at;
    at->at = sl + 1;
    at->left--;
    return sl->val;
}

guint rc_roster_view_first(RcRoster *ro, RcView v, guint32 name_id, const char *part, gsize len,
                           RcRosterWalk *at)
{
    at->at = NULL;
    at->left = 0;
    if (name_id && len)
        at->at = index_get(ro, (Index)v, mix2(name_id, hash_bytes(part, len)), &at->left);
    return rc_roster_view_next(ro, v, at);
}

void rc_roster_reserve(RcRoster *ro, gsize n)
{
    n = MIN(n, (gsize)G_MAXUINT32 / 2 - ro->n_residents);
    rc_u64map_reserve(&ro->by_id.packed, ro->n_residents + n);
}

guint rc_roster_add(RcRoster *ro, const RcResident *res, guint64 id_key, gboolean usable_id)
{
    guint idx = ro->n_residents + 1;
    RcResident r = *res;
    r.next_same_name = 0;
    if (r.name_id) {
        guint32 *latest = &g_array_index(ro->name_latest, guint32, r.name_id);
        r.next_same_name = *latest;
        *latest = idx;
        g_array_index(ro->name_counts, guint32, r.name_id)++;
    }
    for (int x = 0; x < IX_COUNT; x++) /* built before this resident came */
        if (rc_u64multi_frozen(&ro->index[x]))
            rc_u64multi_destroy(&ro->index[x]);
    if (id_key)
        rc_u64map_put(&ro->by_id.packed, id_key, idx);
    else if (usable_id) {
        g_hash_table_insert(ro->by_id.other, (gpointer)r.id.str, GUINT_TO_POINTER(idx));
        for (guint i = 0; r.id.str[i]; i++)
            if (r.id.str[i] < '0' || r.id.str[i] > '9')
                ro->id_letters |= (guint64)1 << MIN(i, 63u);
    }
    if (ro->n_residents == ro->cap_residents)
        residents_resize(ro, ro->cap_residents ? 2 * ro->cap_residents : 4096);
    ro->residents[ro->n_residents++] = r;
    return idx;
}

guint rc_roster_find_id(const RcRoster *ro, guint64 key, const char *id)
{
    return id_index_lookup(&ro->by_id, key, id);
}

guint64 rc_roster_id_letter_positions(const RcRoster *ro)
{
    return ro->id_letters;
}

guint rc_roster_first_named(const RcRoster *ro, guint32 name_id)
{
    return name_id && ro->name_latest && name_id < ro->name_latest->len
               ? g_array_index(ro->name_latest, guint32, name_id)
               : 0;
}

guint rc_roster_find_name_phone(RcRoster *ro, guint32 name_id, const char *p, gsize len)
{
    gsize n = 0;
    const RcU64Slot *run =
        name_id && len ? index_get(ro, IX_NAME_PHONE, mix2(name_id, hash_bytes(p, len)), &n) : NULL;
    return one_of(run, n);
}

/* Does the phone list LIST hold the phone (P, LEN)? */
static gboolean has_phone(const char *list, const char *p, gsize len)
{
    const char *q;
    gsize ql;
    while ((q = rc_phone_next(&list, &ql)))
        if (ql == len && memcmp(q, p, len) == 0)
            return TRUE;
    return FALSE;
}

guint rc_roster_phone_holders(RcRoster *ro, const char *p, gsize len, guint *out, guint max)
{
    guint n = 0;
    if (!len)
        return 0;
    gsize k;
    const RcU64Slot *run = index_get(ro, IX_PHONE, phone_key(p, len), &k);
    for (gsize j = 0; j < k && n <= max; j++) {
        guint idx = run[j].val; /* in order: a resident twice comes together */
        if (has_phone(ro->residents[idx - 1].phone, p, len) && (n == 0 || out[MIN(n, max) - 1] != idx)) {
            if (n < max)
                out[n] = idx;
            n++;
        }
    }
    return n;
}

guint rc_roster_find_household_name(RcRoster *ro, guint32 household, guint32 name_id)
{
    gsize n = 0;
    const RcU64Slot *run =
        household && name_id ? index_get(ro, IX_HOUSE_NAME, mix2(household, name_id), &n) : NULL;
    return one_of(run, n);
}

RcResident *rc_roster_residents(RcRoster *ro, guint *n)
{
    *n = ro->n_residents;
    return ro->residents;
}

/* A household of more residents than this is no household but a mistake
 * (one 户号 for a whole building): its phones rescue nobody. */
#define HOUSEHOLD_MAX 64
/* A phone on more rows than this is an office's or the committee's, not a
 * family's: a household rescue through it is not unique. */
#define PHONE_HOLDERS_MAX 64

/* DESIGN.md section 3.2, children tested with a parent's phone: each
 * household's size, so that a rescue can take the households of a phone's
 * holders (at most PHONE_HOLDERS_MAX) and look the name up in each. An index
 * of every member under every phone of the household cost a household of k
 * k * k entries (issue 16: 905 MiB for a 1M-row roster of 23 a room). */
static void count_households(RcRoster *ro)
{
    g_free(ro->household_size);
    ro->household_size = g_new0(guint8, (gsize)ro->n_households + 1);
    for (guint i = 0; i < ro->n_residents; i++) {
        guint8 *n = &ro->household_size[ro->residents[i].household];
        if (*n <= HOUSEHOLD_MAX)
            (*n)++;
    }
}

guint rc_roster_find_name_household_phone(RcRoster *ro, guint32 name_id, const char *p, gsize len)
{
    if (!name_id || !len || !ro->household_size)
        return 0;
    guint who[PHONE_HOLDERS_MAX];
    guint n = rc_roster_phone_holders(ro, p, len, who, PHONE_HOLDERS_MAX);
    if (n > PHONE_HOLDERS_MAX)
        return RC_ROSTER_SEVERAL;
    guint found = 0;
    for (guint i = 0; i < n; i++) {
        guint32 h = ro->residents[who[i] - 1].household;
        if (!h || ro->household_size[h] < 2 || ro->household_size[h] > HOUSEHOLD_MAX)
            continue;
        guint r = rc_roster_find_household_name(ro, h, name_id);
        if (r == RC_ROSTER_SEVERAL || (r && found && found != r))
            return RC_ROSTER_SEVERAL;
        if (r)
            found = r;
    }
    return found;
}

guint32 rc_roster_place(RcRoster *ro, RcPlaceKind kind, const char *text)
{
    PlaceColumn *pc = &ro->places[kind == RC_PLACE_UNIT ? 1 : 0];
    Spelling *sp = pc->last ? &g_array_index(pc->spellings, Spelling, pc->last - 1) : NULL;
    /* neighbours in a roster mostly share a building */
    if (!sp || strcmp(rc_roster_text(ro, sp->text), text) != 0) {
        guint32 id = rc_roster_intern(ro, text);
        guint at = GPOINTER_TO_UINT(g_hash_table_lookup(pc->spelling_of, GUINT_TO_POINTER(id)));
        if (!at) {
            g_autoptr(GString) key = g_string_new(NULL);
            if (!rc_place_key(text, strlen(text), kind, key))
                g_string_assign(key, text);
            guint g = GPOINTER_TO_UINT(g_hash_table_lookup(pc->group_of, key->str));
            if (!g) {
                g_array_append_val(pc->groups, id);
                g = pc->groups->len;
                g_hash_table_insert(pc->group_of, g_strdup(key->str), GUINT_TO_POINTER(g));
            }
            Spelling s = {id, g - 1, 0};
            g_array_append_val(pc->spellings, s);
            at = pc->spellings->len;
            g_hash_table_insert(pc->spelling_of, GUINT_TO_POINTER(id), GUINT_TO_POINTER(at));
        }
        pc->last = at;
        sp = &g_array_index(pc->spellings, Spelling, at - 1);
    }
    sp->count++;
    return g_array_index(pc->groups, guint32, sp->group);
}

/* DESIGN.md section 2, Places: each group of spellings shown as the roster
 * spells it most often, on a tie the spelling met first. */
static void unify_places(RcRoster *ro)
{
    for (int c = 0; c < 2; c++) {
        PlaceColumn *pc = &ro->places[c];
        guint n_groups = pc->groups->len;
        if (n_groups == pc->spellings->len)
            continue; /* one spelling each */
        /* explicit frees: clang-analyzer does not follow g_autofree in this loop */
        guint32 *best = g_new0(guint32, MAX(n_groups, 1)); /* index + 1 */
        for (guint i = 0; i < pc->spellings->len; i++) {
            const Spelling *s = &g_array_index(pc->spellings, Spelling, i);
            if (!best[s->group] ||
                s->count > g_array_index(pc->spellings, Spelling, best[s->group] - 1).count)
                best[s->group] = i + 1;
        }
        GHashTable *to = g_hash_table_new(NULL, NULL); /* first text -> best text */
        for (guint g = 0; g < n_groups; g++) {
            guint32 first = g_array_index(pc->groups, guint32, g);
            guint32 shown = g_array_index(pc->spellings, Spelling, best[g] - 1).text;
            if (shown != first)
                g_hash_table_insert(to, GUINT_TO_POINTER(first), GUINT_TO_POINTER(shown));
        }
        g_free(best);
        for (guint i = 0; g_hash_table_size(to) && i < ro->n_residents; i++) {
            guint32 *v = c == 0 ? &ro->residents[i].building : &ro->residents[i].unit;
            gpointer shown;
            if (*v && g_hash_table_lookup_extended(to, GUINT_TO_POINTER(*v), NULL, &shown))
                *v = GPOINTER_TO_UINT(shown);
        }
        g_hash_table_destroy(to);
    }
}

void rc_roster_complete(RcRoster *ro)
{
    if (ro->complete)
        return;
    ro->complete = TRUE;
    unify_places(ro);
    if (ro->cap_residents > ro->n_residents && ro->n_residents)
        residents_resize(ro, ro->n_residents);
    count_households(ro);
}

void rc_roster_drop_indexes(RcRoster *ro)
{
    id_index_destroy(&ro->by_id);
    if (ro->name_latest)
        g_array_unref(ro->name_latest);
    ro->name_latest = NULL;
    rc_u64map_destroy(&ro->name_ids);
    rc_u64map_destroy(&ro->households);
    g_free(ro->household_size);
    ro->household_size = NULL;
    for (int x = 0; x < IX_COUNT; x++)
        rc_u64multi_destroy(&ro->index[x]);
}

const char *rc_resident_id(const RcResident *r, char buf[RC_RESIDENT_ID_BUF])
{
    if (r->flags & RC_RES_ID_PACKED) {
        id_unpack(r->id.packed, buf);
        return buf;
    }
    return (r->id_flags & RC_ID_MANGLED) ? "" : r->id.str;
}

/* ---- extra columns ---- */

void rc_roster_add_extras(RcRoster *ro, guint file, const char *const *names, guint n)
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

const char *const *rc_roster_extra_columns(const RcRoster *ro, guint *n)
{
    *n = ro->extra_cols->len - 1;
    return (const char *const *)ro->extra_cols->pdata;
}

const guint *rc_roster_extra_map(const RcRoster *ro, guint file)
{
    return file < ro->extra_maps->len ? g_ptr_array_index(ro->extra_maps, file) : NULL;
}

/* ---- the prepared row ----
 * A head of fixed size (the packed id, the name key's hash and the
 * household key, which the look-ahead reads; the id's flags, the exempt
 * mark, six lengths), then the six strings, each NUL-terminated. Copied in
 * and out with memcpy: it sits at any alignment in the pipeline's
 * batches. */

typedef struct {
    guint64 id_key, name_hash, household_key;
    guint32 idflags;
    guint16 len[6];
    guint8 exempt;
} PrepHead;
G_STATIC_ASSERT(sizeof(PrepHead) <= 48);

gsize rc_roster_prep_write(const RcRosterPrep *p, char *out)
{
    const char *s[6] = {p->id, p->key, p->phone, p->place[0], p->place[1], p->place[2]};
    const gsize l[6] = {p->idlen, p->keylen, p->phonelen, p->place_len[0], p->place_len[1], p->place_len[2]};
    PrepHead h = {.household_key = p->household_key, .idflags = p->idflags, .exempt = p->exempt ? 1 : 0};
    char *o = rc_prep_put(out + sizeof h, s, l, h.len, 6, RC_NORM_CAP - 1);
    /* the copies are NUL-terminated: the id first, the name key next */
    const char *id = out + sizeof h;
    h.id_key = h.len[0] ? rc_id_pack(id) : 0;
    h.name_hash = h.len[1] ? rc_name_hash(id + h.len[0] + 1) : 0;
    memcpy(out, &h, sizeof h);
    return (gsize)(o - out);
}

void rc_roster_prep_read(const char *buf, gsize len, RcRosterPrep *p)
{
    PrepHead h;
    g_assert(len >= sizeof h);
    memcpy(&h, buf, sizeof h);
    const char **s[6] = {&p->id, &p->key, &p->phone, &p->place[0], &p->place[1], &p->place[2]};
    gsize *l[6] = {&p->idlen, &p->keylen, &p->phonelen, &p->place_len[0], &p->place_len[1], &p->place_len[2]};
    const char *o = rc_prep_get(buf + sizeof h, s, l, h.len, 6);
    g_assert((gsize)(o - buf) <= len);
    p->idflags = h.idflags;
    p->exempt = h.exempt != 0;
    p->id_key = h.id_key;
    p->name_hash = h.name_hash;
    p->household_key = h.household_key;
}

void rc_roster_prep_ahead(const RcRoster *ro, const char *buf, gsize len, guint stage)
{
    PrepHead h;
    g_assert(len >= sizeof h);
    memcpy(&h, buf, sizeof h);
    if (stage == 0) {
        if (h.id_key)
            rc_u64map_prefetch(&ro->by_id.packed, h.id_key);
        if (h.name_hash)
            rc_u64map_prefetch(&ro->name_ids, h.name_hash);
        if (h.household_key)
            rc_u64map_prefetch(&ro->households, h.household_key);
    } else if (stage == 1 && h.name_hash) {
        /* a name met before: its key, count and latest resident */
        const RcU64Slot *sl = rc_u64map_find(&ro->name_ids, h.name_hash);
        if (sl->key) {
            __builtin_prefetch(&ro->name_keys->pdata[sl->val]);
            __builtin_prefetch(&g_array_index(ro->name_counts, guint32, sl->val), 1);
            __builtin_prefetch(&g_array_index(ro->name_latest, guint32, sl->val), 1);
        }
    } else if (stage == 2 && h.name_hash) {
        const RcU64Slot *sl = rc_u64map_find(&ro->name_ids, h.name_hash);
        if (sl->key)
            __builtin_prefetch(ro->name_keys->pdata[sl->val]);
    }
}

void rc_roster_ahead_id(const RcRoster *ro, guint64 id_key)
{
    rc_u64map_prefetch(&ro->by_id.packed, id_key);
}

void rc_roster_ahead_resident(const RcRoster *ro, guint idx, guint step)
{
    if (!idx || idx > ro->n_residents)
        return;
    const RcResident *r = &ro->residents[idx - 1];
    if (step == 0) {
        __builtin_prefetch(r, 1);
        __builtin_prefetch((const char *)r + 64, 1);
    } else if (r->name_id < ro->name_keys->len) {
        if (step == 1)
            __builtin_prefetch(&ro->name_keys->pdata[r->name_id]);
        else
            __builtin_prefetch(ro->name_keys->pdata[r->name_id]);
    }
}

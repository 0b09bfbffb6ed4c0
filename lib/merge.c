/* merge: roster index, matching and rescue, states, accounting, spools.
 * The rules are DESIGN.md section 3; comments name the step. */
#include "merge.h"

#include <string.h>
#include <sys/mman.h>

#include "table.h"

G_DEFINE_QUARK(rc-merge-error-quark, rc_merge_error)

#define PROGRESS_EVERY 65536

static const char *const match_names[RC_MATCH_COUNT] = {
    "", "id", "name+phone", "name+id-typo", "name+masked-id",
};

const char *const rc_spool_columns[RC_SPOOL_FIELDS] = {
    "file", "line", "kind", "reason", "id", "name", "phone", "result", "sampled_at", "raw",
};

const char *
rc_match_name(RcMatch m)
{
    return (m >= 0 && m < RC_MATCH_COUNT) ? match_names[m] : "";
}

/* ---- spools: length-prefixed fields in an unlinked temporary file ---- */

struct RcSpool {
    FILE *fp;
    guint64 rows;
    GString *buf;             /* the row being read */
    const char *name;         /* for errors */
};

static gboolean
spool_init(RcSpool *s, const char *name, GError **error)
{
    s->fp = tmpfile(); /* unlinked at creation, mode 0600 */
    s->buf = g_string_new(NULL);
    s->name = name;
    if (!s->fp) {
        g_set_error(error, RC_MERGE_ERROR, RC_MERGE_ERROR_SPOOL, "cannot create the %s spool: %s", name,
                    g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

static void
spool_destroy(RcSpool *s)
{
    if (s->fp)
        fclose(s->fp);
    if (s->buf)
        g_string_free(s->buf, TRUE);
}

static void
spool_write(RcSpool *s, const char *const fields[RC_SPOOL_FIELDS], const guint lens[RC_SPOOL_FIELDS])
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

/* Asks for transparent huge pages on a large table before it is touched:
 * random probes into tens of megabytes otherwise pay a TLB miss each. A hint
 * only; where the kernel says no, nothing changes. */
static void
hint_huge(void *p, gsize len)
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

/* A zeroed table of LEN bytes, hinted huge when large. Free with g_free.
 * calloc maps large blocks fresh from the kernel, already zero: the hint
 * comes before any page is touched, and nothing is zeroed twice. */
static void *
table_new0(gsize len)
{
    void *p = g_malloc0(len);
    hint_huge(p, len);
    return p;
}

/* ---- the indexes ----
 * A flat open-addressing table from a 64-bit key to a resident index: a
 * lookup is one cache miss, where a GHashTable of strings costs four (the
 * hashes, the keys, the string itself, the values); at a million residents
 * that is most of the matcher's time. Keys are packed mainland ids (17
 * digits and a check character fit in 64 bits) and 64-bit hashes of name
 * keys; ids of other documents (passports, permits) go to a GHashTable
 * keyed by the string. */

/* 12 bytes, not 16: packed, as the table is most of the index's memory
 * (x86 and ARMv8 load the unaligned key at no cost). */
typedef struct __attribute__((packed)) {
    guint64 key;  /* 0 is an empty slot */
    guint32 val;  /* resident index + 1 */
} Slot;
G_STATIC_ASSERT(sizeof(Slot) == 12);

typedef struct {
    Slot *slots;
    gsize cap, n; /* cap is 1 << bits */
    guint bits;
} U64Index;

static gsize
u64_slot(const U64Index *ix, guint64 key)
{
    return (gsize)((key * 0x9E3779B97F4A7C15ull) >> (64 - ix->bits)); /* Fibonacci hashing */
}

static void
u64_init(U64Index *ix)
{
    ix->bits = 10;
    ix->cap = (gsize)1 << ix->bits;
    ix->n = 0;
    ix->slots = table_new0(ix->cap * sizeof(Slot));
}

static Slot *
u64_find(const U64Index *ix, guint64 key)
{
    for (gsize i = u64_slot(ix, key);; i = (i + 1) & (ix->cap - 1))
        if (ix->slots[i].key == key || ix->slots[i].key == 0)
            return &ix->slots[i];
}

static guint
u64_lookup(const U64Index *ix, guint64 key)
{
    return u64_find(ix, key)->val;
}

/* Sets KEY (not 0) to VAL, adding it if new. */
static void
u64_put(U64Index *ix, guint64 key, guint32 val)
{
    if (4 * (ix->n + 1) > 3 * ix->cap) { /* keep the load at most 3/4 */
        U64Index old = *ix;
        ix->bits++;
        ix->cap *= 2;
        ix->n = 0;
        ix->slots = table_new0(ix->cap * sizeof(Slot));
        for (gsize i = 0; i < old.cap; i++)
            if (old.slots[i].key)
                u64_put(ix, old.slots[i].key, old.slots[i].val);
        g_free(old.slots);
    }
    Slot *sl = u64_find(ix, key);
    if (!sl->key) {
        sl->key = key;
        ix->n++;
    }
    sl->val = val;
}

/* Packs an 18-character mainland id, or returns 0. */
static guint64
id_pack(const char *id)
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

/* The id_pack() of an id, back: 18 characters and a NUL into OUT. */
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
static guint64
name_hash(const char *s)
{
    guint64 h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (guchar)*s) * 0x100000001b3ull;
    return h | 1;
}

typedef struct {
    U64Index packed;
    GHashTable *other;
} IdIndex;

static void
id_index_init(IdIndex *ix)
{
    u64_init(&ix->packed);
    ix->other = g_hash_table_new(g_str_hash, g_str_equal);
}

/* Frees the table; again is harmless. */
static void
u64_destroy(U64Index *ix)
{
    g_free(ix->slots);
    ix->slots = NULL;
}

/* Frees the index; again is harmless. */
static void
id_index_destroy(IdIndex *ix)
{
    u64_destroy(&ix->packed);
    if (ix->other)
        g_hash_table_unref(ix->other);
    ix->other = NULL;
}

/* The resident of ID, whose id_pack() is KEY (0: not a mainland id). */
static guint
id_index_lookup(const IdIndex *ix, guint64 key, const char *id)
{
    return key ? u64_lookup(&ix->packed, key) : GPOINTER_TO_UINT(g_hash_table_lookup(ix->other, id));
}

/* ---- the merge ---- */

typedef struct {
    RcState state;
    guint64 name_hash;  /* of the sample's name key, 0 when it has none */
    RcTime sampled_at, reported_at;
    guint64 seq;
    RcMatch match;
    const char *result; /* trimmed raw, not yet interned */
    gsize result_len;
} Sample;

struct RcMerge {
    const RcConfig *cfg;      /* borrowed */
    RcMergeOptions opts;
    char *sheet;              /* --sheet for workbooks; NULL: the first visible one */
    RcVocab *vocab;
    RcVocab *prep_vocab;      /* the parser thread's (RcVocab is not thread-safe) */
    GStringChunk *arena;      /* roster strings */
    GStringChunk *interned;   /* texts: places and result words */
    GPtrArray *texts;         /* number -> interned text; 0 is "" */
    GHashTable *text_ids;     /* interned text -> number */
    RcResident *residents;    /* grown by doubling */
    guint n_residents, cap_residents;
    GArray *candidates;       /* rescue's residents of one name (index + 1) */
    IdIndex by_id;            /* id -> index + 1 */
    U64Index by_name;         /* name key hash -> index + 1 of the latest resident */
    GArray *inputs;           /* RcInput */
    GPtrArray *extra_cols;    /* char*, NULL-terminated */
    GHashTable *extra_index;  /* column name -> index + 1 */
    GPtrArray *extra_maps;    /* guint* per input (NULL for results) */
    RcResultCounts results;
    RcRosterCounts roster;
    guint64 matches[RC_MATCH_COUNT];
    guint64 seq;
    guint64 warnings;         /* ragged rows kept */
    RcSpool unmatched, problems;
    gboolean finished;

    /* the file being read */
    guint file;
    RcKind kind;
    GString *scratch;
    GString *raw;
    guint32 last_place[3];    /* building, unit, room of the previous row */
    char id[RC_NORM_CAP], name[RC_NORM_CAP], phone[RC_NORM_CAP];
};

static const char empty[] = "";

/* merge.h says how large a resident is; keep it true. */
G_STATIC_ASSERT(sizeof(RcResident) == 96);

static const char *
arena_str(RcMerge *m, const char *s, gsize len)
{
    if (len == 0)
        return empty;
    return g_string_chunk_insert_len(m->arena, s, (gssize)len);
}

/* The number of text S, numbered now if new. */
static guint32
intern_text(RcMerge *m, const char *s)
{
    gpointer val;
    if (g_hash_table_lookup_extended(m->text_ids, s, NULL, &val))
        return GPOINTER_TO_UINT(val);
    const char *t = g_string_chunk_insert(m->interned, s);
    guint32 id = m->texts->len;
    g_ptr_array_add(m->texts, (gpointer)t);
    g_hash_table_insert(m->text_ids, (gpointer)t, GUINT_TO_POINTER(id));
    return id;
}

/* Trims ASCII and ideographic spaces from both ends of (*S, *LEN). */
static void
trim(const char **s, guint *len)
{
    const unsigned char *p = (const unsigned char *)*s;
    guint n = *len;
    for (;;) {
        if (n && (p[0] == ' ' || p[0] == '\t'))
            p++, n--;
        else if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
            p += 3, n -= 3;
        else
            break;
    }
    for (;;) {
        if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        else if (n >= 3 && p[n - 3] == 0xE3 && p[n - 2] == 0x80 && p[n - 1] == 0x80)
            n -= 3;
        else
            break;
    }
    *s = (const char *)p;
    *len = n;
}

static const char *
field(const RcHeader *h, const RcRecord *r, RcRole role, guint *len)
{
    const char *s = rc_record_field(r, h->col[role], len);
    trim(&s, len);
    return s;
}

RcMerge *
rc_merge_new(const RcConfig *cfg, const RcMergeOptions *opts, GError **error)
{
    g_autoptr(RcVocab) vocab = rc_vocab_new(cfg, error);
    if (!vocab)
        return NULL;
    if (opts && opts->since != RC_TIME_NONE && opts->until != RC_TIME_NONE && opts->since >= opts->until) {
        g_set_error(error, RC_MERGE_ERROR, RC_MERGE_ERROR_WINDOW, "the window is empty: --since is not before --until");
        return NULL;
    }
    RcMerge *m = g_new0(RcMerge, 1);
    if (opts)
        m->opts = *opts;
    else
        m->opts.since = m->opts.until = RC_TIME_NONE;
    m->cfg = cfg;
    m->vocab = g_steal_pointer(&vocab);
    m->prep_vocab = rc_vocab_new(cfg, NULL); /* compiled once already: cannot fail now */
    m->arena = g_string_chunk_new(1 << 20);
    m->interned = g_string_chunk_new(4096);
    m->texts = g_ptr_array_new();
    g_ptr_array_add(m->texts, (gpointer)empty);
    m->text_ids = g_hash_table_new(g_str_hash, g_str_equal);
    g_hash_table_insert(m->text_ids, (gpointer)empty, GUINT_TO_POINTER(0));
    m->candidates = g_array_new(FALSE, FALSE, sizeof(guint));
    id_index_init(&m->by_id);
    u64_init(&m->by_name);
    m->inputs = g_array_new(FALSE, TRUE, sizeof(RcInput));
    m->extra_cols = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(m->extra_cols, NULL);
    m->extra_index = g_hash_table_new(g_str_hash, g_str_equal);
    m->extra_maps = g_ptr_array_new_with_free_func(g_free);
    m->scratch = g_string_new(NULL);
    m->raw = g_string_new(NULL);
    if (!spool_init(&m->unmatched, "unmatched", error) || !spool_init(&m->problems, "problems", error)) {
        rc_merge_free(m);
        return NULL;
    }
    return m;
}

void
rc_merge_free(RcMerge *m)
{
    if (!m)
        return;
    g_free(m->sheet);
    rc_vocab_free(m->vocab);
    rc_vocab_free(m->prep_vocab);
    g_string_chunk_free(m->arena);
    g_string_chunk_free(m->interned);
    g_ptr_array_unref(m->texts);
    g_hash_table_unref(m->text_ids);
    g_free(m->residents);
    g_array_unref(m->candidates);
    id_index_destroy(&m->by_id);
    u64_destroy(&m->by_name);
    for (guint i = 0; i < m->inputs->len; i++) {
        RcInput *in = &g_array_index(m->inputs, RcInput, i);
        g_free(in->path);
        g_free(in->name);
        g_free(in->encoding);
        g_strfreev(in->extras);
    }
    g_array_unref(m->inputs);
    g_ptr_array_unref(m->extra_cols);
    g_hash_table_unref(m->extra_index);
    g_ptr_array_unref(m->extra_maps);
    g_string_free(m->scratch, TRUE);
    g_string_free(m->raw, TRUE);
    spool_destroy(&m->unmatched);
    spool_destroy(&m->problems);
    g_free(m);
}

static RcInput *
cur_input(RcMerge *m)
{
    return &g_array_index(m->inputs, RcInput, m->file);
}

/* The whole record as the file had it, re-joined with its delimiter. */
static const char *
raw_row(RcMerge *m, const RcHeader *h, const RcRecord *r, guint *len)
{
    GString *g = m->raw;
    g_string_truncate(g, 0);
    for (guint i = 0; i < r->n_raw && i < r->n_fields; i++) {
        if (i)
            g_string_append_c(g, h->delimiter);
        const char *f = r->fields[i];
        gboolean quote = strpbrk(f, "\"\r\n") || strchr(f, h->delimiter);
        if (!quote) {
            g_string_append_len(g, f, r->lens[i]);
            continue;
        }
        g_string_append_c(g, '"');
        for (guint k = 0; k < r->lens[i]; k++) {
            if (f[k] == '"')
                g_string_append_c(g, '"');
            g_string_append_c(g, f[k]);
        }
        g_string_append_c(g, '"');
    }
    *len = (guint)g->len;
    return g->str;
}

/* Spools a rejected or unmatched row of the current file. */
static void
spool_row(RcMerge *m, RcSpool *s, const RcHeader *h, const RcRecord *r, const char *reason)
{
    char line[24];
    const char *f[RC_SPOOL_FIELDS];
    guint l[RC_SPOOL_FIELDS];
    RcInput *in = cur_input(m);
    g_snprintf(line, sizeof line, "%" G_GUINT64_FORMAT, r->line);
    f[RC_SPOOL_FILE] = in->name;
    f[RC_SPOOL_LINE] = line;
    f[RC_SPOOL_KIND] = rc_kind_name(m->kind);
    f[RC_SPOOL_REASON] = reason;
    static const RcRole roles[] = { RC_ROLE_ID, RC_ROLE_NAME, RC_ROLE_PHONE, RC_ROLE_RESULT, RC_ROLE_SAMPLED_AT };
    for (gsize i = 0; i < G_N_ELEMENTS(roles); i++)
        f[RC_SPOOL_ID + i] = field(h, r, roles[i], &l[RC_SPOOL_ID + i]);
    f[RC_SPOOL_RAW] = raw_row(m, h, r, &l[RC_SPOOL_RAW]);
    for (int i = 0; i < RC_SPOOL_ID; i++)
        l[i] = (guint)strlen(f[i]);
    spool_write(s, f, l);
    if (s == &m->problems && m->opts.problem)
        m->opts.problem(in->name, r->line, reason, m->opts.progress_user);
}

static void
on_table_problem(const RcHeader *h, const RcRecord *r, const char *reason, gboolean kept, gpointer user)
{
    RcMerge *m = user;
    if (kept) {
        m->warnings++;
        return;
    }
    if (m->kind == RC_KIND_ROSTER) {
        m->roster.rows++;
        m->roster.problem++;
    } else {
        m->results.rows++;
        m->results.problem++;
    }
    spool_row(m, &m->problems, h, r, reason);
}

/* ---- rosters (DESIGN.md section 3.1) ---- */

static gboolean
roster_header(const RcHeader *h, gpointer user, GError **error)
{
    RcMerge *m = user;
    RcInput *in = cur_input(m);
    guint *map = g_new0(guint, h->n_extras + 1);
    in->extras = g_new0(char *, h->n_extras + 1);
    for (guint i = 0; i < h->n_extras; i++) {
        const char *name = h->names[h->extras[i]];
        in->extras[i] = g_strdup(name);
        guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(m->extra_index, name));
        if (!idx) {
            g_ptr_array_index(m->extra_cols, m->extra_cols->len - 1) = g_strdup(name);
            g_ptr_array_add(m->extra_cols, NULL);
            idx = m->extra_cols->len - 1;
            g_hash_table_insert(m->extra_index, g_ptr_array_index(m->extra_cols, idx - 1),
                                GUINT_TO_POINTER(idx));
        }
        map[i] = idx - 1;
    }
    g_ptr_array_index(m->extra_maps, m->file) = map;
    return TRUE;
}

/* What the parser thread makes of a roster row (rc_table's prepare()):
 * every normalisation, so that this thread only stores and indexes. The
 * head is followed by the id, name key, phone, building, unit and room,
 * each NUL-terminated. Copied in and out with memcpy: it sits at any
 * alignment in the pipeline's batches. */
typedef struct {
    guint32 idflags;
    guint16 idlen, keylen, phonelen, place_len[3];
    gboolean exempt;
} RosterPrep;

static gsize
roster_prepare(const RcHeader *h, const RcRecord *r, gpointer user, char *out)
{
    RcVocab *vocab = user; /* the parser thread's own */
    RosterPrep p = { 0 };
    char *o = out + sizeof p;
    guint len;
    const char *s = field(h, r, RC_ROLE_ID, &len);
    p.idlen = (guint16)rc_norm_id(s, len, o, RC_NORM_CAP, &p.idflags);
    o += p.idlen + 1;
    s = field(h, r, RC_ROLE_NAME, &len);
    p.keylen = (guint16)rc_norm_name(s, len, o, RC_NORM_CAP);
    o += p.keylen + 1;
    s = field(h, r, RC_ROLE_PHONE, &len);
    p.phonelen = (guint16)rc_norm_phone(s, len, o, RC_NORM_CAP);
    o += p.phonelen + 1;
    static const RcRole place[] = { RC_ROLE_BUILDING, RC_ROLE_UNIT, RC_ROLE_ROOM };
    for (int i = 0; i < 3; i++) {
        s = field(h, r, place[i], &len);
        p.place_len[i] = (guint16)rc_norm_text(s, len, o, RC_NORM_CAP);
        o += p.place_len[i] + 1;
    }
    s = field(h, r, RC_ROLE_STATUS, &len);
    p.exempt = len > 0 && rc_vocab_exempt(vocab, s, len);
    memcpy(out, &p, sizeof p);
    return (gsize)(o - out);
}

static gboolean
roster_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    RcMerge *m = user;
    guint len;
    const char *s;
    RosterPrep p;
    memcpy(&p, r->prep, sizeof p);
    const char *pid = r->prep + sizeof p;
    const char *pkey = pid + p.idlen + 1;
    const char *pphone = pkey + p.keylen + 1;
    const char *pplace = pphone + p.phonelen + 1;
    guint idflags = p.idflags;
    m->roster.rows++;

    s = field(h, r, RC_ROLE_ID, &len);
    const char *id_raw = s;
    guint id_raw_len = len;
    gsize idlen = p.idlen;
    if (idflags & RC_ID_MASKED)
        idlen = 0; /* a masked id in a roster identifies nobody */
    s = field(h, r, RC_ROLE_NAME, &len);
    const char *name = s;
    guint name_len = len;
    gsize keylen = p.keylen;

    if (idlen == 0 && keylen == 0) {
        m->roster.problem++;
        spool_row(m, &m->problems, h, r,
                  (idflags & RC_ID_MANGLED) ? "no name, and the id was mangled by a spreadsheet"
                                            : "neither a usable id nor a name");
        return TRUE;
    }
    guint64 id_key = idlen ? id_pack(pid) : 0;
    if (idlen) {
        guint first = id_index_lookup(&m->by_id, id_key, pid);
        if (first) {
            const RcResident *f = &m->residents[first - 1];
            const RcInput *fin = &g_array_index(m->inputs, RcInput, f->file);
            g_autofree char *why = g_strdup_printf("duplicate id, first at %s:%u", fin->name, f->line);
            m->roster.problem++;
            spool_row(m, &m->problems, h, r, why);
            return TRUE;
        }
    }

    RcResident res = { 0 };
    res.file = m->file;
    res.line = (guint32)r->line;
    res.name = arena_str(m, name, name_len);
    res.name_hash = keylen ? name_hash(pkey) : 0;
    res.id_flags = (guint8)idflags;
    res.flags = (r->ragged ? RC_RES_RAGGED : 0) | (p.exempt ? RC_RES_EXEMPT : 0);
    if (id_key) {
        res.id.packed = id_key;
        res.flags |= RC_RES_ID_PACKED;
    } else {
        /* A mangled id is no id (idlen is 0): the field keeps the cell. */
        res.id.str = (idflags & RC_ID_MANGLED) ? arena_str(m, id_raw, id_raw_len) : arena_str(m, pid, idlen);
    }
    res.phone = arena_str(m, pphone, p.phonelen);
    guint32 *dst[] = { &res.building, &res.unit, &res.room };
    for (int i = 0; i < 3; i++) {
        /* Few distinct values, numbered, so the report ranks numbers;
         * neighbours in a roster mostly share them. */
        if (!p.place_len[i])
            *dst[i] = 0;
        else if (strcmp(rc_merge_text(m, m->last_place[i]), pplace) == 0)
            *dst[i] = m->last_place[i];
        else
            *dst[i] = m->last_place[i] = intern_text(m, pplace);
        pplace += p.place_len[i] + 1;
    }
    if (h->n_extras) {
        GString *g = m->scratch;
        g_string_truncate(g, 0);
        for (guint i = 0; i < h->n_extras; i++) {
            if (i)
                g_string_append_c(g, '\x1f');
            guint col = h->extras[i];
            if (col < r->n_fields)
                g_string_append_len(g, r->fields[col], r->lens[col]);
        }
        res.extras = arena_str(m, g->str, g->len);
    } else {
        res.extras = empty;
    }
    res.state = RC_STATE_MISSING;
    res.sample_state = RC_STATE_UNKNOWN;
    res.sampled_at = res.reported_at = RC_TIME_NONE;
    res.result_raw = 0;

    guint idx = m->n_residents + 1;
    if (keylen) {
        Slot *sl = u64_find(&m->by_name, res.name_hash);
        res.next_same_name = sl->key ? sl->val : 0;
        u64_put(&m->by_name, res.name_hash, idx);
    }
    if (id_key)
        u64_put(&m->by_id.packed, id_key, idx);
    else if (idlen)
        g_hash_table_insert(m->by_id.other, (gpointer)res.id.str, GUINT_TO_POINTER(idx));
    if (m->n_residents == m->cap_residents) {
        m->cap_residents = m->cap_residents ? 2 * m->cap_residents : 4096;
        m->residents = g_renew(RcResident, m->residents, m->cap_residents);
        hint_huge(m->residents + m->n_residents, (m->cap_residents - m->n_residents) * sizeof(RcResident));
    }
    m->residents[m->n_residents++] = res;
    m->roster.residents++;
    return TRUE;
}

/* ---- results (DESIGN.md section 3.2) ---- */


/* Same length and one substituted character, or two swapped neighbours. */
static gboolean
one_edit_away(const char *a, const char *b)
{
    gsize n = strlen(a);
    if (n != strlen(b))
        return FALSE;
    gsize i = 0;
    while (i < n && a[i] == b[i])
        i++;
    if (i == n)
        return FALSE; /* equal: would have matched by id */
    if (strcmp(a + i + 1, b + i + 1) == 0)
        return TRUE;
    return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0;
}

/* A masked id ("310***********1234") agrees with ID on every visible character. */
static gboolean
masked_agrees(const char *masked, const char *id)
{
    gsize n = strlen(masked);
    if (n != strlen(id))
        return FALSE;
    for (gsize i = 0; i < n; i++)
        if (masked[i] != '*' && masked[i] != id[i])
            return FALSE;
    return TRUE;
}

/* Does resident C have the name key KEY? Residents keep only its hash:
 * the key is made again from the name, so that two names sharing a hash
 * never pass for one. Rescue is the rare path. */
static gboolean
has_name(const RcResident *c, const char *key)
{
    char buf[RC_NORM_CAP];
    rc_norm_name(c->name, strlen(c->name), buf, sizeof buf);
    return strcmp(buf, key) == 0;
}

typedef enum { FILTER_PHONE, FILTER_ID_TYPO, FILTER_MASKED } Filter;

/* Rescue among residents with the result's name: the first filter that keeps
 * anyone decides; exactly one kept is a match. Returns index + 1, or 0 with
 * *WHY set. */
static guint
rescue(RcMerge *m, const char *key, const char *phone, const char *id, guint idflags, RcMatch *match,
       const char **why)
{
    /* The residents of this name: the chain of its hash, checked once. */
    const RcResident *res = m->residents;
    GArray *cand = m->candidates;
    g_array_set_size(cand, 0);
    for (guint i = u64_lookup(&m->by_name, name_hash(key)); i; i = res[i - 1].next_same_name)
        if (has_name(&res[i - 1], key))
            g_array_append_val(cand, i);
    if (cand->len == 0) {
        *why = id[0] ? "no resident with this id or name" : "no resident with this name";
        return 0;
    }
    static const RcMatch kinds[] = { RC_MATCH_NAME_PHONE, RC_MATCH_NAME_ID_TYPO, RC_MATCH_NAME_MASKED_ID };
    for (int f = FILTER_PHONE; f <= FILTER_MASKED; f++) {
        if (f == FILTER_PHONE && !phone[0])
            continue;
        if (f == FILTER_ID_TYPO && (!id[0] || (idflags & RC_ID_MASKED)))
            continue;
        if (f == FILTER_MASKED && !(idflags & RC_ID_MASKED))
            continue;
        guint found = 0, kept = 0;
        for (guint k = 0; k < cand->len; k++) {
            guint i = g_array_index(cand, guint, k);
            const RcResident *c = &res[i - 1];
            char buf[RC_RESIDENT_ID_BUF];
            const char *cid = rc_resident_id(c, buf);
            gboolean ok = f == FILTER_PHONE    ? strcmp(c->phone, phone) == 0
                          : f == FILTER_ID_TYPO ? cid[0] && one_edit_away(cid, id)
                                                : cid[0] && masked_agrees(id, cid);
            if (ok) {
                found = i;
                kept++;
            }
        }
        if (kept == 1) {
            *match = kinds[f];
            return found;
        }
        if (kept > 1) {
            *why = f == FILTER_PHONE ? "name not unique: several residents share this name and phone"
                                     : "name not unique: several residents of this name fit the id";
            return 0;
        }
    }
    *why = cand->len > 1 ? "name not unique, and neither phone nor id tells them apart"
                         : "nothing to confirm it: the name is on the roster but neither phone nor id agrees";
    return 0;
}

/* DESIGN.md section 3.3: is sample S later than the one resident R holds?
 * By sampled_at when both have it, else by reported_at when both have it,
 * else by input order; ties go to the later input. */
static gboolean
later(const Sample *s, const RcResident *r)
{
    if (s->sampled_at != RC_TIME_NONE && r->sampled_at != RC_TIME_NONE) {
        if (s->sampled_at != r->sampled_at)
            return s->sampled_at > r->sampled_at;
    } else if (s->reported_at != RC_TIME_NONE && r->reported_at != RC_TIME_NONE) {
        if (s->reported_at != r->reported_at)
            return s->reported_at > r->reported_at;
    }
    return s->seq > r->seq;
}

static void
apply(RcMerge *m, RcResident *r, const Sample *s)
{
    gboolean take;
    if (r->match == RC_MATCH_NONE)
        take = TRUE; /* NOLINT(bugprone-branch-clone): a rule a line, as DESIGN.md 3.3 says them */
    else if (s->state == RC_STATE_POSITIVE && r->sample_state != RC_STATE_POSITIVE)
        take = TRUE; /* positive is sticky */
    else if (r->sample_state == RC_STATE_POSITIVE && s->state != RC_STATE_POSITIVE)
        take = FALSE;
    else
        take = later(s, r);
    if (!take)
        return;
    r->match = s->match;
    r->sample_state = s->state;
    r->sampled_at = s->sampled_at;
    r->reported_at = s->reported_at;
    r->seq = s->seq;
    /* Matched by id under another name: both hashes are at hand here, so
     * no string in the arena is touched. */
    gboolean differs = s->match == RC_MATCH_ID && s->name_hash && r->name_hash && s->name_hash != r->name_hash;
    r->flags = (guint8)((r->flags & ~RC_RES_NAME_DIFFERS) | (differs ? RC_RES_NAME_DIFFERS : 0));
    r->result_raw = s->result_len ? intern_text(m, s->result) : 0;
}

static RcTime
parse_time(const char *s, guint len, const char **reason)
{
    RcTime t;
    if (len == 0) {
        *reason = "empty";
        return RC_TIME_NONE;
    }
    return rc_norm_time(s, len, &t, reason) ? t : RC_TIME_NONE;
}

static gboolean
results_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    RcMerge *m = user;
    guint len;
    const char *s;
    guint idflags = 0;
    Sample smp = { 0 };

    m->results.rows++;
    smp.seq = ++m->seq;
    if (m->opts.progress && (m->results.rows % PROGRESS_EVERY) == 0)
        m->opts.progress(m->results.rows, m->opts.progress_user);

    s = field(h, r, RC_ROLE_ID, &len);
    gsize idlen = rc_norm_id(s, len, m->id, sizeof m->id, &idflags);
    gboolean id_usable = idlen > 0 && !(idflags & RC_ID_MASKED);
    s = field(h, r, RC_ROLE_NAME, &len);
    gsize keylen = rc_norm_name(s, len, m->name, sizeof m->name);

    /* 1. neither id nor name usable */
    if (!id_usable && keylen == 0) {
        m->results.problem++;
        spool_row(m, &m->problems, h, r,
                  (idflags & RC_ID_MANGLED) ? "no name, and the id was mangled by a spreadsheet"
                  : (idflags & RC_ID_MASKED) ? "no name, and the id is masked"
                                             : "neither a usable id nor a name");
        return TRUE;
    }

    /* 2. the window: sampled_at, else reported_at */
    const char *why_s = NULL, *why_r = NULL;
    const char *sraw = field(h, r, RC_ROLE_SAMPLED_AT, &len);
    guint sraw_len = len;
    smp.sampled_at = parse_time(sraw, len, &why_s);
    s = field(h, r, RC_ROLE_REPORTED_AT, &len);
    smp.reported_at = parse_time(s, len, &why_r);
    RcTime t = smp.sampled_at != RC_TIME_NONE ? smp.sampled_at : smp.reported_at;
    gboolean window = m->opts.since != RC_TIME_NONE || m->opts.until != RC_TIME_NONE;
    if (window && t == RC_TIME_NONE) {
        /* Reasons go to standard error: a quoted cell never shows a whole
         * id or phone, wherever it stood (README: Security). */
        g_autoptr(GString) shown = g_string_new(NULL);
        rc_norm_mask_numbers(sraw, sraw_len, shown);
        g_autofree char *why = sraw_len ? g_strdup_printf("no usable time: sampled_at '%s': %s", shown->str, why_s)
                                        : g_strdup("no usable time: sampled_at and reported_at are empty or unreadable");
        m->results.problem++;
        spool_row(m, &m->problems, h, r, why);
        return TRUE;
    }
    if (window && ((m->opts.since != RC_TIME_NONE && t < m->opts.since) ||
                   (m->opts.until != RC_TIME_NONE && t >= m->opts.until))) {
        m->results.out_of_window++;
        return TRUE;
    }

    /* 3. the result word */
    s = field(h, r, RC_ROLE_RESULT, &len);
    smp.state = rc_vocab_result(m->vocab, s, len);
    if (smp.state == RC_STATE_UNKNOWN) {
        g_autoptr(GString) shown = g_string_new(NULL);
        g_autofree char *why = g_strdup_printf("unknown result '%s'", rc_norm_mask_numbers(s, len, shown));
        m->results.problem++;
        spool_row(m, &m->problems, h, r, why);
        return TRUE;
    }
    smp.result = s;
    smp.result_len = len;

    /* 4. by id, else 5. rescue by name */
    guint idx = id_usable ? id_index_lookup(&m->by_id, id_pack(m->id), m->id) : 0;
    if (idx) {
        smp.match = RC_MATCH_ID;
        smp.name_hash = keylen ? name_hash(m->name) : 0; /* for name-differs */
    } else if (keylen) {
        s = field(h, r, RC_ROLE_PHONE, &len);
        rc_norm_phone(s, len, m->phone, sizeof m->phone);
        const char *why = NULL;
        idx = rescue(m, m->name, m->phone, idlen ? m->id : "", idflags, &smp.match, &why);
        if (!idx) {
            m->results.unmatched++;
            spool_row(m, &m->unmatched, h, r, why);
            return TRUE;
        }
    } else {
        m->results.unmatched++;
        spool_row(m, &m->unmatched, h, r, "no resident with this id, and no name to rescue it");
        return TRUE;
    }

    /* the result must be kept only if it decides: intern lazily */
    char resbuf[RC_NORM_CAP];
    gsize rl = MIN(smp.result_len, sizeof resbuf - 1);
    memcpy(resbuf, smp.result, rl);
    resbuf[rl] = '\0';
    smp.result = resbuf;
    apply(m, &m->residents[idx - 1], &smp);
    m->results.applied++;
    m->matches[smp.match]++;
    return TRUE;
}

/* ---- files ---- */

static gboolean
add_file(RcMerge *m, const char *path, RcKind kind, GError **error)
{
    RcInput in = { 0 };
    in.path = g_strdup(path);
    in.name = strcmp(path, "-") == 0 ? g_strdup("<stdin>") : g_path_get_basename(path);
    in.kind = kind;
    g_array_append_val(m->inputs, in);
    g_ptr_array_add(m->extra_maps, NULL);
    m->file = m->inputs->len - 1;
    m->kind = kind;

    RcTableSink sink = {
        .header = kind == RC_KIND_ROSTER ? roster_header : NULL,
        .row = kind == RC_KIND_ROSTER ? roster_row : results_row,
        .problem = on_table_problem,
        .prepare = kind == RC_KIND_ROSTER ? roster_prepare : NULL,
        .prep_user = m->prep_vocab,
    };
    RcTableStats stats = { 0 };
    RcTableInfo info;
    gboolean ok = rc_table_read_path(path, m->opts.encoding, m->sheet, kind, m->cfg, &sink, m, &stats, &info,
                                     error);
    RcInput *cur = cur_input(m);
    cur->encoding = g_strdup(info.encoding ? info.encoding : "");
    cur->rows = stats.rows;
    rc_table_info_clear(&info);
    /* cppcheck-suppress memleak ; g_array_append_val() copied IN into m->inputs, which owns its strings */
    return ok;
}

void
rc_merge_set_sheet(RcMerge *m, const char *sheet)
{
    g_free(m->sheet);
    m->sheet = g_strdup(sheet);
}

gboolean
rc_merge_add_roster(RcMerge *m, const char *path, GError **error)
{
    g_return_val_if_fail(m->results.rows == 0 && !m->finished, FALSE);
    return add_file(m, path, RC_KIND_ROSTER, error);
}

gboolean
rc_merge_add_results(RcMerge *m, const char *path, GError **error)
{
    g_return_val_if_fail(!m->finished, FALSE);
    if (m->cap_residents > m->n_residents && m->n_residents) {
        /* The roster is complete: give back the slack of the last doubling. */
        m->cap_residents = m->n_residents;
        m->residents = g_renew(RcResident, m->residents, m->cap_residents);
    }
    return add_file(m, path, RC_KIND_RESULTS, error);
}

/* DESIGN.md section 3.3 */
void
rc_merge_finish(RcMerge *m)
{
    RcResident *res = m->residents;
    for (guint i = 0; i < m->n_residents; i++) {
        RcResident *r = &res[i];
        if (r->match != RC_MATCH_NONE)
            r->state = r->sample_state;
        else
            r->state = (r->flags & RC_RES_EXEMPT) ? RC_STATE_EXEMPT : RC_STATE_MISSING;
    }
    /* Nothing looks residents up any more: the report and the outputs get
     * the memory the indexes held. */
    id_index_destroy(&m->by_id);
    u64_destroy(&m->by_name);
    rc_spool_rewind(&m->unmatched);
    rc_spool_rewind(&m->problems);
    m->finished = TRUE;
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

const char *
rc_merge_text(const RcMerge *m, guint32 id)
{
    g_return_val_if_fail(id < m->texts->len, empty);
    return m->texts->pdata[id];
}

guint32
rc_merge_n_texts(const RcMerge *m)
{
    return m->texts->len;
}

const RcResident *
rc_merge_residents(const RcMerge *m, guint *n)
{
    *n = m->n_residents;
    return m->residents;
}

const RcInput *
rc_merge_inputs(const RcMerge *m, guint *n)
{
    *n = m->inputs->len;
    return (const RcInput *)m->inputs->data;
}

const RcResultCounts *
rc_merge_result_counts(const RcMerge *m)
{
    return &m->results;
}

const RcRosterCounts *
rc_merge_roster_counts(const RcMerge *m)
{
    return &m->roster;
}

guint64
rc_merge_match_count(const RcMerge *m, RcMatch match)
{
    return m->matches[match];
}

guint64
rc_merge_warnings(const RcMerge *m)
{
    return m->warnings;
}

const char *const *
rc_merge_extra_columns(const RcMerge *m, guint *n)
{
    *n = m->extra_cols->len - 1;
    return (const char *const *)m->extra_cols->pdata;
}

const guint *
rc_merge_extra_map(const RcMerge *m, guint file)
{
    return g_ptr_array_index(m->extra_maps, file);
}

RcSpool *
rc_merge_unmatched(RcMerge *m)
{
    return &m->unmatched;
}

RcSpool *
rc_merge_problems(RcMerge *m)
{
    return &m->problems;
}

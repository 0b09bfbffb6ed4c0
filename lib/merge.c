/* merge: the files read in turn, the roster rows stored (roster.c), then
 * each result row through window, match, rescue and apply; the accounting;
 * rows that decide nothing to the spools (spool.c). The rules are DESIGN.md
 * section 3; comments name the step. */
#include "merge.h"
#include "codes.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "table.h"
#include "u64map.h"

G_DEFINE_QUARK(rc - merge - error - quark, rc_merge_error)

#define PROGRESS_EVERY 65536

static const char *const match_names[RC_MATCH_COUNT] = {
    "", "id", "name+phone", "name+id-typo", "name+masked-id", "name+household",
};

const char *rc_match_name(RcMatch m)
{
    return (m >= 0 && m < RC_MATCH_COUNT) ? match_names[m] : "";
}

/* ---- the merge ---- */

#define NAME_OTHER G_MAXUINT32

typedef struct {
    RcState state;
    guint32 name_id; /* of the sample's name key: 0 when it has none, NAME_OTHER when no resident's */
    RcTime sampled_at, reported_at;
    guint64 seq;
    RcMatch match;
    const char *result; /* trimmed raw, not yet interned */
    gsize result_len;
    guint result_flags;   /* RC_RESULT_* */
    gboolean name_masked; /* 侯*玲 */
} Sample;

/* What the parser thread's prepare() uses (rc_table's prep_user): RcVocab
 * is not thread-safe, and this thread never touches it while a file is read. */
typedef struct {
    RcVocab *vocab;
    GString *when;     /* a sampling date and time joined (rc_record_sampled_at) */
    gint32 utc_offset; /* m->utc_offset, copied before each file */
    /* the previous roster row's building and unit, and their
     * rc_roster_place_hash(): neighbours mostly share them */
    char last_place[2][RC_NORM_CAP];
    guint64 last_place_hash[2];
    GString *place_key; /* rc_roster_place_hash()'s scratch */
} MergePrep;

struct RcMerge {
    const RcConfig *cfg; /* borrowed */
    RcMergeOptions opts;
    char *sheet;       /* --sheet for workbooks; NULL: the first visible one */
    gint32 utc_offset; /* --tz: local time, seconds east of UTC */
    MergePrep prep;    /* the parser thread's: only prepare() touches it */
    RcRoster *roster;
    GArray *candidates; /* rescue's residents of one name (index + 1) */
    GArray *inputs;     /* RcInput */
    RcResultCounts results;
    RcRosterCounts roster_counts;
    guint64 matches[RC_MATCH_COUNT];
    guint64 seq;
    RcU64Set seen; /* samples of residents sampled more than once (sample_key) */
    RcSpool *unmatched, *problems;
    RcSpool *tubes;      /* DESIGN.md section 7: every result row with a tube code */
    GHashTable *hot;     /* tube code -> RcState + 1: positive or review tubes */
    RcState row_state;   /* the result row's result, RC_STATE_UNKNOWN before it is read */
    GError *spool_error; /* the first spool write that failed */
    RcWarnings *warns;
    RcHistory *history; /* with --days */
    guint64 *day_rows;  /* with --days: result rows in window per day */
    guint64 roster_ids; /* residents with a usable id */
    gboolean finished;

    /* the file being read */
    guint file;
    RcKind kind;
    GString *scratch;
    GString *raw;
    GString *when;         /* as prep.when, for this thread's messages */
    GArray *extra_at;      /* int: per extra of the file, its column in this sheet (-1: none) */
    guint32 last_place[3]; /* building, unit, room of the previous row */
};

/* Trims ASCII and ideographic spaces from both ends of (*S, *LEN). */
static void trim(const char **s, guint *len)
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

static const char *field(const RcHeader *h, const RcRecord *r, RcRole role, guint *len)
{
    const char *s = rc_record_field(r, h->col[role], len);
    trim(&s, len);
    return s;
}

RcMerge *rc_merge_new(const RcConfig *cfg, const RcMergeOptions *opts, GError **error)
{
    g_autoptr(RcVocab) vocab = rc_vocab_new(cfg, error);
    if (!vocab)
        return NULL;
    if (opts && opts->since != RC_TIME_NONE && opts->until != RC_TIME_NONE && opts->since >= opts->until) {
        g_set_error(error, RC_MERGE_ERROR, RC_MERGE_ERROR_WINDOW,
                    "the window is empty: --since is not before --until");
        return NULL;
    }
    RcMerge *m = g_new0(RcMerge, 1);
    if (opts)
        m->opts = *opts;
    else
        m->opts.since = m->opts.until = RC_TIME_NONE;
    m->cfg = cfg;
    m->utc_offset = RC_TZ_DEFAULT;
    m->prep.vocab = g_steal_pointer(&vocab);
    m->prep.when = g_string_new(NULL);
    m->prep.place_key = g_string_new(NULL);
    m->roster = rc_roster_new();
    rc_u64set_init(&m->seen);
    m->candidates = g_array_new(FALSE, FALSE, sizeof(guint));
    m->inputs = g_array_new(FALSE, TRUE, sizeof(RcInput));
    m->scratch = g_string_new(NULL);
    m->extra_at = g_array_new(FALSE, FALSE, sizeof(int));
    m->raw = g_string_new(NULL);
    m->warns = rc_warnings_new();
    if (m->opts.days) {
        m->history = rc_history_new(m->opts.days, 0);
        m->day_rows = g_new0(guint64, m->opts.days->n_days);
        m->opts.days = rc_history_days(m->history); /* the caller's may go */
    }
    m->when = g_string_new(NULL);
    m->hot = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!(m->unmatched = rc_spool_new("unmatched", error)) ||
        !(m->problems = rc_spool_new("problems", error)) || !(m->tubes = rc_spool_new("tubes", error))) {
        rc_merge_free(m);
        return NULL;
    }
    return m;
}

void rc_merge_free(RcMerge *m)
{
    if (!m)
        return;
    g_free(m->sheet);
    rc_vocab_free(m->prep.vocab);
    if (m->prep.when)
        g_string_free(m->prep.when, TRUE);
    if (m->prep.place_key)
        g_string_free(m->prep.place_key, TRUE);
    rc_roster_free(m->roster);
    rc_u64set_destroy(&m->seen);
    g_array_unref(m->candidates);
    for (guint i = 0; i < m->inputs->len; i++) {
        RcInput *in = &g_array_index(m->inputs, RcInput, i);
        g_free(in->path);
        g_free(in->name);
        g_free(in->encoding);
        g_strfreev(in->extras);
    }
    g_array_unref(m->inputs);
    g_string_free(m->scratch, TRUE);
    g_array_unref(m->extra_at);
    g_string_free(m->raw, TRUE);
    g_string_free(m->when, TRUE);
    rc_spool_free(m->unmatched);
    rc_spool_free(m->problems);
    rc_spool_free(m->tubes);
    if (m->hot)
        g_hash_table_unref(m->hot);
    g_clear_error(&m->spool_error);
    rc_warnings_free(m->warns);
    rc_history_free(m->history);
    g_free(m->day_rows);
    g_free(m);
}

static RcInput *cur_input(RcMerge *m)
{
    return &g_array_index(m->inputs, RcInput, m->file);
}

/* The whole record as the file had it, re-joined with its delimiter. */
static const char *raw_row(RcMerge *m, const RcHeader *h, const RcRecord *r, guint *len)
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

/* The first spool write that failed, as ERROR: the run stops there. */
static gboolean spool_failed(RcMerge *m, GError **error)
{
    if (error && !*error)
        *error = g_error_copy(m->spool_error);
    return FALSE;
}

/* Where a spooled row came from: the file's name, or FILE:SHEET for a
 * workbook of several sheets (then allocated into *OWNED). */
static const char *row_where(RcMerge *m, const RcHeader *h, char **owned)
{
    const RcInput *in = cur_input(m);
    *owned = h && h->sheet_in_line ? g_strdup_printf("%s:%s", in->name, h->sheet) : NULL;
    return *owned ? *owned : in->name;
}

/* DESIGN.md section 7: a result row that carried a tube code, to the tubes
 * spool (merge.h says its fields): applied to resident IDX (1-based), or
 * not (0) for REASON. A positive or review row makes its tube hot. */
static void tube_row(RcMerge *m, const RcHeader *h, const RcRecord *r, guint idx, const char *reason)
{
    guint len;
    const char *s = field(h, r, RC_ROLE_TUBE, &len);
    char code[RC_NORM_CAP];
    gsize cl = len ? rc_norm_text(s, len, code, sizeof code) : 0;
    if (!cl || m->spool_error)
        return;
    char line[24], who[24];
    g_snprintf(line, sizeof line, "%" G_GUINT64_FORMAT, r->line);
    g_snprintf(who, sizeof who, "%u", idx);
    g_autofree char *where = NULL;
    const char *f[RC_SPOOL_FIELDS] = {NULL};
    guint l[RC_SPOOL_FIELDS] = {0};
    f[RC_SPOOL_FILE] = row_where(m, h, &where);
    f[RC_SPOOL_LINE] = line;
    f[RC_TUBE_CODE] = code;
    f[RC_SPOOL_REASON] = reason ? reason : "";
    f[RC_TUBE_RESIDENT] = who;
    f[RC_SPOOL_NAME] = field(h, r, RC_ROLE_NAME, &l[RC_SPOOL_NAME]);
    f[RC_SPOOL_PHONE] = field(h, r, RC_ROLE_PHONE, &l[RC_SPOOL_PHONE]);
    f[RC_TUBE_STATE] = m->row_state == RC_STATE_UNKNOWN ? "" : rc_state_name(m->row_state);
    f[RC_SPOOL_SAMPLED_AT] = f[RC_SPOOL_RAW] = "";
    for (int i = 0; i < RC_SPOOL_FIELDS; i++)
        if (i != RC_SPOOL_NAME && i != RC_SPOOL_PHONE)
            l[i] = (guint)strlen(f[i]);
    if (!rc_spool_write(m->tubes, f, l, &m->spool_error))
        return;
    if (m->row_state == RC_STATE_POSITIVE || m->row_state == RC_STATE_REVIEW) {
        gpointer was = g_hash_table_lookup(m->hot, code);
        if (!was || (m->row_state == RC_STATE_POSITIVE && GPOINTER_TO_INT(was) != RC_STATE_POSITIVE + 1))
            g_hash_table_insert(m->hot, g_strdup(code), GINT_TO_POINTER(m->row_state + 1));
    }
}

/* Spools a rejected or unmatched row of the current file. Returns FALSE
 * with ERROR (may be NULL: the error waits in m->spool_error for the next
 * row or the end of the file) when the spool cannot be written. */
static gboolean spool_row(RcMerge *m, RcSpool *s, const RcHeader *h, const RcRecord *r, const char *reason,
                          GError **error)
{
    char line[24];
    const char *f[RC_SPOOL_FIELDS];
    guint l[RC_SPOOL_FIELDS];
    RcInput *in = cur_input(m);
    g_snprintf(line, sizeof line, "%" G_GUINT64_FORMAT, r->line);
    g_autofree char *where = NULL;
    f[RC_SPOOL_FILE] = row_where(m, h, &where);
    f[RC_SPOOL_LINE] = line;
    f[RC_SPOOL_KIND] = rc_kind_name(m->kind);
    f[RC_SPOOL_REASON] = reason;
    static const RcRole roles[] = {RC_ROLE_ID, RC_ROLE_NAME, RC_ROLE_PHONE, RC_ROLE_RESULT,
                                   RC_ROLE_SAMPLED_AT};
    for (gsize i = 0; i < G_N_ELEMENTS(roles); i++)
        f[RC_SPOOL_ID + i] = field(h, r, roles[i], &l[RC_SPOOL_ID + i]);
    f[RC_SPOOL_RAW] = raw_row(m, h, r, &l[RC_SPOOL_RAW]);
    for (int i = 0; i < RC_SPOOL_ID; i++)
        l[i] = (guint)strlen(f[i]);
    if (!m->spool_error && !rc_spool_write(s, f, l, &m->spool_error))
        return spool_failed(m, error);
    if (s == m->problems)
        in->problems++;
    if (m->kind == RC_KIND_RESULTS && h)
        tube_row(m, h, r, 0, reason);
    if (s == m->problems && m->opts.problem) {
        g_autoptr(GString) said = g_string_new(NULL);
        m->opts.problem(f[RC_SPOOL_FILE], r->line, rc_reason_render(FALSE, reason, said),
                        m->opts.progress_user);
    }
    return TRUE;
}

static void on_table_problem(const RcHeader *h, const RcRecord *r, const char *reason, gboolean kept,
                             gpointer user)
{
    RcMerge *m = user;
    if (kept) {
        cur_input(m)->ragged++;
        return;
    }
    if (m->kind == RC_KIND_ROSTER) {
        m->roster_counts.rows++;
        m->roster_counts.problem++;
    } else {
        m->results.rows++;
        m->results.problem++;
    }
    m->row_state = RC_STATE_UNKNOWN;
    spool_row(m, m->problems, h, r, reason, NULL);
}

/* A row that is not data (DESIGN.md section 1): counted, nothing else. */
static void on_table_ignored(const RcHeader *h, const RcRecord *r, const char *reason, gpointer user)
{
    RcMerge *m = user;
    (void)h;
    (void)r;
    (void)reason;
    if (m->kind == RC_KIND_ROSTER) {
        m->roster_counts.rows++;
        m->roster_counts.ignored++;
    } else {
        m->results.rows++;
        m->results.ignored++;
    }
}

/* A column that took no part but looks like data, or times of day alone
 * (DESIGN.md sections 1 and 3.5): a warning naming it. */
static void on_table_column(const RcHeader *h, guint col, RcTableLooks looks, gpointer user)
{
    RcMerge *m = user;
    if (looks == RC_TABLE_LOOKS_TIMES_ONLY)
        rc_merge_warn(m, RC_WARN_TIME_ONLY, NULL, h->names[col], NULL);
    else
        rc_merge_warn(m, RC_WARN_COLUMN_UNUSED, NULL, h->names[col], rc_table_looks_name(looks));
}

/* ---- rosters (DESIGN.md section 3.1) ---- */

static gboolean roster_header(const RcHeader *h, gpointer user, GError **error)
{
    RcMerge *m = user;
    RcInput *in = cur_input(m);
    /* A workbook's sheets each have a header: the file's extras are the
     * union of theirs, in order of first appearance, so that the rows of
     * earlier sheets keep their places. */
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    /* name -> its place + 1 in names: a wide roster (40,000 extras) must
     * not compare every name with every other. */
    g_autoptr(GHashTable) at = g_hash_table_new(g_str_hash, g_str_equal);
    for (char **e = in->extras; e && *e; e++) {
        g_ptr_array_add(names, g_strdup(*e));
        g_hash_table_insert(at, g_ptr_array_index(names, names->len - 1), GUINT_TO_POINTER(names->len));
    }
    for (guint i = 0; i < h->n_extras; i++) {
        const char *name = h->names[h->extras[i]];
        if (!g_hash_table_contains(at, name)) {
            g_ptr_array_add(names, g_strdup(name));
            g_hash_table_insert(at, g_ptr_array_index(names, names->len - 1), GUINT_TO_POINTER(names->len));
        }
    }
    g_array_set_size(m->extra_at, names->len);
    for (guint k = 0; k < names->len; k++)
        g_array_index(m->extra_at, int, k) = -1;
    for (guint i = 0; i < h->n_extras; i++) {
        guint k = GPOINTER_TO_UINT(g_hash_table_lookup(at, h->names[h->extras[i]])) - 1;
        if (g_array_index(m->extra_at, int, k) < 0) /* the first column of that name */
            g_array_index(m->extra_at, int, k) = (int)h->extras[i];
    }
    g_ptr_array_add(names, NULL);
    g_strfreev(in->extras);
    in->extras = (char **)g_ptr_array_free(names, FALSE);
    rc_roster_add_extras(m->roster, m->file, (const char *const *)in->extras, m->extra_at->len);
    return TRUE;
}

/* What the parser thread makes of a roster row (rc_table's prepare()):
 * every normalisation, so that this thread only stores and indexes. */
static gsize roster_prepare(const RcHeader *h, const RcRecord *r, gpointer user, char *out)
{
    G_STATIC_ASSERT(RC_ROSTER_PREP_MAX <= RC_TABLE_PREP_CAP);
    MergePrep *mp = user; /* the parser thread's own */
    char id[RC_NORM_CAP], key[RC_NORM_CAP], phone[RC_NORM_CAP], place[3][RC_NORM_CAP];
    RcRosterPrep p = {.id = id, .key = key, .phone = phone, .place = {place[0], place[1], place[2]}};
    guint len;
    const char *s = field(h, r, RC_ROLE_ID, &len);
    p.idlen = rc_norm_id(s, len, id, sizeof id, &p.idflags);
    s = field(h, r, RC_ROLE_NAME, &len);
    p.keylen = rc_norm_name(s, len, key, sizeof key);
    s = field(h, r, RC_ROLE_PHONE, &len);
    p.phonelen = rc_norm_phone(s, len, phone, sizeof phone);
    static const RcRole roles[] = {RC_ROLE_BUILDING, RC_ROLE_UNIT, RC_ROLE_ROOM};
    for (int i = 0; i < 3; i++) {
        s = field(h, r, roles[i], &len);
        if (roles[i] == RC_ROLE_BUILDING && h->sheet_place) { /* DESIGN.md section 1 */
            s = h->sheet_place;
            len = (guint)strlen(s);
        }
        p.place_len[i] = rc_norm_text(s, len, place[i], sizeof place[i]);
    }
    guint64 place_hash[2];
    for (int i = 0; i < 2; i++) {
        if (strcmp(mp->last_place[i], place[i]) != 0) {
            memcpy(mp->last_place[i], place[i], p.place_len[i] + 1);
            mp->last_place_hash[i] = rc_roster_place_hash(i == 0 ? RC_PLACE_BUILDING : RC_PLACE_UNIT,
                                                          place[i], p.place_len[i], mp->place_key);
        }
        place_hash[i] = mp->last_place_hash[i];
    }
    /* DESIGN.md section 3.2: the household column, else building, unit and room */
    s = field(h, r, RC_ROLE_HOUSEHOLD, &len);
    char hh[RC_NORM_CAP];
    gsize hh_len = len ? rc_norm_text(s, len, hh, sizeof hh) : 0;
    p.household_key =
        rc_roster_household_key(hh, hh_len, place_hash[0], place_hash[1], place[2], p.place_len[2]);
    s = field(h, r, RC_ROLE_STATUS, &len);
    p.exempt = len > 0 && rc_vocab_exempt(mp->vocab, s, len);
    return rc_roster_prep_write(&p, out);
}

static gboolean roster_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    RcMerge *m = user;
    if (m->spool_error)
        return spool_failed(m, error);
    RcRoster *ro = m->roster;
    guint len;
    const char *s;
    RcRosterPrep p;
    rc_roster_prep_read(r->prep, r->prep_len, &p);
    guint idflags = p.idflags;
    m->roster_counts.rows++;

    s = field(h, r, RC_ROLE_ID, &len);
    const char *id_raw = s;
    guint id_raw_len = len;
    if (len) {
        cur_input(m)->ids++;
        if (idflags & RC_ID_MANGLED)
            cur_input(m)->ids_mangled++;
    }
    gsize idlen = p.idlen;
    if (idflags & RC_ID_MASKED)
        idlen = 0; /* a masked id in a roster identifies nobody */
    s = field(h, r, RC_ROLE_NAME, &len);
    const char *name = s;
    guint name_len = len;
    gsize keylen = p.keylen;

    if (idlen == 0 && keylen == 0) {
        m->roster_counts.problem++;
        return spool_row(m, m->problems, h, r,
                         rc_reason_static((idflags & RC_ID_MANGLED) ? RC_REASON_NO_NAME_ID_MANGLED
                                                                    : RC_REASON_NO_ID_NO_NAME),
                         error);
    }
    guint64 id_key = idlen ? p.id_key : 0;
    if (idlen) {
        guint first = rc_roster_find_id(ro, id_key, p.id);
        if (first) {
            guint n;
            const RcResident *f = &rc_roster_residents(ro, &n)[first - 1];
            const RcInput *fin = &g_array_index(m->inputs, RcInput, f->file);
            g_autofree char *first_at = g_strdup_printf("%s:%u", fin->name, f->line);
            g_autofree char *why = rc_reason(RC_REASON_DUPLICATE_ID, first_at, NULL);
            m->roster_counts.problem++;
            return spool_row(m, m->problems, h, r, why, error);
        }
    }

    RcResident res = {0};
    res.file = m->file;
    res.line = (guint32)r->line;
    res.name = rc_roster_str(ro, name, name_len);
    res.name_id = keylen ? rc_roster_name_id_hashed(ro, p.key, p.name_hash, TRUE) : 0;
    res.id_flags = (guint8)idflags;
    res.flags = (r->ragged ? RC_RES_RAGGED : 0) | (p.exempt ? RC_RES_EXEMPT : 0) |
                (r->place_inherited ? RC_RES_PLACE_INHERITED : 0);
    if (id_key) {
        res.id.packed = id_key;
        res.flags |= RC_RES_ID_PACKED;
    } else {
        /* A mangled id is no id (idlen is 0): the field keeps the cell. */
        res.id.str = (idflags & RC_ID_MANGLED) ? rc_roster_str(ro, id_raw, id_raw_len)
                                               : rc_roster_str(ro, p.id, idlen);
    }
    res.phone = rc_roster_str(ro, p.phone, p.phonelen);
    guint32 *dst[] = {&res.building, &res.unit, &res.room};
    for (int i = 0; i < 3; i++) {
        /* Few distinct values, numbered, so the report ranks numbers;
         * neighbours in a roster mostly share them. */
        if (!p.place_len[i])
            *dst[i] = 0;
        else if (i < 2) /* DESIGN.md section 2, Places: one building however spelt */
            *dst[i] = rc_roster_place(ro, i == 0 ? RC_PLACE_BUILDING : RC_PLACE_UNIT, p.place[i]);
        else if (strcmp(rc_roster_text(ro, m->last_place[i]), p.place[i]) == 0)
            *dst[i] = m->last_place[i];
        else
            *dst[i] = m->last_place[i] = rc_roster_intern(ro, p.place[i]);
    }
    res.household = rc_roster_household(ro, p.household_key);
    if (m->extra_at->len) {
        GString *g = m->scratch;
        g_string_truncate(g, 0);
        for (guint i = 0; i < m->extra_at->len; i++) {
            if (i)
                g_string_append_c(g, '\x1f');
            int col = g_array_index(m->extra_at, int, i);
            if (col >= 0 && (guint)col < r->n_fields)
                g_string_append_len(g, r->fields[col], r->lens[col]);
        }
        res.extras = rc_roster_str(ro, g->str, g->len);
    } else {
        res.extras = "";
    }
    /* Shown as written in every output, so anyone sees why a resident is
     * exempt; statuses are few distinct texts, numbered once. */
    s = field(h, r, RC_ROLE_STATUS, &len);
    if (len) {
        g_string_assign(m->scratch, "");
        g_string_append_len(m->scratch, s, len);
        res.status = rc_roster_intern(ro, m->scratch->str);
    }
    res.state = RC_STATE_MISSING;
    res.sample_state = RC_STATE_UNKNOWN;
    res.sampled_at = res.reported_at = RC_TIME_NONE;
    res.result_raw = 0;
    rc_roster_add(ro, &res, id_key, idlen > 0);
    m->roster_counts.residents++;
    if (idlen)
        m->roster_ids++;
    return TRUE;
}

/* ---- results (DESIGN.md section 3.2) ---- */

/* A masked value ("310***********1234", "138****5006") agrees with FULL on
 * every visible character. */
static gboolean mask_agrees(const char *mask, gsize n, const char *full, gsize fn)
{
    if (n != fn)
        return FALSE;
    for (gsize i = 0; i < n; i++)
        if (mask[i] != '*' && mask[i] != full[i])
            return FALSE;
    return TRUE;
}

/* DESIGN.md section 2: a masked id confirms only when it shows more than
 * the area code (the first six characters). */
static gboolean beyond_area(const char *mask)
{
    for (gsize i = 6; mask[i]; i++)
        if (mask[i] != '*')
            return TRUE;
    return FALSE;
}

/* A masked name key (侯*玲) agrees with the name key KEY: as many
 * characters, each '*' or the same. */
static gboolean name_agrees(const char *mask, const char *key)
{
    while (*mask && *key) {
        const char *nm = g_utf8_next_char(mask), *nk = g_utf8_next_char(key);
        if (*mask != '*' && (nm - mask != nk - key || memcmp(mask, key, (gsize)(nm - mask)) != 0))
            return FALSE;
        mask = nm;
        key = nk;
    }
    return !*mask && !*key;
}

/* What a filter of rescue kept: one resident, or several. */
typedef struct {
    guint found;
    gboolean several;
} Kept;

static void keep(Kept *k, guint i)
{
    if (i == RC_ROSTER_SEVERAL || (i && k->found && k->found != i))
        k->several = TRUE;
    else if (i)
        k->found = i;
}

/* Is resident I (index + 1) of the result's name: the number NID, or, for a
 * masked name (NID 0), one MASK agrees with? */
static gboolean of_name(RcMerge *m, guint i, guint32 nid, const char *mask)
{
    guint n;
    const RcResident *c = &rc_roster_residents(m->roster, &n)[i - 1];
    return nid ? c->name_id == nid
               : c->name_id && name_agrees(mask, rc_roster_name_key(m->roster, c->name_id));
}

/* The variants of an id that id_typo() probes, a batch at a time: each
 * mainland id's slot in the id index is prefetched when the variant is
 * made, so a batch's probes wait for memory together rather than one after
 * another (about 200 random probes for each rescued row with an id). */
#define TYPO_BATCH 64
typedef struct {
    RcMerge *m;
    guint32 nid;
    const char *mask;
    Kept *k;
    guint64 key[TYPO_BATCH]; /* rc_id_pack()ed, not yet probed */
    guint n;
} Probes;

/* Resident I (index + 1, or 0) found by a variant: kept if of the name. */
static void probe_found(Probes *p, guint i)
{
    if (i && of_name(p->m, i, p->nid, p->mask))
        keep(p->k, i);
}

static void probes_flush(Probes *p)
{
    for (guint j = 0; j < p->n; j++)
        probe_found(p, rc_roster_find_id(p->m->roster, p->key[j], NULL));
    p->n = 0;
}

/* Probes the variant V: now when it is no mainland id, else in a batch. */
static void probe_id(Probes *p, const char *v)
{
    guint64 key = rc_id_pack(v);
    if (!key) {
        probe_found(p, rc_roster_find_id(p->m->roster, 0, v));
        return;
    }
    rc_roster_ahead_id(p->m->roster, key);
    p->key[p->n++] = key;
    if (p->n == TYPO_BATCH)
        probes_flush(p);
}

/* DESIGN.md section 3.2, an id one edit away: each id one substituted
 * character or two swapped neighbours away from ID is looked up in the id
 * index (at most 36 x length + length - 1 probes, whatever the name), and
 * those of the name kept. A letter is tried only where some roster id has
 * one (rc_roster_id_letter_positions(), and the X of an 18-character id):
 * elsewhere it could find no one, so 18 x 10 + 1 + 17 probes for most
 * ids. And section 2: an all-digit document number that lost its leading
 * zeros agrees when they are put back (either side). */
static void id_typo(RcMerge *m, const char *id, guint32 nid, const char *mask, Kept *k)
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char v[RC_NORM_CAP];
    gsize n = strlen(id);
    if (n + 1 >= sizeof v)
        return;
    memcpy(v, id, n + 1);
    Probes p = {.m = m, .nid = nid, .mask = mask, .k = k};
    guint64 letters = rc_roster_id_letter_positions(m->roster);
    for (gsize i = 0; i < n; i++) {
        gboolean any = i >= 63 || (letters >> i & 1);
        const char *tries = any ? alphabet : (n == 18 && i == 17) ? "0123456789X" : "0123456789";
        for (const char *a = tries; *a; a++) {
            if (*a == id[i])
                continue;
            v[i] = *a;
            probe_id(&p, v);
        }
        v[i] = id[i];
    }
    for (gsize i = 0; i + 1 < n; i++) {
        if (id[i] == id[i + 1])
            continue;
        v[i] = id[i + 1];
        v[i + 1] = id[i];
        probe_id(&p, v);
        v[i] = id[i];
        v[i + 1] = id[i + 1];
    }
    if (strspn(id, "0123456789") == n && n != 18) {
        const char *core = id + strspn(id, "0");
        gsize cn = strlen(core);
        for (gsize z = 0; cn && cn + z <= 12; z++) {
            if (cn + z == n || cn + z == 18)
                continue;
            memset(v, '0', z);
            memcpy(v + z, core, cn + 1);
            probe_id(&p, v);
        }
    }
    probes_flush(&p);
}

/* Rescue among residents with the result's name (KEY; a masked one when
 * MASKED_NAME): the first filter that keeps anyone decides; exactly one
 * kept is a match. Returns index + 1, or 0 with *WHY set. */
static guint rescue(RcMerge *m, const char *key, gboolean masked_name, const char *phone, const char *id,
                    guint idflags, RcMatch *match, const char **why)
{
    RcRoster *ro = m->roster;
    guint32 nid = masked_name ? 0 : rc_roster_name_id(ro, key, FALSE);
    guint named = nid ? rc_roster_n_named(ro, nid) : 0;
    if (!masked_name && named == 0) {
        *why = rc_reason_static(id[0] ? RC_REASON_NO_ID_OR_NAME : RC_REASON_NO_NAME);
        return 0;
    }
    gboolean id_masked = (idflags & RC_ID_MASKED) != 0;
    /* the phone: the resident's own, else one of the household's; a masked
     * name only with a full phone, among the phone's holders */
    for (int pass = 0; pass < 2 && phone[0]; pass++) {
        Kept k = {0};
        const char *at = phone, *p;
        gsize len;
        while ((p = rc_phone_next(&at, &len))) {
            if (memchr(p, '*', len))
                continue;
            if (masked_name) {
                guint who[8];
                guint nh = rc_roster_phone_holders(ro, p, len, who, G_N_ELEMENTS(who));
                for (guint j = 0; j < MIN(nh, G_N_ELEMENTS(who)); j++)
                    if (of_name(m, who[j], 0, key))
                        keep(&k, who[j]);
                if (nh > G_N_ELEMENTS(who))
                    k.several = TRUE;
            } else {
                keep(&k, pass == 0 ? rc_roster_find_name_phone(ro, nid, p, len)
                                   : rc_roster_find_name_household_phone(ro, nid, p, len));
            }
        }
        if (k.several) {
            *why = rc_reason_static(RC_REASON_NOT_UNIQUE_PHONE);
            return 0;
        }
        if (k.found) {
            *match = pass == 0 ? RC_MATCH_NAME_PHONE : RC_MATCH_NAME_HOUSEHOLD;
            return k.found;
        }
        if (masked_name)
            break;
    }
    guint n;
    const RcResident *res = rc_roster_residents(ro, &n);
    /* a masked phone (138****5006): a phone of the name whose visible
     * digits agree, among those showing the same first 3 and last 4 */
    if (!masked_name && strchr(phone, '*')) {
        Kept k = {0};
        const char *at = phone, *p;
        gsize len;
        while ((p = rc_phone_next(&at, &len))) {
            char part[32];
            gsize pl = memchr(p, '*', len) ? rc_view_part(RC_VIEW_PHONE_ENDS, p, len, 0, part) : 0;
            RcRosterWalk link;
            for (guint i = pl ? rc_roster_view_first(ro, RC_VIEW_PHONE_ENDS, nid, part, pl, &link) : 0; i;
                 i = rc_roster_view_next(ro, RC_VIEW_PHONE_ENDS, &link)) {
                const char *cat = res[i - 1].phone, *q;
                gsize ql;
                while ((q = rc_phone_next(&cat, &ql)))
                    if (res[i - 1].name_id == nid && mask_agrees(p, len, q, ql))
                        keep(&k, i);
            }
        }
        if (k.several) {
            *why = rc_reason_static(RC_REASON_NOT_UNIQUE_PHONE);
            return 0;
        }
        if (k.found) {
            *match = RC_MATCH_NAME_PHONE;
            return k.found;
        }
    }
    /* an id one edit away, or one that lost its leading zeros */
    if (id[0] && !id_masked) {
        Kept k = {0};
        id_typo(m, id, nid, key, &k);
        if (k.several) {
            *why = rc_reason_static(RC_REASON_NOT_UNIQUE_ID);
            return 0;
        }
        if (k.found) {
            *match = RC_MATCH_NAME_ID_TYPO;
            return k.found;
        }
    }
    /* a masked id, on either side: the result's against the residents'
     * ids, or the result's id against a resident's id that a spreadsheet
     * stored as a number */
    if (id[0] && !masked_name && (!id_masked || beyond_area(id))) {
        Kept k = {0};
        gsize il = strlen(id);
        char part[32];
        /* through a view when the id shows its part: a masked id by its
         * last 4, else its first 14; a full id against the ids stored as
         * numbers by each count of known digits (7 to 14). A mask hiding
         * both walks the name's residents. */
        guint from = 0, to = 0;
        RcView v = RC_VIEW_MANGLED;
        if (!id_masked)
            from = 7, to = 14;
        else if (rc_view_part(v = RC_VIEW_ID_TAIL, id, il, 0, part) ||
                 rc_view_part(v = RC_VIEW_ID_HEAD, id, il, 0, part))
            from = to = 1;
        for (guint kn = from; kn <= to; kn++) {
            gsize pl = kn ? rc_view_part(v, id, il, v == RC_VIEW_MANGLED ? kn : 0, part) : 0;
            if (kn && !pl)
                continue;
            RcRosterWalk link = {0};
            guint i = pl ? rc_roster_view_first(ro, v, nid, part, pl, &link) : rc_roster_first_named(ro, nid);
            for (; i; i = pl ? rc_roster_view_next(ro, v, &link) : res[i - 1].next_same_name) {
                const RcResident *c = &res[i - 1];
                char buf[RC_RESIDENT_ID_BUF], cm[RC_NORM_CAP];
                if (c->name_id != nid)
                    continue;
                if (id_masked) {
                    const char *cid = rc_resident_id(c, buf);
                    if (cid[0] && mask_agrees(id, il, cid, strlen(cid)))
                        keep(&k, i);
                } else if (c->id_flags & RC_ID_MANGLED) {
                    const char *raw = rc_resident_id_raw(c);
                    if (rc_norm_id_sci_mask(raw, strlen(raw), cm, sizeof cm) && beyond_area(cm) &&
                        mask_agrees(cm, 18, id, il))
                        keep(&k, i);
                }
            }
        }
        if (k.several) {
            *why = rc_reason_static(RC_REASON_NOT_UNIQUE_ID);
            return 0;
        }
        if (k.found) {
            *match = RC_MATCH_NAME_MASKED_ID;
            return k.found;
        }
    }
    *why = rc_reason_static(masked_name ? RC_REASON_MASKED_NAME
                            : named > 1 ? RC_REASON_NOT_UNIQUE
                                        : RC_REASON_UNCONFIRMED);
    return 0;
}

/* DESIGN.md section 3.3, the order of a resident's samples: rc_sample_cmp()
 * (history.h), then how it matched (by id first), then under the
 * resident's own name, then the result's text. A total order, so the
 * deciding sample never depends on the order of files or rows; samples
 * equal in all of it show the same in every output. */
/* Does sample S name resident R's holder under another name? */
static gboolean name_differs(const Sample *s, const RcResident *r)
{
    return s->match == RC_MATCH_ID && s->name_id && r->name_id && s->name_id != r->name_id;
}

/* > 0 when S comes after the sample R holds, 0 when the two are the same
 * in everything an output shows. */
static int sample_cmp(RcMerge *m, const Sample *s, const RcResident *r)
{
    RcSampleKey a = {s->state, s->sampled_at, s->reported_at};
    RcSampleKey b = {(RcState)r->sample_state, r->sampled_at, r->reported_at};
    int c = rc_sample_cmp(&a, &b);
    if (!c)
        c = (int)r->match - (int)s->match;
    if (!c)
        c = (int)!!(r->flags & RC_RES_NAME_DIFFERS) - (int)name_differs(s, r);
    if (!c)
        c = -strcmp(s->result, rc_roster_text(m->roster, r->result_raw)); /* any fixed order */
    return c;
}

/* A fingerprint of one sample of resident IDX: the same resident, times
 * and result give the same number. The state is its low three bits,
 * exactly: samples of different results never share one, so a collision
 * of the other 61 bits can only count a sample of the same result twice,
 * and it only counts (which sample decides never reads the set). */
static guint64 sample_key(guint idx, RcTime sampled_at, RcTime reported_at, RcState st)
{
    guint64 h = rc_mix64(idx + 0x9E3779B97F4A7C15ull);
    h = rc_mix64(h ^ (guint64)sampled_at);
    h = rc_mix64(h ^ (guint64)reported_at);
    return (h & ~(guint64)7) | (guint64)(st + 1);
}

/* The same sample seen again (the same resident, times and result, as two
 * overlapping exports hold it)? The resident holds its deciding sample
 * exactly: while it has had one distinct sample only, that is compared and
 * nothing is remembered. From its second distinct sample on, every sample
 * of the resident goes in the set of fingerprints. */
static gboolean seen_before(RcMerge *m, guint idx, RcResident *r, const Sample *s)
{
    if (r->match == RC_MATCH_NONE)
        return FALSE;
    if (!(r->flags & RC_RES_SEVERAL)) {
        if (r->sampled_at == s->sampled_at && r->reported_at == s->reported_at &&
            (RcState)r->sample_state == s->state)
            return TRUE;
        rc_u64set_add(&m->seen, sample_key(idx, r->sampled_at, r->reported_at, (RcState)r->sample_state));
        r->flags |= RC_RES_SEVERAL;
    }
    return !rc_u64set_add(&m->seen, sample_key(idx, s->sampled_at, s->reported_at, s->state));
}

/* Sample S of resident IDX: the resident's state (section 3.3). */
static void apply_state(RcMerge *m, guint idx, const Sample *s)
{
    guint n;
    RcResident *r = &rc_roster_residents(m->roster, &n)[idx - 1];
    /* positive is sticky: rc_sample_cmp() puts it first */
    if (r->match != RC_MATCH_NONE && sample_cmp(m, s, r) <= 0)
        return;
    r->match = s->match;
    r->sample_state = s->state;
    r->sampled_at = s->sampled_at;
    r->reported_at = s->reported_at;
    r->seq = s->seq;
    /* Matched by id under another name: both hashes are at hand here, so
     * no string in the arena is touched. */
    r->flags = (guint8)((r->flags & ~RC_RES_NAME_DIFFERS) | (name_differs(s, r) ? RC_RES_NAME_DIFFERS : 0));
    r->flags = (guint8)((r->flags & ~RC_RES_RESULT_UNRECOGNISED) |
                        ((s->result_flags & RC_RESULT_UNRECOGNISED) ? RC_RES_RESULT_UNRECOGNISED : 0));
    r->flags = (guint8)((r->flags & ~RC_RES_NAME_MASKED) | (s->name_masked ? RC_RES_NAME_MASKED : 0));
    r->result_raw = s->result_len ? rc_roster_intern(m->roster, s->result) : 0;
}

static void apply(RcMerge *m, guint idx, const Sample *s)
{
    guint n;
    if (seen_before(m, idx, &rc_roster_residents(m->roster, &n)[idx - 1], s))
        m->results.duplicate++;
    apply_state(m, idx, s);
}

static RcTime parse_time(gint32 utc_offset, const char *s, guint len, const char **reason)
{
    RcTime t;
    if (len == 0) {
        *reason = "empty";
        return RC_TIME_NONE;
    }
    return rc_norm_time_at(s, len, utc_offset, &t, NULL, reason) ? t : RC_TIME_NONE;
}

/* ---- the prepared result row ----
 * What the parser thread makes of a result row (DESIGN.md section 2), so
 * that this thread only probes the indexes and applies. Written by
 * result_prep_write() and read back by result_prep_read(), nothing else:
 * a head of fixed size, then the four strings, each NUL-terminated. */

typedef struct {
    const char *id;    /* rc_norm_id */
    const char *key;   /* rc_norm_name */
    const char *phone; /* rc_norm_phone */
    const char *sci;   /* a mangled id: rc_norm_id_sci_mask()'s mask, else "" */
    gsize idlen, keylen, phonelen, scilen;
    guint idflags;              /* RC_ID_* */
    RcTime sampled_at;          /* RC_TIME_NONE when none or unreadable */
    RcTime reported_at;         /* the same */
    const char *sampled_why;    /* static: why sampled_at is RC_TIME_NONE */
    gboolean sampled_time_only; /* sampled_at is RC_TIME_NONE and its text a time of day alone */
    RcState state;              /* rc_vocab_result() of the result */
    guint result_flags;         /* RC_RESULT_* */
    guint64 id_key;             /* rc_id_pack() of the id (0: none or not mainland),
                                 * made by result_prep_write() */
    gboolean looked;            /* results_ahead() found the id's resident: */
    guint found;                /* index + 1, or 0 for none */
} ResultPrep;

typedef struct {
    guint64 id_key;
    guint32 found; /* written by results_ahead() when looked is 1 */
    guint8 looked;
    gint64 sampled_at, reported_at;
    const char *sampled_why; /* a static string: valid in every thread */
    guint32 idflags, result_flags;
    guint16 len[4];
    gint8 state;
    guint8 time_only;
} ResultPrepHead;

#define RESULT_PREP_MAX (sizeof(ResultPrepHead) + 4 * RC_NORM_CAP)

static gsize result_prep_write(const ResultPrep *p, char *out)
{
    const char *s[4] = {p->id, p->key, p->phone, p->sci};
    const gsize l[4] = {p->idlen, p->keylen, p->phonelen, p->scilen};
    ResultPrepHead h = {
        .sampled_at = p->sampled_at,
        .reported_at = p->reported_at,
        .sampled_why = p->sampled_why,
        .idflags = p->idflags,
        .result_flags = p->result_flags,
        .state = (gint8)p->state,
        .time_only = p->sampled_time_only ? 1 : 0,
    };
    char *o = rc_prep_put(out + sizeof h, s, l, h.len, 4, RC_NORM_CAP - 1);
    /* the id's copy is NUL-terminated; a masked one packs to 0 */
    h.id_key = h.len[0] ? rc_id_pack(out + sizeof h) : 0;
    memcpy(out, &h, sizeof h);
    return (gsize)(o - out);
}

/* Reads what result_prep_write() wrote into (BUF, LEN) back into *P, whose
 * strings then point into BUF. */
static void result_prep_read(const char *buf, gsize len, ResultPrep *p)
{
    ResultPrepHead h;
    g_assert(len >= sizeof h);
    memcpy(&h, buf, sizeof h);
    const char **s[4] = {&p->id, &p->key, &p->phone, &p->sci};
    gsize *l[4] = {&p->idlen, &p->keylen, &p->phonelen, &p->scilen};
    const char *o = rc_prep_get(buf + sizeof h, s, l, h.len, 4);
    g_assert((gsize)(o - buf) <= len);
    p->sampled_at = h.sampled_at;
    p->reported_at = h.reported_at;
    p->sampled_why = h.sampled_why;
    p->sampled_time_only = h.time_only != 0;
    p->idflags = h.idflags;
    p->result_flags = h.result_flags;
    p->state = (RcState)h.state;
    p->id_key = h.id_key;
    p->looked = h.looked != 0;
    p->found = h.found;
}

/* rc_table's ahead() for result rows: the id's slot is loaded at stage 0
 * and probed at stage 1, where the resident found is written into the
 * prepared row (the roster is complete: no probe's answer changes while
 * results are read), so that results_row() probes no more; then the
 * resident and its name key are loaded, while earlier rows are applied. */
static void results_ahead(char *prep, gsize prep_len, guint stage, gpointer user)
{
    RcMerge *m = user;
    ResultPrepHead h;
    g_assert(prep_len >= sizeof h);
    memcpy(&h, prep, sizeof h);
    if (!h.id_key)
        return;
    if (stage == 0) {
        rc_roster_ahead_id(m->roster, h.id_key);
        return;
    }
    if (stage == 1) {
        h.found = rc_roster_find_id(m->roster, h.id_key, NULL);
        h.looked = 1;
        memcpy(prep, &h, sizeof h);
    }
    rc_roster_ahead_resident(m->roster, h.found, stage - 1);
}

/* rc_table's ahead() for roster rows. */
static void roster_ahead(char *prep, gsize prep_len, guint stage, gpointer user)
{
    rc_roster_prep_ahead(((RcMerge *)user)->roster, prep, prep_len, stage);
}

/* rc_table's prepare() for result rows, in the parser thread: every
 * normalisation of the row (id, name, phone, times, result word). */
static gsize results_prepare(const RcHeader *h, const RcRecord *r, gpointer user, char *out)
{
    G_STATIC_ASSERT(RESULT_PREP_MAX <= RC_TABLE_PREP_CAP);
    MergePrep *mp = user;
    char id[RC_NORM_CAP], key[RC_NORM_CAP], phone[RC_NORM_CAP], sci[RC_NORM_CAP];
    ResultPrep p = {.id = id, .key = key, .phone = phone, .sci = sci};
    guint len;
    const char *s = field(h, r, RC_ROLE_ID, &len);
    p.idlen = rc_norm_id(s, len, id, sizeof id, &p.idflags);
    /* DESIGN.md section 2: an 18-digit id stored as a number keeps its
     * known digits, as a masked id */
    if (p.idflags & RC_ID_MANGLED)
        p.scilen = rc_norm_id_sci_mask(s, len, sci, sizeof sci);
    s = field(h, r, RC_ROLE_NAME, &len);
    p.keylen = rc_norm_name(s, len, key, sizeof key);
    s = field(h, r, RC_ROLE_PHONE, &len);
    p.phonelen = rc_norm_phone(s, len, phone, sizeof phone);
    s = rc_record_sampled_at(h, r, mp->when, &len);
    trim(&s, &len);
    p.sampled_at = parse_time(mp->utc_offset, s, len, &p.sampled_why);
    p.sampled_time_only = p.sampled_at == RC_TIME_NONE && rc_table_time_only(s, len);
    const char *why_r = NULL;
    s = field(h, r, RC_ROLE_REPORTED_AT, &len);
    p.reported_at = parse_time(mp->utc_offset, s, len, &why_r);
    s = field(h, r, RC_ROLE_RESULT, &len);
    p.state = rc_vocab_result(mp->vocab, s, len, &p.result_flags);
    return result_prep_write(&p, out);
}

/* Found by id (resident IDX) under the name KEY: the name's number, for
 * name-differs; and DESIGN.md section 3.2, a name that is exactly one other
 * resident of the holder's household makes the sample that resident's
 * (registered under a relative's id, 代登记). Returns the resident. */
static guint by_household(RcMerge *m, guint idx, const char *key, Sample *s)
{
    guint n;
    const RcResident *holder = &rc_roster_residents(m->roster, &n)[idx - 1];
    const char *hkey = rc_roster_name_key(m->roster, holder->name_id);
    if (!holder->name_id || strcmp(key, hkey) == 0 || (s->name_masked && name_agrees(key, hkey))) {
        s->name_id = holder->name_id ? holder->name_id : NAME_OTHER;
        return idx;
    }
    guint32 nid = rc_roster_name_id(m->roster, key, FALSE);
    s->name_id = nid ? nid : NAME_OTHER;
    guint other = rc_roster_find_household_name(m->roster, holder->household, nid);
    if (!other || other == RC_ROSTER_SEVERAL)
        return idx;
    s->match = RC_MATCH_NAME_HOUSEHOLD;
    return other;
}

static gboolean results_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    RcMerge *m = user;
    if (m->spool_error)
        return spool_failed(m, error);
    guint len;
    const char *s;
    Sample smp = {0};
    ResultPrep p;
    result_prep_read(r->prep, r->prep_len, &p);
    guint idflags = p.idflags;

    m->results.rows++;
    m->row_state = RC_STATE_UNKNOWN;
    smp.seq = ++m->seq;
    if (m->opts.progress && (m->results.rows % PROGRESS_EVERY) == 0)
        m->opts.progress(m->results.rows, m->opts.progress_user);

    const char *id = p.id;
    gsize idlen = p.idlen;
    gboolean id_usable = idlen > 0 && !(idflags & RC_ID_MASKED);
    gsize keylen = p.keylen;
    smp.name_masked = keylen && strchr(p.key, '*') != NULL;

    /* 1. neither id nor name usable */
    if (!id_usable && keylen == 0) {
        m->results.problem++;
        return spool_row(m, m->problems, h, r,
                         rc_reason_static((idflags & RC_ID_MANGLED)  ? RC_REASON_NO_NAME_ID_MANGLED
                                          : (idflags & RC_ID_MASKED) ? RC_REASON_NO_NAME_ID_MASKED
                                                                     : RC_REASON_NO_ID_NO_NAME),
                         error);
    }

    /* 2. the window: sampled_at, else reported_at */
    smp.sampled_at = p.sampled_at;
    gboolean window = m->opts.since != RC_TIME_NONE || m->opts.until != RC_TIME_NONE;
    if (window && p.sampled_time_only) {
        /* DESIGN.md section 1: a time of day alone is never completed by
         * another column's date (a sample of the 9th reported on the 10th) */
        const char *sraw = rc_record_sampled_at(h, r, m->when, &len);
        trim(&sraw, &len);
        g_autofree char *shown = g_strndup(sraw, len);
        g_autofree char *why = rc_reason(RC_REASON_TIME_NO_DATE, shown, NULL);
        m->results.problem++;
        return spool_row(m, m->problems, h, r, why, error);
    }
    smp.reported_at = p.reported_at;
    RcTime t = smp.sampled_at != RC_TIME_NONE ? smp.sampled_at : smp.reported_at;
    if (window && t == RC_TIME_NONE) {
        /* Reasons go to standard error: a quoted cell never shows a whole
         * id or phone, wherever it stood (README: Security). */
        const char *sraw = rc_record_sampled_at(h, r, m->when, &len);
        trim(&sraw, &len);
        g_autoptr(GString) shown = g_string_new(NULL);
        rc_norm_mask_time(sraw, len, shown);
        g_autofree char *why = len ? rc_reason(RC_REASON_BAD_TIME, shown->str, p.sampled_why)
                                   : rc_reason(RC_REASON_NO_TIME, NULL, NULL);
        m->results.problem++;
        return spool_row(m, m->problems, h, r, why, error);
    }
    if (window && ((m->opts.since != RC_TIME_NONE && t < m->opts.since) ||
                   (m->opts.until != RC_TIME_NONE && t >= m->opts.until))) {
        m->results.out_of_window++;
        return TRUE;
    }
    /* DESIGN.md section 6: the day of a history this sample belongs to */
    int day = m->history ? rc_days_index(m->opts.days, t) : -1;
    if (day >= 0)
        m->day_rows[day]++;

    /* 3. the result word */
    s = field(h, r, RC_ROLE_RESULT, &len);
    smp.state = p.state;
    smp.result_flags = p.result_flags;
    m->row_state = smp.state;
    if (smp.state == RC_STATE_UNKNOWN) {
        g_autoptr(GString) shown = g_string_new(NULL);
        g_autofree char *why =
            rc_reason((smp.result_flags & RC_RESULT_SIGN_DISAGREES) ? RC_REASON_SIGN_DISAGREES
                                                                    : RC_REASON_UNKNOWN_RESULT,
                      rc_norm_mask_numbers(s, len, shown), NULL);
        m->results.problem++;
        return spool_row(m, m->problems, h, r, why, error);
    }
    smp.result = s;
    smp.result_len = len;

    /* 4. by id, else 5. rescue by name */
    guint idx = !id_usable ? 0 : p.looked ? p.found : rc_roster_find_id(m->roster, p.id_key, id);
    if (id_usable) {
        cur_input(m)->ids++;
        cur_input(m)->ids_found += idx != 0;
    }
    if (idx) {
        smp.match = RC_MATCH_ID;
        if (keylen)
            idx = by_household(m, idx, p.key, &smp);
    } else if (keylen) {
        const char *why = NULL;
        if ((idflags & RC_ID_MANGLED) && p.scilen) {
            /* DESIGN.md section 2: an 18-digit id stored as a number keeps
             * its known digits, as a masked id */
            id = p.sci;
            idlen = 18;
            idflags |= RC_ID_MASKED;
        }
        idx = rescue(m, p.key, smp.name_masked, p.phone, idlen ? id : "", idflags, &smp.match, &why);
        if (!idx) {
            m->results.unmatched++;
            return spool_row(m, m->unmatched, h, r, why, error);
        }
    } else {
        m->results.unmatched++;
        return spool_row(m, m->unmatched, h, r, rc_reason_static(RC_REASON_NO_ID_NO_RESCUE), error);
    }

    /* the result must be kept only if it decides: intern lazily */
    char resbuf[RC_NORM_CAP];
    gsize rl = rc_utf8_cut(smp.result, smp.result_len, sizeof resbuf - 1);
    memcpy(resbuf, smp.result, rl);
    resbuf[rl] = '\0';
    smp.result = resbuf;
    m->results.applied++;
    m->matches[smp.match]++;
    tube_row(m, h, r, idx, NULL);
    if (day >= 0) {
        /* a history (DESIGN.md section 6): the day's cell knows a duplicate
         * (section 3.3); a resident's own state is the last day's */
        RcSampleKey key = {smp.state, smp.sampled_at, smp.reported_at};
        if (!rc_history_apply(m->history, idx - 1, day, &key))
            m->results.duplicate++;
        if ((guint)day + 1 == m->opts.days->n_days)
            apply_state(m, idx, &smp);
        return TRUE;
    }
    apply(m, idx, &smp);
    return TRUE;
}

/* ---- files ---- */

/* A roster row is seldom shorter than this in a text file: an id (18
 * bytes), a phone (11), a name, a room and the commas. */
#define ROSTER_ROW_BYTES 64

/* Sizes the roster's id index for a roster file PATH from its size, so
 * that it does not grow (rehashing every entry at each doubling: about a
 * quarter of the roster's time at a million rows) while it is read. Only
 * for a regular file: a workbook's compressed bytes under-estimate its
 * rows, which is harmless (the index then grows as it would have); a file
 * of longer rows over-estimates them, which costs room: at most about half
 * a byte per byte of the file (12-byte slots at a load of 3/8 to 3/4 for
 * a row of 64 bytes). */
static void reserve_roster(RcMerge *m, const char *path, RcKind kind)
{
    GStatBuf st;
    if (kind != RC_KIND_ROSTER || strcmp(path, "-") == 0 || g_stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    rc_roster_reserve(m->roster, (gsize)st.st_size / ROSTER_ROW_BYTES);
}

static gboolean add_file(RcMerge *m, const char *path, RcKind kind, GError **error)
{
    RcInput in = {0};
    in.path = g_strdup(path);
    in.name = strcmp(path, "-") == 0 ? g_strdup("<stdin>") : g_path_get_basename(path);
    in.kind = kind;
    g_array_append_val(m->inputs, in);
    m->file = m->inputs->len - 1;
    m->kind = kind;
    m->prep.utc_offset = m->utc_offset;
    reserve_roster(m, path, kind);

    RcTableSink sink = {
        .header = kind == RC_KIND_ROSTER ? roster_header : NULL,
        .row = kind == RC_KIND_ROSTER ? roster_row : results_row,
        .problem = on_table_problem,
        .ignored = on_table_ignored,
        .column = on_table_column,
        .prepare = kind == RC_KIND_ROSTER ? roster_prepare : results_prepare,
        .ahead = kind == RC_KIND_ROSTER ? roster_ahead : results_ahead,
        .prep_user = &m->prep,
        .threads = m->opts.threads,
    };
    RcTableStats stats = {0};
    RcTableInfo info;
    gboolean ok =
        rc_table_read_path(path, m->opts.encoding, m->sheet, kind, m->cfg, &sink, m, &stats, &info, error);
    RcInput *cur = cur_input(m);
    cur->encoding = g_strdup(info.encoding ? info.encoding : "");
    cur->rows = stats.rows;
    for (guint i = 0; ok && info.skipped && info.sheets[i]; i++)
        if (info.skipped[i])
            rc_merge_warn(m, RC_WARN_SHEET_SKIPPED, NULL, info.sheets[i], info.skipped[i]);
    rc_table_info_clear(&info);
    /* A spool that could not be written is an output error, whatever the
     * reading made of it; the rows so far are written out for the readers. */
    if (ok && m->spool_error)
        ok = spool_failed(m, error);
    if (ok && !(rc_spool_flush(m->unmatched, error) && rc_spool_flush(m->problems, error) &&
                rc_spool_flush(m->tubes, error)))
        ok = FALSE;
    /* cppcheck-suppress memleak ; g_array_append_val() copied IN into m->inputs, which owns its strings */
    return ok;
}

void rc_merge_set_sheet(RcMerge *m, const char *sheet)
{
    g_free(m->sheet);
    m->sheet = g_strdup(sheet);
}

void rc_merge_set_utc_offset(RcMerge *m, gint32 seconds)
{
    m->utc_offset = seconds;
}

gboolean rc_merge_add_roster(RcMerge *m, const char *path, GError **error)
{
    g_return_val_if_fail(m->results.rows == 0 && !m->finished, FALSE);
    return add_file(m, path, RC_KIND_ROSTER, error);
}

gboolean rc_merge_add_results(RcMerge *m, const char *path, GError **error)
{
    g_return_val_if_fail(!m->finished, FALSE);
    rc_roster_complete(m->roster);
    return add_file(m, path, RC_KIND_RESULTS, error);
}

void rc_merge_warn(RcMerge *m, RcWarnCode code, const char *file, const char *a1, const char *a2)
{
    rc_warnings_add(m->warns, code, file ? file : cur_input(m)->name, a1, a2);
}

RcWarnings *rc_merge_warning_list(RcMerge *m)
{
    return m->warns;
}

/* DESIGN.md section 3.5: the warnings each file's counts call for. A file
 * of a handful of rows says little, so "mostly" needs ten rows. */
static void file_warnings(RcMerge *m)
{
    for (guint i = 0; i < m->inputs->len; i++) {
        const RcInput *in = &g_array_index(m->inputs, RcInput, i);
        if (in->ragged)
            rc_warnings_addn(m->warns, RC_WARN_RAGGED_ROWS, in->name, in->ragged, 0);
        if (in->kind == RC_KIND_ROSTER && in->ids >= 10 && in->ids_mangled * 2 > in->ids)
            rc_warnings_addn(m->warns, RC_WARN_IDS_MANGLED, in->name, in->ids_mangled, in->ids);
        if (in->kind == RC_KIND_RESULTS && in->ids > 0 && in->ids_found == 0 && m->roster_ids > 0)
            rc_warnings_addn(m->warns, RC_WARN_NO_ID_MATCHED, in->name, in->ids, 0);
        if (in->rows >= 10 && in->problems * 2 > in->rows)
            rc_warnings_addn(m->warns, RC_WARN_MOSTLY_PROBLEMS, in->name, in->problems, in->rows);
    }
}

/* DESIGN.md section 6: a day of the range no result row fell on is said,
 * never shown as a day of "missing" without a word. */
static void day_warnings(RcMerge *m)
{
    for (guint d = 0; m->history && d < m->opts.days->n_days; d++) {
        if (m->day_rows[d])
            continue;
        char date[32];
        rc_time_format(m->opts.days->first + (RcTime)d * 86400, FALSE, date);
        date[10] = '\0';
        rc_warnings_add(m->warns, RC_WARN_DAY_WITHOUT_DATA, "", date, NULL);
    }
}

const RcHistory *rc_merge_history(const RcMerge *m)
{
    return m->history;
}

/* DESIGN.md section 3.3 */
void rc_merge_finish(RcMerge *m)
{
    rc_roster_complete(m->roster); /* a run without results too */
    file_warnings(m);
    day_warnings(m);
    guint n;
    RcResident *res = rc_roster_residents(m->roster, &n);
    for (guint i = 0; i < n; i++) {
        RcResident *r = &res[i];
        if (r->match != RC_MATCH_NONE)
            r->state = r->sample_state;
        else
            r->state = (r->flags & RC_RES_EXEMPT) ? RC_STATE_EXEMPT : RC_STATE_MISSING;
    }
    /* Nothing looks residents up any more: the report and the outputs get
     * the memory the indexes held. */
    rc_roster_drop_indexes(m->roster);
    rc_u64set_destroy(&m->seen);
    if (m->history)
        rc_history_seal(m->history);
    rc_spool_rewind(m->unmatched);
    rc_spool_rewind(m->problems);
    rc_spool_rewind(m->tubes);
    m->finished = TRUE;
}

const char *rc_merge_text(const RcMerge *m, guint32 id)
{
    return rc_roster_text(m->roster, id);
}

guint32 rc_merge_n_texts(const RcMerge *m)
{
    return rc_roster_n_texts(m->roster);
}

const RcResident *rc_merge_residents(const RcMerge *m, guint *n)
{
    return rc_roster_residents(m->roster, n);
}

const RcInput *rc_merge_inputs(const RcMerge *m, guint *n)
{
    *n = m->inputs->len;
    return (const RcInput *)m->inputs->data;
}

const RcResultCounts *rc_merge_result_counts(const RcMerge *m)
{
    return &m->results;
}

const RcRosterCounts *rc_merge_roster_counts(const RcMerge *m)
{
    return &m->roster_counts;
}

guint64 rc_merge_match_count(const RcMerge *m, RcMatch match)
{
    return m->matches[match];
}

const char *const *rc_merge_extra_columns(const RcMerge *m, guint *n)
{
    return rc_roster_extra_columns(m->roster, n);
}

const guint *rc_merge_extra_map(const RcMerge *m, guint file)
{
    return rc_roster_extra_map(m->roster, file);
}

RcSpool *rc_merge_unmatched(RcMerge *m)
{
    return m->unmatched;
}

RcSpool *rc_merge_problems(RcMerge *m)
{
    return m->problems;
}

RcSpool *rc_merge_tubes(RcMerge *m)
{
    return m->tubes;
}

RcState rc_merge_tube_hot(const RcMerge *m, const char *code)
{
    gpointer v = g_hash_table_lookup(m->hot, code);
    return v ? (RcState)(GPOINTER_TO_INT(v) - 1) : RC_STATE_UNKNOWN;
}

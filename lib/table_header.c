/* table_header: the header rule, for every reader (DESIGN.md section 1).
 * Which row is the header: the first non-blank row, within the first
 * RC_TABLE_HEADER_SCAN, that holds the roles its kind needs; which role each
 * column plays: its cell's key (rc_table_header_key) looked up among the
 * config's aliases. Written once here; the CSV and workbook readers only
 * hand in their candidate rows. */
#include "table_internal.h"

#include <string.h>

struct TableRules {
    RcKind kind;
    GHashTable *aliases;              /* alias key -> role + 1 (0 is "absent" for lookups) */
    gboolean has_role[RC_ROLE_COUNT]; /* the kind has aliases for it */
};

/* How strongly a header cell claims a role: an alias (whole, without its
 * brackets, or one half of a bilingual header) over a key word over a
 * fallback alias, a word that names the role only when nothing else does. */
typedef enum { CLAIM_NONE, CLAIM_FALLBACK, CLAIM_KEYWORD, CLAIM_ALIAS } Strength;

typedef struct {
    int role; /* -1: none */
    Strength strength;
    const char *how; /* static */
} Claim;

/* Aliases that name a role only as a last resort: 备注 (notes) is the status
 * when no other column is, and when it is the only 备注. */
static const struct {
    RcRole role;
    const char *key;
} fallbacks[] = {
    {RC_ROLE_STATUS, "备注"},
};

/* DESIGN.md section 1, "Recognising columns": key words, because every
 * system words its headers a little differently. A rule holds when the key
 * holds one of ANY, and one of ALSO when given, and none of NOT. A header
 * whose key words point at two roles gets neither. */
#define KEYWORD_MAX_CHARS 16 /* longer cells are titles or notes, not headers */
static const struct {
    RcRole role;
    const char *any[8];
    const char *also[4];
    const char * not [10];
    const char *how;
} keywords[] = {
    {RC_ROLE_ID,
     {"身份证", "证件号", "身份号", "证件编号", "idcard"},
     {NULL},
     {"类型", "地址", "住址", "有效期", "签发", "照片"},
     "key word 身份证/证件号"},
    {RC_ROLE_NAME,
     {"姓名"},
     {NULL},
     {"联系人", "紧急", "家属", "监护", "户主", "员", "审核", "录入", "操作"},
     "key word 姓名"},
    {RC_ROLE_PHONE,
     {"手机", "电话", "联系方式", "phone", "mobile"},
     {NULL},
     {"紧急", "家属", "监护", "户主"},
     "key word 手机/电话/联系方式"},
    {RC_ROLE_BUILDING, {"楼", "栋", "幢"}, {NULL}, {"层"}, "key word 楼/栋/幢"},
    {RC_ROLE_UNIT, {"单元"}, {NULL}, {NULL}, "key word 单元"},
    {RC_ROLE_ROOM,
     {"房", "室", "门牌"},
     {NULL},
     {"类型", "性质", "面积", "房主", "产权", "科室"},
     "key word 房/室/门牌"},
    {RC_ROLE_HOUSEHOLD, {"户号", "户编号", "户编码"}, {NULL}, {NULL}, "key word 户号"},
    {RC_ROLE_STATUS, {"状态"}, {NULL}, {"检测", "核酸", "采样", "结果"}, "key word 状态"},
    {RC_ROLE_RESULT, {"结果"}, {NULL}, {"时间", "日期", "时刻", "机构", "单位", "人"}, "key word 结果"},
    {RC_ROLE_SAMPLED_AT,
     {"采样", "采集"},
     {"时间", "日期", "时刻"},
     {NULL},
     "key words 采样/采集 + 时间/日期"},
    {RC_ROLE_REPORTED_AT,
     {"检测", "报告", "结果", "出具"},
     {"时间", "日期", "时刻"},
     {"采样", "采集"},
     "key words 检测/报告 + 时间/日期"},
    {RC_ROLE_TUBE,
     {"管号", "试管", "管码", "样本编", "样本号", "条码"},
     {NULL},
     {"时间", "日期"},
     "key word 管号/试管/样本编码"},
    {RC_ROLE_SITE,
     {"采样点", "采样地点", "采样站", "采样单位", "采样机构"},
     {NULL},
     {"时间", "日期"},
     "key word 采样点"},
    {RC_ROLE_LAB,
     {"检测机构", "检测单位", "检测公司", "实验室", "检测医院"},
     {NULL},
     {"时间", "日期"},
     "key word 检测机构"},
};

static gboolean key_has_any(const char *key, const char *const *words, gsize n)
{
    for (gsize i = 0; i < n && words[i]; i++)
        if (strstr(key, words[i]))
            return TRUE;
    return FALSE;
}

char *rc_table_header_key(const char *cell)
{
    g_autofree char *nfkc = g_utf8_normalize(cell, -1, G_NORMALIZE_NFKC);
    if (!nfkc)
        return g_strdup("");
    g_autofree char *folded = g_utf8_casefold(nfkc, -1);
    GString *out = g_string_sized_new(strlen(folded));
    for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == '*' || c == ':' || c == 0xFEFF || c == 0x200B || c == 0x200C ||
            c == 0x200D || c == 0x3000 || c == 0x00A0)
            continue;
        g_string_append_unichar(out, c);
    }
    return g_string_free(out, FALSE);
}

/* KEY without what brackets enclose (NFKC has made full-width ones ASCII);
 * owned. */
static char *drop_brackets(const char *key)
{
    GString *out = g_string_sized_new(strlen(key));
    int depth = 0;
    for (const char *p = key; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '(' || c == '[' || c == '{' || c == '<' || c == 0x3010 || c == 0x3014 || c == 0x3008 ||
            c == 0x300A) {
            depth++;
            continue;
        }
        if (c == ')' || c == ']' || c == '}' || c == '>' || c == 0x3011 || c == 0x3015 || c == 0x3009 ||
            c == 0x300B) {
            if (depth > 0)
                depth--;
            continue;
        }
        if (depth == 0)
            g_string_append_unichar(out, c);
    }
    return g_string_free(out, FALSE);
}

static int alias_role(const TableRules *rules, const char *key)
{
    return GPOINTER_TO_INT(g_hash_table_lookup(rules->aliases, key)) - 1;
}

static gboolean is_fallback(const char *key, int role)
{
    for (gsize i = 0; i < G_N_ELEMENTS(fallbacks); i++)
        if ((int)fallbacks[i].role == role && strcmp(fallbacks[i].key, key) == 0)
            return TRUE;
    return FALSE;
}

/* The alias KEY names, whole or without its brackets. */
static Claim alias_claim(const TableRules *rules, const char *key)
{
    Claim c = {-1, CLAIM_NONE, NULL};
    int role = alias_role(rules, key);
    if (role >= 0) {
        c.role = role;
        c.strength = is_fallback(key, role) ? CLAIM_FALLBACK : CLAIM_ALIAS;
        c.how = c.strength == CLAIM_FALLBACK ? "fallback alias" : "alias";
        return c;
    }
    g_autofree char *bare = drop_brackets(key);
    if (*bare && strcmp(bare, key) != 0 && (role = alias_role(rules, bare)) >= 0) {
        c.role = role;
        c.strength = is_fallback(bare, role) ? CLAIM_FALLBACK : CLAIM_ALIAS;
        c.how = c.strength == CLAIM_FALLBACK ? "fallback alias, brackets dropped" : "alias, brackets dropped";
    }
    return c;
}

static gboolean is_cjk(gunichar c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

/* A bilingual header: CELL cut at '/', '|' and line breaks, and at spaces
 * between Chinese and other letters (姓名/Name, 姓名 Name, 姓名 over Name),
 * each part looked up as an alias; the role when every part that names
 * one names the same. */
static Claim bilingual_claim(const TableRules *rules, const char *cell)
{
    Claim c = {-1, CLAIM_NONE, NULL};
    g_autofree char *nfkc = g_utf8_normalize(cell, -1, G_NORMALIZE_NFKC);
    if (!nfkc)
        return c;
    g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
    GString *part = g_string_new(NULL);
    gunichar prev = 0;
    for (const char *p = nfkc; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        gboolean cut = ch == '/' || ch == '|' || ch == '\n' || ch == '\r' || ch == '\\';
        if (!cut && g_unichar_isspace(ch)) {
            /* a space cuts only between Chinese and other letters */
            const char *q = p;
            while (*q && g_unichar_isspace(g_utf8_get_char(q)))
                q = g_utf8_next_char(q);
            gunichar next = *q ? g_utf8_get_char(q) : 0;
            cut = prev && next && is_cjk(prev) != is_cjk(next);
        }
        if (cut) {
            g_ptr_array_add(parts, g_string_free(part, FALSE));
            part = g_string_new(NULL);
            prev = 0;
            continue;
        }
        g_string_append_unichar(part, ch);
        if (!g_unichar_isspace(ch))
            prev = ch;
    }
    g_ptr_array_add(parts, g_string_free(part, FALSE));
    if (parts->len < 2)
        return c;
    for (guint i = 0; i < parts->len; i++) {
        g_autofree char *key = rc_table_header_key(g_ptr_array_index(parts, i));
        if (!*key)
            continue;
        Claim h = alias_claim(rules, key);
        if (h.role < 0)
            continue;
        if (c.role >= 0 && c.role != h.role)
            return (Claim){-1, CLAIM_NONE, NULL}; /* the halves disagree */
        if (c.role < 0 || h.strength > c.strength)
            c = h;
    }
    if (c.role >= 0 && c.strength == CLAIM_ALIAS)
        c.how = "alias, one half of a bilingual header";
    return c;
}

static Claim keyword_claim(const TableRules *rules, const char *key)
{
    Claim c = {-1, CLAIM_NONE, NULL};
    g_autofree char *bare = drop_brackets(key);
    const char *k = *bare ? bare : key;
    if (g_utf8_strlen(k, -1) > KEYWORD_MAX_CHARS)
        return c;
    for (gsize i = 0; i < G_N_ELEMENTS(keywords); i++) {
        if (!rules->has_role[keywords[i].role] ||
            !key_has_any(k, keywords[i].any, G_N_ELEMENTS(keywords[i].any)))
            continue;
        if (keywords[i].also[0] && !key_has_any(k, keywords[i].also, G_N_ELEMENTS(keywords[i].also)))
            continue;
        if (key_has_any(k, keywords[i].not, G_N_ELEMENTS(keywords[i].not )))
            continue;
        if (c.role >= 0 && c.role != (int)keywords[i].role)
            return (Claim){-1, CLAIM_NONE, NULL}; /* two roles: neither */
        c.role = keywords[i].role;
        c.strength = CLAIM_KEYWORD;
        c.how = keywords[i].how;
    }
    return c;
}

/* What one header cell claims, by the first rule that decides. */
static Claim claim_cell(const TableRules *rules, const char *cell)
{
    g_autofree char *key = rc_table_header_key(cell);
    Claim c = {-1, CLAIM_NONE, NULL};
    if (!*key)
        return c;
    c = alias_claim(rules, key);
    if (c.role < 0)
        c = bilingual_claim(rules, cell);
    if (c.role < 0)
        c = keyword_claim(rules, key);
    return c;
}

gboolean rc_table_roles_enough(RcKind kind, const int col[RC_ROLE_COUNT])
{
    if (kind == RC_KIND_ROSTER)
        return col[RC_ROLE_NAME] >= 0;
    return col[RC_ROLE_RESULT] >= 0 && (col[RC_ROLE_ID] >= 0 || col[RC_ROLE_NAME] >= 0);
}

TableRules *table_rules_new(const RcConfig *cfg, RcKind kind)
{
    TableRules *rules = g_new0(TableRules, 1);
    rules->kind = kind;
    rules->aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int r = 0; r < RC_ROLE_COUNT; r++) {
        for (const char *const *a = rc_config_aliases(cfg, kind, (RcRole)r); *a; a++) {
            char *key = rc_table_header_key(*a);
            if (*key)
                rules->has_role[r] = TRUE;
            if (*key && !g_hash_table_contains(rules->aliases, key))
                g_hash_table_insert(rules->aliases, key, GINT_TO_POINTER(r + 1));
            else
                g_free(key);
        }
    }
    return rules;
}

void table_rules_free(TableRules *rules)
{
    if (!rules)
        return;
    g_hash_table_unref(rules->aliases);
    g_free(rules);
}

RcKind table_rules_kind(const TableRules *rules)
{
    return rules->kind;
}

/* What the rule made of one header row. */
typedef struct {
    int col[RC_ROLE_COUNT];
    int date_col;   /* see RcHeader */
    int clash_role; /* two columns claim it as strongly: an error */
    int clash[2];
    Claim *claims; /* per column, as claimed */
    RcRole *roles; /* per column, as decided */
} Assignment;

static void assignment_clear(Assignment *a)
{
    g_free(a->claims);
    g_free(a->roles);
}

/* Whether KEY names a date without a time, or a time without a date. */
static gboolean key_is_date_only(const char *key)
{
    return strstr(key, "日期") && !strstr(key, "时间") && !strstr(key, "时刻");
}

static gboolean key_is_time_only(const char *key)
{
    return (strstr(key, "时间") || strstr(key, "时刻")) && !strstr(key, "日期");
}

/* DESIGN.md section 1, Formats: a sampling date and a sampling time in two
 * columns (采样日期 + 采样时间) are one sampled_at. When exactly two columns
 * claim sampled_at (however strongly), one naming a date only and the
 * other a time only, the time column is sampled_at and the date column
 * a->date_col. */
static void pair_date_time(const Rec *r, Assignment *a, int *first, guint *count)
{
    int cols[2], n = 0;
    for (guint i = 0; i < r->n; i++)
        if (a->claims[i].role == RC_ROLE_SAMPLED_AT && a->claims[i].strength >= CLAIM_KEYWORD) {
            if (n == 2)
                return;
            cols[n++] = (int)i;
        }
    if (n != 2)
        return;
    g_autofree char *k0 = rc_table_header_key(rec_field(r, (guint)cols[0]));
    g_autofree char *k1 = rc_table_header_key(rec_field(r, (guint)cols[1]));
    int date = -1, time = -1;
    if (key_is_date_only(k0) && key_is_time_only(k1)) {
        date = cols[0];
        time = cols[1];
    } else if (key_is_time_only(k0) && key_is_date_only(k1)) {
        date = cols[1];
        time = cols[0];
    } else {
        return;
    }
    a->date_col = date;
    *first = time;
    *count = 1;
}

/* The header rule on record R: each cell's claim, then per role the
 * strongest claim; two as strong are a clash, except a sampling date and a
 * sampling time, which are one sampled_at. */
static void assign_roles(const TableRules *rules, const Rec *r, Assignment *a)
{
    guint n = r->n;
    a->claims = g_new0(Claim, MAX(n, 1));
    a->roles = g_new0(RcRole, MAX(n, 1));
    a->date_col = -1;
    a->clash_role = -1;
    for (int i = 0; i < RC_ROLE_COUNT; i++)
        a->col[i] = -1;
    for (guint i = 0; i < n; i++) {
        a->claims[i] = claim_cell(rules, rec_field(r, i));
        a->roles[i] = RC_ROLE_NONE;
    }
    for (int role = 0; role < RC_ROLE_COUNT; role++) {
        Strength best = CLAIM_NONE;
        guint count = 0;
        int first = -1, second = -1;
        for (guint i = 0; i < n; i++) {
            if (a->claims[i].role != role)
                continue;
            if (a->claims[i].strength > best) {
                best = a->claims[i].strength;
                count = 0;
                first = (int)i;
                second = -1;
            }
            if (a->claims[i].strength == best) {
                if (count == 1)
                    second = (int)i;
                count++;
            }
        }
        if (best == CLAIM_NONE || (best == CLAIM_FALLBACK && count > 1))
            continue;
        if (role == RC_ROLE_SAMPLED_AT)
            pair_date_time(r, a, &first, &count);
        if (count > 1 && a->clash_role < 0) {
            a->clash_role = role;
            a->clash[0] = first;
            a->clash[1] = second;
        }
        a->col[role] = first;
        a->roles[first] = (RcRole)role;
        if (a->date_col >= 0 && role == RC_ROLE_SAMPLED_AT)
            a->roles[a->date_col] = RC_ROLE_SAMPLED_AT;
    }
}

/* The kinds a header is tried as, in order: KIND, or for RC_KIND_COUNT
 * (auto) results first, the more specific, then roster. */
static void kinds_to_try(RcKind kind, RcKind kinds[2])
{
    kinds[0] = kinds[1] = kind;
    if (kind == RC_KIND_COUNT) {
        kinds[0] = RC_KIND_RESULTS;
        kinds[1] = RC_KIND_ROSTER;
    }
}

/* A header row's location in messages: FILE:LINE, or FILE:SHEET:LINE. */
static char *row_where(const char *file, const char *sheet, guint64 line)
{
    if (sheet)
        return g_strdup_printf("%s:%s:%" G_GUINT64_FORMAT, file, sheet, line);
    return g_strdup_printf("%s:%" G_GUINT64_FORMAT, file, line);
}

TableRules *table_header_find(const TableTrial *trials, guint n_trials, RcKind kind, const RcConfig *cfg,
                              const char *file, const char *sheet, guint *trial, guint *row, GError **error)
{
    RcKind kinds[2];
    kinds_to_try(kind, kinds);
    for (int k = 0; k < 2; k++) {
        if (k == 1 && kinds[1] == kinds[0])
            break;
        TableRules *rules = table_rules_new(cfg, kinds[k]);
        int best = -1;
        guint best_cols = 0;
        for (guint t = 0; t < n_trials; t++) {
            const GPtrArray *rows = trials[t].rows;
            for (guint i = 0; i < rows->len && (best < 0 || (int)i <= best); i++) {
                const Rec *r = g_ptr_array_index(rows, i);
                if (r->oversize)
                    continue;
                Assignment a;
                assign_roles(rules, r, &a);
                assignment_clear(&a);
                if (!rc_table_roles_enough(kinds[k], a.col))
                    continue;
                if (best < 0 || (int)i < best || r->n > best_cols) {
                    best = (int)i;
                    best_cols = r->n;
                    *trial = t;
                }
                break;
            }
        }
        if (best < 0) {
            table_rules_free(rules);
            continue;
        }
        /* Two columns claiming one role: an error naming both, never a
         * silent pick. */
        const Rec *r = g_ptr_array_index(trials[*trial].rows, (guint)best);
        Assignment a;
        assign_roles(rules, r, &a);
        if (a.clash_role >= 0) {
            g_autofree char *where = row_where(file, sheet, r->line);
            g_autofree char *n0 = g_strstrip(g_strdup(rec_field(r, (guint)a.clash[0])));
            g_autofree char *n1 = g_strstrip(g_strdup(rec_field(r, (guint)a.clash[1])));
            g_set_error(error, RC_TABLE_ERROR, RC_TABLE_ERROR_COLUMNS,
                        "%s: columns %d '%s' and %d '%s' both name the %s: rename or remove one of them",
                        where, a.clash[0] + 1, n0, a.clash[1] + 1, n1, rc_role_name((RcRole)a.clash_role));
            assignment_clear(&a);
            table_rules_free(rules);
            return NULL;
        }
        assignment_clear(&a);
        *row = (guint)best;
        return rules;
    }
    g_autofree char *where = sheet ? g_strdup_printf("%s: sheet '%s'", file, sheet) : g_strdup(file);
    g_set_error(error, RC_TABLE_ERROR, RC_TABLE_ERROR_NO_HEADER,
                "%s: no header in the first %d rows holds the needed columns (%s)", where,
                RC_TABLE_HEADER_SCAN,
                kinds[0] == RC_KIND_ROSTER ? "a name"
                : kinds[0] == kinds[1]     ? "a result, and an id or a name"
                                       : "a name for a roster, or a result and an id or a name for results");
    return NULL;
}

/* Extra names made unique: the second NAME is "NAME (2)", and so on, so
 * that no column's values are lost to another of the same name (issue 13
 * item 4). NOTES gets a line per numbered name. */
static void number_repeated_extras(RcHeader *h, GPtrArray *notes)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < h->n_columns; i++)
        if (h->roles[i] != RC_ROLE_NONE && h->roles[i] != RC_ROLE_HOUSEHOLD)
            g_hash_table_add(seen, h->names[i]);
    for (guint e = 0; e < h->n_extras; e++) {
        guint i = h->extras[e];
        if (!g_hash_table_contains(seen, h->names[i])) {
            g_hash_table_add(seen, h->names[i]);
            continue;
        }
        char *name = NULL;
        for (guint k = 2;; k++) {
            name = g_strdup_printf("%s (%u)", h->names[i], k);
            if (!g_hash_table_contains(seen, name))
                break;
            g_free(name);
        }
        g_ptr_array_add(notes, g_strdup_printf("column %u '%s' repeats an earlier header: kept as '%s'",
                                               i + 1, h->names[i], name));
        g_free(h->names[i]);
        h->names[i] = name;
        h->how[i] = "extra, repeated name numbered";
        g_hash_table_add(seen, name);
    }
}

RcHeader *table_header_build(const TableRules *rules, const Rec *r, char delim, const char *sheet)
{
    RcHeader *h = g_new0(RcHeader, 1);
    guint n = r->n;
    Assignment a;
    g_autoptr(GPtrArray) notes = g_ptr_array_new();
    assign_roles(rules, r, &a);
    h->kind = rules->kind;
    h->delimiter = delim;
    h->line = r->line;
    h->sheet = sheet;
    h->n_columns = n;
    h->names = g_new0(char *, n + 1);
    h->roles = g_new0(RcRole, MAX(n, 1));
    h->how = g_new0(const char *, MAX(n, 1));
    h->extras = g_new0(guint, MAX(n, 1));
    memcpy(h->col, a.col, sizeof h->col);
    h->date_col = a.date_col;
    for (guint i = 0; i < n; i++) {
        h->names[i] = g_strstrip(g_strdup(rec_field(r, i)));
        h->roles[i] = a.roles[i];
        h->how[i] = a.roles[i] != RC_ROLE_NONE ? a.claims[i].how : "";
        if (a.roles[i] == RC_ROLE_NONE || a.roles[i] == RC_ROLE_HOUSEHOLD)
            h->extras[h->n_extras++] = i;
    }
    if (h->date_col >= 0)
        h->how[h->date_col] = "sampling date, joined to the sampling time";
    gboolean fallback_noted = FALSE;
    for (guint i = 0; i < n; i++) {
        const Claim *c = &a.claims[i];
        if (h->roles[i] != RC_ROLE_NONE || c->role < 0)
            continue;
        if (c->strength == CLAIM_FALLBACK && a.col[c->role] < 0) {
            h->how[i] = "extra: several columns share this fallback name";
            if (!fallback_noted) /* one note for them all */
                g_ptr_array_add(notes, g_strdup_printf("columns named '%s' are extras, not the %s: there are "
                                                       "several",
                                                       h->names[i], rc_role_name((RcRole)c->role)));
            fallback_noted = TRUE;
        } else {
            h->how[i] = "extra: another column names this role more plainly";
            g_ptr_array_add(notes,
                            g_strdup_printf("column %u '%s' is an extra, not the %s: column %d '%s' is",
                                            i + 1, h->names[i], rc_role_name((RcRole)c->role),
                                            a.col[c->role] + 1, h->names[a.col[c->role]]));
        }
    }
    number_repeated_extras(h, notes);
    g_ptr_array_add(notes, NULL);
    h->notes = (char **)g_ptr_array_steal(notes, NULL);
    assignment_clear(&a);
    return h;
}

void table_header_free(RcHeader *h)
{
    if (!h)
        return;
    g_strfreev(h->names);
    g_free(h->roles);
    g_free(h->how);
    g_free(h->extras);
    g_strfreev(h->notes);
    g_free(h);
}

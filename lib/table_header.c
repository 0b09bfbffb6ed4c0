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
    GHashTable *aliases; /* alias key -> role + 1 (0 is "absent" for lookups) */
};

char *
rc_table_header_key(const char *cell)
{
    g_autofree char *nfkc = g_utf8_normalize(cell, -1, G_NORMALIZE_NFKC);
    if (!nfkc)
        return g_strdup("");
    g_autofree char *folded = g_utf8_casefold(nfkc, -1);
    GString *out = g_string_sized_new(strlen(folded));
    for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == '*' || c == ':' || c == 0xFEFF || c == 0x200B ||
            c == 0x200C || c == 0x200D || c == 0x3000 || c == 0x00A0)
            continue;
        g_string_append_unichar(out, c);
    }
    return g_string_free(out, FALSE);
}

gboolean
rc_table_roles_enough(RcKind kind, const int col[RC_ROLE_COUNT])
{
    if (kind == RC_KIND_ROSTER)
        return col[RC_ROLE_NAME] >= 0;
    return col[RC_ROLE_RESULT] >= 0 && (col[RC_ROLE_ID] >= 0 || col[RC_ROLE_NAME] >= 0);
}

TableRules *
table_rules_new(const RcConfig *cfg, RcKind kind)
{
    TableRules *rules = g_new0(TableRules, 1);
    rules->kind = kind;
    rules->aliases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int r = 0; r < RC_ROLE_COUNT; r++) {
        for (const char *const *a = rc_config_aliases(cfg, kind, (RcRole)r); *a; a++) {
            char *key = rc_table_header_key(*a);
            if (*key && !g_hash_table_contains(rules->aliases, key))
                g_hash_table_insert(rules->aliases, key, GINT_TO_POINTER(r + 1));
            else
                g_free(key);
        }
    }
    return rules;
}

void
table_rules_free(TableRules *rules)
{
    if (!rules)
        return;
    g_hash_table_unref(rules->aliases);
    g_free(rules);
}

RcKind
table_rules_kind(const TableRules *rules)
{
    return rules->kind;
}

/* The role of each of R's cells under RULES: ROLES[i] (when ROLES is not
 * NULL) and COL[role], the first column claiming each role. */
static void
assign_roles(const TableRules *rules, const Rec *r, RcRole *roles, int col[RC_ROLE_COUNT])
{
    for (int i = 0; i < RC_ROLE_COUNT; i++)
        col[i] = -1;
    for (guint i = 0; i < r->n; i++) {
        g_autofree char *key = rc_table_header_key(rec_field(r, i));
        int role = GPOINTER_TO_INT(g_hash_table_lookup(rules->aliases, key)) - 1;
        gboolean taken = role >= 0 && col[role] < 0;
        if (taken)
            col[role] = (int)i;
        if (roles)
            roles[i] = taken ? (RcRole)role : RC_ROLE_NONE;
    }
}

/* The kinds a header is tried as, in order: KIND, or for RC_KIND_COUNT
 * (auto) results first, the more specific, then roster. */
static void
kinds_to_try(RcKind kind, RcKind kinds[2])
{
    kinds[0] = kinds[1] = kind;
    if (kind == RC_KIND_COUNT) {
        kinds[0] = RC_KIND_RESULTS;
        kinds[1] = RC_KIND_ROSTER;
    }
}

TableRules *
table_header_find(const TableTrial *trials, guint n_trials, RcKind kind, const RcConfig *cfg, const char *where,
                  guint *trial, guint *row, GError **error)
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
                int col[RC_ROLE_COUNT];
                if (r->oversize)
                    continue;
                assign_roles(rules, r, NULL, col);
                if (!rc_table_roles_enough(kinds[k], col))
                    continue;
                if (best < 0 || (int)i < best || r->n > best_cols) {
                    best = (int)i;
                    best_cols = r->n;
                    *trial = t;
                }
                break;
            }
        }
        if (best >= 0) {
            *row = (guint)best;
            return rules;
        }
        table_rules_free(rules);
    }
    g_set_error(error, RC_TABLE_ERROR, RC_TABLE_ERROR_NO_HEADER,
                "%s: no header in the first %d rows holds the needed columns (%s)", where, RC_TABLE_HEADER_SCAN,
                kinds[0] == RC_KIND_ROSTER ? "a name"
                : kinds[0] == kinds[1]     ? "a result, and an id or a name"
                                           : "a name for a roster, or a result and an id or a name for results");
    return NULL;
}

RcHeader *
table_header_build(const TableRules *rules, const Rec *r, char delim, const char *sheet)
{
    RcHeader *h = g_new0(RcHeader, 1);
    guint n = r->n;
    h->kind = rules->kind;
    h->delimiter = delim;
    h->line = r->line;
    h->sheet = sheet;
    h->n_columns = n;
    h->names = g_new0(char *, n + 1);
    h->roles = g_new0(RcRole, MAX(n, 1));
    h->extras = g_new0(guint, MAX(n, 1));
    assign_roles(rules, r, h->roles, h->col);
    for (guint i = 0; i < n; i++) {
        h->names[i] = g_strstrip(g_strdup(rec_field(r, i)));
        if (h->roles[i] == RC_ROLE_NONE)
            h->extras[h->n_extras++] = i;
    }
    return h;
}

void
table_header_free(RcHeader *h)
{
    if (!h)
        return;
    g_strfreev(h->names);
    g_free(h->roles);
    g_free(h->extras);
    g_free(h);
}

/* norm_vocab: result words and exempt statuses (DESIGN.md section 2) as
 * PCRE2 patterns compiled once with the JIT. Each state's list becomes one
 * pattern ^(?:a|b|c)$ (caseless, UTF); an empty alternative, as pending has,
 * matches the empty result. */
#include "norm.h"

#include <string.h>

#include <pcre2.h>

/* DESIGN.md section 2: the order in which the states are tried. */
static const RcState try_order[RC_RESULT_STATES] = {
    RC_STATE_REVIEW, RC_STATE_POSITIVE, RC_STATE_NEGATIVE, RC_STATE_INVALID, RC_STATE_PENDING,
};

/* Results say few distinct things: the last answers are remembered, keyed by
 * the raw bytes, so that most rows skip normalising and matching. */
#define CACHE_SLOTS 64
#define CACHE_KEY   31

typedef struct {
    guint8 len; /* 0: empty slot (the empty result is never cached) */
    gint8 state;
    guint8 flags; /* RC_RESULT_* */
    char key[CACHE_KEY];
} CacheSlot;

struct RcVocab {
    pcre2_code *re[RC_RESULT_STATES]; /* NULL: a state with no pattern */
    gboolean jit[RC_RESULT_STATES];
    pcre2_code *exempt; /* NULL: nobody is exempt */
    gboolean exempt_jit;
    pcre2_code *not_exempt; /* NULL: no phrase negates */
    gboolean not_exempt_jit;
    pcre2_match_data *md;
    RcState empty; /* what the empty result says (pending by default) */
    CacheSlot cache[CACHE_SLOTS];
};

#define RE_OPTS (PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY)

/* A message quotes at most this many bytes of a pattern a person wrote (a
 * config's entry may be huge; the message stays a line). */
#define QUOTE_MAX 80

/* S quoted for a message: whole, or its first QUOTE_MAX bytes cut on a
 * character boundary and "...". Owned: g_free(). */
static char *quote_cut(const char *s)
{
    gsize n = strlen(s);
    if (n <= QUOTE_MAX)
        return g_strdup(s);
    const char *end = s + QUOTE_MAX;
    if (!g_utf8_validate(s, QUOTE_MAX, NULL)) {
        const char *valid;
        g_utf8_validate(s, QUOTE_MAX, &valid);
        end = valid;
    }
    return g_strdup_printf("%.*s... (%" G_GSIZE_FORMAT " bytes)", (int)(end - s), s, n);
}

/* Compiles PATTERN; on failure the error names WHAT and quotes SHOWN (cut
 * to QUOTE_MAX bytes), or only WHAT when SHOWN is NULL. */
static pcre2_code *compile(const char *pattern, const char *what, const char *shown, gboolean *jit,
                           GError **error)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, RE_OPTS, &code, &offset, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        if (shown) {
            g_autofree char *q = quote_cut(shown);
            g_set_error(error, RC_NORM_ERROR, RC_NORM_ERROR_REGEX, "%s: regex '%s' does not compile: %s",
                        what, q, (const char *)msg);
        } else {
            g_set_error(error, RC_NORM_ERROR, RC_NORM_ERROR_REGEX, "%s: %s", what, (const char *)msg);
        }
        return NULL;
    }
    if (jit)
        *jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
    return re;
}

/* Compiles the list ALTS as PREFIX(?:a|b|c)SUFFIX into *RE. Each
 * alternative is first compiled alone, so that an error names the pattern a
 * person wrote (and only it) and an unbalanced ')' cannot escape the group;
 * when they only fail together (too many, too large), the error says how
 * many, never quoting them all. An empty list leaves *RE NULL. */
static gboolean compile_list(const char *const *alts, const char *prefix, const char *suffix,
                             const char *what, pcre2_code **re, gboolean *jit, GError **error)
{
    if (!alts || !alts[0])
        return TRUE;
    g_autoptr(GString) all = g_string_new(prefix);
    g_string_append(all, "(?:");
    gsize i;
    for (i = 0; alts[i]; i++) {
        pcre2_code *one = compile(alts[i], what, alts[i], NULL, error);
        if (!one)
            return FALSE;
        pcre2_code_free(one);
        if (i > 0)
            g_string_append_c(all, '|');
        g_string_append(all, alts[i]);
    }
    g_string_append(all, ")");
    g_string_append(all, suffix);
    g_autoptr(GError) local = NULL;
    *re = compile(all->str, "", NULL, jit, &local);
    if (!*re)
        g_set_error(error, RC_NORM_ERROR, RC_NORM_ERROR_REGEX,
                    "%s: its %" G_GSIZE_FORMAT " entries do not compile together%s", what, i, local->message);
    return *re != NULL;
}

/* Compiles one state's list as ^(?:a|b|c)$. */
static gboolean compile_state(RcVocab *v, RcState st, const char *const *alts, GError **error)
{
    g_autofree char *what = g_strdup_printf("result vocabulary '%s'", rc_state_name(st));
    return compile_list(alts, "^", "$", what, &v->re[st], &v->jit[st], error);
}

/* DESIGN.md section 2, Status: a phrase right after a word that negates it
 * (未住院, 没有外出, 未返回, "not away") does not count. */
#define STATUS_NEGATED "(?<!不|未|没|没有|无|not )"

RcVocab *rc_vocab_new(const RcConfig *cfg, GError **error)
{
    RcVocab *v = g_new0(RcVocab, 1);
    for (int i = 0; i < RC_RESULT_STATES; i++)
        if (!compile_state(v, try_order[i], rc_config_vocabulary(cfg, try_order[i]), error))
            goto fail;
    if (!compile_list(rc_config_not_exempt(cfg), STATUS_NEGATED, "", "status phrases that end an exemption",
                      &v->not_exempt, &v->not_exempt_jit, error) ||
        !compile_list(rc_config_exempt(cfg), STATUS_NEGATED, "", "exempt status phrases", &v->exempt,
                      &v->exempt_jit, error))
        goto fail;
    v->md = pcre2_match_data_create(1, NULL);
    /* Asked with empty UNKNOWN, rc_vocab_result() matches for real; a
     * vocabulary whose answer is UNKNOWN keeps matching, and agrees. */
    v->empty = RC_STATE_UNKNOWN;
    v->empty = rc_vocab_result(v, "", 0, NULL);
    return v;

fail:
    /* the config file's list, when it came from one: the message names it */
    if (rc_config_path(cfg))
        g_prefix_error(error, "%s: ", rc_config_path(cfg));
    rc_vocab_free(v);
    return NULL;
}

void rc_vocab_free(RcVocab *v)
{
    if (!v)
        return;
    for (int i = 0; i < RC_RESULT_STATES; i++)
        pcre2_code_free(v->re[i]);
    pcre2_code_free(v->exempt);
    pcre2_code_free(v->not_exempt);
    pcre2_match_data_free(v->md);
    g_free(v);
}

/* Subjects are valid UTF-8: they come out of rc_norm_text(). */
static gboolean match(RcVocab *v, const pcre2_code *re, gboolean jit, const char *s, gsize n)
{
    int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR)s, n, 0, 0, v->md, NULL)
                 : pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, v->md, NULL);
    return rc >= 0;
}

/* rc_norm_text() into BUF (CAP bytes) or, when the text may not have fitted,
 * into a heap buffer stored in *HEAP. Returns the text. */
static const char *norm_whole(const char *s, gsize len, char *buf, gsize cap, gsize *n, char **heap)
{
    *heap = NULL;
    *n = rc_norm_text(s, len, buf, cap);
    /* A cut happens only when a space and a 4-byte character did not fit. */
    while (*n + 6 >= cap) {
        g_free(*heap);
        cap *= 4;
        *heap = g_malloc(cap);
        *n = rc_norm_text(s, len, *heap, cap);
        buf = *heap;
    }
    return buf;
}

/* Length and three bytes: enough to spread a vocabulary of a few words. */
static inline guint cache_hash(const char *s, gsize len)
{
    guint h = (guint)len * 0x9E3779B1u;
    h ^= (guchar)s[0] * 0x85EBCA77u;
    h ^= (guchar)s[len / 2] * 0xC2B2AE3Du;
    h ^= (guchar)s[len - 1] * 0x27D4EB2Fu;
    return (h ^ (h >> 15)) % CACHE_SLOTS;
}

static inline gboolean is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* DESIGN.md section 2: a result loses its inner spaces. One space between
 * two ASCII letters or digits stays, so that "not detected" keeps its words
 * apart ("阴 性" -> "阴性", "阳性 (+)" -> "阳性(+)"). In place; returns the
 * new length. rc_norm_text() has folded runs of spaces into one. */
static gsize squeeze_spaces(char *t, gsize n)
{
    if (!memchr(t, ' ', n))
        return n;
    gsize k = 0;
    for (gsize i = 0; i < n; i++) {
        if (t[i] == ' ' && !(k > 0 && i + 1 < n && is_alnum(t[k - 1]) && is_alnum(t[i + 1])))
            continue;
        t[k++] = t[i];
    }
    t[k] = '\0';
    return k;
}

/* The state the vocabulary gives the whole of (T, N), or UNKNOWN. */
static RcState lookup(RcVocab *v, const char *t, gsize n)
{
    for (int i = 0; i < RC_RESULT_STATES; i++) {
        RcState st = try_order[i];
        if (v->re[st] && match(v, v->re[st], v->jit[st], t, n))
            return st;
    }
    return RC_STATE_UNKNOWN;
}

/* A word with a trailing sign in brackets: "阴性(-)", "阳性(+)" (full-width
 * brackets are ASCII after NFKC), "检出(Detected)", "阴性[-]", "阴性【-】".
 * Returns TRUE when (T, N) has that shape and the part in brackets is a sign
 * (the vocabulary reads it as positive or negative), with the word's length
 * in *WORD_LEN and the sign's state in *SIGN. */
static gboolean split_sign(RcVocab *v, const char *t, gsize n, gsize *word_len, RcState *sign)
{
    static const struct {
        const char *open, *close;
    } pairs[] = {{"(", ")"}, {"[", "]"}, {"【", "】"}};
    for (gsize k = 0; k < G_N_ELEMENTS(pairs); k++) {
        gsize ol = strlen(pairs[k].open), cl = strlen(pairs[k].close);
        if (n < ol + cl + 2 || memcmp(t + n - cl, pairs[k].close, cl) != 0)
            continue;
        /* the last opening bracket: the sign holds none */
        for (gsize o = n - cl; o-- > 0;) {
            if (memcmp(t + o, pairs[k].open, ol) != 0)
                continue;
            if (o == 0 || o + ol == n - cl)
                return FALSE;
            RcState st = lookup(v, t + o + ol, n - cl - o - ol);
            if (st != RC_STATE_POSITIVE && st != RC_STATE_NEGATIVE)
                return FALSE;
            *word_len = o;
            *sign = st;
            return TRUE;
        }
        return FALSE;
    }
    return FALSE;
}

/* A word, alone or with a sign that agrees with it (a positive sign agrees
 * with review: every review word speaks of a possible positive). A sign
 * that disagrees sets RC_RESULT_SIGN_DISAGREES in *FLAGS. */
static RcState word(RcVocab *v, const char *t, gsize n, guint *flags)
{
    RcState st = lookup(v, t, n);
    gsize wl;
    RcState sign;
    if (st != RC_STATE_UNKNOWN || !split_sign(v, t, n, &wl, &sign))
        return st;
    st = lookup(v, t, wl);
    if (st == RC_STATE_UNKNOWN)
        return st;
    if (st == sign || (st == RC_STATE_REVIEW && sign == RC_STATE_POSITIVE))
        return st;
    *flags |= RC_RESULT_SIGN_DISAGREES;
    return RC_STATE_UNKNOWN;
}

/* UTF-8 length of the character starting with byte B. */
static inline gsize char_len(guchar b)
{
    return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

static inline gboolean is_sep(const char *t, gsize n, gsize i, gsize *len)
{
    if (t[i] == ',' || t[i] == ';' || t[i] == '|' || t[i] == ' ') {
        *len = 1;
        return TRUE;
    }
    if (n - i >= 3 && memcmp(t + i, "、", 3) == 0) {
        *len = 3;
        return TRUE;
    }
    return FALSE;
}

/* A gene's name at T[*I]: ORF... ("ORF1a/b", "ORF1ab") or one of N, N1,
 * N2, E, S, RdRp, IC, RP (not "SARS-CoV-2" nor "weakly" of "weakly
 * positive"), then optionally "基因" or "gene", then optionally ':' or '='. */
static gboolean gene_label(const char *t, gsize n, gsize *i)
{
    static const char *const names[] = {"n", "n1", "n2", "e", "s", "rdrp", "ic", "rp"};
    gsize p = *i;
    if (p >= n || !g_ascii_isalpha(t[p]))
        return FALSE;
    while (p < n && (is_alnum(t[p]) || t[p] == '/' || t[p] == '-'))
        p++;
    gsize len = p - *i;
    gboolean known = len >= 3 && g_ascii_strncasecmp(t + *i, "orf", 3) == 0;
    for (gsize k = 0; !known && k < G_N_ELEMENTS(names); k++)
        known = strlen(names[k]) == len && g_ascii_strncasecmp(t + *i, names[k], len) == 0;
    if (!known)
        return FALSE;
    if (p < n && t[p] == ' ')
        p++;
    if (n - p >= 6 && memcmp(t + p, "基因", 6) == 0)
        p += 6;
    else if (n - p >= 4 && g_ascii_strncasecmp(t + p, "gene", 4) == 0 && (n - p == 4 || !is_alnum(t[p + 4])))
        p += 4;
    if (p < n && t[p] == ' ')
        p++;
    if (p < n && (t[p] == ':' || t[p] == '='))
        p++;
    *i = p;
    return TRUE;
}

/* DESIGN.md section 2: a per-gene result, "ORF1a/b阴性，N基因阴性" (after
 * NFKC and squeeze_spaces "ORF1a/b阴性,N基因阴性"): gene, word (with its sign),
 * gene, word, ... Negative when every gene is, positive when any is; review
 * when none is positive and one is review. UNKNOWN for any other shape. */
#define GENES_MAX_LEN 240
static RcState genes(RcVocab *v, const char *t, gsize n)
{
    if (n > GENES_MAX_LEN)
        return RC_STATE_UNKNOWN;
    gsize i = 0;
    int count = 0;
    gboolean pos = FALSE, rev = FALSE;
    while (i < n) {
        if (!gene_label(t, n, &i) || i >= n)
            return RC_STATE_UNKNOWN;
        /* the longest word after the name that ends at a separator, at the
         * end, or where the next gene's name begins */
        gsize best = 0;
        RcState best_st = RC_STATE_UNKNOWN;
        for (gsize e = i + char_len((guchar)t[i]); e <= n; e += e < n ? char_len((guchar)t[e]) : 1) {
            gsize sl;
            if (e < n && !is_sep(t, n, e, &sl) && !(g_ascii_isalpha(t[e]) && !is_alnum(t[e - 1])))
                continue;
            guint f = 0;
            RcState st = word(v, t + i, e - i, &f);
            if (st == RC_STATE_POSITIVE || st == RC_STATE_NEGATIVE || st == RC_STATE_REVIEW) {
                best = e;
                best_st = st;
            }
        }
        if (!best)
            return RC_STATE_UNKNOWN;
        pos |= best_st == RC_STATE_POSITIVE;
        rev |= best_st == RC_STATE_REVIEW;
        count++;
        i = best;
        gsize sl;
        while (i < n && is_sep(t, n, i, &sl))
            i += sl;
    }
    if (count == 0)
        return RC_STATE_UNKNOWN;
    return pos ? RC_STATE_POSITIVE : rev ? RC_STATE_REVIEW : RC_STATE_NEGATIVE;
}

/* DESIGN.md section 2: a sign of positivity in a word the vocabulary does
 * not know: 阳, 检出 without 未 before it, "positive", "detected" without
 * "not" before it, and a bracketed "+". */
static gboolean positivity(const char *t, gsize n)
{
    if (memmem(t, n, "阳", 3))
        return TRUE;
    for (const char *p = t; (p = memmem(p, n - (gsize)(p - t), "检出", 6)); p += 6)
        if (p - t < 3 || memcmp(p - 3, "未", 3) != 0)
            return TRUE;
    if (memmem(t, n, "(+)", 3) || memmem(t, n, "[+]", 3) || memmem(t, n, "【+】", 7))
        return TRUE;
    for (gsize i = 0; i < n; i++) {
        if ((t[i] | 0x20) == 'p' && n - i >= 8 && g_ascii_strncasecmp(t + i, "positive", 8) == 0)
            return TRUE;
        if ((t[i] | 0x20) == 'd' && n - i >= 8 && g_ascii_strncasecmp(t + i, "detected", 8) == 0) {
            gsize b = i;
            if (b > 0 && t[b - 1] == ' ')
                b--;
            if (b < 3 || g_ascii_strncasecmp(t + b - 3, "not", 3) != 0)
                return TRUE;
        }
    }
    return FALSE;
}

static RcState classify(RcVocab *v, char *t, gsize n, guint *flags)
{
    n = squeeze_spaces(t, n);
    RcState st = word(v, t, n, flags);
    if (st != RC_STATE_UNKNOWN || (*flags & RC_RESULT_SIGN_DISAGREES))
        return st;
    st = genes(v, t, n);
    if (st != RC_STATE_UNKNOWN) {
        *flags |= RC_RESULT_GENES;
        return st;
    }
    if (positivity(t, n)) {
        *flags |= RC_RESULT_UNRECOGNISED;
        return RC_STATE_REVIEW;
    }
    return RC_STATE_UNKNOWN;
}

RcState rc_vocab_result(RcVocab *v, const char *s, gsize len, guint *flags)
{
    CacheSlot *slot = NULL;
    guint f = 0;
    if (flags)
        *flags = 0;
    if (len == 0 && v->empty != RC_STATE_UNKNOWN)
        return v->empty;
    if (len > 0 && len <= CACHE_KEY) {
        slot = &v->cache[cache_hash(s, len)];
        if (slot->len == len && memcmp(slot->key, s, len) == 0) {
            if (flags)
                *flags = slot->flags;
            return (RcState)slot->state;
        }
    }

    char buf[512];
    g_autofree char *heap = NULL;
    gsize n;
    /* norm_whole's copy is ours to squeeze */
    char *t = (char *)norm_whole(s, len, buf, sizeof buf, &n, &heap);
    RcState found = classify(v, t, n, &f);
    if (slot) {
        slot->len = (guint8)len;
        slot->state = (gint8)found;
        slot->flags = (guint8)f;
        memcpy(slot->key, s, len);
    }
    if (flags)
        *flags = f;
    return found;
}

/* DESIGN.md section 2, Status: the phrases that negate or end an absence
 * first, then the exempt phrases. An empty status never exempts. */
gboolean rc_vocab_exempt(RcVocab *v, const char *s, gsize len)
{
    if (!v->exempt)
        return FALSE;
    char buf[512];
    g_autofree char *heap = NULL;
    gsize n;
    const char *t = norm_whole(s, len, buf, sizeof buf, &n, &heap);
    if (n == 0)
        return FALSE;
    if (v->not_exempt && match(v, v->not_exempt, v->not_exempt_jit, t, n))
        return FALSE;
    return match(v, v->exempt, v->exempt_jit, t, n);
}

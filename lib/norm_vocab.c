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
#define CACHE_KEY 31

typedef struct {
    guint8 len; /* 0: empty slot (the empty result is never cached) */
    gint8 state;
    char key[CACHE_KEY];
} CacheSlot;

struct RcVocab {
    pcre2_code *re[RC_RESULT_STATES]; /* NULL: a state with no pattern */
    gboolean jit[RC_RESULT_STATES];
    pcre2_code *exempt; /* NULL: nobody is exempt */
    gboolean exempt_jit;
    pcre2_match_data *md;
    RcState empty; /* what the empty result says (pending by default) */
    CacheSlot cache[CACHE_SLOTS];
};

#define RE_OPTS (PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY)

static pcre2_code *
compile(const char *pattern, const char *what, const char *shown, gboolean *jit, GError **error)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, RE_OPTS, &code,
                                   &offset, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        g_set_error(error, RC_NORM_ERROR, RC_NORM_ERROR_REGEX,
                    "%s: regex '%s' does not compile: %s", what, shown, (const char *)msg);
        return NULL;
    }
    if (jit)
        *jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
    return re;
}

/* Compiles one state's list as ^(?:a|b|c)$. Each alternative is first
 * compiled alone, so that an error names the pattern a person wrote and an
 * unbalanced ')' cannot escape the group. */
static gboolean
compile_state(RcVocab *v, RcState st, const char *const *alts, GError **error)
{
    g_autofree char *what = g_strdup_printf("result vocabulary '%s'", rc_state_name(st));
    if (!alts || !alts[0])
        return TRUE;
    g_autoptr(GString) all = g_string_new("^(?:");
    for (gsize i = 0; alts[i]; i++) {
        pcre2_code *one = compile(alts[i], what, alts[i], NULL, error);
        if (!one)
            return FALSE;
        pcre2_code_free(one);
        if (i > 0)
            g_string_append_c(all, '|');
        g_string_append(all, alts[i]);
    }
    g_string_append(all, ")$");
    v->re[st] = compile(all->str, what, all->str, &v->jit[st], error);
    return v->re[st] != NULL;
}

RcVocab *
rc_vocab_new(const RcConfig *cfg, GError **error)
{
    RcVocab *v = g_new0(RcVocab, 1);
    for (int i = 0; i < RC_RESULT_STATES; i++)
        if (!compile_state(v, try_order[i], rc_config_vocabulary(cfg, try_order[i]), error))
            goto fail;
    const char *ex = rc_config_exempt(cfg);
    if (ex && *ex) {
        v->exempt = compile(ex, "exempt pattern", ex, &v->exempt_jit, error);
        if (!v->exempt)
            goto fail;
    }
    v->md = pcre2_match_data_create(1, NULL);
    /* Asked with empty UNKNOWN, rc_vocab_result() matches for real; a
     * vocabulary whose answer is UNKNOWN keeps matching, and agrees. */
    v->empty = RC_STATE_UNKNOWN;
    v->empty = rc_vocab_result(v, "", 0);
    return v;

fail:
    rc_vocab_free(v);
    return NULL;
}

void
rc_vocab_free(RcVocab *v)
{
    if (!v)
        return;
    for (int i = 0; i < RC_RESULT_STATES; i++)
        pcre2_code_free(v->re[i]);
    pcre2_code_free(v->exempt);
    pcre2_match_data_free(v->md);
    g_free(v);
}

/* Subjects are valid UTF-8: they come out of rc_norm_text(). */
static gboolean
match(RcVocab *v, const pcre2_code *re, gboolean jit, const char *s, gsize n)
{
    int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR)s, n, 0, 0, v->md, NULL)
                 : pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, v->md, NULL);
    return rc >= 0;
}

/* rc_norm_text() into BUF (CAP bytes) or, when the text may not have fitted,
 * into a heap buffer stored in *HEAP. Returns the text. */
static const char *
norm_whole(const char *s, gsize len, char *buf, gsize cap, gsize *n, char **heap)
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
static inline guint
cache_hash(const char *s, gsize len)
{
    guint h = (guint)len * 0x9E3779B1u;
    h ^= (guchar)s[0] * 0x85EBCA77u;
    h ^= (guchar)s[len / 2] * 0xC2B2AE3Du;
    h ^= (guchar)s[len - 1] * 0x27D4EB2Fu;
    return (h ^ (h >> 15)) % CACHE_SLOTS;
}

RcState
rc_vocab_result(RcVocab *v, const char *s, gsize len)
{
    CacheSlot *slot = NULL;
    if (len == 0 && v->empty != RC_STATE_UNKNOWN)
        return v->empty;
    if (len > 0 && len <= CACHE_KEY) {
        slot = &v->cache[cache_hash(s, len)];
        if (slot->len == len && memcmp(slot->key, s, len) == 0)
            return (RcState)slot->state;
    }

    char buf[512];
    g_autofree char *heap = NULL;
    gsize n;
    const char *t = norm_whole(s, len, buf, sizeof buf, &n, &heap);
    RcState found = RC_STATE_UNKNOWN;
    for (int i = 0; i < RC_RESULT_STATES; i++) {
        RcState st = try_order[i];
        if (v->re[st] && match(v, v->re[st], v->jit[st], t, n)) {
            found = st;
            break;
        }
    }
    if (slot) {
        slot->len = (guint8)len;
        slot->state = (gint8)found;
        memcpy(slot->key, s, len);
    }
    return found;
}

/* An empty status never exempts, whatever the pattern. */
gboolean
rc_vocab_exempt(RcVocab *v, const char *s, gsize len)
{
    if (!v->exempt)
        return FALSE;
    char buf[512];
    g_autofree char *heap = NULL;
    gsize n;
    const char *t = norm_whole(s, len, buf, sizeof buf, &n, &heap);
    return n > 0 && match(v, v->exempt, v->exempt_jit, t, n);
}

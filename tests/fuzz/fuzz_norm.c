/* libFuzzer: every normaliser on any bytes; outputs stay within their
 * buffers, NUL-terminated, and valid UTF-8 when the input was; masking
 * leaves no long run of digits. */
#include <string.h>

#include "fuzz_common.h"
#include "norm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static RcVocab *vocab;
    if (!vocab) {
        RcConfig *cfg = rc_config_new();
        vocab = rc_vocab_new(cfg, NULL);
        rc_config_free(cfg);
    }
    const char *s = (const char *)data;
    gboolean utf8 = g_utf8_validate(s, (gssize)len, NULL);
    char out[RC_NORM_CAP + 1];
    guint flags = 0;
    gsize n;
    out[RC_NORM_CAP] = 'Z';

    n = rc_norm_id(s, len, out, RC_NORM_CAP, &flags);
    if (n >= RC_NORM_CAP || out[n] != '\0' || out[RC_NORM_CAP] != 'Z')
        abort();
    if (n && !(flags & (RC_ID_MANGLED | RC_ID_TOO_LONG)))
        for (gsize i = 0; i < n; i++)
            if (!g_ascii_isalnum(out[i]) && out[i] != '*')
                abort();
    gsize (*fns[])(const char *, gsize, char *, gsize) = {rc_norm_name, rc_norm_phone, rc_norm_text};
    for (gsize k = 0; k < G_N_ELEMENTS(fns); k++) {
        n = fns[k](s, len, out, RC_NORM_CAP);
        if (n >= RC_NORM_CAP || out[n] != '\0' || out[RC_NORM_CAP] != 'Z')
            abort();
        if (utf8 && !g_utf8_validate(out, (gssize)n, NULL))
            abort();
    }
    RcTime t;
    const char *why;
    if (rc_norm_time(s, len, &t, &why)) {
        char buf[32];
        rc_time_format(t, TRUE, buf);
        RcTime back;
        if (!rc_norm_time(buf, strlen(buf), &back, &why) || back != t)
            abort(); /* what we print, we read back the same */
    }
    /* Masking leaves no run of RC_MASK_MIN_DIGITS digits behind. */
    g_autoptr(GString) masked = g_string_new(NULL);
    rc_norm_mask_numbers(s, len, masked);
    if (utf8) {
        if (!g_utf8_validate(masked->str, (gssize)masked->len, NULL))
            abort();
        int run = 0;
        for (const char *p = masked->str; *p; p = g_utf8_next_char(p)) {
            run = g_unichar_isdigit(g_utf8_get_char(p)) ? run + 1 : 0;
            if (run >= RC_MASK_MIN_DIGITS)
                abort();
        }
    }
    rc_vocab_result(vocab, s, len, NULL);
    rc_vocab_exempt(vocab, s, len);
    return 0;
}

/* libFuzzer: any bytes as a --config file (issue 13 item 12). Loading
 * either succeeds or fails with a message that quotes at most an entry,
 * cut (never the whole file); a loaded config's vocabulary and status
 * phrases compile or fail the same way, and what compiles answers for a
 * few result and status texts without crashing. */
#include <string.h>

#include "config.h"
#include "fuzz_common.h"
#include "norm.h"

/* The longest message allowed, beyond the file's own name. */
#define MESSAGE_MAX 1024

static void check_message(const GError *err, const char *path)
{
    if (!err || !err->message)
        abort();
    if (strlen(err->message) > strlen(path) + MESSAGE_MAX)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    FuzzFile f;
    fuzz_file_open(&f, data, len);
    RcConfig *cfg = rc_config_new();
    GError *err = NULL;
    if (!rc_config_load(cfg, f.path, &err)) {
        check_message(err, f.path);
        g_clear_error(&err);
    } else {
        /* every alias is a string of the file's (ASan checks the reads) */
        gsize total = 0;
        for (int k = 0; k < RC_KIND_COUNT; k++)
            for (int r = 0; r < RC_ROLE_COUNT; r++)
                for (const char *const *a = rc_config_aliases(cfg, (RcKind)k, (RcRole)r); *a; a++)
                    total += strlen(*a);
        if (total > len + 4096) /* the defaults and what the file added */
            abort();
        RcVocab *v = rc_vocab_new(cfg, &err);
        if (!v) {
            check_message(err, f.path);
            g_clear_error(&err);
        } else {
            static const char *const texts[] = {"阴性", "阳性", "negative", "(-)", "", "外出未返回", "已故"};
            for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
                guint flags = 0;
                RcState s = rc_vocab_result(v, texts[i], strlen(texts[i]), &flags);
                if (s != RC_STATE_UNKNOWN && (s < 0 || s >= RC_RESULT_STATES))
                    abort();
                (void)rc_vocab_exempt(v, texts[i], strlen(texts[i]));
            }
            rc_vocab_free(v);
        }
    }
    rc_config_free(cfg);
    fuzz_file_close(&f);
    return 0;
}

/* Unit tests for lib/config: defaults, additions, replacements and every
 * error path of the key file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

typedef struct {
    const char *name;
    const char *ini;     /* NULL: no file at that path */
    int error;           /* -1: loads; else an RcConfigError */
    const char *message; /* a part of the error message */
} Case;

static const Case cases[] = {
    {"empty file", "", -1, NULL},
    {"aliases added", "[roster]\nname = 户主;居民姓名\n[results]\nresult = 结论\n", -1, NULL},
    {"vocabulary replaced", "[vocabulary]\nnegative = ok;fine\n", -1, NULL},
    {"exempt replaced", "[exempt]\npattern = 出国\n", -1, NULL},
    {"unknown group", "[colours]\nred = 1\n", RC_CONFIG_ERROR_VALUE, "unknown group [colours]"},
    {"unknown role", "[roster]\nshoe_size = 鞋码\n", RC_CONFIG_ERROR_VALUE,
     "unknown column role 'shoe_size'"},
    {"unknown state", "[vocabulary]\nmaybe = 也许\n", RC_CONFIG_ERROR_VALUE, "unknown result state 'maybe'"},
    {"missing/exempt is no result state", "[vocabulary]\nmissing = x\n", RC_CONFIG_ERROR_VALUE,
     "unknown result state"},
    {"unknown exempt key", "[exempt]\nwords = x\n", RC_CONFIG_ERROR_VALUE, "unknown key 'words'"},
    {"not a key file", "this is not ini\n", RC_CONFIG_ERROR_READ, ""},
    {"missing file", NULL, RC_CONFIG_ERROR_READ, ""},
};

static gboolean has(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return TRUE;
    return FALSE;
}

static void test_cases(void **state)
{
    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const Case *c = &cases[i];
        print_message("case: %s\n", c->name);
        g_autoptr(RcConfig) cfg = rc_config_new();
        char *path = NULL;
        if (c->ini) {
            int fd = g_file_open_tmp("rc-config-XXXXXX.ini", &path, NULL);
            assert_true(fd >= 0);
            assert_int_equal(write(fd, c->ini, strlen(c->ini)), (ssize_t)strlen(c->ini));
            close(fd);
        } else {
            path = g_strdup("/nonexistent/rollcall.ini");
        }
        GError *err = NULL;
        gboolean ok = rc_config_load(cfg, path, &err);
        if (c->error < 0) {
            assert_true(ok);
        } else {
            assert_false(ok);
            assert_true(g_error_matches(err, RC_CONFIG_ERROR, c->error));
            assert_non_null(strstr(err->message, c->message));
            assert_true(g_str_has_prefix(err->message, path));
            g_clear_error(&err);
        }
        if (c->ini)
            unlink(path);
        g_free(path);
    }
}

static void test_defaults_and_changes(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    assert_true(has(rc_config_aliases(cfg, RC_KIND_ROSTER, RC_ROLE_ID), "公民身份号码"));
    assert_true(has(rc_config_aliases(cfg, RC_KIND_RESULTS, RC_ROLE_RESULT), "核酸结果"));
    assert_false(has(rc_config_aliases(cfg, RC_KIND_ROSTER, RC_ROLE_RESULT), "结果"));
    assert_true(has(rc_config_vocabulary(cfg, RC_STATE_PENDING), ""));
    assert_true(has(rc_config_vocabulary(cfg, RC_STATE_POSITIVE), "\\(\\+\\)"));
    assert_true(has(rc_config_exempt(cfg), "外出"));
    assert_true(has(rc_config_not_exempt(cfg), "居家"));

    char *path = NULL;
    int fd = g_file_open_tmp("rc-config-XXXXXX.ini", &path, NULL);
    const char *ini = "[roster]\nname = 户主\n[vocabulary]\nnegative = ok;fine\n[exempt]\npattern = 出国\n";
    assert_int_equal(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
    close(fd);
    assert_true(rc_config_load(cfg, path, NULL));
    unlink(path);
    g_free(path);
    assert_true(has(rc_config_aliases(cfg, RC_KIND_ROSTER, RC_ROLE_NAME), "户主"));
    assert_true(has(rc_config_aliases(cfg, RC_KIND_ROSTER, RC_ROLE_NAME), "姓名")); /* added, not replaced */
    assert_true(has(rc_config_vocabulary(cfg, RC_STATE_NEGATIVE), "fine"));
    assert_false(has(rc_config_vocabulary(cfg, RC_STATE_NEGATIVE), "阴性")); /* replaced */
    assert_string_equal(rc_config_exempt(cfg)[0], "出国");                   /* replaced */
    assert_null(rc_config_exempt(cfg)[1]);
    assert_true(has(rc_config_not_exempt(cfg), "居家")); /* kept */
}

/* What is not a regular file is refused before it is read (issue 13 item
 * 12): a FIFO with no writer would block open() for ever. */
static void test_not_regular(void **state)
{
    (void)state;
    g_autofree char *dir = g_dir_make_tmp("rc-config-XXXXXX", NULL);
    assert_non_null(dir);
    g_autofree char *fifo = g_build_filename(dir, "fifo.ini", NULL);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const struct {
        const char *path, *message;
    } odd[] = {{fifo, "not a FIFO"}, {dir, "not a directory"}, {"/dev/null", "not a character device"}};
    for (gsize i = 0; i < G_N_ELEMENTS(odd); i++) {
        g_autoptr(RcConfig) cfg = rc_config_new();
        GError *err = NULL;
        assert_false(rc_config_load(cfg, odd[i].path, &err));
        assert_true(g_error_matches(err, RC_CONFIG_ERROR, RC_CONFIG_ERROR_READ));
        assert_non_null(strstr(err->message, odd[i].message));
        assert_null(rc_config_path(cfg));
        g_clear_error(&err);
    }
    unlink(fifo);
    rmdir(dir);
}

/* A line of megabytes at fault is quoted cut, never whole (issue 13 item 12). */
static void test_long_quotes(void **state)
{
    (void)state;
    g_autofree char *x = g_strnfill(1 << 20, 'x');
    g_autofree char *key = g_strdup_printf("[roster]\n%s = 1\n", x);
    g_autofree char *line = g_strdup_printf("%s\n", x);
    g_autofree char *group = g_strdup_printf("[%s]\n", x);
    g_autofree char *state_ = g_strdup_printf("[vocabulary]\n%s = 1\n", x);
    const char *inis[] = {key, line, group, state_};
    for (gsize i = 0; i < G_N_ELEMENTS(inis); i++) {
        g_autofree char *path = NULL;
        int fd = g_file_open_tmp("rc-config-XXXXXX.ini", &path, NULL);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, inis[i], strlen(inis[i])), (ssize_t)strlen(inis[i]));
        close(fd);
        g_autoptr(RcConfig) cfg = rc_config_new();
        GError *err = NULL;
        assert_false(rc_config_load(cfg, path, &err));
        assert_true(strlen(err->message) < strlen(path) + 500);
        assert_non_null(strstr(err->message, "bytes)"));
        g_clear_error(&err);
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_defaults_and_changes),
        cmocka_unit_test(test_not_regular),
        cmocka_unit_test(test_long_quotes),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}

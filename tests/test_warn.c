/* test_warn: every warning code has a name and both texts, each text uses
 * the arguments its English one does, and rendering fills them in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "warn.h"

static void test_every_code_has_both_texts(void **state)
{
    (void)state;
    GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
    for (int c = 0; c < RC_WARN_COUNT; c++) {
        const char *name = rc_warn_code_name((RcWarnCode)c);
        if (!name[0])
            fail_msg("warning code %d has no name", c);
        if (!g_hash_table_add(names, (gpointer)name))
            fail_msg("two warning codes are named '%s'", name);
        RcWarning w = {(RcWarnCode)c, (char *)"f.csv", (char *)"\x01", (char *)"\x02"};
        g_autofree char *en = rc_warning_text(&w, FALSE);
        g_autofree char *zh = rc_warning_text(&w, TRUE);
        if (!en[0] || !zh[0] || strcmp(en, zh) == 0)
            fail_msg("warning '%s' lacks a text in one language", name);
        /* each argument the English text shows, the Chinese shows too */
        for (int a = 1; a <= 2; a++) {
            char mark[2] = {(char)a, 0};
            if ((strstr(en, mark) != NULL) != (strstr(zh, mark) != NULL))
                fail_msg("warning '%s': argument %d in one language only", name, a);
        }
        if (!g_utf8_validate(zh, -1, NULL) || strchr(en, '%') || strchr(zh, '%'))
            fail_msg("warning '%s': a placeholder is left", name);
    }
    assert_string_equal(rc_warn_code_name(RC_WARN_COUNT), "");
    g_hash_table_destroy(names);
}

static void test_list(void **state)
{
    (void)state;
    g_autoptr(RcWarnings) ws = rc_warnings_new();
    guint n;
    rc_warnings_get(ws, &n);
    assert_int_equal(n, 0);
    rc_warnings_add(ws, RC_WARN_SHEET_SKIPPED, "名单.xlsx", "封面", NULL);
    rc_warnings_addn(ws, RC_WARN_MOSTLY_PROBLEMS, NULL, 9, 12);
    const RcWarning *w = rc_warnings_get(ws, &n);
    assert_int_equal(n, 2);
    assert_string_equal(w[0].file, "名单.xlsx");
    assert_string_equal(w[0].a2, "");
    assert_string_equal(w[1].file, "");
    g_autofree char *en = rc_warning_text(&w[1], FALSE);
    assert_string_equal(en, "9 of its 12 rows are problems: see --problems");
    g_autofree char *zh = rc_warning_text(&w[0], TRUE);
    assert_non_null(strstr(zh, "封面"));
}

/* A column's look is said in the text's language (a case a line). */
static void test_column_unused_words(void **state)
{
    (void)state;
    static const struct {
        const char *look, *zh;
    } cases[] = {
        {"ids", "“备用”列未参与比对，但其内容像证件号；如确是该列，请在配置文件中指明"},
        {"phones", "“备用”列未参与比对，但其内容像电话号码；如确是该列，请在配置文件中指明"},
        {"result words", "“备用”列未参与比对，但其内容像检测结果用词；如确是该列，请在配置文件中指明"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        RcWarning w = {RC_WARN_COLUMN_UNUSED, (char *)"", (char *)"备用", (char *)cases[i].look};
        g_autofree char *zh = rc_warning_text(&w, TRUE);
        assert_string_equal(zh, cases[i].zh);
        g_autofree char *en = rc_warning_text(&w, FALSE);
        assert_non_null(strstr(en, cases[i].look));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_has_both_texts),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_column_unused_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

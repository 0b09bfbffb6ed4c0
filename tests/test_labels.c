/* Tests for lib/labels.c and lib/codes.c: the label table is complete in
 * both languages; every reason and flag code has its texts in both, and
 * renders with its arguments (a case a line). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "codes.h"
#include "labels.h"

/* ---- labels -------------------------------------------------------------- */

static void test_labels_complete(void **state)
{
    for (int l = 0; l < RC_LANG_COUNT; l++) {
        for (int id = 0; id < RC_LABEL_COUNT; id++) {
            const char *s = rc_label((RcLang)l, (RcLabel)id);
            assert_non_null(s);
            assert_true(*s);
        }
        for (int st = 0; st < RC_STATE_COUNT; st++) {
            assert_true(*rc_label_state((RcLang)l, (RcState)st));
            assert_true(*rc_label_state_meaning((RcLang)l, (RcState)st));
        }
        for (int c = 0; c < RC_COL_FIXED; c++)
            assert_true(*rc_label_column((RcLang)l, (RcColumn)c));
        assert_null(rc_label_column((RcLang)l, RC_COL_FIXED));
        for (int f = 0; f < RC_SPOOL_FIELDS; f++)
            assert_true(*rc_label_spool_column((RcLang)l, f));
        for (int k = 0; k < RC_KIND_COUNT; k++)
            assert_true(*rc_label_kind((RcLang)l, (RcKind)k));
        for (int m = RC_MATCH_ID; m < RC_MATCH_COUNT; m++)
            assert_true(*rc_label_match((RcLang)l, (RcMatch)m));
        assert_string_equal(rc_label_state((RcLang)l, RC_STATE_UNKNOWN), "");
        /* Sheet names, even as "NAME (99)": at most 31 characters, none of
         * the characters Excel refuses, distinct. */
        for (int a = RC_LABEL_SHEET_SUMMARY; a <= RC_LABEL_SHEET_PROBLEMS; a++) {
            const char *n = rc_label((RcLang)l, (RcLabel)a);
            assert_true(g_utf8_strlen(n, -1) + 5 <= 31);
            assert_null(strpbrk(n, "[]:*?/\\"));
            for (int b = a + 1; b <= RC_LABEL_SHEET_PROBLEMS; b++)
                assert_string_not_equal(n, rc_label((RcLang)l, (RcLabel)b));
        }
    }
    assert_string_equal(rc_label(RC_LANG_ZH, RC_LABEL_SHEET_ATTENTION), "待复核");
    assert_string_equal(rc_label(RC_LANG_EN, RC_LABEL_SHEET_UNMATCHED), "Unmatched");
    assert_string_equal(rc_label_state(RC_LANG_ZH, RC_STATE_POSITIVE), "阳性");
    assert_string_equal(rc_label_kind_name(RC_LANG_ZH, "roster"), "名单");
    assert_string_equal(rc_label_kind_name(RC_LANG_EN, "results"), "Results");
    assert_string_equal(rc_label_kind_name(RC_LANG_ZH, "other"), "other");
}

static void test_lang_from_name(void **state)
{
    RcLang l = RC_LANG_COUNT;
    assert_true(rc_lang_from_name("zh", &l));
    assert_int_equal(l, RC_LANG_ZH);
    assert_true(rc_lang_from_name("EN", &l));
    assert_int_equal(l, RC_LANG_EN);
    assert_false(rc_lang_from_name("fr", &l));
    assert_false(rc_lang_from_name(NULL, &l));
}

/* ---- reasons (codes.h) ---------------------------------------------------- */

/* Every code has a text in both languages, with as many "{}" in one as in
 * the other; an encoded reason says its code back. */
static void test_reason_texts(void **state)
{
    for (int c = RC_REASON_NONE + 1; c < RC_REASON_COUNT; c++) {
        const char *en = rc_reason_template((RcReason)c, FALSE), *zh = rc_reason_template((RcReason)c, TRUE);
        if (!en || !*en || !zh || !*zh)
            fail_msg("reason code %d has no text in %s", c, !en || !*en ? "English" : "Chinese");
        int he = 0, hz = 0;
        for (const char *p = en; (p = strstr(p, "{}")) != NULL; p += 2)
            he++;
        for (const char *p = zh; (p = strstr(p, "{}")) != NULL; p += 2)
            hz++;
        if (he != hz || he > 2)
            fail_msg("reason code %d: %d arguments in English, %d in Chinese", c, he, hz);
        assert_int_equal(rc_reason_code(rc_reason_static((RcReason)c)), c);
        g_autofree char *with = rc_reason((RcReason)c, "a", "b");
        assert_int_equal(rc_reason_code(with), c);
    }
    assert_int_equal(rc_reason_code("no resident with this name"), RC_REASON_NONE);
    assert_int_equal(rc_reason_code(""), RC_REASON_NONE);
    assert_int_equal(rc_reason_code("\x01"), RC_REASON_NONE);
    assert_int_equal(rc_reason_code("\x01~"), RC_REASON_NONE);
}

static const struct {
    gboolean zh;
    RcReason code;
    const char *a1, *a2, *out;
} reason_cases[] = {
    {TRUE, RC_REASON_NO_NAME, NULL, NULL, "名单上没有此姓名"},
    {FALSE, RC_REASON_NO_NAME, NULL, NULL, "no resident with this name"},
    {TRUE, RC_REASON_DUPLICATE_ID, "roster.csv:2", NULL, "证件号重复，首次出现在 roster.csv:2"},
    {FALSE, RC_REASON_DUPLICATE_ID, "roster.csv:2", NULL, "duplicate id, first at roster.csv:2"},
    {TRUE, RC_REASON_UNKNOWN_RESULT, "奇怪", NULL, "无法识别的检测结果“奇怪”"},
    {TRUE, RC_REASON_UNKNOWN_RESULT, "a'b", NULL, "无法识别的检测结果“a'b”"},
    {FALSE, RC_REASON_UNKNOWN_RESULT,
     "a\x1f"
     "b\x01",
     NULL, "unknown result 'a b '"},
    {TRUE, RC_REASON_BAD_TIME, "2022/13/45", "no such date",
     "没有可用的时间：采样时间“2022/13/45”：日期不存在"},
    {TRUE, RC_REASON_BAD_TIME, "x", "something new", "没有可用的时间：采样时间“x”：something new"},
    {FALSE, RC_REASON_BAD_TIME, "x", "no such date", "no usable time: sampled_at 'x': no such date"},
    {TRUE, RC_REASON_RAGGED_NEEDED, "3", "5", "本行 3 列，表头 5 列：缺少必需的列"},
    {TRUE, RC_REASON_RAGGED, "7", "5", "本行 7 列，表头 5 列"},
    {FALSE, RC_REASON_RAGGED, "7", "5", "7 fields where the header has 5"},
    {TRUE, RC_REASON_NUL_BYTE, NULL, NULL, "字段中有 NUL 字节（文件可能已损坏）"},
    {TRUE, RC_REASON_BAD_CSV, NULL, NULL, "无法解析的 CSV 记录"},
    {TRUE, RC_REASON_TIME_NO_DATE, NULL, NULL, "采样时间“”只有时刻没有日期：没有采样日期列可补全"},
};

static void test_reasons(void **state)
{
    g_autoptr(GString) out = g_string_new("left over");
    for (gsize i = 0; i < G_N_ELEMENTS(reason_cases); i++) {
        g_autofree char *enc = rc_reason(reason_cases[i].code, reason_cases[i].a1, reason_cases[i].a2);
        const char *got = rc_reason_render(reason_cases[i].zh, enc, out);
        if (strcmp(got, reason_cases[i].out) != 0)
            fail_msg("case %zu gave '%s', expected '%s'", i, got, reason_cases[i].out);
    }
    /* free text (a reason no code covers) renders as itself */
    assert_string_equal(rc_reason_render(TRUE, "a reason nobody wrote down yet", out),
                        "a reason nobody wrote down yet");
    assert_string_equal(rc_reason_render(TRUE, "", out), "");
}

/* ---- flags ----------------------------------------------------------------- */

static void test_flag_table(void **state)
{
    for (int f = 0; f < RC_FLAG_COUNT; f++) {
        const RcFlagInfo *fl = rc_flag((RcFlag)f);
        assert_non_null(fl);
        if (!*fl->name || !*fl->zh || !*fl->en || !fl->bit)
            fail_msg("flag %d lacks a name, a text or its bit", f);
        for (int g = 0; g < f; g++) {
            const RcFlagInfo *o = rc_flag((RcFlag)g);
            assert_string_not_equal(fl->name, o->name);
            assert_false(o->id_bit == fl->id_bit && o->bit == fl->bit);
        }
    }
}

static const struct {
    RcLang lang;
    const char *in, *out;
} flag_cases[] = {
    {RC_LANG_ZH, "", ""},
    {RC_LANG_ZH, "id-checksum", "证件号校验位不符"},
    {RC_LANG_ZH, "id-mangled:3.10112E+17;name-differs", "证件号被表格软件改坏:3.10112E+17；姓名与结果不一致"},
    {RC_LANG_EN, "id-15;ragged-row", "15-digit ID upgraded; ragged row"},
    {RC_LANG_EN, "place-inherited", "place taken from the row above (merged cells or a ditto mark)"},
    {RC_LANG_EN, "id-checksumx;new-flag", "id-checksumx; new-flag"},
};

static void test_flags(void **state)
{
    g_autoptr(GString) out = g_string_new("left over");
    for (gsize i = 0; i < G_N_ELEMENTS(flag_cases); i++) {
        const char *got = rc_label_flags(flag_cases[i].lang, flag_cases[i].in, out);
        if (strcmp(got, flag_cases[i].out) != 0)
            fail_msg("case %zu: '%s' gave '%s', expected '%s'", i, flag_cases[i].in, got, flag_cases[i].out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_complete), cmocka_unit_test(test_lang_from_name),
        cmocka_unit_test(test_reason_texts),    cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_flag_table),      cmocka_unit_test(test_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

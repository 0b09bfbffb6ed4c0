/* Tests for lib/out_xlsx.c: file names for --split-by
 * are Windows-safe and clash-free (table-driven), and workbooks written from
 * small merges are read back by tests/e2e/xlsx_check.py (openpyxl) against
 * the run's summary JSON: whole area, English and masked, a tiny row limit,
 * one building, no residents, too many buildings for a chart; an unwritable
 * path is an error. Every test works in one private directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "labels.h"
#include "merge.h"
#include "out.h"
#include "out_xlsx.h"

static char *base_dir;
static gboolean have_checker; /* python3 with openpyxl, and the script */
static const char *checker = "tests/e2e/xlsx_check.py";

/* ---- file names ---------------------------------------------------------- */

static const struct {
    const char *in, *out;
} safe_cases[] = {
    {"3号楼", "3号楼"},
    {"A/B\\C:D*E?F\"G<H>I|J", "A_B_C_D_E_F_G_H_I_J"},
    {"tab\there\nnew", "tab_here_new"},
    {"  lead and trail. . ", "lead and trail"},
    {"...", "_"},
    {"", "_"},
    {NULL, "_"},
    {"CON", "CON_"},
    {"con", "con_"},
    {"Nul.txt", "Nul_.txt"},
    {"con .x", "con_ .x"},
    {"COM1.tar.gz", "COM1_.tar.gz"},
    {"COM1", "COM1_"},
    {"lpt9", "lpt9_"},
    {"COM0", "COM0"},
    {"COM10", "COM10"},
    {"CONSOLE", "CONSOLE"},
    {"AUX .", "AUX_"},
    {"１号楼／２单元", "１号楼／２单元"}, /* full-width look-alikes are legal */
    {"bad\xff"
     "byte",
     "bad\xef\xbf\xbd"
     "byte"},
};

static void test_safe_name(void **state)
{
    for (gsize i = 0; i < G_N_ELEMENTS(safe_cases); i++) {
        g_autofree char *got = rc_out_xlsx_safe_name(safe_cases[i].in);
        if (strcmp(got, safe_cases[i].out) != 0)
            fail_msg("case %zu: '%s' gave '%s', expected '%s'", i,
                     safe_cases[i].in ? safe_cases[i].in : "(null)", got, safe_cases[i].out);
    }
    /* Long names are cut at a character boundary. */
    g_autoptr(GString) longname = g_string_new(NULL);
    for (int i = 0; i < 100; i++)
        g_string_append(longname, "楼");
    g_autofree char *cut = rc_out_xlsx_safe_name(longname->str);
    assert_true(strlen(cut) <= 100);
    assert_true(strlen(cut) >= 97);
    assert_true(g_utf8_validate(cut, -1, NULL));
}

static const struct {
    const char *in[6];
    const char *out[6];
} unique_cases[] = {
    {{"1号楼", "2号楼"}, {"1号楼", "2号楼"}},
    {{"A/B", "A:B", "A?B"}, {"A_B", "A_B (2)", "A_B (3)"}},
    {{"a", "A", "a (2)"}, {"a", "A (3)", "a (2)"}},
    {{"x.", "x", "X "}, {"x", "x (2)", "X (3)"}},
    {{"", "..", " "}, {"_", "_ (2)", "_ (3)"}},
    /* Windows compares names upper-cased: dotless ı is I there, and ſ is S;
     * macOS compares them decomposed. */
    {{"ı栋", "I栋", "i栋"}, {"ı栋", "I栋 (2)", "i栋 (3)"}},
    {{"ſ1", "s1"}, {"ſ1", "s1 (2)"}},
    {{"Straße", "STRASSE"}, {"Straße", "STRASSE (2)"}},
    {{"\xC3\xA9栋", "e\xCC\x81栋"}, {"\xC3\xA9栋", "e\xCC\x81栋 (2)"}},
    {{"Ａ栋", "A栋"}, {"Ａ栋", "A栋"}}, /* full-width stays apart, as on NTFS */
    {{NULL}, {NULL}},
};

static void test_unique_names(void **state)
{
    for (gsize i = 0; i < G_N_ELEMENTS(unique_cases); i++) {
        guint n = 0;
        while (unique_cases[i].in[n])
            n++;
        g_auto(GStrv) got = rc_out_xlsx_unique_names(unique_cases[i].in, n);
        assert_int_equal(g_strv_length(got), n);
        for (guint k = 0; k < n; k++)
            if (strcmp(got[k], unique_cases[i].out[k]) != 0)
                fail_msg("case %zu, name %u: '%s', expected '%s'", i, k, got[k], unique_cases[i].out[k]);
    }
}

/* ---- workbooks ----------------------------------------------------------- */

/* GB 11643: the 17 digits of PREFIX17 and their check character. */
static char *mainland_id(const char *prefix17)
{
    char c = rc_norm_id_check_char(prefix17);
    return g_strdup_printf("%.17s%c", prefix17, c);
}

typedef struct {
    char *dir;
    RcConfig *cfg;
    RcMerge *m;
    RcReport *r;
} Run;

static void run_free(Run *run)
{
    rc_report_free(run->r);
    rc_merge_free(run->m);
    rc_config_free(run->cfg);
    g_free(run->dir);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* A merge of ROSTER and RESULTS (CSV text) over 2022-04-10. */
static void run_merge(Run *run, const char *name, const char *roster, const char *results, gboolean mask)
{
    memset(run, 0, sizeof *run);
    run->dir = g_build_filename(base_dir, name, NULL);
    assert_int_equal(g_mkdir_with_parents(run->dir, 0700), 0);
    g_autofree char *rp = write_file(run->dir, "roster.csv", roster);
    g_autofree char *sp = write_file(run->dir, "results.csv", results);
    g_autoptr(GError) err = NULL;
    RcTime since, until;
    assert_true(rc_norm_time("2022-04-10", 10, &since, NULL));
    until = since + 86400;
    run->cfg = rc_config_new();
    RcMergeOptions mo = {since, until, NULL, NULL, NULL, NULL, 0, NULL};
    run->m = rc_merge_new(run->cfg, &mo, &err);
    assert_non_null(run->m);
    if (!rc_merge_add_roster(run->m, rp, &err) || !rc_merge_add_results(run->m, sp, &err))
        fail_msg("merge: %s", err->message);
    rc_merge_finish(run->m);
    RcReportOptions ro = {mask, 1649577600, since, until, 0, RC_TIME_NONE, 0};
    run->r = rc_report_new(run->m, &ro);
}

/* Writes the workbook NAME.xlsx and the summary JSON, then has the checker
 * read them back with ARGS. */
static void write_and_check(Run *run, const char *name, const RcXlsxOptions *o, const char *args)
{
    g_autofree char *xlsx = g_strdup_printf("%s/%s.xlsx", run->dir, name);
    g_autofree char *json = g_strdup_printf("%s/%s.json", run->dir, name);
    g_autoptr(GError) err = NULL;
    if (!rc_out_xlsx_write(run->r, xlsx, o, &err))
        fail_msg("write: %s", err->message);
    FILE *fp = fopen(json, "w");
    assert_non_null(fp);
    rc_out_summary_json(run->r, fp);
    assert_int_equal(fclose(fp), 0);
    g_autofree char *head = NULL;
    gsize len;
    assert_true(g_file_get_contents(xlsx, &head, &len, NULL));
    assert_true(len > 4 && memcmp(head, "PK\3\4", 4) == 0);
    if (!have_checker)
        return;
    g_autofree char *cmd = g_strdup_printf("/usr/bin/python3 %s '%s' '%s' %s", checker, xlsx, json, args);
    g_autofree char *out = NULL, *errs = NULL;
    int status;
    assert_true(g_spawn_command_line_sync(cmd, &out, &errs, &status, NULL));
    if (!g_spawn_check_wait_status(status, NULL))
        fail_msg("%s\n%s%s", cmd, out, errs);
}

/* A roster of N residents over B buildings, results for most of them, and
 * some rows no one can use. */
static void toy_inputs(guint n, guint b, GString *roster, GString *results)
{
    static const char *const words[] = {"阴性", "阴性", "阴性", "阳性", "混管阳性", "无效", "检测中", "阴性"};
    g_string_assign(roster, "楼号,单元,房号,姓名,身份证号,手机号,状态,备注\n");
    g_string_assign(results, "某检测机构导出\n证件号码,姓名,检测结果,采样时间,手机号\n");
    for (guint i = 0; i < n; i++) {
        char p17[18];
        g_snprintf(p17, sizeof p17, "310101%04u%02u%02u%03u", 1950 + i % 60, 1 + i % 12, 1 + i % 28,
                   i % 1000);
        g_autofree char *id = mainland_id(p17);
        g_autofree char *name = g_strdup_printf("居民%u", i);
        g_autofree char *phone = g_strdup_printf("139%08u", i);
        const char *status = i % 13 == 7 ? "外出" : "";
        /* a note with a control character, one that looks like a formula */
        const char *note = i == 3 ? "=1+1" : i == 4 ? "bell\ahere" : "";
        g_string_append_printf(roster, "%u号楼,%u,%u0%u,%s,%s,%s,%s,%s\n", 1 + i % b, 1 + i % 3, 1 + i % 6,
                               1 + i % 4, name, id, phone, status, note);
        if (i % 5 == 4 || i % 13 == 7)
            continue;
        g_string_append_printf(results, "%s,%s,%s,2022-04-10 %02u:%02u,%s\n", id, name, words[i % 8],
                               8 + i % 10, i % 60, phone);
    }
    g_string_append(results, "310101199001011234,路人甲,阴性,2022-04-10 09:00,13912345678\n");
    g_string_append(results, ",无名氏,阴性,2022-04-10 09:00,\n");
    g_string_append(results, "110101199003077777,某人,奇怪,2022-04-10 09:00,\n");
    g_string_append(results, "110101199003077777,某人,阴性,2022/13/45,\n");
}

static void test_write_whole(void **state)
{
    g_autoptr(GString) ro = g_string_new(NULL);
    g_autoptr(GString) re = g_string_new(NULL);
    toy_inputs(40, 4, ro, re);
    Run run;
    run_merge(&run, "whole", ro->str, re->str, FALSE);
    write_and_check(&run, "zh", NULL, "");
    RcXlsxOptions en = {RC_LANG_EN, NULL, 0, NULL};
    write_and_check(&run, "en", &en, "--lang en");
    run_free(&run);
}

static void test_write_masked_en(void **state)
{
    g_autoptr(GString) ro = g_string_new(NULL);
    g_autoptr(GString) re = g_string_new(NULL);
    toy_inputs(30, 3, ro, re);
    Run run;
    run_merge(&run, "masked", ro->str, re->str, TRUE);
    RcXlsxOptions o = {RC_LANG_EN, NULL, 0, NULL};
    write_and_check(&run, "masked", &o, "--lang en --masked");
    run_free(&run);
}

static void test_write_row_limit(void **state)
{
    g_autoptr(GString) ro = g_string_new(NULL);
    g_autoptr(GString) re = g_string_new(NULL);
    toy_inputs(25, 2, ro, re);
    Run run;
    run_merge(&run, "rows", ro->str, re->str, FALSE);
    RcXlsxOptions o = {RC_LANG_ZH, NULL, 4, NULL};
    write_and_check(&run, "four", &o, "--max-rows 4");
    RcXlsxOptions three = {RC_LANG_ZH, NULL, 3, NULL};
    write_and_check(&run, "three", &three, "--max-rows 3");
    RcXlsxOptions two = {RC_LANG_EN, NULL, 1, NULL}; /* raised to 2: a header and one row */
    write_and_check(&run, "two", &two, "--lang en --max-rows 2");
    run_free(&run);
}

static void test_write_building(void **state)
{
    g_autoptr(GString) ro = g_string_new(NULL);
    g_autoptr(GString) re = g_string_new(NULL);
    toy_inputs(30, 3, ro, re);
    Run run;
    run_merge(&run, "building", ro->str, re->str, FALSE);
    RcXlsxOptions o = {RC_LANG_ZH, "2号楼", 0, NULL};
    write_and_check(&run, "b2", &o, "--building 2号楼");
    RcXlsxOptions none = {RC_LANG_EN, "no such building", 0, NULL};
    write_and_check(&run, "nob", &none, "--lang en --building 'no such building'");
    run_free(&run);
}

static void test_write_empty(void **state)
{
    Run run;
    run_merge(&run, "empty", "姓名,身份证号\n", "证件号码,姓名,检测结果,采样时间\n", FALSE);
    assert_int_equal(run.r->n_residents, 0);
    write_and_check(&run, "empty", NULL, "");
    run_free(&run);
}

static void test_write_many_buildings(void **state)
{
    g_autoptr(GString) ro = g_string_new(NULL);
    g_autoptr(GString) re = g_string_new(NULL);
    toy_inputs(140, 70, ro, re); /* more buildings than a chart can show */
    Run run;
    run_merge(&run, "many", ro->str, re->str, FALSE);
    write_and_check(&run, "many", NULL, "");
    run_free(&run);
}

static void test_write_error(void **state)
{
    Run run;
    run_merge(&run, "error", "姓名\n张三\n", "姓名,检测结果\n张三,阴性\n", FALSE);
    g_autofree char *bad = g_build_filename(run.dir, "no", "such", "dir", "x.xlsx", NULL);
    g_autoptr(GError) err = NULL;
    assert_false(rc_out_xlsx_write(run.r, bad, NULL, &err));
    assert_non_null(err);
    assert_true(g_error_matches(err, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_CREATE));
    assert_non_null(strstr(err->message, bad));
    assert_non_null(strstr(err->message, "No such file or directory"));
    assert_false(g_file_test(bad, G_FILE_TEST_EXISTS));
    g_clear_error(&err);
    /* a temporary directory that is not one */
    g_autofree char *good = g_build_filename(run.dir, "ok.xlsx", NULL);
    g_autofree char *notdir = write_file(run.dir, "plain-file", "x");
    RcXlsxOptions o = {RC_LANG_ZH, NULL, 0, notdir};
    assert_false(rc_out_xlsx_write(run.r, good, &o, &err));
    assert_true(g_error_matches(err, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_CREATE));
    assert_non_null(strstr(err->message, notdir));
    run_free(&run);
}

static void remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
        }
        if (d)
            g_dir_close(d);
    }
    g_remove(path);
}

int main(void)
{
    g_autoptr(GError) err = NULL;
    base_dir = g_dir_make_tmp("rc-test-out-xlsx-XXXXXX", &err);
    if (!base_dir) {
        fprintf(stderr, "test_out_xlsx: %s\n", err->message);
        return 1;
    }
    /* The read-back needs python3 with openpyxl (Debian's python3-openpyxl)
     * and the repository root as the working directory (make unit). */
    int status = 1;
    have_checker =
        g_file_test(checker, G_FILE_TEST_EXISTS) &&
        g_spawn_command_line_sync("/usr/bin/python3 -c 'import openpyxl'", NULL, NULL, &status, NULL) &&
        g_spawn_check_wait_status(status, NULL);
    if (!have_checker)
        fprintf(stderr, "test_out_xlsx: no python3 with openpyxl: workbooks are written, not read back\n");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_name),       cmocka_unit_test(test_unique_names),
        cmocka_unit_test(test_write_whole),     cmocka_unit_test(test_write_masked_en),
        cmocka_unit_test(test_write_row_limit), cmocka_unit_test(test_write_building),
        cmocka_unit_test(test_write_empty),     cmocka_unit_test(test_write_many_buildings),
        cmocka_unit_test(test_write_error),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_tree(base_dir);
    g_free(base_dir);
    return failed;
}

/* Tests for lib/out.c, the writers for pipelines: the formula guard on CSV
 * and TSV cells, TSV's tabs and line breaks, JSON escaping, and values cut
 * on a character boundary reaching the outputs as valid UTF-8. Each case
 * runs a real merge of small CSV files and reads the writer's bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"
#include "out.h"

static char *write_tmp(const char *s)
{
    char *path = NULL;
    int fd = g_file_open_tmp("rc-out-XXXXXX.csv", &path, NULL);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
    close(fd);
    return path;
}

/* A merge of ROSTER and RESULTS (CSV texts) and its report. */
typedef struct {
    RcConfig *cfg;
    RcMerge *m;
    RcReport *r;
} Run;

static void run_merge(Run *run, const char *roster, const char *results, gboolean mask)
{
    run->cfg = rc_config_new();
    RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL, 1, NULL};
    run->m = rc_merge_new(run->cfg, &opts, NULL);
    assert_non_null(run->m);
    g_autofree char *rp = write_tmp(roster);
    g_autofree char *sp = write_tmp(results);
    assert_true(rc_merge_add_roster(run->m, rp, NULL));
    assert_true(rc_merge_add_results(run->m, sp, NULL));
    rc_merge_finish(run->m);
    unlink(rp);
    unlink(sp);
    RcReportOptions ro = {mask, 0, RC_TIME_NONE, RC_TIME_NONE, 1, RC_TIME_NONE, 0};
    run->r = rc_report_new(run->m, &ro);
}

static void run_done(Run *run)
{
    rc_report_free(run->r);
    rc_merge_free(run->m);
    rc_config_free(run->cfg);
}

typedef enum { CSV, TSV, JSON, UNMATCHED } Writer;

/* What a writer wrote, NUL-terminated. Owned: g_free(). */
static char *written(const Run *run, Writer w)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    switch (w) {
    case CSV:
        rc_out_residents_csv(run->r, fp, ',', 0);
        break;
    case TSV:
        rc_out_residents_csv(run->r, fp, '\t', 0);
        break;
    case JSON:
        rc_out_residents_json(run->r, fp, 0);
        break;
    case UNMATCHED:
        rc_out_spool_csv(run->r, rc_report_unmatched(run->r), fp);
        break;
    }
    assert_int_equal(fclose(fp), 0);
    char *s = g_strndup(buf, len);
    free(buf);
    return s;
}

/* The last field of each data row, one a line: the roster's one extra (宠物, a column no rule claims). */
static char *last_fields(const char *out)
{
    GString *g = g_string_new(NULL);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (guint i = 1; lines[i] && lines[i][0]; i++) {
        const char *sep = strrchr(lines[i], lines[i][strcspn(lines[i], "\t")] ? '\t' : ',');
        g_string_append_printf(g, "%s\n", sep ? sep + 1 : lines[i]);
    }
    return g_string_free(g, FALSE);
}

/* ---- the formula guard: a cell a spreadsheet would run is text --------- */

static const struct {
    const char *value; /* as the roster holds it (CSV-quoted where needed) */
    const char *csv;   /* the cell rollcall writes */
    const char *tsv;
} formula_cases[] = {
    {"=1+1", "'=1+1", "'=1+1"},
    {"\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
     "'=HYPERLINK(\"http://x\",\"y\")"},
    {"@SUM(A1)", "'@SUM(A1)", "'@SUM(A1)"},
    {"+cmd", "'+cmd", "'+cmd"},
    {"-cmd", "'-cmd", "'-cmd"},
    {"-1", "-1", "-1"}, /* a number stays a number */
    {"+86 13800000000", "+86 13800000000", "+86 13800000000"},
    {"- 见备注", "- 见备注", "- 见备注"},
    {"(空)", "(空)", "(空)"},
    {"\"a,b\"", "\"a,b\"", "a,b"},
    {"\"tab\there\"", "tab\there", "tab here"}, /* TSV: a tab in a value is a space */
    {"\"two\nlines\"", "\"two\nlines\"", "two lines"},
};

static void test_formula_guard(void **state)
{
    (void)state;
    GString *roster = g_string_new("姓名,宠物\n");
    GString *want_csv = g_string_new(NULL), *want_tsv = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(formula_cases); i++) {
        g_string_append_printf(roster, "居民%02zu,%s\n", i, formula_cases[i].value);
        g_string_append_printf(want_tsv, "%s\n", formula_cases[i].tsv);
    }
    Run run;
    run_merge(&run, roster->str, "姓名,结果\n居民00,阴性\n", FALSE);
    g_autofree char *csv = written(&run, CSV);
    g_autofree char *tsv = written(&run, TSV);
    /* CSV: each case's cell ends its row (a quoted cell may hold a line break) */
    for (gsize i = 0; i < G_N_ELEMENTS(formula_cases); i++) {
        g_autofree char *cell = g_strdup_printf(",%s\n", formula_cases[i].csv);
        if (!strstr(csv, cell))
            fail_msg("case %zu: CSV has no cell %s in:\n%s", i, formula_cases[i].csv, csv);
    }
    g_autofree char *tsv_cells = last_fields(tsv);
    assert_string_equal(tsv_cells, want_tsv->str);
    run_done(&run);
    g_string_free(roster, TRUE);
    g_string_free(want_csv, TRUE);
    g_string_free(want_tsv, TRUE);
}

/* ---- JSON escaping --------------------------------------------------------- */

static const struct {
    const char *value; /* the roster's extra, CSV-quoted */
    const char *json;  /* as the JSON string holds it */
} json_cases[] = {
    {"\"say \"\"hi\"\"\"", "\"say \\\"hi\\\"\""},
    {"back\\slash", "\"back\\\\slash\""},
    {"\"a\nb\"", "\"a\\nb\""},
    {"bell\x07", "\"bell\\u0007\""},
    {"\"tab\t\"", "\"tab\\t\""},
    {"中文𠀀", "\"中文𠀀\""}, /* beyond the BMP: as UTF-8, not escaped */
    {"</script>", "\"</script>\""},
};

static void test_json_escaping(void **state)
{
    (void)state;
    GString *roster = g_string_new("姓名,宠物\n");
    for (gsize i = 0; i < G_N_ELEMENTS(json_cases); i++)
        g_string_append_printf(roster, "居民%02zu,%s\n", i, json_cases[i].value);
    Run run;
    run_merge(&run, roster->str, "姓名,结果\n居民00,阴性\n", FALSE);
    g_autofree char *json = written(&run, JSON);
    assert_true(g_utf8_validate(json, -1, NULL));
    for (gsize i = 0; i < G_N_ELEMENTS(json_cases); i++) {
        g_autofree char *kv = g_strdup_printf("\"宠物\": %s", json_cases[i].json);
        if (!strstr(json, kv))
            fail_msg("case %zu: JSON has no %s in:\n%s", i, kv, json);
    }
    /* no raw control character anywhere in the output but the line breaks */
    for (const char *p = json; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n')
            fail_msg("raw control byte 0x%02x at %td", *p, p - json);
    run_done(&run);
    g_string_free(roster, TRUE);
}

/* ---- values cut on a character boundary ----------------------------------- */

/* A result word padded with 300 ideographic spaces (3 bytes each) is still
 * negative; the value kept for display is cut to fit, never inside a
 * character: CSV, TSV and JSON stay valid UTF-8 whatever the cut. */
static void test_cut_on_boundary(void **state)
{
    (void)state;
    for (int shift = 0; shift < 3; shift++) {
        GString *res = g_string_new("姓名,身份证号,结果\n居民,110101198001010011,阴");
        for (int i = 0; i < shift; i++)
            g_string_append_c(res, ' '); /* moves the cut through a character */
        for (int i = 0; i < 300; i++)
            g_string_append(res, "　");
        g_string_append(res, "性\n");
        Run run;
        run_merge(&run, "姓名,身份证号\n居民,110101198001010011\n", res->str, FALSE);
        assert_int_equal(run.r->residents[0].state, RC_STATE_NEGATIVE);
        for (Writer w = CSV; w <= JSON; w++) {
            g_autofree char *out = written(&run, w);
            if (!g_utf8_validate(out, -1, NULL))
                fail_msg("shift %d, writer %d: invalid UTF-8", shift, (int)w);
            assert_non_null(strstr(out, "阴"));
        }
        run_done(&run);
        g_string_free(res, TRUE);
    }
}

/* ---- the unmatched spool as CSV ------------------------------------------- */

/* Its reason in English as the code renders it, its raw row kept, and with
 * --mask no whole id or phone in any cell. */
static void test_unmatched_csv(void **state)
{
    (void)state;
    for (int mask = 0; mask <= 1; mask++) {
        Run run;
        run_merge(&run, "姓名,身份证号\n居民,110101198001010011\n",
                  "姓名,身份证号,电话,结果\n外人,11010119800101002X,13800001234,=阳性\n", mask);
        g_autofree char *csv = written(&run, UNMATCHED);
        assert_non_null(strstr(csv, "no resident with this id or name"));
        assert_true(g_str_has_prefix(csv, "file,line,kind,reason,"));
        if (mask) {
            assert_null(strstr(csv, "11010119800101002X"));
            assert_null(strstr(csv, "13800001234"));
            assert_non_null(strstr(csv, "138****1234"));
        } else {
            assert_non_null(strstr(csv, "11010119800101002X"));
        }
        /* the result cell "=阳性" is guarded; the raw row (a cell that
         * starts with its name) holds it as it was */
        assert_non_null(strstr(csv, ",'=阳性,"));
        assert_non_null(strstr(csv, ",=阳性\""));
        run_done(&run);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_guard),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_cut_on_boundary),
        cmocka_unit_test(test_unmatched_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

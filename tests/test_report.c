/* Unit tests for lib/report: natural order, masking, output order and
 * counts per building. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "merge.h"
#include "report.h"

static void test_natural(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int sign;
    } cases[] = {
        {"2号楼", "10号楼", -1}, {"10号楼", "2号楼", 1},
        {"1-101", "1-1001", -1}, {"101", "0101", 0},
        {"A2", "A10", -1},       {"a", "b", -1},
        {"", "1", -1},           {"3栋", "3栋", 0},
        {"1单元", "1单元2", -1}, {"99999999999999999999", "100000000000000000000", -1},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        int c = rc_natural_cmp(cases[i].a, cases[i].b);
        int s = c < 0 ? -1 : c > 0;
        if (s != cases[i].sign)
            fail_msg("%s vs %s: got %d", cases[i].a, cases[i].b, c);
    }
}

static void test_masks(void **state)
{
    (void)state;
    g_autoptr(GString) g = g_string_new(NULL);
    static const char *const ids[][2] = {
        {"310104197707170157", "310***********0157"},
        {"E12345678", "E12**5678"},
        {"1234567", "******7"},
        {"", ""},
        {"X", "X"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(ids); i++)
        assert_string_equal(rc_mask_id(ids[i][0], g), ids[i][1]);
    assert_string_equal(rc_mask_phone("13800005678", g), "138****5678");
    assert_string_equal(rc_mask_phone("02155551234", g), "021****1234");
}

static char *write_tmp(const char *s)
{
    char *path = NULL;
    int fd = g_file_open_tmp("rc-report-XXXXXX.csv", &path, NULL);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
    close(fd);
    return path;
}

static void test_order_and_counts(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL, 0, NULL};
    g_autoptr(RcMerge) m = rc_merge_new(cfg, &opts, NULL);
    g_autofree char *r = write_tmp("楼号,单元,室号,姓名,状态,备注2,电话\n"
                                   "10号楼,1,101,a,,x,1\n,,,b,,,\n2号楼,1,1001,c,外出,,\n2号楼,1,101,d,,y,2\n"
                                   "２号楼,1,101,e,,,\n");
    g_autofree char *s = write_tmp("姓名,检测结果,电话\na,阴性,1\nd,阳性,2\n");
    assert_true(rc_merge_add_roster(m, r, NULL));
    assert_true(rc_merge_add_results(m, s, NULL));
    rc_merge_finish(m);
    unlink(r);
    unlink(s);
    RcReportOptions ro = {TRUE, 0, RC_TIME_NONE, RC_TIME_NONE, 0, RC_TIME_NONE, 0};
    g_autoptr(RcReport) rep = rc_report_new(m, &ro);
    g_autoptr(GString) order = g_string_new(NULL);
    for (guint i = 0; i < rep->n_residents; i++)
        g_string_append(order, rep->residents[rep->order[i]].name);
    /* 2号楼 101 (d, then e: full-width digits normalised, roster order),
     * 2号楼 1001, 10号楼, then no building. */
    assert_string_equal(order->str, "decab");
    assert_int_equal(rep->n_buildings, 3);
    assert_string_equal(rep->buildings[0].building, "2号楼");
    assert_int_equal(rep->buildings[0].residents, 3);
    assert_int_equal(rep->buildings[0].states[RC_STATE_POSITIVE], 1);
    assert_int_equal(rep->buildings[0].states[RC_STATE_EXEMPT], 1);
    assert_int_equal(rep->buildings[0].states[RC_STATE_MISSING], 1);
    assert_true(rep->buildings[0].coverage > 0.49 && rep->buildings[0].coverage < 0.51);
    assert_string_equal(rep->buildings[2].building, "");
    assert_int_equal(rep->total.residents, 5);
    assert_int_equal(rep->total.tested, 2);
    g_autoptr(GString) sc = g_string_new(NULL);
    assert_string_equal(rep->columns[RC_COL_FIXED], "备注2");
    assert_string_equal(rc_report_cell(rep, &rep->residents[rep->order[0]], RC_COL_FIXED, sc), "y");
    assert_string_equal(rc_report_cell(rep, &rep->residents[rep->order[0]], RC_COL_STATE, sc), "positive");
}

/* DESIGN.md section 2, Places (issue 15 item 7): the places of a roster
 * (building|unit|room per resident, ';' between residents) and what the
 * report makes of them: each building with its residents and households in
 * order, then every resident's building/unit in the report's order. */
typedef struct {
    const char *places, *buildings, *rows;
} PlaceCase;

static const PlaceCase place_cases[] = {
    {"1号楼|1|101;1栋|1|102;一号楼|1|103;1幢|1|104;01|1|105;1|1|106", "1号楼=6/6",
     "1号楼/1,1号楼/1,1号楼/1,1号楼/1,1号楼/1,1号楼/1"},
    {"1栋||1;1号楼||2;1号楼||3;1栋||4;1号楼||5", "1号楼=5/5", "1号楼/,1号楼/,1号楼/,1号楼/,1号楼/"},
    {"1栋||1;1号楼||2;1号楼||3;1栋||4", "1栋=4/4", "1栋/,1栋/,1栋/,1栋/"}, /* a tie: the first met */
    {"十号楼||1;2号楼||1;一号楼||1", "一号楼=1/1,2号楼=1/1,十号楼=1/1", "一号楼/,2号楼/,十号楼/"},
    {"2号楼|1单元|101;2号楼|一单元|102;2号楼|1|103;2号楼|2单元|101", "2号楼=4/4",
     "2号楼/1单元,2号楼/1单元,2号楼/1单元,2号楼/2单元"},
    {"3号楼|1单元|101;三号楼|一单元|101;3号楼|2单元|101", "3号楼=3/2", "3号楼/1单元,3号楼/1单元,3号楼/2单元"},
    {"1号楼||1;||2;楼||3", "1号楼=1/1,楼=1/1,=1/1", "1号楼/,楼/,/"},
    {"A座||1;a座||2;B座||3", "A座=2/2,B座=1/1", "A座/,A座/,B座/"},
};

static void test_places(void **state)
{
    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(place_cases); i++) {
        const PlaceCase *c = &place_cases[i];
        g_autoptr(GString) csv = g_string_new("楼号,单元,室号,姓名\n");
        g_auto(GStrv) rows = g_strsplit(c->places, ";", -1);
        for (guint k = 0; rows[k]; k++) {
            g_auto(GStrv) f = g_strsplit(rows[k], "|", 3);
            g_string_append_printf(csv, "%s,%s,%s,r%u\n", f[0], f[1], f[2], k);
        }
        g_autoptr(RcConfig) cfg = rc_config_new();
        RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL, 0, NULL};
        g_autoptr(RcMerge) m = rc_merge_new(cfg, &opts, NULL);
        g_autofree char *r = write_tmp(csv->str);
        assert_true(rc_merge_add_roster(m, r, NULL));
        rc_merge_finish(m);
        unlink(r);
        RcReportOptions ro = {FALSE, 0, RC_TIME_NONE, RC_TIME_NONE, 0, RC_TIME_NONE, 0};
        g_autoptr(RcReport) rep = rc_report_new(m, &ro);
        g_autoptr(GString) got = g_string_new(NULL);
        for (guint b = 0; b < rep->n_buildings; b++) {
            guint64 hh = 0;
            for (int h = 0; h < RC_HOUSEHOLD_COUNT; h++)
                hh += rep->households[b][h];
            g_string_append_printf(got, "%s%s=%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, b ? "," : "",
                                   rep->buildings[b].building, (guint64)rep->buildings[b].residents, hh);
        }
        g_autoptr(GString) order = g_string_new(NULL);
        g_autoptr(GString) sc = g_string_new(NULL);
        for (guint k = 0; k < rep->n_residents; k++) {
            const RcResident *res = &rep->residents[rep->order[k]];
            g_string_append_printf(order, "%s%s/", k ? "," : "",
                                   rc_report_cell(rep, res, RC_COL_BUILDING, sc));
            g_string_append(order, rc_report_cell(rep, res, RC_COL_UNIT, sc));
        }
        if (strcmp(got->str, c->buildings) != 0 || strcmp(order->str, c->rows) != 0)
            fail_msg("places case %zu '%s': got %s | %s, want %s | %s", i, c->places, got->str, order->str,
                     c->buildings, c->rows);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_natural),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_order_and_counts),
        cmocka_unit_test(test_places),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}

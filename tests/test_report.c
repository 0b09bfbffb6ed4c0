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

/* A finished merge of ROSTER and RESULTS (CSV texts), and its report. */
static RcReport *report_of(RcConfig *cfg, RcMerge **out, const char *roster, const char *results)
{
    RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL, 0, NULL};
    RcMerge *m = rc_merge_new(cfg, &opts, NULL);
    char *r = write_tmp(roster), *s = write_tmp(results);
    assert_true(rc_merge_add_roster(m, r, NULL));
    assert_true(rc_merge_add_results(m, s, NULL));
    rc_merge_finish(m);
    unlink(r);
    unlink(s);
    g_free(r);
    g_free(s);
    RcReportOptions ro = {FALSE, 0, RC_TIME_NONE, RC_TIME_NONE, 0, RC_TIME_NONE, 0};
    *out = m;
    return rc_report_new(m, &ro);
}

/* DESIGN.md section 7, households: roster rows (room|户号|name|status, ';'
 * between residents, all in one building and unit), the names tested
 * (negative), and each resident's household state in roster order. */
typedef struct {
    const char *what, *roster, *tested, *want;
} HouseholdCase;

static const HouseholdCase household_cases[] = {
    {"all tested", "101||a|;101||b|", "a,b", "all,all"},
    {"partly", "101||a|;101||b|;101||c|", "b", "partly,partly,partly"},
    {"none", "101||a|;101||b|", "", "none,none"},
    {"all exempt", "101||a|外出;101||b|住院", "", "exempt,exempt"},
    {"an exempt member does not keep it from all", "101||a|;101||b|外出", "a", "all,all"},
    {"an exempt member and an untested one: none", "101||a|;101||b|外出", "", "none,none"},
    {"one resident alone", "101||a|;102||b|", "b", "none,all"},
    {"户号 decides over the room", "101|H1|a|;101|H2|b|;102|H1|c|", "a", "partly,none,partly"},
    {"rooms apart are households apart", "101||a|;1101||b|;B101||c|", "c", "none,none,all"},
    {"a household of six, one untested", "1203||a|;1203||b|;1203||c|;1203||d|;1203||e|;1203||f|", "a,b,c,d,e",
     "partly,partly,partly,partly,partly,partly"},
};

static void test_households(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    for (gsize i = 0; i < G_N_ELEMENTS(household_cases); i++) {
        const HouseholdCase *c = &household_cases[i];
        g_autoptr(GString) roster = g_string_new("楼号,单元,室号,户号,姓名,状态,电话\n");
        g_auto(GStrv) rows = g_strsplit(c->roster, ";", -1);
        for (guint k = 0; rows[k]; k++) {
            g_auto(GStrv) f = g_strsplit(rows[k], "|", 4);
            g_string_append_printf(roster, "5号楼,1单元,%s,%s,%s,%s,1380000000%d\n", f[0], f[1], f[2], f[3],
                                   f[2][0] - 'a');
        }
        g_autoptr(GString) results = g_string_new("姓名,检测结果,电话\n");
        g_auto(GStrv) names = g_strsplit(c->tested, ",", -1);
        for (guint k = 0; names[k]; k++)
            if (*names[k])
                g_string_append_printf(results, "%s,阴性,1380000000%d\n", names[k], names[k][0] - 'a');
        RcMerge *m = NULL;
        RcReport *rep = report_of(cfg, &m, roster->str, results->str);
        g_autoptr(GString) got = g_string_new(NULL);
        for (guint k = 0; k < rep->n_residents; k++)
            g_string_append_printf(got, "%s%s", k ? "," : "",
                                   rc_household_state_name(rc_report_household(rep, &rep->residents[k])));
        if (strcmp(got->str, c->want) != 0)
            fail_msg("households: %s: got %s, want %s", c->what, got->str, c->want);
        rc_report_free(rep);
        rc_merge_free(m);
    }
}

/* DESIGN.md section 7, pooled tubes: a tube code is compared after NFKC and
 * trimming; a tube whose rows are all negative is not listed; a hot tube
 * lists its applied rows, then those that found no resident. */
static void test_tubes(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    RcMerge *m = NULL;
    RcReport *rep = report_of(
        cfg, &m, "楼号,单元,室号,姓名,电话\n5号楼,1单元,101,a,1\n5号楼,1单元,102,b,2\n5号楼,1单元,201,c,3\n",
        "试管编号,姓名,检测结果,电话\n"
        "G001,a,阴性,1\nG001,b,阴性,2\n"                      /* negative only: not listed */
        "G002,a,阴性,1\nＧ００２ ,b,阳性,2\n G002,c,阴性,3\n" /* one tube, three rows */
        "G003,stranger,混管阳性,\n"                           /* review, unmatched */
        "g002,c,阴性,3\n");                                   /* another tube: case kept */
    g_autoptr(RcTubeList) t = rc_report_tubes(rep, NULL, NULL);
    g_autoptr(GString) got = g_string_new(NULL);
    for (guint k = 0; k < t->n; k++)
        g_string_append_printf(got, "%s%s:%s:%s", k ? "," : "", t->rows[k].tube,
                               rc_state_name(t->rows[k].tube_state),
                               t->rows[k].resident >= 0 ? rep->residents[t->rows[k].resident].name : "-");
    assert_string_equal(got->str, "G002:positive:a,G002:positive:b,G002:positive:c,G003:review:-");
    assert_int_equal(t->n_tubes, 2);
    g_autoptr(RcTubeList) one = rc_report_tubes(rep, "5号楼", NULL);
    assert_int_equal(one->n, 3); /* a building's workbook: its residents' rows only */
    rc_report_free(rep);
    rc_merge_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_natural),          cmocka_unit_test(test_masks),
        cmocka_unit_test(test_order_and_counts), cmocka_unit_test(test_places),
        cmocka_unit_test(test_households),       cmocka_unit_test(test_tubes),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}

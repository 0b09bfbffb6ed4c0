/* Unit tests for lib/table: delimiter and header detection, roles, rows,
 * line numbers, ragged rows, caps. Each case is one line of the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include "codes.h"
#include "table.h"

typedef struct {
    const char *name;
    const char *input;
    RcKind kind;
    int error; /* -1: none; else an RcTableError */
    char delim;
    guint64 header_line;
    const char *roles;    /* role names of the columns, ',' joined */
    const char *rows;     /* "LINE:f1|f2|...\n" per row passed on */
    const char *problems; /* "LINE:kept|dropped:reason\n" per problem */
} Case;

static const Case cases[] = {
    {"plain comma roster", "姓名,身份证号,楼号\n张三,110101198001010010,1号楼\n", RC_KIND_ROSTER, -1, ',', 1,
     "name,id,building", "2:张三|110101198001010010|1号楼\n", ""},
    {"semicolon", "姓名;证件号码;检测结果\n李四;X1;阴性\n", RC_KIND_RESULTS, -1, ';', 1, "name,id,result",
     "2:李四|X1|阴性\n", ""},
    {"tab", "姓名\t检测结果\t采样时间\n王五\t阴性\t2022-04-10 08:00\n", RC_KIND_RESULTS, -1, '\t', 1,
     "name,result,sampled_at", "2:王五|阴性|2022-04-10 08:00\n", ""},
    {"title row above header", "XX社区核酸检测结果 2022-04-10\n姓名,检测结果\n赵六,阳性\n", RC_KIND_RESULTS,
     -1, ',', 2, "name,result", "3:赵六|阳性\n", ""},
    {"title row with commas", "report,,\n,,\n姓名,结果,备用\na,阴性,x\n", RC_KIND_RESULTS, -1, ',', 3,
     "name,result,extra", "4:a|阴性|x\n", ""},
    {"CRLF line ends", "姓名,结果\r\na,阴\r\nb,阳\r\n", RC_KIND_RESULTS, -1, ',', 1, "name,result",
     "2:a|阴\n3:b|阳\n", ""},
    {"bare CR line ends", "姓名,结果\ra,阴\rb,阳\r", RC_KIND_RESULTS, -1, ',', 1, "name,result",
     "2:a|阴\n3:b|阳\n", ""},
    {"no final newline", "姓名,结果\na,阴", RC_KIND_RESULTS, -1, ',', 1, "name,result", "2:a|阴\n", ""},
    {"embedded newline keeps first line", "姓名,采样点,结果\na,\"east\ngate\",阴\nb,west,阳\n",
     RC_KIND_RESULTS, -1, ',', 1, "name,site,result", "2:a|east\ngate|阴\n4:b|west|阳\n", ""},
    {"embedded CRLF counted once", "姓名,采样点,结果\r\na,\"x\r\ny\",阴\r\nb,w,阳\r\n", RC_KIND_RESULTS, -1,
     ',', 1, "name,site,result", "2:a|x\r\ny|阴\n4:b|w|阳\n", ""},
    {"quoted delimiter and quotes", "姓名,结果,备注2\n\"a,b\",阴,\"say \"\"hi\"\"\"\n", RC_KIND_RESULTS, -1,
     ',', 1, "name,result,extra", "2:a,b|阴|say \"hi\"\n", ""},
    {"blank lines skipped, lines still counted", "姓名,结果\n\na,阴\n,\n\nb,阳\n", RC_KIND_RESULTS, -1, ',',
     1, "name,result", "3:a|阴\n6:b|阳\n", ""},
    {"header aliases: case, spaces, star, colon", " Name *,RESULT：,Id_No\nx,neg,1\n", RC_KIND_RESULTS, -1,
     ',', 1, "name,result,id", "2:x|neg|1\n", ""},
    {"full-width header", "ＮＡＭＥ,ｒｅｓｕｌｔ\nx,neg\n", RC_KIND_RESULTS, -1, ',', 1, "name,result",
     "2:x|neg\n", ""},
    {"two phone columns are an error", "姓名,电话,手机号\na,1,2\n", RC_KIND_ROSTER, RC_TABLE_ERROR_COLUMNS, 0,
     0, "", "", ""},
    {"extras kept in order", "年龄,姓名,备注2,楼号\n30,a,x,1\n", RC_KIND_ROSTER, -1, ',', 1,
     "extra,name,extra,building", "2:30|a|x|1\n", ""},
    {"ragged long row kept", "姓名,结果\na,阴,extra\n", RC_KIND_RESULTS, -1, ',', 1, "name,result",
     "2:a|阴|extra\n", "2:kept:3 fields where the header has 2\n"},
    {"ragged short row, roles present, kept", "姓名,结果,备注2\na,阴\n", RC_KIND_RESULTS, -1, ',', 1,
     "name,result,extra", "2:a|阴|\n", "2:kept:2 fields where the header has 3\n"},
    {"ragged short row missing a role dropped", "姓名,备注2,结果\na,x\nb,y,阳\n", RC_KIND_RESULTS, -1, ',', 1,
     "name,extra,result", "3:b|y|阳\n",
     "2:dropped:2 fields where the header has 3: a needed column is missing\n"},
    {"unclosed quote at end", "姓名,结果\na,阴\n\"b,阳\n", RC_KIND_RESULTS, -1, ',', 1, "name,result",
     "2:a|阴\n", "3:dropped:quoted field never closed before the end of the file\n"},
    {"roster needs a name", "证件号码,楼号\n1,2\n", RC_KIND_ROSTER, RC_TABLE_ERROR_NO_HEADER, 0, 0, "", "",
     ""},
    {"results need a result", "姓名,证件号码\na,1\n", RC_KIND_RESULTS, RC_TABLE_ERROR_NO_HEADER, 0, 0, "", "",
     ""},
    {"header after ten rows is too late", "t\nt\nt\nt\nt\nt\nt\nt\nt\nt\n姓名,结果\na,阴\n", RC_KIND_RESULTS,
     RC_TABLE_ERROR_NO_HEADER, 0, 0, "", "", ""},
    {"header on the tenth row is found", "t\nt\nt\nt\nt\nt\nt\nt\nt\n姓名,结果\na,阴\n", RC_KIND_RESULTS, -1,
     ',', 10, "name,result", "11:a|阴\n", ""},
    {"empty file", "", RC_KIND_ROSTER, RC_TABLE_ERROR_NO_HEADER, 0, 0, "", "", ""},
    {"header only", "姓名,结果\n", RC_KIND_RESULTS, -1, ',', 1, "name,result", "", ""},
    {"auto kind: results", "姓名,结果\na,阴\n", RC_KIND_COUNT, -1, ',', 1, "name,result", "2:a|阴\n", ""},
    {"auto kind: roster", "姓名,楼号\na,1\n", RC_KIND_COUNT, -1, ',', 1, "name,building", "2:a|1\n", ""},
    {"plain lines around a quoted one", "姓名,结果\na,阴\n\"b\",阳\nc,\"x\ny\"\nd,阴\n", RC_KIND_RESULTS, -1,
     ',', 1, "name,result", "2:a|阴\n3:b|阳\n4:c|x\ny\n6:d|阴\n", ""},
    {"quote inside an unquoted field", "姓名,结果\na\"b,阴\n", RC_KIND_RESULTS, -1, ',', 1, "name,result",
     "2:a\"b|阴\n", ""},
    {"trailing empty fields kept", "姓名,结果,备注2\na,阴,\n", RC_KIND_RESULTS, -1, ',', 1,
     "name,result,extra", "2:a|阴|\n", ""},
    {"spaces kept as written", "姓名,结果\n a , 阴 \n", RC_KIND_RESULTS, -1, ',', 1, "name,result",
     "2: a | 阴 \n", ""},
};

typedef struct {
    GString *roles;
    GString *names;
    int date_col;
    GString *rows;
    GString *problems;
    GString *ignored;
    char delim;
    guint64 header_line;
} Seen;

static gboolean on_header(const RcHeader *h, gpointer user, GError **error)
{
    Seen *s = user;
    s->delim = h->delimiter;
    s->header_line = h->line;
    for (guint i = 0; i < h->n_columns; i++) {
        g_string_append_printf(s->roles, "%s%s", i ? "," : "", rc_role_name(h->roles[i]));
        g_string_append_printf(s->names, "%s%s", i ? "|" : "", h->names[i]);
    }
    s->date_col = h->date_col;
    return TRUE;
}

static gboolean on_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    Seen *s = user;
    g_string_append_printf(s->rows, "%" G_GUINT64_FORMAT ":", r->line);
    for (guint i = 0; i < r->n_fields; i++) {
        assert_int_equal(strlen(r->fields[i]), r->lens[i]);
        g_string_append_printf(s->rows, "%s%s", i ? "|" : "", r->fields[i]);
    }
    g_string_append_c(s->rows, '\n');
    return TRUE;
}

static void on_problem(const RcHeader *h, const RcRecord *r, const char *reason, gboolean kept, gpointer user)
{
    Seen *s = user;
    g_autoptr(GString) said = g_string_new(NULL);
    g_string_append_printf(s->problems, "%" G_GUINT64_FORMAT ":%s:%s\n", r->line, kept ? "kept" : "dropped",
                           rc_reason_render(FALSE, reason, said));
}

static void on_ignored(const RcHeader *h, const RcRecord *r, const char *reason, gpointer user)
{
    Seen *s = user;
    (void)h;
    g_string_append_printf(s->ignored, "%" G_GUINT64_FORMAT ":%s\n", r->line, reason);
}

static char *write_tmp(const char *data, gsize len)
{
    char *path = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("rc-table-XXXXXX", &path, &err);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

typedef struct {
    RcTableStats stats;
    Seen seen;
    GError *error;
    gboolean ok;
} Run;

/* The sink's threads for the next run_table (0: the default, two). */
static guint sink_threads;

static void run_table(const char *data, gsize len, RcKind kind, const RcConfig *cfg, Run *run)
{
    g_autofree char *path = write_tmp(data, len);
    GError *err = NULL;
    RcSource *src = rc_source_open(path, NULL, &err);
    assert_non_null(src);
    run->seen.roles = g_string_new(NULL);
    run->seen.names = g_string_new(NULL);
    run->seen.rows = g_string_new(NULL);
    run->seen.problems = g_string_new(NULL);
    run->seen.ignored = g_string_new(NULL);
    RcTableSink sink = {.header = on_header,
                        .row = on_row,
                        .problem = on_problem,
                        .ignored = on_ignored,
                        .threads = sink_threads};
    run->ok = rc_table_read(src, kind, cfg, &sink, &run->seen, &run->stats, &run->error);
    rc_source_free(src);
    unlink(path);
}

static void run_done(Run *run)
{
    g_string_free(run->seen.roles, TRUE);
    g_string_free(run->seen.names, TRUE);
    g_string_free(run->seen.rows, TRUE);
    g_string_free(run->seen.problems, TRUE);
    g_string_free(run->seen.ignored, TRUE);
    g_clear_error(&run->error);
}

static void test_cases(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    /* Every case in the caller's thread and through the parser thread. */
    for (gsize i = 0; i < 2 * G_N_ELEMENTS(cases); i++) {
        const Case *c = &cases[i % G_N_ELEMENTS(cases)];
        Run run = {0};
        sink_threads = i < G_N_ELEMENTS(cases) ? 1 : 2;
        print_message("case: %s (%s)\n", c->name, i < G_N_ELEMENTS(cases) ? "1 thread" : "2 threads");
        run_table(c->input, strlen(c->input), c->kind, cfg, &run);
        if (c->error >= 0) {
            assert_false(run.ok);
            assert_true(g_error_matches(run.error, RC_TABLE_ERROR, c->error));
        } else {
            if (!run.ok)
                fail_msg("%s: %s", c->name, run.error->message);
            assert_int_equal(run.seen.delim, c->delim);
            assert_int_equal(run.seen.header_line, c->header_line);
            assert_string_equal(run.seen.roles->str, c->roles);
            assert_string_equal(run.seen.rows->str, c->rows);
            assert_string_equal(run.seen.problems->str, c->problems);
        }
        run_done(&run);
    }
}

/* DESIGN.md section 1, "Recognising columns": a header row (and a data
 * row) -> each column's role, the names as the sink sees them (a repeated
 * extra numbered), the sampling date column; or the error. */
typedef struct {
    const char *input;
    RcKind kind;
    int error; /* -1: none */
    const char *roles;
    const char *names; /* NULL: as written */
    int date_col;
} HeaderCase;

static const HeaderCase headers[] = {
    /* ids as systems word them */
    {"姓名,证件号码（身份证）\n", RC_KIND_ROSTER, -1, "name,id", NULL, -1},
    {"姓名,身份证件号码\n", RC_KIND_ROSTER, -1, "name,id", NULL, -1},
    {"姓名,身份证号码/护照号\n", RC_KIND_ROSTER, -1, "name,id", NULL, -1},
    {"姓名,有效证件号码\n", RC_KIND_ROSTER, -1, "name,id", NULL, -1},
    {"姓名,公民身份证号\n", RC_KIND_ROSTER, -1, "name,id", NULL, -1},
    {"姓名,证件类型,证件号码\n", RC_KIND_ROSTER, -1, "name,extra,id", NULL, -1},
    {"姓名,身份证地址,身份证号\n", RC_KIND_ROSTER, -1, "name,extra,id", NULL, -1},
    {"身份号,姓名,检测结果\n", RC_KIND_RESULTS, -1, "id,name,result", NULL, -1},
    /* bilingual */
    {"姓名/Name,ID No.\n", RC_KIND_ROSTER, -1, "name,extra", NULL, -1},
    {"姓名 Name,Result 结果\n", RC_KIND_RESULTS, -1, "name,result", NULL, -1},
    {"\"姓名\nName\",\"检测结果\r\nResult\"\n", RC_KIND_RESULTS, -1, "name,result", NULL, -1},
    {"Name 姓名,Phone/电话\n", RC_KIND_ROSTER, -1, "name,phone", NULL, -1},
    {"姓名,楼栋/单元/房号\n", RC_KIND_ROSTER, -1, "name,extra", NULL, -1},
    /* brackets, stars, colons */
    {"*姓名（必填）,手机号码(选填)：\n", RC_KIND_ROSTER, -1, "name,phone", NULL, -1},
    /* new aliases */
    {"姓名,采集时间,采样结果,试管编号,采样地点,检测公司\n", RC_KIND_RESULTS, -1,
     "name,sampled_at,result,tube,site,lab", NULL, -1},
    {"姓名,样本编码,结果\n", RC_KIND_RESULTS, -1, "name,tube,result", NULL, -1},
    {"姓名,联系方式,房间,户号\n", RC_KIND_ROSTER, -1, "name,phone,room,household", NULL, -1},
    {"姓名,电话号码,房间号,户编号\n", RC_KIND_ROSTER, -1, "name,phone,room,household", NULL, -1},
    /* key words */
    {"居民姓名,所在楼栋,单元号,房屋号,本人手机\n", RC_KIND_ROSTER, -1, "name,building,unit,room,phone", NULL,
     -1},
    {"姓名,所在楼层\n", RC_KIND_ROSTER, -1, "name,extra", NULL, -1},
    {"被采样人姓名,核酸检测结果,采样日期时间,报告日期\n", RC_KIND_RESULTS, -1,
     "name,result,sampled_at,reported_at", NULL, -1},
    {"姓名,紧急联系人姓名,紧急联系人电话,联系电话\n", RC_KIND_ROSTER, -1, "name,extra,extra,phone", NULL, -1},
    {"姓名,单元楼\n", RC_KIND_ROSTER, -1, "name,extra", NULL, -1},
    /* a key word yields to an alias, and says so */
    {"姓名,手机号,家庭电话\n", RC_KIND_ROSTER, -1, "name,phone,extra", NULL, -1},
    /* two columns as strong: an error */
    {"姓名,身份证号,证件号码\n", RC_KIND_ROSTER, RC_TABLE_ERROR_COLUMNS, "", NULL, -1},
    {"姓名,检测结果,结果\n", RC_KIND_RESULTS, RC_TABLE_ERROR_COLUMNS, "", NULL, -1},
    {"姓名,本人电话,家庭电话\n", RC_KIND_ROSTER, RC_TABLE_ERROR_COLUMNS, "", NULL, -1},
    {"姓名/Name,姓名\n", RC_KIND_ROSTER, RC_TABLE_ERROR_COLUMNS, "", NULL, -1},
    /* 备注 is the status only alone */
    {"姓名,备注\n", RC_KIND_ROSTER, -1, "name,status", NULL, -1},
    {"姓名,备注,状态\n", RC_KIND_ROSTER, -1, "name,extra,status", NULL, -1},
    /* repeated extras kept apart (issue 13 item 4) */
    {"姓名,备注,备注,紧急联系人,备注\n", RC_KIND_ROSTER, -1, "name,extra,extra,extra,extra",
     "姓名|备注|备注 (2)|紧急联系人|备注 (3)", -1},
    {"姓名,年龄,年龄 (2),年龄\n", RC_KIND_ROSTER, -1, "name,extra,extra,extra", "姓名|年龄|年龄 (2)|年龄 (3)",
     -1},
    {"姓名,户号,户号\n", RC_KIND_ROSTER, RC_TABLE_ERROR_COLUMNS, "", NULL, -1},
    /* a sampling date and a sampling time */
    {"姓名,结果,采样日期,采样时间\n", RC_KIND_RESULTS, -1, "name,result,sampled_at,sampled_at", NULL, 2},
    {"姓名,结果,采样时间,采样日期\n", RC_KIND_RESULTS, -1, "name,result,sampled_at,sampled_at", NULL, 3},
    {"姓名,结果,采样日期\n", RC_KIND_RESULTS, -1, "name,result,sampled_at", NULL, -1},
    {"姓名,结果,采样时间,采集时间\n", RC_KIND_RESULTS, RC_TABLE_ERROR_COLUMNS, "", NULL, -1},
    /* a title naming a key word above the header */
    {"XX社区核酸检测结果\n姓名,结果\n", RC_KIND_RESULTS, -1, "name,result", NULL, -1},
};

static void test_headers(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    for (gsize i = 0; i < G_N_ELEMENTS(headers); i++) {
        const HeaderCase *c = &headers[i];
        Run run = {0};
        print_message("header: %s", c->input);
        run_table(c->input, strlen(c->input), c->kind, cfg, &run);
        if (c->error >= 0) {
            assert_false(run.ok);
            assert_true(g_error_matches(run.error, RC_TABLE_ERROR, c->error));
        } else {
            if (!run.ok)
                fail_msg("%s: %s", c->input, run.error->message);
            assert_string_equal(run.seen.roles->str, c->roles);
            if (c->names)
                assert_string_equal(run.seen.names->str, c->names);
            assert_int_equal(run.seen.date_col, c->date_col);
        }
        run_done(&run);
    }
}

/* The error names both columns, with the file and line. */
static void test_clash_message(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    const char *in = "title\n姓名,身份证号,楼号,证件号码\n";
    Run run = {0};
    run_table(in, strlen(in), RC_KIND_ROSTER, cfg, &run);
    assert_false(run.ok);
    assert_non_null(strstr(run.error->message, ":2: columns 2 '身份证号' and 4 '证件号码' both name the id"));
    run_done(&run);
}

/* rc_record_sampled_at: the date joined only to a time of day alone. */
static void test_sampled_at(void **state)
{
    (void)state;
    static const struct {
        const char *date, *time, *want;
    } joins[] = {
        {"2022-04-09", "08:31", "2022-04-09 08:31"},
        {" 2022/4/9 ", "8时31分", "2022/4/9 8时31分"},
        {"2022-04-09", "下午3点05", "2022-04-09 下午3点05"},
        {"2022-04-09", "8:31:00 PM", "2022-04-09 8:31:00 PM"},
        {"2022-04-09", "2022-04-10 08:31", "2022-04-10 08:31"},
        {"", "08:31", "08:31"},
        {"2022-04-09", "", ""},
        {"2022-04-09", "831", "831"},
    };
    static const char *const time_only[] = {"8:31", "08:31:00", "8时31分", "8点31", "上午8:31", "8:31 am"};
    static const char *const not_time_only[] = {"", "2022-04-10", "8", "123:45", "8:31 xm", "20220410083100"};
    for (gsize i = 0; i < G_N_ELEMENTS(time_only); i++)
        assert_true(rc_table_time_only(time_only[i], strlen(time_only[i])));
    for (gsize i = 0; i < G_N_ELEMENTS(not_time_only); i++)
        assert_false(rc_table_time_only(not_time_only[i], strlen(not_time_only[i])));
    RcHeader h = {.date_col = 0};
    for (int i = 0; i < RC_ROLE_COUNT; i++)
        h.col[i] = -1;
    h.col[RC_ROLE_SAMPLED_AT] = 1;
    g_autoptr(GString) scratch = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(joins); i++) {
        const char *fields[] = {joins[i].date, joins[i].time};
        guint lens[] = {(guint)strlen(joins[i].date), (guint)strlen(joins[i].time)};
        RcRecord r = {.n_fields = 2, .fields = fields, .lens = lens};
        guint len = 0;
        const char *s = rc_record_sampled_at(&h, &r, scratch, &len);
        g_autofree char *got = g_strndup(s, len);
        assert_string_equal(got, joins[i].want);
    }
}

/* DESIGN.md section 1, "Rows that are not data": input -> the rows passed
 * on, the rows ignored with their reason. */
static const struct {
    const char *input, *rows, *ignored;
} not_data[] = {
    {"姓名,身份证号\na,1\n合计,\n", "2:a|1\n", "3:totals row\n"},
    {"序号,姓名,身份证号\n1,a,1\n,12人,\n,共 3 人,\n总计：2人,,\n小计,,\n", "2:1|a|1\n",
     "3:totals row\n4:totals row\n5:totals row\n6:totals row\n"},
    {"姓名,身份证号\na,1\n制表人：王五,审核人：赵六\n填表说明：身份证号必填,\n注：仅供防疫,\n注1：x,\n",
     "2:a|1\n",
     "3:signature or note line\n4:signature or note line\n5:signature or note line\n"
     "6:signature or note line\n"},
    {"姓名,身份证号\na,1\n姓名,身份证号\n 姓名 ,身份证号,\nb,2\n", "2:a|1\n5:b|2\n",
     "3:repeated header\n4:repeated header\n"},
    /* not taken for lines that are not data */
    {"姓名,身份证号\n合一,1\n人,2\n12,3\n注意,4\n姓名,5\n", "2:合一|1\n3:人|2\n4:12|3\n5:注意|4\n6:姓名|5\n",
     ""},
    /* above the header: neither data nor ignored */
    {"制表人：王五\n姓名,身份证号\na,1\n", "3:a|1\n", ""},
};

static void test_not_data(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    for (gsize i = 0; i < 2 * G_N_ELEMENTS(not_data); i++) {
        gsize k = i % G_N_ELEMENTS(not_data);
        Run run = {0};
        sink_threads = i < G_N_ELEMENTS(not_data) ? 1 : 2;
        run_table(not_data[k].input, strlen(not_data[k].input), RC_KIND_ROSTER, cfg, &run);
        assert_true(run.ok);
        assert_string_equal(run.seen.rows->str, not_data[k].rows);
        assert_string_equal(run.seen.ignored->str, not_data[k].ignored);
        guint64 n_ignored = 0;
        for (const char *p = not_data[k].ignored; *p; p++)
            n_ignored += *p == '\n';
        assert_int_equal(run.stats.ignored, n_ignored);
        run_done(&run);
    }
    sink_threads = 0;
}

/* sink->column(): extras whose values mostly look like data, and a
 * sampled_at of times of day alone. */
static void on_column(const RcHeader *h, guint col, RcTableLooks looks, gpointer user)
{
    g_string_append_printf(user, "%u:%s\n", col + 1, rc_table_looks_name(looks));
}

static void test_columns_looking_like_data(void **state)
{
    (void)state;
    static const struct {
        const char *input, *want;
    } looks[] = {
        {"姓名,编号,结果\na,110101198001010010,阴性\nb,11010119800101002X,阴性\nc,110101800101003,阴性\n",
         "2:ids\n"},
        {"姓名,联络,结论,结果\na,13800000001,阴性,阴\nb,13800000002,阳性(+),阴\nc,x,阴性,阴\n",
         "2:phones\n3:result words\n"},
        {"姓名,结果,采样时间\na,阴,08:31\nb,阴,8时32分\nc,阴,09:00:00\n", "3:times of day without a date\n"},
        /* not so: a date column completes the times; too few values; mostly other things */
        {"姓名,结果,采样日期,采样时间\na,阴,2022-04-10,08:31\nb,阴,2022-04-10,08:32\nc,阴,2022-04-10,08:33\n",
         ""},
        {"姓名,编号,结果\na,110101198001010010,阴\nb,,阴\n", ""},
        {"姓名,编号,结果\na,110101198001010010,阴\nb,7,阴\nc,8,阴\nd,9,阴\n", ""},
    };
    g_autoptr(RcConfig) cfg = rc_config_new();
    for (gsize i = 0; i < 2 * G_N_ELEMENTS(looks); i++) {
        const char *in = looks[i % G_N_ELEMENTS(looks)].input;
        g_autofree char *path = write_tmp(in, strlen(in));
        GError *err = NULL;
        RcSource *src = rc_source_open(path, NULL, &err);
        g_autoptr(GString) got = g_string_new(NULL);
        RcTableSink sink = {.column = on_column, .threads = i < G_N_ELEMENTS(looks) ? 1 : 2};
        assert_true(rc_table_read(src, RC_KIND_RESULTS, cfg, &sink, got, NULL, &err));
        assert_string_equal(got->str, looks[i % G_N_ELEMENTS(looks)].want);
        rc_source_free(src);
        unlink(path);
    }
}

static void test_config_alias(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autofree char *ini = write_tmp("[results]\nresult = 化验结论\nname = 受检人\n",
                                     strlen("[results]\nresult = 化验结论\nname = 受检人\n"));
    GError *err = NULL;
    assert_true(rc_config_load(cfg, ini, &err));
    unlink(ini);
    Run run = {0};
    const char *in = "受检人,化验结论\na,阴性\n";
    run_table(in, strlen(in), RC_KIND_RESULTS, cfg, &run);
    assert_true(run.ok);
    assert_string_equal(run.seen.roles->str, "name,result");
    run_done(&run);
}

static void test_field_cap(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    GString *in = g_string_new("姓名,结果\na,阴\nb,");
    for (int i = 0; i < RC_TABLE_FIELD_CAP + 10; i++)
        g_string_append_c(in, 'x');
    g_string_append(in, "\nc,阳\n");
    Run run = {0};
    run_table(in->str, in->len, RC_KIND_RESULTS, cfg, &run);
    assert_true(run.ok);
    assert_string_equal(run.seen.rows->str, "2:a|阴\n4:c|阳\n");
    assert_string_equal(run.seen.problems->str, "3:dropped:field longer than 64 KiB\n");
    assert_int_equal(run.stats.rows, 3);
    assert_int_equal(run.stats.problems, 1);
    run_done(&run);
    g_string_free(in, TRUE);
}

static void test_record_cap(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    GString *in = g_string_new("姓名,结果\n");
    for (int i = 0; i < 200000; i++)
        g_string_append_c(in, ',');
    g_string_append(in, "\nc,阳\n");
    Run run = {0};
    run_table(in->str, in->len, RC_KIND_RESULTS, cfg, &run);
    assert_true(run.ok);
    assert_string_equal(run.seen.rows->str, "3:c|阳\n");
    assert_string_equal(run.seen.problems->str, "2:dropped:record longer than 1 MiB\n");
    run_done(&run);
    g_string_free(in, TRUE);
}

/* Lines stay right across many source blocks: 200,000 rows. */
static void test_many_rows_lines(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    GString *in = g_string_new("姓名,结果\r\n");
    for (int i = 0; i < 200000; i++)
        g_string_append_printf(in, "n%d,阴\r\n", i);
    g_string_append(in, "last,\"a\nb\"\r\nend,阳\r\n");
    Run run = {0};
    run_table(in->str, in->len, RC_KIND_RESULTS, cfg, &run);
    assert_true(run.ok);
    assert_int_equal(run.stats.rows, 200002);
    assert_true(g_str_has_suffix(run.seen.rows->str, "200002:last|a\nb\n200004:end|阳\n"));
    run_done(&run);
    g_string_free(in, TRUE);
}

static void test_header_key(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {" 身份证 号 ", "身份证号"},
        {"NAME*", "name"},
        {"姓名：", "姓名"},
        {"Ｉｄ", "id"},
        {"sample time", "sampletime"},
        {"\xe3\x80\x80楼号", "楼号"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
        g_autofree char *k = rc_table_header_key(pairs[i][0]);
        assert_string_equal(k, pairs[i][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),         cmocka_unit_test(test_headers),
        cmocka_unit_test(test_clash_message), cmocka_unit_test(test_sampled_at),
        cmocka_unit_test(test_not_data),      cmocka_unit_test(test_columns_looking_like_data),
        cmocka_unit_test(test_config_alias),  cmocka_unit_test(test_field_cap),
        cmocka_unit_test(test_record_cap),    cmocka_unit_test(test_many_rows_lines),
        cmocka_unit_test(test_header_key),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}

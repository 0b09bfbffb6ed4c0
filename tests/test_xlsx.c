/* Unit tests for lib/xlsx and the table layer's workbook path: number
 * texts; workbooks written by libxlsxwriter; hand-made zips for every part
 * and every way a workbook can be broken; an encrypted (OLE) workbook; the
 * same table read from CSV and from a workbook. Each case is one line of a
 * table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "codes.h"
#include "table.h"
#include "xlsx.h"

/* ---- helpers ---- */

/* A reason as people read it (codes.h): the readers store codes. */
static const char *said(const char *stored)
{
    static GString *out;
    if (!out)
        out = g_string_new(NULL);
    return stored ? rc_reason_render(FALSE, stored, out) : NULL;
}

static char *tmp_path(const char *suffix)
{
    g_autofree char *dir = g_dir_make_tmp("rc-xlsx-XXXXXX", NULL);
    assert_non_null(dir);
    return g_strdup_printf("%s/book%s", dir, suffix);
}

static void tmp_remove(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    unlink(path);
    rmdir(dir);
}

/* "N:a|b|c\n" per row, as the reader hands them out. *ERR gets any error. */
static char *dump(const char *path, const char *sheet, char **sheet_name, GError **err)
{
    g_autoptr(RcXlsx) x = rc_xlsx_open(path, sheet, err);
    if (!x)
        return NULL;
    if (sheet_name)
        *sheet_name = g_strdup(rc_xlsx_sheet(x));
    GString *g = g_string_new(NULL);
    const RcXlsxRow *r;
    while (rc_xlsx_next_row(x, &r, err) && r) {
        g_string_append_printf(g, "%" G_GUINT64_FORMAT ":", r->number);
        for (guint i = 0; i < r->n_cells; i++) {
            assert_int_equal(strlen(r->cells[i]), r->lens[i]);
            g_string_append_printf(g, "%s%s", i ? "|" : "", r->cells[i]);
        }
        if (r->oversize)
            g_string_append_printf(g, " [%s]", said(r->oversize));
        g_string_append_c(g, '\n');
    }
    if (*err) {
        g_string_free(g, TRUE);
        return NULL;
    }
    return g_string_free(g, FALSE);
}

/* ---- number texts ---- */

typedef struct {
    double v;
    const char *code;
    gboolean date1904;
    const char *want;
} NumCase;

static const NumCase num_cases[] = {
    {0, NULL, FALSE, "0"},
    {42, NULL, FALSE, "42"},
    {-7, "General", FALSE, "-7"},
    {1.5, NULL, FALSE, "1.5"},
    {0.1 + 0.2, NULL, FALSE, "0.3"},
    {13800000001.0, NULL, FALSE, "13800000001"},         /* a phone, no ".0" */
    {110101800101001.0, NULL, FALSE, "110101800101001"}, /* 15-digit id exactly */
    {999999999999999.0, NULL, FALSE, "999999999999999"},
    {1e15, NULL, FALSE, "1E+15"},
    {310104197707170157.0, NULL, FALSE, "3.1010419770717E+17"}, /* 18 digits: mangled */
    {310104197707170000.0, NULL, FALSE, "3.1010419770717E+17"},
    {110101198001010010.0, NULL, FALSE, "1.1010119800101E+17"},
    {1234567890123456.0, NULL, FALSE, "1.23456789012346E+15"},
    {0.001, NULL, FALSE, "0.001"},
    {44661, "yyyy-mm-dd", FALSE, "2022-04-10"},
    {44661.35, "yyyy-mm-dd", FALSE, "2022-04-10 08:24:00"}, /* the time is kept */
    {44661.35, "yyyy/m/d h:mm", FALSE, "2022-04-10 08:24:00"},
    {44661, "yyyy/m/d h:mm", FALSE, "2022-04-10 00:00:00"},
    {44661, "yyyy\"年\"m\"月\"d\"日\"", FALSE, "2022-04-10"},
    {44661, "[$-804]yyyy\"年\"m\"月\"d\"日\";@", FALSE, "2022-04-10"},
    {0.75, "h:mm", FALSE, "18:00:00"},
    {0.75, "[h]:mm:ss", FALSE, "18:00:00"},
    {1.25, "[h]:mm", FALSE, "1900-01-01 06:00:00"},
    {44661, "mmm", FALSE, "2022-04-10"},
    {43199, "yyyy-mm-dd", TRUE, "2022-04-10"}, /* 1904 date system */
    {61, "yyyy-mm-dd", FALSE, "1900-03-01"},
    {59, "yyyy-mm-dd", FALSE, "1900-02-28"},
    {60, "yyyy-mm-dd", FALSE, "60"}, /* Excel's 1900-02-29 */
    {-1, "yyyy-mm-dd", FALSE, "-1"},
    {123, "000000", FALSE, "000123"},
    {1234567, "000000", FALSE, "1234567"},
    {12.5, "000000", FALSE, "12.5"},
    {123, "[Red]0000", FALSE, "0123"},
    {123, "@", FALSE, "123"},
    {123, "0.00", FALSE, "123"},
    {1234.5, "#,##0.00", FALSE, "1234.5"},
    {1.5e-7, "0.00E+00", FALSE, "1.5E-07"},
    {44661, "\"d\"0", FALSE, "44661"}, /* quoted letters are text */
    {44661, "\\d0", FALSE, "44661"},
};

static void test_number_text(void **state)
{
    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(num_cases); i++) {
        const NumCase *c = &num_cases[i];
        char out[64];
        gsize n = rc_xlsx_number_text(c->v, c->code, c->date1904, out);
        if (strcmp(out, c->want) != 0)
            fail_msg("%.17g under '%s': got '%s', want '%s'", c->v, c->code ? c->code : "", out, c->want);
        assert_int_equal(n, strlen(out));
    }
}

/* ---- workbooks written by libxlsxwriter ---- */

typedef void (*BuildFn)(lxw_workbook *wb);

static void build_roster(lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format_index(date, 14);
    lxw_format *stamp = workbook_add_format(wb);
    format_set_num_format(stamp, "yyyy-mm-dd hh:mm");
    lxw_format *zh = workbook_add_format(wb);
    format_set_num_format(zh, "yyyy\"年\"m\"月\"d\"日\"");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_merge_range(ws, 0, 0, 0, 5, "XX社区居民名单", bold);
    const char *head[] = {"姓名", "身份证号", "手机号", "登记日期", "采样时间", "在住"};
    for (int i = 0; i < 6; i++)
        worksheet_write_string(ws, 1, (lxw_col_t)i, head[i], bold);
    worksheet_write_string(ws, 2, 0, "张三", NULL);
    worksheet_write_number(ws, 2, 1, 110101800101001.0, NULL);
    worksheet_write_number(ws, 2, 2, 13800000001.0, NULL);
    lxw_datetime d = {2022, 4, 10, 0, 0, 0};
    worksheet_write_datetime(ws, 2, 3, &d, date);
    lxw_datetime t = {2022, 4, 10, 8, 31, 0};
    worksheet_write_datetime(ws, 2, 4, &t, stamp);
    worksheet_write_boolean(ws, 2, 5, 1, NULL);
    worksheet_write_string(ws, 3, 0, "李四", NULL);
    worksheet_write_number(ws, 3, 1, 310104197707170157.0, NULL);
    worksheet_write_string(ws, 3, 2, "013800000002", text);
    worksheet_write_datetime(ws, 3, 3, &d, zh);
    worksheet_write_boolean(ws, 3, 5, 0, NULL);
    /* row 5: a styled but empty row; row 6: gaps between cells */
    worksheet_write_blank(ws, 4, 0, bold);
    worksheet_write_blank(ws, 4, 3, bold);
    worksheet_write_string(ws, 5, 0, "王五", NULL);
    worksheet_write_string(ws, 5, 1, "0012345", text);
    worksheet_write_number(ws, 5, 4, 44661.35, stamp);
    /* row 9 after two missing rows */
    worksheet_write_string(ws, 8, 2, "13800000009", NULL);
}

static void build_three_sheets(lxw_workbook *wb)
{
    lxw_worksheet *a = workbook_add_worksheet(wb, "Old");
    lxw_worksheet *b = workbook_add_worksheet(wb, "Roster");
    lxw_worksheet *c = workbook_add_worksheet(wb, "2");
    worksheet_write_string(a, 0, 0, "old", NULL);
    worksheet_write_string(b, 0, 0, "roster", NULL);
    worksheet_write_string(c, 0, 0, "named two", NULL);
    worksheet_activate(b);
    worksheet_hide(a);
}

static void build_inline(lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "结果", NULL);
    worksheet_write_string(ws, 1, 0, "a\"<b>&", NULL);
    worksheet_write_string(ws, 1, 1, "阴性", NULL);
    worksheet_write_number(ws, 2, 0, 12, NULL);
}

static void build_empty(lxw_workbook *wb)
{
    workbook_add_worksheet(wb, "Empty");
}

typedef struct {
    const char *name;
    BuildFn build;
    gboolean constant_memory; /* libxlsxwriter then writes inline strings */
    const char *sheet;
    const char *want_sheet;
    const char *rows;
    int error; /* -1: none; else an RcXlsxError */
} BookCase;

static const BookCase book_cases[] = {
    {"strings, numbers, ids, dates, booleans, gaps", build_roster, FALSE, NULL, "名单",
     "1:XX社区居民名单\n"
     "2:姓名|身份证号|手机号|登记日期|采样时间|在住\n"
     "3:张三|110101800101001|13800000001|2022-04-10|2022-04-10 08:31:00|TRUE\n"
     "4:李四|3.1010419770717E+17|013800000002|2022-04-10||FALSE\n"
     "5:\n"
     "6:王五|0012345|||2022-04-10 08:24:00\n"
     "9:||13800000009\n",
     -1},
    {"same, written in constant memory (inline strings)", build_roster, TRUE, "1", "名单",
     "1:XX社区居民名单\n"
     "2:姓名|身份证号|手机号|登记日期|采样时间|在住\n"
     "3:张三|110101800101001|13800000001|2022-04-10|2022-04-10 08:31:00|TRUE\n"
     "4:李四|3.1010419770717E+17|013800000002|2022-04-10||FALSE\n"
     "5:\n"
     "6:王五|0012345|||2022-04-10 08:24:00\n"
     "9:||13800000009\n",
     -1},
    {"default: the first visible sheet", build_three_sheets, FALSE, NULL, "Roster", "1:roster\n", -1},
    {"a hidden sheet by name", build_three_sheets, FALSE, "Old", "Old", "1:old\n", -1},
    {"a sheet by name, any case", build_three_sheets, FALSE, "roster", "Roster", "1:roster\n", -1},
    {"a sheet by number", build_three_sheets, FALSE, "1", "Old", "1:old\n", -1},
    {"a name before a number", build_three_sheets, FALSE, "2", "2", "1:named two\n", -1},
    {"a number past the last sheet", build_three_sheets, FALSE, "4", NULL, NULL, RC_XLSX_ERROR_NO_SHEET},
    {"sheet 0", build_three_sheets, FALSE, "0", NULL, NULL, RC_XLSX_ERROR_NO_SHEET},
    {"no such sheet name", build_three_sheets, FALSE, "Results", NULL, NULL, RC_XLSX_ERROR_NO_SHEET},
    {"inline strings with XML escapes", build_inline, TRUE, NULL, "Sheet1",
     "1:姓名|结果\n2:a\"<b>&|阴性\n3:12\n", -1},
    {"an empty sheet", build_empty, FALSE, NULL, "Empty", "", -1},
};

static char *write_book(BuildFn build, gboolean constant_memory)
{
    char *path = tmp_path(".xlsx");
    lxw_workbook_options opt = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    build(wb);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static void test_books(void **state)
{
    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(book_cases); i++) {
        const BookCase *c = &book_cases[i];
        print_message("book: %s\n", c->name);
        g_autofree char *path = write_book(c->build, c->constant_memory);
        GError *err = NULL;
        g_autofree char *sheet = NULL;
        g_autofree char *rows = dump(path, c->sheet, &sheet, &err);
        if (c->error >= 0) {
            assert_null(rows);
            if (!g_error_matches(err, RC_XLSX_ERROR, c->error))
                fail_msg("%s: want error %d, got %s", c->name, c->error, err ? err->message : "none");
            assert_true(g_str_has_prefix(err->message, path));
            print_message("  -> %s\n", err->message);
        } else {
            if (!rows)
                fail_msg("%s: %s", c->name, err->message);
            assert_string_equal(sheet, c->want_sheet);
            assert_string_equal(rows, c->rows);
        }
        g_clear_error(&err);
        tmp_remove(path);
    }
}

static void test_sheet_list(void **state)
{
    (void)state;
    g_autofree char *path = write_book(build_three_sheets, FALSE);
    GError *err = NULL;
    RcXlsx *x = rc_xlsx_open(path, NULL, &err);
    assert_non_null(x);
    assert_int_equal(rc_xlsx_format(x), RC_XLSX_FORMAT_XLSX);
    assert_string_equal(rc_xlsx_format_name(x), "xlsx");
    assert_int_equal(rc_xlsx_n_sheets(x), 3);
    assert_string_equal(rc_xlsx_sheet_name(x, 0), "Old");
    assert_true(rc_xlsx_sheet_hidden(x, 0));
    assert_string_equal(rc_xlsx_sheet_name(x, 1), "Roster");
    assert_false(rc_xlsx_sheet_hidden(x, 1));
    assert_null(rc_xlsx_sheet_name(x, 3));
    assert_int_equal(rc_xlsx_sheet_index(x), 1);
    assert_string_equal(rc_xlsx_path(x), path);
    rc_xlsx_free(x);
    rc_xlsx_free(NULL);
    /* the error for a missing sheet lists them */
    x = rc_xlsx_open(path, "nope", &err);
    assert_null(x);
    assert_non_null(strstr(err->message, "no sheet 'nope' (sheets: 'Old' (hidden), 'Roster', '2')"));
    g_clear_error(&err);
    tmp_remove(path);
}

/* ---- hand-made zips: every part under control ---- */

#define NS_MAIN  "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL   "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG   "http://schemas.openxmlformats.org/package/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

#define P_ROOT_RELS "_rels/.rels"
#define P_WB        "xl/workbook.xml"
#define P_WB_RELS   "xl/_rels/workbook.xml.rels"
#define P_SST       "xl/sharedStrings.xml"
#define P_STYLES    "xl/styles.xml"
#define P_SHEET     "xl/worksheets/sheet1.xml"

#define SHEET(rows) XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows "</sheetData></worksheet>"
#define WB(pr)                                                                                               \
    XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">" pr                                    \
             "<sheets><sheet name=\"S1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"

static const char def_root_rels[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
             "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char def_wb[] = WB("<workbookPr/>");
static const char def_wb_rels[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG "\">"
             "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
             "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
             "<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
             "</Relationships>";
static const char def_sst[] = XML_DECL "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
                                       "<si><t>姓名</t></si>"
                                       "<si><t>结果</t></si>"
                                       "<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space=\"preserve\">三 "
                                       "</t></r><rPh sb=\"0\" eb=\"1\"><t>zhang</t></rPh></si>"
                                       "<si><t>阴性_x000D_</t></si>"
                                       "<si><t/></si>"
                                       "</sst>";
/* cellXfs: 0 general, 1 built-in 14, 2 custom Chinese date, 3 "000000",
 * 4 text (49), 5 built-in 22, 6 built-in 20, 7 built-in 31 (zh-CN date) */
static const char def_styles[] =
    XML_DECL "<styleSheet xmlns=\"" NS_MAIN "\">"
             "<numFmts count=\"2\"><numFmt numFmtId=\"164\" "
             "formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
             "<numFmt numFmtId=\"165\" formatCode=\"000000\"/></numFmts>"
             "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
             "<cellXfs count=\"8\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf "
             "numFmtId=\"165\"/>"
             "<xf numFmtId=\"49\"/><xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"31\"/></cellXfs>"
             "</styleSheet>";

typedef struct {
    const char *name;
    const char *data; /* NULL: leave the part out */
} Part;

#define MAX_PARTS 8

/* Writes a zip of the default parts with OVERRIDES applied (same name:
 * replaced, or left out when its data is NULL; a new name: added). */
static char *write_zip(const char *suffix, const Part *overrides, int level)
{
    Part parts[MAX_PARTS + 8] = {
        {P_ROOT_RELS, def_root_rels}, {P_WB, def_wb}, {P_WB_RELS, def_wb_rels}, {P_SST, def_sst},
        {P_STYLES, def_styles},
    };
    gsize n = 5;
    for (const Part *o = overrides; o && o->name; o++) {
        gsize k = 0;
        while (k < n && strcmp(parts[k].name, o->name) != 0)
            k++;
        if (k == n)
            parts[n++] = *o;
        else
            parts[k].data = o->data;
    }
    char *path = tmp_path(suffix);
    zipFile z = zipOpen64(path, 0);
    assert_non_null(z);
    for (gsize i = 0; i < n; i++) {
        if (!parts[i].data)
            continue;
        zip_fileinfo zi;
        memset(&zi, 0, sizeof zi);
        assert_int_equal(
            zipOpenNewFileInZip(z, parts[i].name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, level), ZIP_OK);
        assert_int_equal(zipWriteInFileInZip(z, parts[i].data, (unsigned)strlen(parts[i].data)), ZIP_OK);
        assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
    }
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    return path;
}

typedef struct {
    const char *name;
    Part parts[4];
    const char *sheet;
    const char *rows;
    int error;           /* -1: none */
    const char *message; /* a part of the error's message */
} ZipCase;

static const ZipCase zip_cases[] = {
    {"shared strings, rich text runs, phonetic runs dropped",
     {{P_SHEET, SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
                      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
                      "<c r=\"C2\" t=\"s\"><v>4</v></c></row>")}},
     NULL,
     "1:姓名|结果\n2:张三 |阴性\r\n",
     -1,
     NULL},
    {"inline strings, formulas' strings, booleans, errors",
     {{P_SHEET, SHEET("<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>阴</t></is></c>"
                      "<c r=\"B3\" t=\"inlineStr\"><is><r><t>a</t></r><r><t>b_x005F_c</t></r></is></c>"
                      "<c r=\"C3\" t=\"str\"><f>A3</f><v>x</v></c><c r=\"D3\" t=\"b\"><v>1</v></c>"
                      "<c r=\"E3\" t=\"b\"><v>0</v></c><c r=\"F3\" t=\"e\"><v>#N/A</v></c></row>")}},
     NULL,
     "3:阴|ab_c|x|TRUE|FALSE|#N/A\n",
     -1,
     NULL},
    {"gaps in column letters",
     {{P_SHEET, SHEET("<row r=\"5\"><c r=\"B5\"><v>1</v></c><c r=\"D5\"><v>2</v></c></row>"
                      "<row r=\"6\"><c r=\"AA6\"><v>3</v></c></row>")}},
     NULL,
     "5:|1||2\n6:||||||||||||||||||||||||||3\n",
     -1,
     NULL},
    {"two cells in one column: the row is a problem, no value dropped unsaid",
     {{P_SHEET,
       SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"A1\"><v>2</v></c><c r=\"B1\"><v>3</v></c></row>"
             "<row r=\"2\"><c r=\"A2\"><v>4</v></c></row>")}},
     NULL,
     "1:2|3 [two cells in one column]\n2:4\n",
     -1,
     NULL},
    {"cells and rows without references",
     {{P_SHEET,
       SHEET("<row><c><v>1</v></c><c><v>2</v></c></row><row><c r=\"C2\"><v>3</v></c><c><v>4</v></c></row>")}},
     NULL,
     "1:1|2\n2:||3|4\n",
     -1,
     NULL},
    {"numbers: ids, phones, decimals",
     {{P_SHEET,
       SHEET("<row r=\"1\"><c><v>110101800101001</v></c><c><v>3.1010419770717E+17</v></c>"
             "<c><v>310104197707170157</v></c><c><v>13800000001</v></c><c><v>1.5</v></c>"
             "<c><v>-2</v></c><c><v>0.30000000000000004</v></c><c><v>1E-3</v></c><c><v>abc</v></c></row>")}},
     NULL,
     "1:110101800101001|3.1010419770717E+17|3.1010419770717E+17|13800000001|1.5|-2|0.3|0.001|abc\n",
     -1,
     NULL},
    {"dates and times by their style",
     {{P_SHEET,
       SHEET("<row r=\"1\"><c s=\"1\"><v>44661</v></c><c s=\"1\"><v>44661.35</v></c>"
             "<c s=\"2\"><v>44661</v></c><c s=\"5\"><v>44661.5</v></c><c s=\"6\"><v>0.75</v></c>"
             "<c s=\"7\"><v>44661</v></c><c s=\"0\"><v>44661</v></c><c s=\"99\"><v>44661</v></c></row>")}},
     NULL,
     "1:2022-04-10|2022-04-10 08:24:00|2022-04-10|2022-04-10 12:00:00|18:00:00|2022-04-10|44661|44661\n",
     -1,
     NULL},
    {"zero padding and text formats",
     {{P_SHEET, SHEET("<row r=\"1\"><c s=\"3\"><v>123</v></c><c s=\"4\"><v>123</v></c>"
                      "<c s=\"4\" t=\"s\"><v>0</v></c></row>")}},
     NULL,
     "1:000123|123|姓名\n",
     -1,
     NULL},
    {"ISO 8601 date cells",
     {{P_SHEET, SHEET("<row r=\"1\"><c t=\"d\"><v>2022-04-10T08:31:00.000Z</v></c><c "
                      "t=\"d\"><v>2022-04-10</v></c></row>")}},
     NULL,
     "1:2022-04-10 08:31:00|2022-04-10\n",
     -1,
     NULL},
    {"empty cells and empty rows",
     {{P_SHEET, SHEET("<row r=\"1\"><c r=\"A1\" s=\"1\"/><c r=\"B1\"><v>1</v></c><c r=\"C1\" s=\"2\"/></row>"
                      "<row r=\"2\"/><row r=\"4\"><c r=\"A4\" t=\"s\"/><c r=\"B4\"><v></v></c></row>")}},
     NULL,
     "1:|1\n2:\n4:\n",
     -1,
     NULL},
    {"namespace prefixes",
     {{P_SHEET, XML_DECL
       "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row r=\"1\">"
       "<x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c><x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c>"
       "</x:row></x:sheetData></x:worksheet>"}},
     NULL,
     "1:a|结果\n",
     -1,
     NULL},
    {"1904 date system",
     {{P_WB, WB("<workbookPr date1904=\"1\"/>")},
      {P_SHEET, SHEET("<row r=\"1\"><c s=\"1\"><v>43199</v></c></row>")}},
     NULL,
     "1:2022-04-10\n",
     -1,
     NULL},
    {"an absolute relationship target",
     {{P_WB_RELS, XML_DECL "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
                           "/worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/></Relationships>"},
      {P_SHEET, SHEET("<row r=\"1\"><c t=\"s\"><v>1</v></c></row>")}},
     NULL,
     "1:结果\n",
     -1,
     NULL},
    {"no styles part: numbers stay numbers",
     {{P_STYLES, NULL}, {P_SHEET, SHEET("<row r=\"1\"><c s=\"1\"><v>44661</v></c></row>")}},
     NULL,
     "1:44661\n",
     -1,
     NULL},
    {"no shared strings part, none needed",
     {{P_WB_RELS, XML_DECL "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
                           "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
      {P_SST, NULL},
      {P_SHEET, SHEET("<row r=\"1\"><c><v>1</v></c></row>")}},
     NULL,
     "1:1\n",
     -1,
     NULL},
    /* bad workbooks */
    {"missing sheet part",
     {{P_SHEET, NULL}},
     NULL,
     NULL,
     RC_XLSX_ERROR_CORRUPT,
     "sheet 'S1': part xl/worksheets/sheet1.xml is missing from the workbook"},
    {"missing shared strings part",
     {{P_SST, NULL}, {P_SHEET, SHEET("")}},
     NULL,
     NULL,
     RC_XLSX_ERROR_CORRUPT,
     "part xl/sharedStrings.xml (the shared strings) is missing from the workbook"},
    {"shared string index out of range",
     {{P_SHEET,
       SHEET("<row r=\"1\"><c t=\"s\"><v>0</v></c></row><row r=\"7\"><c t=\"s\"><v>5</v></c></row>")}},
     NULL,
     NULL,
     RC_XLSX_ERROR_SHARED_STRING,
     ":7: sheet 'S1': shared string index 5 is out of range (the workbook has 5)"},
    {"shared string index not a number",
     {{P_SHEET, SHEET("<row r=\"1\"><c t=\"s\"><v>x</v></c></row>")}},
     NULL,
     NULL,
     RC_XLSX_ERROR_SHARED_STRING,
     "shared string index x is out of range"},
    {"shared string without a shared strings part",
     {{P_WB_RELS, XML_DECL "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
                           "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
      {P_SST, NULL},
      {P_SHEET, SHEET("<row r=\"2\"><c t=\"s\"><v>0</v></c></row>")}},
     NULL,
     NULL,
     RC_XLSX_ERROR_SHARED_STRING,
     ":2: sheet 'S1': a cell refers to shared string 0, but the workbook has no shared strings part"},
    {"sheet XML not well-formed",
     {{P_SHEET, SHEET("<row r=\"1\"><c><v>1</c></row>")}},
     NULL,
     NULL,
     RC_XLSX_ERROR_XML,
     "part xl/worksheets/sheet1.xml is not well-formed XML (line 2, column"},
    {"sheet XML cut short",
     {{P_SHEET, XML_DECL "<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row>"}},
     NULL,
     NULL,
     RC_XLSX_ERROR_XML,
     "not well-formed XML"},
    {"workbook XML not well-formed",
     {{P_WB, "<workbook><sheets>"}},
     NULL,
     NULL,
     RC_XLSX_ERROR_XML,
     "part xl/workbook.xml is not well-formed XML"},
    {"shared strings XML not well-formed",
     {{P_SST, "<sst><si><t>a</si></sst>"}},
     NULL,
     NULL,
     RC_XLSX_ERROR_XML,
     "part xl/sharedStrings.xml is not well-formed XML"},
    {"a DTD (billion laughs) refused",
     {{P_SHEET, XML_DECL "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                         "<worksheet><sheetData><row><c "
                         "t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>"}},
     NULL,
     NULL,
     RC_XLSX_ERROR_XML,
     "part xl/worksheets/sheet1.xml has a DTD"},
    {"a cell past column XFD",
     {{P_SHEET, SHEET("<row r=\"3\"><c r=\"XFE3\"><v>1</v></c></row>")}},
     NULL,
     NULL,
     RC_XLSX_ERROR_CORRUPT,
     ":3: sheet 'S1': a cell past the last column (XFD)"},
    {"a zip without a workbook",
     {{P_ROOT_RELS, NULL}, {P_WB, NULL}, {"word/document.xml", "<w/>"}},
     NULL,
     NULL,
     RC_XLSX_ERROR_FORMAT,
     "a zip archive, but not an .xlsx workbook (no part xl/workbook.xml)"},
    {"a sheet without a relationship",
     {{P_WB_RELS, XML_DECL "<Relationships xmlns=\"" NS_PKG "\"/>"}, {P_SHEET, SHEET("")}},
     NULL,
     NULL,
     RC_XLSX_ERROR_CORRUPT,
     "sheet 'S1' has no part in the workbook's relationships"},
    {"a workbook without sheets",
     {{P_WB, WB("") "<!-- -->"}, {P_SHEET, SHEET("")}},
     "S2",
     NULL,
     RC_XLSX_ERROR_NO_SHEET,
     "no sheet 'S2' (sheets: 'S1')"},
};

static void check_error(const char *name, const char *path, GError *err, int code, const char *message)
{
    if (!g_error_matches(err, RC_XLSX_ERROR, code))
        fail_msg("%s: want error %d, got %s", name, code, err ? err->message : "none");
    if (!g_str_has_prefix(err->message, path) || !strstr(err->message, message))
        fail_msg("%s: message '%s' lacks '%s'", name, err->message, message);
    print_message("  -> %s\n", err->message);
}

static void test_zips(void **state)
{
    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(zip_cases); i++) {
        const ZipCase *c = &zip_cases[i];
        if (!c->rows && c->error < 0)
            continue;
        print_message("zip: %s\n", c->name);
        g_autofree char *path = write_zip(".xlsx", c->parts, Z_DEFAULT_COMPRESSION);
        GError *err = NULL;
        g_autofree char *rows = dump(path, c->sheet, NULL, &err);
        if (c->error >= 0) {
            assert_null(rows);
            check_error(c->name, path, err, c->error, c->message);
        } else {
            if (!rows)
                fail_msg("%s: %s", c->name, err->message);
            assert_string_equal(rows, c->rows);
        }
        g_clear_error(&err);
        tmp_remove(path);
    }
}

#define SHEET_OPEN  XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
#define SHEET_CLOSE "</sheetData></worksheet>"

/* A sheet of N_CELLS inline strings of LEN bytes each in row 1. */
static char *big_sheet(guint n_cells, gsize len)
{
    GString *g = g_string_new(SHEET_OPEN "<row r=\"1\">");
    for (guint i = 0; i < n_cells; i++) {
        g_string_append(g, "<c t=\"inlineStr\"><is><t>");
        for (gsize k = 0; k < len; k++)
            g_string_append_c(g, (char)('a' + k % 26));
        g_string_append(g, "</t></is></c>");
    }
    g_string_append(g, "<c><v>7</v></c></row><row r=\"2\"><c><v>8</v></c></row>" SHEET_CLOSE);
    return g_string_free(g, FALSE);
}

static void test_caps(void **state)
{
    (void)state;
    GError *err = NULL;
    /* a cell past 64 KiB: cut at the cap, the row marked */
    g_autofree char *sheet1 = big_sheet(1, 70000);
    Part p1[] = {{P_SHEET, sheet1}, {NULL, NULL}};
    g_autofree char *path = write_zip(".xlsx", p1, 1);
    RcXlsx *x = rc_xlsx_open(path, NULL, &err);
    assert_non_null(x);
    const RcXlsxRow *r;
    assert_true(rc_xlsx_next_row(x, &r, &err));
    assert_non_null(r);
    assert_int_equal(r->n_cells, 2);
    assert_int_equal(r->lens[0], RC_XLSX_CELL_CAP);
    assert_string_equal(r->cells[1], "7");
    assert_string_equal(said(r->oversize), "field longer than 64 KiB");
    assert_true(rc_xlsx_next_row(x, &r, &err));
    assert_null(r->oversize);
    assert_true(rc_xlsx_next_row(x, &r, &err));
    assert_null(r);
    assert_true(rc_xlsx_next_row(x, &r, &err)); /* past the end: still the end */
    assert_null(r);
    rc_xlsx_free(x);
    tmp_remove(path);

    /* a row past 1 MiB */
    g_autofree char *sheet2 = big_sheet(20, 60000);
    Part p2[] = {{P_SHEET, sheet2}, {NULL, NULL}};
    g_free(path);
    path = write_zip(".xlsx", p2, 1);
    g_autofree char *rows = dump(path, NULL, NULL, &err);
    assert_non_null(rows);
    assert_non_null(strstr(rows, " [record longer than 1 MiB]\n2:8\n"));
    tmp_remove(path);

    /* a shared string past 64 KiB */
    GString *sst = g_string_new(XML_DECL "<sst xmlns=\"" NS_MAIN "\"><si><t>");
    for (int k = 0; k < 70000; k++)
        g_string_append(sst, "阴");
    g_string_append(sst, "</t></si><si><t>x</t></si></sst>");
    Part p4[] = {{P_SST, sst->str},
                 {P_SHEET, SHEET("<row r=\"1\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c></row>")},
                 {NULL, NULL}};
    g_free(path);
    path = write_zip(".xlsx", p4, 1);
    x = rc_xlsx_open(path, NULL, &err);
    assert_non_null(x);
    assert_true(rc_xlsx_next_row(x, &r, &err));
    assert_int_equal(r->n_cells, 2);
    assert_true(r->lens[0] <= RC_XLSX_CELL_CAP && r->lens[0] > RC_XLSX_CELL_CAP - 3);
    assert_true(g_utf8_validate(r->cells[0], r->lens[0], NULL));
    assert_string_equal(r->cells[1], "x");
    assert_string_equal(said(r->oversize), "field longer than 64 KiB");
    rc_xlsx_free(x);
    g_string_free(sst, TRUE);
    tmp_remove(path);

    /* inflating past the ratio cap, past the size cap */
    GString *bomb = g_string_new(SHEET_OPEN);
    while (bomb->len < (3u << 20))
        g_string_append(bomb, "                                                                ");
    g_string_append(bomb, "<row r=\"1\"><c><v>1</v></c></row>" SHEET_CLOSE);
    Part p3[] = {{P_SHEET, bomb->str}, {NULL, NULL}};
    g_free(path);
    path = write_zip(".xlsx", p3, 9);
    rc_xlsx_set_limits(0, 0, 1u << 20);
    assert_null(dump(path, NULL, NULL, &err));
    check_error("ratio cap", path, err, RC_XLSX_ERROR_TOO_LARGE,
                "part xl/worksheets/sheet1.xml inflates to more than 100 times its compressed size");
    g_clear_error(&err);
    rc_xlsx_set_limits(1u << 20, 0, 0);
    assert_null(dump(path, NULL, NULL, &err));
    check_error("size cap", path, err, RC_XLSX_ERROR_TOO_LARGE,
                "part xl/worksheets/sheet1.xml says it inflates to");
    g_clear_error(&err);
    rc_xlsx_set_limits(0, 0, 0);
    g_autofree char *ok_rows = dump(path, NULL, NULL, &err); /* under the default caps it reads */
    assert_string_equal(ok_rows, "1:1\n");
    g_string_free(bomb, TRUE);
    tmp_remove(path);
}

/* ---- hostile parts: each bound holds ---- */

/* The one cell of row 1 of PATH, opened as a workbook; *OVERSIZE gets the
 * row's mark. Asserts the cell is valid UTF-8 within the cap. */
static char *first_cell(const char *path, const char **oversize)
{
    GError *err = NULL;
    g_autoptr(RcXlsx) x = rc_xlsx_open(path, NULL, &err);
    if (!x)
        fail_msg("%s", err->message);
    const RcXlsxRow *r;
    if (!rc_xlsx_next_row(x, &r, &err))
        fail_msg("%s", err->message);
    assert_non_null(r);
    assert_int_equal(r->n_cells, 1);
    assert_true(r->lens[0] <= RC_XLSX_CELL_CAP);
    assert_true(g_utf8_validate(r->cells[0], r->lens[0], NULL));
    *oversize = r->oversize;
    return g_strndup(r->cells[0], r->lens[0]);
}

typedef struct {
    const char *name;
    guint escapes; /* "_x0041_" (A) first, so many times */
    guint chars;   /* then "阴", so many times */
    gboolean cut;  /* the decoded text is past the cap: cut and marked */
} EscapeCase;

/* A cell's text is capped after its _xHHHH_ escapes are decoded: one
 * that decodes to fit comes out whole, one that does not is cut on a
 * character boundary and marked; never invalid UTF-8, never cut unsaid. */
static const EscapeCase escape_cases[] = {
    {"escapes past the raw cap, decoding to fit", 10000, 1, FALSE},
    {"a raw cut inside a character, decoding to fit", 9000, 1000, FALSE},
    {"decoding past the cap", 10, 30000, TRUE},
};

static void test_escaped_cells(void **state)
{
    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(escape_cases); i++) {
        const EscapeCase *c = &escape_cases[i];
        GString *raw = g_string_new(NULL), *want = g_string_new(NULL);
        for (guint k = 0; k < c->escapes; k++) {
            g_string_append(raw, "_x0041_");
            g_string_append_c(want, 'A');
        }
        for (guint k = 0; k < c->chars; k++) {
            g_string_append(raw, "阴");
            g_string_append(want, "阴");
        }
        for (int shared = 0; shared < 2; shared++) {
            print_message("escapes: %s (%s)\n", c->name, shared ? "shared string" : "inline string");
            g_autofree char *sheet =
                shared ? g_strdup(SHEET("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"))
                       : g_strdup_printf(
                             SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>%s</t></is></c></row>"), raw->str);
            g_autofree char *sst =
                g_strdup_printf(XML_DECL "<sst xmlns=\"" NS_MAIN "\"><si><t>%s</t></si></sst>", raw->str);
            Part parts[] = {{P_SHEET, sheet}, {P_SST, sst}, {NULL, NULL}};
            g_autofree char *path = write_zip(".xlsx", parts, 1);
            const char *oversize;
            g_autofree char *cell = first_cell(path, &oversize);
            if (c->cut) {
                assert_string_equal(said(oversize), "field longer than 64 KiB");
                assert_true(strlen(cell) > RC_XLSX_CELL_CAP - 3);
                assert_true(g_str_has_prefix(want->str, cell));
            } else {
                assert_null(oversize);
                assert_string_equal(cell, want->str);
            }
            tmp_remove(path);
        }
        g_string_free(raw, TRUE);
        g_string_free(want, TRUE);
    }
}

/* S repeated N times, between HEAD and TAIL. Owned. */
static char *repeat(const char *head, const char *s, gsize n, const char *tail)
{
    GString *g = g_string_new(head);
    for (gsize i = 0; i < n; i++)
        g_string_append(g, s);
    g_string_append(g, tail);
    return g_string_free(g, FALSE);
}

/* N elements NAME nested in one another, after HEAD and before TAIL. */
static char *nested(const char *head, const char *name, gsize n, const char *tail)
{
    GString *g = g_string_new(head);
    for (gsize i = 0; i < n; i++)
        g_string_append_printf(g, "<%s>", name);
    for (gsize i = 0; i < n; i++)
        g_string_append_printf(g, "</%s>", name);
    g_string_append(g, tail);
    return g_string_free(g, FALSE);
}

typedef struct {
    const char *name;
    const char *part;
    const char *head, *unit; /* UNIT repeated N times after HEAD */
    gsize n;
    const char *tail;
    int error;           /* -1: none */
    const char *message; /* a part of the error's message, or the first row */
} HostileCase;

#define MIB (1u << 20)

static const HostileCase hostile_cases[] = {
    {"elements nested 10,000 deep in a sheet", P_SHEET, SHEET_OPEN, "<a>", 10000, SHEET_CLOSE,
     RC_XLSX_ERROR_XML, "part xl/worksheets/sheet1.xml nests elements deeper than 256 levels"},
    {"elements nested 10,000 deep in the shared strings", P_SST, XML_DECL "<sst>", "<si>", 10000, "</sst>",
     RC_XLSX_ERROR_XML, "part xl/sharedStrings.xml nests elements deeper than 256 levels"},

    {"an attribute of 2 MiB with '>' in it", P_SHEET, SHEET_OPEN "<row r=\"1\"><c r=\"A1\" x=\"", "a>", MIB,
     "\"><v>1</v></c></row>" SHEET_CLOSE, RC_XLSX_ERROR_TOO_LARGE,
     "part xl/worksheets/sheet1.xml holds a tag longer than 1048576 bytes"},
    {"a comment of 2 MiB with '>' in it", P_WB, XML_DECL "<!--", "->", MIB,
     "-->"
     "<workbook/>",
     RC_XLSX_ERROR_TOO_LARGE, "part xl/workbook.xml holds a tag longer than 1048576 bytes"},
    {"a processing instruction of 2 MiB", P_SST, XML_DECL "<?pi ", "a>", MIB, "?><sst/>",
     RC_XLSX_ERROR_TOO_LARGE, "part xl/sharedStrings.xml holds a tag longer than 1048576 bytes"},
    {"a text of 2 MiB is a cell past the cap, not a refusal", P_SHEET,
     SHEET_OPEN "<row r=\"1\"><c t=\"inlineStr\"><is><t>", "a>", MIB, "</t></is></c></row>" SHEET_CLOSE, -1,
     " [field longer than 64 KiB]\n"},
    {"quotes, comments and CDATA that end as they should", P_SHEET,
     SHEET_OPEN "<!-- a -> b --><row r=\"1\" x='\"' y=\"'>\"><c "
                "t=\"inlineStr\"><is><t><![CDATA[x]>]]></t></is></c></row>",
     "<row/>", 1, SHEET_CLOSE, -1, "1:x]>\n"},
};

static void test_hostile(void **state)
{
    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(hostile_cases); i++) {
        const HostileCase *c = &hostile_cases[i];
        print_message("hostile: %s\n", c->name);
        g_autofree char *data = repeat(c->head, c->unit, c->n, c->tail);
        Part parts[] = {{c->part, data}, {NULL, NULL}};
        if (strcmp(c->part, P_SHEET) != 0) {
            parts[1] = (Part){P_SHEET, SHEET("")};
        }
        Part all[] = {parts[0], parts[1], {NULL, NULL}};
        g_autofree char *path = write_zip(".xlsx", all, 1);
        GError *err = NULL;
        g_autofree char *rows = dump(path, NULL, NULL, &err);
        if (c->error >= 0) {
            assert_null(rows);
            check_error(c->name, path, err, c->error, c->message);
        } else {
            if (!rows)
                fail_msg("%s: %s", c->name, err->message);
            if (!strstr(rows, c->message))
                fail_msg("%s: rows lack '%s'", c->name, c->message);
        }
        g_clear_error(&err);
        tmp_remove(path);
    }
    /* as deep as the cap: read */
    g_autofree char *deep = nested(SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row>", "ext", 254, SHEET_CLOSE);
    g_autofree char *path = write_zip(".xlsx", (Part[]){{P_SHEET, deep}, {NULL, NULL}}, 1);
    GError *err = NULL;
    g_autofree char *rows = dump(path, NULL, NULL, &err);
    assert_string_equal(rows, "1:1\n");
    tmp_remove(path);
    g_free(deep);
    deep = nested(SHEET_OPEN "<row r=\"1\"><c><v>1</v></c></row>", "ext", 255, SHEET_CLOSE);
    g_free(path);
    path = write_zip(".xlsx", (Part[]){{P_SHEET, deep}, {NULL, NULL}}, 1);
    assert_null(dump(path, NULL, NULL, &err));
    check_error("one deeper", path, err, RC_XLSX_ERROR_XML, "nests elements deeper than 256 levels");
    g_clear_error(&err);
    tmp_remove(path);
}

/* A part whose zip entry claims more compressed bytes than its deflate
 * stream holds (junk follows the stream): the ratio cap counts the bytes
 * read, so the claim buys nothing. */
static void test_ratio_claim(void **state)
{
    (void)state;
    g_autofree char *sheet = repeat(SHEET_OPEN, "                                ", 96 * 1024,
                                    "<row r=\"1\"><c><v>1</v></c></row>" SHEET_CLOSE);
    gsize n = strlen(sheet);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    gsize cap = deflateBound(&zs, n) + (1u << 20);
    g_autofree guint8 *out = g_malloc(cap);
    zs.next_in = (Bytef *)sheet;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    gsize len = zs.total_out;
    deflateEnd(&zs);
    for (gsize i = 0; i < (1u << 20); i++) /* the claim: 1 MiB more */
        out[len++] = (guint8)(i * 2654435761u >> 24);
    g_autofree char *path = write_zip(".xlsx", (Part[]){{P_SHEET, NULL}, {NULL, NULL}}, 1);
    zipFile z = zipOpen64(path, APPEND_STATUS_ADDINZIP);
    assert_non_null(z);
    zip_fileinfo zi;
    memset(&zi, 0, sizeof zi);
    assert_int_equal(zipOpenNewFileInZip2(z, P_SHEET, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 9, 1), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, out, (unsigned)len), ZIP_OK);
    assert_int_equal(zipCloseFileInZipRaw64(z, n, crc32(0, (const Bytef *)sheet, (uInt)n)), ZIP_OK);
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    GError *err = NULL;
    rc_xlsx_set_limits(0, 0, 1u << 20);
    assert_null(dump(path, NULL, NULL, &err));
    check_error("ratio on the bytes read", path, err, RC_XLSX_ERROR_TOO_LARGE,
                "part xl/worksheets/sheet1.xml inflates to more than 100 times its compressed size");
    g_clear_error(&err);
    rc_xlsx_set_limits(0, 0, 0);
    g_autofree char *rows = dump(path, NULL, NULL, &err); /* under the default floor it reads */
    assert_non_null(rows);
    assert_string_equal(rows, "1:1\n");
    tmp_remove(path);
}

/* ---- files that are not (whole) workbooks ---- */

static void put32(guint8 *p, guint32 v)
{
    p[0] = (guint8)v;
    p[1] = (guint8)(v >> 8);
    p[2] = (guint8)(v >> 16);
    p[3] = (guint8)(v >> 24);
}

/* A minimal OLE compound file: header, one FAT sector, one directory
 * sector holding a root and streams named NAMES. */
static char *write_ole(const char *const *names, const char *suffix)
{
    guint8 f[512 * 3];
    memset(f, 0, sizeof f);
    static const guint8 magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(f, magic, 8);
    f[0x18] = 0x3E;
    f[0x1A] = 3;
    f[0x1C] = 0xFE;
    f[0x1D] = 0xFF;
    f[0x1E] = 9;
    f[0x20] = 6;
    put32(f + 0x2C, 1); /* FAT sectors */
    put32(f + 0x30, 1); /* first directory sector */
    put32(f + 0x38, 4096);
    put32(f + 0x3C, 0xFFFFFFFE); /* no mini FAT */
    put32(f + 0x44, 0xFFFFFFFE); /* no DIFAT sectors */
    put32(f + 0x4C, 0);          /* the FAT is sector 0 */
    for (int i = 1; i < 109; i++)
        put32(f + 0x4C + 4 * i, 0xFFFFFFFF);
    guint8 *fat = f + 512;
    memset(fat, 0xFF, 512);
    put32(fat, 0xFFFFFFFD);     /* sector 0: FAT */
    put32(fat + 4, 0xFFFFFFFE); /* sector 1: the directory, one sector */
    guint8 *dir = f + 1024;
    const char *all[5] = {"Root Entry", NULL, NULL, NULL, NULL};
    for (int i = 0; names[i] && i < 3; i++)
        all[i + 1] = names[i];
    for (int e = 0; all[e]; e++) {
        guint8 *d = dir + 128 * e;
        gsize n = strlen(all[e]);
        for (gsize k = 0; k < n; k++)
            d[2 * k] = (guint8)all[e][k];
        d[64] = (guint8)(2 * (n + 1));
        d[66] = e == 0 ? 5 : 2;
    }
    char *path = tmp_path(suffix);
    assert_true(g_file_set_contents(path, (const char *)f, sizeof f, NULL));
    return path;
}

static void test_not_workbooks(void **state)
{
    (void)state;
    GError *err = NULL;
    RcXlsx *x;
    g_autoptr(RcConfig) cfg = rc_config_new();

    /* text under an .xlsx name */
    g_autofree char *text = tmp_path(".xlsx");
    assert_true(g_file_set_contents(text, "姓名,结果\na,阴性\n", -1, NULL));
    assert_null(rc_xlsx_open(text, NULL, &err));
    check_error("not a zip", text, err, RC_XLSX_ERROR_FORMAT,
                "not a workbook: an .xlsx file is a zip archive");
    g_clear_error(&err);
    assert_int_equal(rc_xlsx_sniff(text), RC_XLSX_FORMAT_NONE);
    assert_false(rc_table_read_path(text, NULL, NULL, RC_KIND_RESULTS, cfg, NULL, NULL, NULL, NULL, &err));
    check_error("not a zip, through the table", text, err, RC_XLSX_ERROR_FORMAT, "not a workbook");
    g_clear_error(&err);
    assert_true(g_file_set_contents(text, "", 0, NULL));
    assert_null(rc_xlsx_open(text, NULL, &err));
    check_error("empty", text, err, RC_XLSX_ERROR_FORMAT, "not a workbook");
    g_clear_error(&err);
    tmp_remove(text);

    /* a truncated workbook */
    g_autofree char *path = write_book(build_roster, FALSE);
    g_autofree char *data = NULL;
    gsize len;
    assert_true(g_file_get_contents(path, &data, &len, NULL));
    assert_true(g_file_set_contents(path, data, (gssize)(len / 2), NULL));
    assert_int_equal(rc_xlsx_sniff(path), RC_XLSX_FORMAT_XLSX);
    assert_null(rc_xlsx_open(path, NULL, &err));
    check_error("truncated", path, err, RC_XLSX_ERROR_CORRUPT, "truncated or damaged zip");
    g_clear_error(&err);
    /* a workbook whose sheet's compressed bytes are damaged */
    guchar *bytes = (guchar *)data;
    const char *at = memmem(data, len, "xl/worksheets/sheet1.xml", 24);
    assert_non_null(at);
    gsize off = (gsize)(at - data) + 24 + 30;
    for (gsize k = off; k < off + 40 && k < len; k++)
        bytes[k] ^= 0x5A;
    assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    assert_null(dump(path, NULL, NULL, &err));
    assert_non_null(err);
    assert_true(err->domain == RC_XLSX_ERROR);
    print_message("  -> %s\n", err->message);
    g_clear_error(&err);
    tmp_remove(path);

    /* encrypted: an OLE file holding EncryptedPackage */
    static const char *const enc[] = {"EncryptionInfo", "EncryptedPackage", NULL};
    g_autofree char *ole = write_ole(enc, ".xlsx");
    assert_int_equal(rc_xlsx_sniff(ole), RC_XLSX_FORMAT_XLS);
    assert_null(rc_xlsx_open(ole, NULL, &err));
    check_error("encrypted", ole, err, RC_XLSX_ERROR_ENCRYPTED,
                ": password-protected workbooks are not supported: save a copy without a password");
    g_clear_error(&err);
    assert_false(rc_table_read_path(ole, NULL, NULL, RC_KIND_ROSTER, cfg, NULL, NULL, NULL, NULL, &err));
    check_error("encrypted, through the table", ole, err, RC_XLSX_ERROR_ENCRYPTED, "password-protected");
    g_clear_error(&err);
    tmp_remove(ole);

    /* an OLE file that is no workbook */
    static const char *const other[] = {"WordDocument", NULL};
    g_autofree char *doc = write_ole(other, ".xls");
    assert_null(rc_xlsx_open(doc, NULL, &err));
    assert_true(g_error_matches(err, RC_XLSX_ERROR, RC_XLSX_ERROR_CORRUPT));
    print_message("  -> %s\n", err->message);
    g_clear_error(&err);
    tmp_remove(doc);

    /* libfreexl failing hard, in its child process: an input error */
    rc_xlsx_set_xls_child_abort(TRUE);
    assert_null(rc_xlsx_open("fixtures/xlsx/roster-libreoffice.xls", NULL, &err));
    check_error("xls reader crash", "fixtures/xlsx/roster-libreoffice.xls", err, RC_XLSX_ERROR_CORRUPT,
                ": damaged .xls file: the .xls reader (libfreexl) failed on it (signal 6)");
    g_clear_error(&err);
    rc_xlsx_set_xls_child_abort(FALSE);
    /* an .xls read halfway, then freed: the child goes */
    x = rc_xlsx_open("fixtures/xlsx/roster-libreoffice.xls", "roster", &err);
    assert_non_null(x);
    assert_int_equal(rc_xlsx_format(x), RC_XLSX_FORMAT_XLS);
    assert_string_equal(rc_xlsx_format_name(x), "xls");
    const RcXlsxRow *r;
    assert_true(rc_xlsx_next_row(x, &r, &err));
    assert_int_equal(r->number, 1);
    assert_int_equal(r->n_cells, 8);
    assert_string_equal(r->cells[0], "楼号");
    rc_xlsx_free(x);
    /* selecting a sheet of an .xls starts its reader again, from the top */
    x = rc_xlsx_open("fixtures/xlsx/roster-libreoffice.xls", NULL, &err);
    assert_non_null(x);
    assert_true(rc_xlsx_next_row(x, &r, &err) && r);
    assert_true(rc_xlsx_next_row(x, &r, &err) && r && r->number == 2);
    assert_true(rc_xlsx_select(x, 0, &err));
    assert_true(rc_xlsx_next_row(x, &r, &err) && r);
    assert_int_equal(r->number, 1);
    assert_string_equal(r->cells[0], "楼号");
    rc_xlsx_free(x);
    x = rc_xlsx_open("fixtures/xlsx/roster-libreoffice.xls", "nope", &err);
    assert_null(x);
    check_error("xls sheet", "fixtures/xlsx/roster-libreoffice.xls", err, RC_XLSX_ERROR_NO_SHEET,
                "no sheet 'nope' (sheets: 'roster')");
    g_clear_error(&err);

    /* an .xls whose sheet record (BOUNDSHEET, 0x0085) is damaged: the file
     * is damaged, not a workbook without worksheets */
    gchar *xls_bytes;
    gsize xls_len;
    assert_true(g_file_get_contents("fixtures/xlsx/roster-libreoffice.xls", &xls_bytes, &xls_len, NULL));
    char *bs = memmem(xls_bytes, xls_len, "\x85\x00", 2);
    assert_non_null(bs);
    bs[0] = (char)0x86;
    g_autofree char *damaged = tmp_path(".xls");
    assert_true(g_file_set_contents(damaged, xls_bytes, (gssize)xls_len, NULL));
    g_free(xls_bytes);
    assert_null(rc_xlsx_open(damaged, NULL, &err));
    check_error("xls without a sheet record", damaged, err, RC_XLSX_ERROR_CORRUPT,
                ": damaged .xls file: it names no worksheet");
    g_clear_error(&err);
    tmp_remove(damaged);

    /* missing, a directory */
    assert_null(rc_xlsx_open("/nonexistent/book.xlsx", NULL, &err));
    check_error("missing", "/nonexistent/book.xlsx", err, RC_XLSX_ERROR_OPEN, "No such file");
    g_clear_error(&err);
    assert_null(rc_xlsx_open("/tmp", NULL, &err));
    check_error("directory", "/tmp", err, RC_XLSX_ERROR_OPEN, "is a directory");
    g_clear_error(&err);
    assert_int_equal(rc_xlsx_sniff("/nonexistent"), RC_XLSX_FORMAT_NONE);
    assert_true(rc_xlsx_path_is_workbook("a/B.XLSX"));
    assert_true(rc_xlsx_path_is_workbook("b.xlsm"));
    assert_false(rc_xlsx_path_is_workbook("c.xls"));
    assert_false(rc_xlsx_path_is_workbook("xlsx"));
}

/* ---- through the table layer ---- */

typedef struct {
    GString *roles, *rows, *problems;
    char delim;
    guint64 header_line;
    char *sheet;
    int fail_at; /* row() fails on this line (0: never) */
} Seen;

static gboolean on_header(const RcHeader *h, gpointer user, GError **error)
{
    Seen *s = user;
    s->delim = h->delimiter;
    s->header_line = h->line;
    g_free(s->sheet);
    s->sheet = g_strdup(h->sheet);
    if (s->roles->len) /* a workbook's next sheet */
        g_string_append_c(s->roles, ';');
    for (guint i = 0; i < h->n_columns; i++)
        g_string_append_printf(s->roles, "%s%s", i ? "," : "", rc_role_name(h->roles[i]));
    return TRUE;
}

static gboolean on_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    Seen *s = user;
    if (s->fail_at && r->line == (guint64)s->fail_at) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "sink failed");
        return FALSE;
    }
    g_string_append_printf(s->rows, "%" G_GUINT64_FORMAT ":", r->line);
    for (guint i = 0; i < r->n_fields; i++) {
        assert_int_equal(strlen(r->fields[i]), r->lens[i]);
        g_string_append_printf(s->rows, "%s%s", i ? "|" : "", r->fields[i]);
    }
    if (r->place_inherited)
        g_string_append(s->rows, " ^");
    g_string_append_c(s->rows, '\n');
    return TRUE;
}

static void on_problem(const RcHeader *h, const RcRecord *r, const char *reason, gboolean kept, gpointer user)
{
    Seen *s = user;
    g_string_append_printf(s->problems, "%" G_GUINT64_FORMAT ":%s:%s\n", r->line, kept ? "kept" : "dropped",
                           said(reason));
}

typedef struct {
    Seen seen;
    RcTableStats stats;
    RcTableInfo info;
    GError *error;
    gboolean ok;
} Run;

/* The sink's threads for the next run_path (0: the default, two). */
static guint sink_threads;

static void run_path(const char *path, const char *sheet, RcKind kind, Run *run)
{
    g_autoptr(RcConfig) cfg = rc_config_new();
    int fail_at = run->seen.fail_at;
    memset(run, 0, sizeof *run);
    run->seen.fail_at = fail_at;
    run->seen.roles = g_string_new(NULL);
    run->seen.rows = g_string_new(NULL);
    run->seen.problems = g_string_new(NULL);
    RcTableSink sink = {.header = on_header, .row = on_row, .problem = on_problem, .threads = sink_threads};
    run->ok = rc_table_read_path(path, NULL, sheet, kind, cfg, &sink, &run->seen, &run->stats, &run->info,
                                 &run->error);
}

static void run_done(Run *run)
{
    g_string_free(run->seen.roles, TRUE);
    g_string_free(run->seen.rows, TRUE);
    g_string_free(run->seen.problems, TRUE);
    g_free(run->seen.sheet);
    rc_table_info_clear(&run->info);
    g_clear_error(&run->error);
}

typedef struct {
    const char *name;
    const char *sheet_xml;
    RcKind kind;
    int error; /* -1: none; else an RcTableError */
    guint64 header_line;
    const char *roles;
    const char *rows;
    const char *problems;
    guint64 blank;
} TableCase;

#define IS(s) "<c t=\"inlineStr\"><is><t>" s "</t></is></c>"

static const TableCase table_cases[] = {
    {"title row, merged title, header on row 3",
     SHEET("<row r=\"1\">" IS("XX社区核酸检测结果") "</row><row r=\"3\">" IS("姓名") IS("证件号码")
               IS("检测结果") "</row>"
                              "<row r=\"4\">" IS("a") "<c><v>110101800101001</v></c>" IS(
                                  "阴性") "</row>"
                                          "<row r=\"5\"/><row r=\"6\">" IS("b") "</row>"),
     RC_KIND_RESULTS, -1, 3, "name,id,result", "4:a|110101800101001|阴性\n6:b||\n", "", 1},
    {"a value past the header's last column is ragged, kept",
     SHEET("<row r=\"1\">" IS("姓名") IS("结果") "</row><row r=\"2\">" IS("a")
               IS("阴") "<c r=\"D2\"><v>1</v></c></row>"),
     RC_KIND_RESULTS, -1, 1, "name,result", "2:a|阴||1\n", "2:kept:4 fields where the header has 2\n", 0},
    {"a blank-only row (spaces) is blank",
     SHEET("<row r=\"1\">" IS("姓名") "</row><row r=\"2\">" IS("  ") "</row><row r=\"3\">" IS("c") "</row>"),
     RC_KIND_ROSTER, -1, 1, "name", "3:c\n", "", 1},
    {"auto kind: a roster",
     SHEET("<row r=\"2\">" IS("姓名") IS("楼号") "</row><row r=\"3\">" IS("a") "<c><v>2</v></c></row>"),
     RC_KIND_COUNT, -1, 2, "name,building", "3:a|2\n", "", 0},
    {"no header", SHEET("<row r=\"1\">" IS("证件号码") "</row>"), RC_KIND_ROSTER, RC_TABLE_ERROR_NO_HEADER, 0,
     "", "", "", 0},
    {"a header on the eleventh non-blank row is too late",
     SHEET("<row r=\"1\">" IS("t") "</row><row r=\"2\">" IS("t") "</row><row r=\"3\">" IS(
         "t") "</row>"
              "<row r=\"4\">" IS("t") "</row><row r=\"5\"/><row r=\"6\">" IS("t") "</row><row r=\"7\">" IS(
                  "t") "</row>"
                       "<row r=\"8\">" IS("t") "</row><row r=\"9\">" IS("t") "</row><row r=\"10\">" IS(
                           "t") "</row>"
                                "<row r=\"11\">" IS("t") "</row><row r=\"12\">" IS("姓名") "</row>"),
     RC_KIND_ROSTER, RC_TABLE_ERROR_NO_HEADER, 0, "", "", "", 0},
    {"a header on the tenth non-blank row is found",
     SHEET("<row r=\"1\">" IS("t") "</row><row r=\"2\">" IS("t") "</row><row r=\"3\">" IS(
         "t") "</row>"
              "<row r=\"4\">" IS("t") "</row><row r=\"5\"/><row r=\"6\">" IS("t") "</row><row r=\"7\">" IS(
                  "t") "</row>"
                       "<row r=\"8\">" IS("t") "</row><row r=\"9\">" IS("t") "</row><row r=\"10\">" IS(
                           "t") "</row>"
                                "<row r=\"11\">" IS("姓名") "</row><row r=\"12\">" IS("x") "</row>"),
     RC_KIND_ROSTER, -1, 11, "name", "12:x\n", "", 0},
    {"header only", SHEET("<row r=\"1\">" IS("姓名") "</row>"), RC_KIND_ROSTER, -1, 1, "name", "", "", 0},
};

static void test_table(void **state)
{
    (void)state;
    /* every case in the caller's thread and through the parser thread */
    for (gsize i = 0; i < 2 * G_N_ELEMENTS(table_cases); i++) {
        const TableCase *c = &table_cases[i % G_N_ELEMENTS(table_cases)];
        sink_threads = i < G_N_ELEMENTS(table_cases) ? 1 : 2;
        print_message("table: %s (%s)\n", c->name, i < G_N_ELEMENTS(table_cases) ? "1 thread" : "2 threads");
        Part parts[] = {{P_SHEET, c->sheet_xml}, {NULL, NULL}};
        g_autofree char *path = write_zip(".xlsx", parts, Z_DEFAULT_COMPRESSION);
        Run run = {0};
        run_path(path, NULL, c->kind, &run);
        if (c->error >= 0) {
            assert_false(run.ok);
            assert_true(g_error_matches(run.error, RC_TABLE_ERROR, c->error));
            assert_true(g_str_has_prefix(run.error->message, path));
            assert_non_null(strstr(run.error->message, ": sheet 'S1': no header in the first 10 rows"));
        } else {
            if (!run.ok)
                fail_msg("%s: %s", c->name, run.error->message);
            assert_int_equal(run.seen.delim, ',');
            assert_string_equal(run.seen.sheet, "S1");
            assert_int_equal(run.seen.header_line, c->header_line);
            assert_string_equal(run.seen.roles->str, c->roles);
            assert_string_equal(run.seen.rows->str, c->rows);
            assert_string_equal(run.seen.problems->str, c->problems);
            assert_int_equal(run.stats.blank, c->blank);
        }
        assert_true(run.info.workbook);
        assert_string_equal(run.info.encoding, "xlsx");
        run_done(&run);
        tmp_remove(path);
    }
}

static void table_book(void)
{
    g_autofree char *path = write_book(build_roster, FALSE);
    Run run = {0};
    run_path(path, NULL, RC_KIND_ROSTER, &run);
    if (!run.ok)
        fail_msg("%s", run.error->message);
    assert_int_equal(run.seen.header_line, 2);
    assert_string_equal(run.seen.sheet, "名单");
    assert_string_equal(run.seen.roles->str, "name,id,phone,extra,extra,extra");
    assert_string_equal(run.seen.rows->str,
                        "3:张三|110101800101001|13800000001|2022-04-10|2022-04-10 08:31:00|TRUE\n"
                        "4:李四|3.1010419770717E+17|013800000002|2022-04-10||FALSE\n"
                        "6:王五|0012345|||2022-04-10 08:24:00|\n"
                        "9:||13800000009|||\n");
    assert_string_equal(run.seen.problems->str, "");
    assert_int_equal(run.stats.rows, 4);
    assert_int_equal(run.stats.blank, 1);
    assert_int_equal(run.stats.problems, 0);
    assert_string_equal(run.info.encoding, "xlsx");
    assert_string_equal(run.info.sheet, "名单");
    assert_string_equal(run.info.sheets[0], "名单");
    assert_null(run.info.sheets[1]);
    assert_false(run.info.hidden[0]);
    run_done(&run);

    /* the sink's error comes back as it was */
    run.seen.fail_at = 4;
    run_path(path, NULL, RC_KIND_ROSTER, &run);
    assert_false(run.ok);
    assert_true(g_error_matches(run.error, G_FILE_ERROR, G_FILE_ERROR_IO));
    assert_string_equal(run.seen.rows->str,
                        "3:张三|110101800101001|13800000001|2022-04-10|2022-04-10 08:31:00|TRUE\n");
    run_done(&run);

    /* a sheet that is not there */
    run_path(path, "Results", RC_KIND_ROSTER, &run);
    assert_false(run.ok);
    assert_true(g_error_matches(run.error, RC_XLSX_ERROR, RC_XLSX_ERROR_NO_SHEET));
    assert_true(run.info.workbook);
    run_done(&run);
    tmp_remove(path);

    /* an oversized cell: a problem row, not kept */
    g_autofree char *sheet = big_sheet(1, 70000);
    char *hdr = strstr(sheet, "<row r=\"1\">");
    assert_non_null(hdr);
    GString *g = g_string_new(NULL);
    g_string_append_len(g, sheet, hdr - sheet);
    g_string_append(g, "<row r=\"0\">" IS("姓名") "</row>");
    g_string_append(g, hdr);
    Part parts[] = {{P_SHEET, g->str}, {NULL, NULL}};
    g_free(path);
    path = write_zip(".xlsx", parts, 1);
    g_string_free(g, TRUE);
    run_path(path, NULL, RC_KIND_ROSTER, &run);
    assert_true(run.ok);
    assert_string_equal(run.seen.problems->str, "1:dropped:field longer than 64 KiB\n");
    assert_string_equal(run.seen.rows->str, "2:8\n");
    assert_int_equal(run.stats.problems, 1);
    run_done(&run);
    tmp_remove(path);
}

static void test_table_book(void **state)
{
    (void)state;
    sink_threads = 1;
    table_book();
    sink_threads = 2;
    table_book();
}

/* A CSV without quotes, written cell by cell as strings into a workbook:
 * the table layer must see the same header, rows and problems in both. */
static char *csv_to_book(const char *csv_path)
{
    g_autofree char *data = NULL;
    assert_true(g_file_get_contents(csv_path, &data, NULL, NULL));
    char *path = tmp_path(".xlsx");
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (guint r = 0; lines[r]; r++) {
        g_auto(GStrv) f = g_strsplit(lines[r], ",", -1);
        for (guint c = 0; f[c]; c++)
            if (*f[c])
                worksheet_write_string(ws, r, (lxw_col_t)c, f[c], NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static void test_csv_and_book_agree(void **state)
{
    (void)state;
    static const struct {
        const char *csv;
        RcKind kind;
    } files[] = {
        {"fixtures/example/roster.csv", RC_KIND_ROSTER},
        {"fixtures/example/results.csv", RC_KIND_RESULTS},
        {"fixtures/example/results.csv", RC_KIND_COUNT},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *book = csv_to_book(files[i].csv);
        Run a = {0}, b = {0};
        run_path(files[i].csv, NULL, files[i].kind, &a);
        run_path(book, NULL, files[i].kind, &b);
        assert_true(a.ok);
        assert_true(b.ok);
        assert_false(a.info.workbook);
        assert_string_equal(a.info.encoding, "UTF-8");
        assert_null(a.info.sheet);
        assert_null(a.seen.sheet);
        assert_int_equal(a.seen.header_line, b.seen.header_line);
        assert_string_equal(a.seen.roles->str, b.seen.roles->str);
        assert_string_equal(a.seen.rows->str, b.seen.rows->str);
        assert_string_equal(a.seen.problems->str, b.seen.problems->str);
        assert_int_equal(a.stats.rows, b.stats.rows);
        run_done(&a);
        run_done(&b);
        tmp_remove(book);
    }
}

/* Workbooks checked in under fixtures/xlsx (openpyxl, LibreOffice, .xls):
 * each must read as its CSV twin does, where it has one. */
static void test_fixtures(void **state)
{
    (void)state;
    static const struct {
        const char *book;
        const char *csv;
        RcKind kind;
    } files[] = {
        {"fixtures/xlsx/roster-openpyxl.xlsx", "fixtures/example/roster.csv", RC_KIND_ROSTER},
        {"fixtures/xlsx/results-openpyxl.xlsx", "fixtures/example/results.csv", RC_KIND_RESULTS},
        {"fixtures/xlsx/roster-libreoffice.xlsx", "fixtures/example/roster.csv", RC_KIND_ROSTER},
        {"fixtures/xlsx/results-libreoffice.xlsx", "fixtures/example/results.csv", RC_KIND_RESULTS},
        {"fixtures/xlsx/roster-libreoffice.xls", "fixtures/example/roster.csv", RC_KIND_ROSTER},
        {"fixtures/xlsx/results-libreoffice.xls", "fixtures/example/results.csv", RC_KIND_RESULTS},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
        if (!g_file_test(files[i].book, G_FILE_TEST_EXISTS))
            fail_msg("fixture %s is missing (scripts/make-xlsx-fixtures)", files[i].book);
        print_message("fixture: %s\n", files[i].book);
        Run a = {0}, b = {0};
        run_path(files[i].csv, NULL, files[i].kind, &a);
        run_path(files[i].book, NULL, files[i].kind, &b);
        if (!b.ok)
            fail_msg("%s: %s", files[i].book, b.error->message);
        assert_true(a.ok);
        assert_string_equal(a.seen.roles->str, b.seen.roles->str);
        assert_string_equal(a.seen.rows->str, b.seen.rows->str);
        assert_string_equal(a.seen.problems->str, b.seen.problems->str);
        run_done(&a);
        run_done(&b);
    }
}

/* The fixtures that have no CSV twin: what the table layer hands on. */
static void test_messy_fixtures(void **state)
{
    (void)state;
    static const char mangled_rows[] =
        "2:10号楼|1单元|101|张伟|1.1010119800101E+17|13800000001||\n"
        "3:2号楼|1单元|1001|李娜|1.1010119800101E+17|13800000002|外出|出差至4月20日\n"
        "4:2号楼|1单元|101|王芳|310104770717015|13800000003||\n"
        "5:2号楼|1单元|102|王芳|1.1010119800101E+17|13800000004||\n"
        "6:2号楼|2单元|201|刘洋|3.10104E+17|13800000005||\n"
        "7:10号楼|1单元|102|陈静|1.1010119800101E+17|13800000006||\n";
    static const struct {
        const char *book, *sheet;
        RcKind kind;
        const char *want_sheet;
        guint64 header_line;
        const char *roles, *rows;
    } files[] = {
        {"fixtures/xlsx/roster-messy-openpyxl.xlsx", "名单", RC_KIND_ROSTER, "名单", 3,
         "building,unit,room,name,id,phone,status,extra,extra",
         "4:10号楼|1单元|101|张伟|110101198001010010|13800000001|||2021-05-01\n"
         "5:2号楼|1单元|1001|李娜|110101198001010029|13800000002|外出|出差至4月20日|2021-05-01\n"
         "6:2号楼|1单元|101|王芳|310104770717015|13800000003|||2021-06-12\n"
         "7:2号楼|1单元|102|王芳|110101198001010037|13800000004|||2021-06-12\n"
         "8:2号楼|2单元|201|刘洋|3.1010419770717E+17|13800000005|||2022-01-03\n"
         "9:10号楼|1单元|102|陈静|110101198001010045|13800000006|||2022-01-03\n"
         "10:3号楼|1单元|0301|周杰|0012345678|13800000007||护照|\n"},
        {"fixtures/xlsx/results-messy-openpyxl.xlsx", NULL, RC_KIND_RESULTS, "结果", 1,
         "sampled_at,name,id,phone,result",
         "2:2022-04-10 08:00:00|张伟|110101198001010010||阴性\n"
         "3:2022-04-10 07:00:00|张 伟|110101198001010010||阳性\n"
         "4:2022-04-10 09:05:00|王芳||138-0000-0004|阴性\n"
         "5:2022-04-10 10:00:00|刘洋||13800000005|混管阳性\n"
         "6:2022-04-10 10:30:00|赵磊|110101198001010053||阴性\n"
         "7:2022-04-09 10:00:00|王芳|310104197707170157||阴性\n"
         "8:2022-04-10 11:00:00|陈静|110101198001010045||阴x\n"
         "9:2022-04-10 11:30:00|周杰|0012345678|13800000007|阴性\n"},
        {"fixtures/xlsx/roster-messy-openpyxl.xlsx", "旧名单", RC_KIND_ROSTER, "旧名单", 1,
         "building,name,id", "2:10号楼|张伟|110101198001010010\n3:9号楼|孙丽|110101198001010061\n"},
        {"fixtures/xlsx/roster-libreoffice-numbers.xlsx", NULL, RC_KIND_ROSTER, "roster", 1,
         "building,unit,room,name,id,phone,status,extra", mangled_rows},
        {"fixtures/xlsx/roster-libreoffice-numbers.xls", "1", RC_KIND_ROSTER, "roster", 1,
         "building,unit,room,name,id,phone,status,extra", mangled_rows},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
        print_message("fixture: %s %s\n", files[i].book, files[i].sheet ? files[i].sheet : "");
        Run run = {0};
        run_path(files[i].book, files[i].sheet, files[i].kind, &run);
        if (!run.ok)
            fail_msg("%s: %s", files[i].book, run.error->message);
        assert_string_equal(run.info.sheet, files[i].want_sheet);
        assert_int_equal(run.seen.header_line, files[i].header_line);
        assert_string_equal(run.seen.roles->str, files[i].roles);
        assert_string_equal(run.seen.rows->str, files[i].rows);
        assert_string_equal(run.seen.problems->str, "");
        run_done(&run);
    }
    Run run = {0};
    run_path("fixtures/xlsx/roster-messy-openpyxl.xlsx", NULL, RC_KIND_COUNT, &run);
    assert_true(run.ok);
    assert_string_equal(run.info.sheets[0], "说明");
    assert_true(run.info.hidden[0]);
    assert_int_equal(run.info.sheet_index, 1);
    assert_string_equal(run.info.sheets[2], "旧名单");
    assert_false(run.info.hidden[2]);
    assert_null(run.info.sheets[3]);
    /* every visible sheet is read, each with its header; the hidden one is
     * named as skipped */
    assert_false(run.info.read[0]);
    assert_string_equal(run.info.skipped[0], "hidden");
    assert_true(run.info.read[1]);
    assert_true(run.info.read[2]);
    assert_string_equal(run.seen.roles->str,
                        "building,unit,room,name,id,phone,status,extra,extra;building,name,id");
    assert_int_equal(run.stats.rows, 9);
    run_done(&run);
    /* a list of sheets, by name and number */
    run_path("fixtures/xlsx/roster-messy-openpyxl.xlsx", "3, 名单", RC_KIND_ROSTER, &run);
    assert_true(run.ok);
    assert_string_equal(run.seen.roles->str,
                        "building,name,id;building,unit,room,name,id,phone,status,extra,extra");
    assert_null(run.info.skipped[0]);
    run_done(&run);
    /* a name another workbook of the run holds is no error, as long as
     * one is this one's */
    run_path("fixtures/xlsx/roster-messy-openpyxl.xlsx", "nope,名单", RC_KIND_ROSTER, &run);
    assert_true(run.ok);
    assert_string_equal(run.info.sheet, "名单");
    run_done(&run);
    run_path("fixtures/xlsx/roster-messy-openpyxl.xlsx", "nope,zzz", RC_KIND_ROSTER, &run);
    assert_false(run.ok);
    assert_true(g_error_matches(run.error, RC_XLSX_ERROR, RC_XLSX_ERROR_NO_SHEET));
    run_done(&run);
    /* results: the sheet of totals has no usable header and is skipped */
    run_path("fixtures/xlsx/results-messy-openpyxl.xlsx", NULL, RC_KIND_RESULTS, &run);
    assert_true(run.ok);
    assert_true(run.info.read[0]);
    assert_string_equal(run.info.skipped[1], "no usable header");
    run_done(&run);
    run_path("fixtures/xlsx/roster-libreoffice.xls", NULL, RC_KIND_ROSTER, &run);
    assert_true(run.ok);
    assert_string_equal(run.info.encoding, "xls");
    run_done(&run);
}

#define ICELL(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"

/* DESIGN.md section 1: a roster sheet's empty or ditto place cells take
 * the row above's value (marked " ^"); names, ids and other kinds never. */
static void test_place_inherited(void **state)
{
    (void)state;
    static const char sheet[] = SHEET(
        "<row r=\"1\">" ICELL("A1", "楼号") ICELL("B1", "单元") ICELL("C1", "室号") ICELL("D1", "姓名")
            ICELL("E1", "身份证号") ICELL(
                "F1", "结果") "</row>"
                              "<row r=\"2\">" ICELL("A2", "1号楼") ICELL("B2", "1单元") ICELL("C2", "101")
                                  ICELL("D2", "甲") ICELL(
                                      "E2",
                                      "X1") "</row>"
                                            "<row r=\"3\">" ICELL("B3", "〃") ICELL("C3", "同上") ICELL(
                                                "D3",
                                                "乙") "</row>"
                                                      "<row r=\"4\">" ICELL("A4", " 同上 ")
                                                          ICELL("B4", "2单元") ICELL(
                                                              "D4",
                                                              "同上") "</row>"
                                                                      "<row r=\"5\"/>"
                                                                      "<row r=\"6\">" ICELL("A6", "2号楼")
                                                                          ICELL("B6", "\"")
                                                                              ICELL("C6", "同左")
                                                                                  ICELL("D6", "丁") "</row>");
    Part parts[] = {{P_SHEET, sheet}, {NULL, NULL}};
    g_autofree char *path = write_zip(".xlsx", parts, 1);
    Run run = {0};
    run_path(path, NULL, RC_KIND_ROSTER, &run);
    if (!run.ok)
        fail_msg("%s", run.error->message);
    assert_string_equal(run.seen.rows->str, "2:1号楼|1单元|101|甲|X1|\n"
                                            "3:1号楼|1单元|101|乙|| ^\n"
                                            "4:1号楼|2单元|101|同上|| ^\n"
                                            "6:2号楼|2单元|101|丁|| ^\n");
    run_done(&run);
    /* results never inherit */
    static const char results[] =
        SHEET("<row r=\"1\">" ICELL("A1", "楼号") ICELL("B1", "姓名")
                  ICELL("C1", "结果") "</row>"
                                      "<row r=\"2\">" ICELL("A2", "1号楼") ICELL("B2", "甲")
                                          ICELL("C2", "阴性") "</row>"
                                                              "<row r=\"3\">" ICELL("B3", "乙")
                                                                  ICELL("C3", "阴性") "</row>");
    Part rparts[] = {{P_SHEET, results}, {NULL, NULL}};
    g_autofree char *rpath = write_zip(".xlsx", rparts, 1);
    run_path(rpath, NULL, RC_KIND_RESULTS, &run);
    assert_true(run.ok);
    assert_string_equal(run.seen.rows->str, "2:1号楼|甲|阴性\n3:|乙|阴性\n");
    run_done(&run);
    tmp_remove(path);
    tmp_remove(rpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_text),
        cmocka_unit_test(test_books),
        cmocka_unit_test(test_sheet_list),
        cmocka_unit_test(test_zips),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_escaped_cells),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_ratio_claim),
        cmocka_unit_test(test_not_workbooks),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_table_book),
        cmocka_unit_test(test_csv_and_book_agree),
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_messy_fixtures),
        cmocka_unit_test(test_place_inherited),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

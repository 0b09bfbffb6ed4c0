/* warn: the warnings of a run and their texts (DESIGN.md section 3.5). */
#include <string.h>

#include "warn.h"

/* Each code's name and its sentence in both languages: %1 and %2 stand
 * for the arguments. A code without both texts fails tests/test_warn.c. */
static const struct {
    const char *name, *en, *zh;
} texts[RC_WARN_COUNT] = {
    [RC_WARN_SHEET_SKIPPED] = {"sheet-skipped", "sheet '%1' skipped: %2", "工作表“%1”未读取：%2"},
    [RC_WARN_COLUMN_UNUSED] = {"column-unused",
                               "column '%1' took no part, but its values look like %2: "
                               "name its role with --config if it holds them",
                               "“%1”列未参与比对，但其内容像%2；如确是该列，请在配置文件中指明"},
    [RC_WARN_TIME_ONLY] = {"time-only", "column '%1' holds times of day without a date",
                           "“%1”列只有时刻没有日期"},
    [RC_WARN_NO_ID_MATCHED] =
        {"no-id-matched", "none of its %1 ids is on the roster: is it the right file, or the right roster?",
         "%1个证件号无一在名单中：文件或名单是否选错？"},
    [RC_WARN_IDS_MANGLED] = {"ids-mangled",
                             "%1 of its %2 ids were turned into numbers by a spreadsheet and lost digits: "
                             "those residents can only be found by name; format the id column as text",
                             "%2个证件号中有%1个被表格软件转成数字而丢失位数，这些居民只能按姓名找回；"
                             "请把证件号列设为文本"},
    [RC_WARN_MOSTLY_PROBLEMS] = {"mostly-problems", "%1 of its %2 rows are problems: see --problems",
                                 "%2行中有%1行有问题，见问题表"},
    [RC_WARN_RAGGED_ROWS] = {"ragged-rows", "rows with more or fewer fields than the header, kept: %1",
                             "字段数与表头不符但已保留的行：%1"},
    [RC_WARN_DAY_WITHOUT_DATA] = {"day-without-data",
                                  "no result row fell on %1: is its export missing? every resident shows "
                                  "missing on that day",
                                  "%1没有任何检测结果：是否缺少当天的导出文件？当天所有居民均显示未检测"},
    [RC_WARN_INPUT_PARTIAL] = {"input-partial",
                               "skipped: a name ending in .partial is a file still being copied; "
                               "it is read once renamed",
                               "未读取：以 .partial 结尾的文件仍在复制中，改名后才会读取"},
};

const char *rc_warn_code_name(RcWarnCode code)
{
    return (code >= 0 && code < RC_WARN_COUNT) ? texts[code].name : "";
}

/* What a column's values look like (rc_table_looks_name), in Chinese. */
static const char *looks_zh(const char *en)
{
    static const char *const words[][2] = {
        {"ids", "证件号"},
        {"phones", "电话号码"},
        {"result words", "检测结果用词"},
        {"times of day without a date", "没有日期的时刻"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
        if (strcmp(en, words[i][0]) == 0)
            return words[i][1];
    return en;
}

char *rc_warning_text(const RcWarning *w, gboolean zh)
{
    const char *t =
        (w->code >= 0 && w->code < RC_WARN_COUNT) ? (zh ? texts[w->code].zh : texts[w->code].en) : "";
    GString *g = g_string_new(NULL);
    for (const char *p = t; *p; p++) {
        if (p[0] == '%' && (p[1] == '1' || p[1] == '2')) {
            const char *arg = p[1] == '1' ? w->a1 : w->a2;
            if (zh && p[1] == '2' && w->code == RC_WARN_COLUMN_UNUSED)
                arg = looks_zh(arg);
            g_string_append(g, arg);
            p++;
        } else {
            g_string_append_c(g, *p);
        }
    }
    return g_string_free(g, FALSE);
}

struct RcWarnings {
    GArray *list; /* RcWarning */
};

RcWarnings *rc_warnings_new(void)
{
    RcWarnings *ws = g_new0(RcWarnings, 1);
    ws->list = g_array_new(FALSE, TRUE, sizeof(RcWarning));
    return ws;
}

void rc_warnings_free(RcWarnings *ws)
{
    if (!ws)
        return;
    for (guint i = 0; i < ws->list->len; i++) {
        RcWarning *w = &g_array_index(ws->list, RcWarning, i);
        g_free(w->file);
        g_free(w->a1);
        g_free(w->a2);
    }
    g_array_unref(ws->list);
    g_free(ws);
}

void rc_warnings_add(RcWarnings *ws, RcWarnCode code, const char *file, const char *a1, const char *a2)
{
    RcWarning w = {code, g_strdup(file ? file : ""), g_strdup(a1 ? a1 : ""), g_strdup(a2 ? a2 : "")};
    g_array_append_val(ws->list, w);
}

void rc_warnings_addn(RcWarnings *ws, RcWarnCode code, const char *file, guint64 a1, guint64 a2)
{
    char b1[24], b2[24];
    g_snprintf(b1, sizeof b1, "%" G_GUINT64_FORMAT, a1);
    g_snprintf(b2, sizeof b2, "%" G_GUINT64_FORMAT, a2);
    rc_warnings_add(ws, code, file, b1, b2);
}

const RcWarning *rc_warnings_get(const RcWarnings *ws, guint *n)
{
    *n = ws->list->len;
    return (const RcWarning *)(void *)ws->list->data;
}

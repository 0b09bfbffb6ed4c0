/* labels: the zh / en table. */
#include "labels.h"
#include "codes.h"

#include <string.h>

typedef struct {
    const char *zh, *en;
} Pair;

static const char *pick(const Pair *p, RcLang lang)
{
    return lang == RC_LANG_EN ? p->en : p->zh;
}

gboolean rc_lang_from_name(const char *name, RcLang *lang)
{
    if (name && g_ascii_strcasecmp(name, "zh") == 0)
        *lang = RC_LANG_ZH;
    else if (name && g_ascii_strcasecmp(name, "en") == 0)
        *lang = RC_LANG_EN;
    else
        return FALSE;
    return TRUE;
}

static const Pair labels[RC_LABEL_COUNT] = {
    [RC_LABEL_SHEET_SUMMARY] = {"汇总", "Summary"},
    [RC_LABEL_SHEET_ALL] = {"全部", "All"},
    [RC_LABEL_SHEET_POSITIVE] = {"阳性", "Positive"},
    [RC_LABEL_SHEET_ATTENTION] = {"待复核", "Attention"},
    [RC_LABEL_SHEET_MISSING] = {"未检测", "Missing"},
    [RC_LABEL_SHEET_NEGATIVE] = {"阴性", "Negative"},
    [RC_LABEL_SHEET_EXEMPT] = {"免检", "Exempt"},
    [RC_LABEL_SHEET_UNMATCHED] = {"名单外", "Unmatched"},
    [RC_LABEL_SHEET_PROBLEMS] = {"问题", "Problems"},
    [RC_LABEL_SHEET_HISTORY] = {"历史", "History"},
    [RC_LABEL_SHEET_OVERDUE] = {"逾期", "Overdue"},
    [RC_LABEL_LAST_NEGATIVE] = {"最近阴性采样", "Last negative"},
    [RC_LABEL_HOURS_SINCE_NEGATIVE] = {"距今小时", "Hours since"},
    [RC_LABEL_MISSED_IN_A_ROW] = {"连续未检天数", "Missed in a row"},
    [RC_LABEL_DAYS_TESTED] = {"检测天数", "Days tested"},
    [RC_LABEL_OVERDUE] = {"逾期", "Overdue"},
    [RC_LABEL_YES] = {"是", "yes"},
    [RC_LABEL_NO] = {"否", "no"},
    [RC_LABEL_DAY_COVERAGE] = {"每日覆盖率", "Coverage by day"},
    [RC_LABEL_SHEET_DOOR] = {"入户", "Door-to-door"},
    [RC_LABEL_FLOOR] = {"楼层", "Floor"},
    [RC_LABEL_FLOOR_UNKNOWN] = {"楼层不明", "unknown"},
    [RC_LABEL_HOUSEHOLD] = {"本户", "Household"},
    [RC_LABEL_STATUS] = {"状态", "Status"},
    [RC_LABEL_NOTE] = {"入户记录", "Volunteer's note"},
    [RC_LABEL_HOUSEHOLD_ALL] = {"全户已检", "all tested"},
    [RC_LABEL_HOUSEHOLD_PARTLY] = {"部分已检", "partly tested"},
    [RC_LABEL_HOUSEHOLD_NONE] = {"全户未检", "none tested"},
    [RC_LABEL_HOUSEHOLD_EXEMPT] = {"全户免检", "all exempt"},
    [RC_LABEL_SHEET_FLOORS] = {"楼层", "Floors"},
    [RC_LABEL_FLOORS_UNPLACED] = {"无法按楼层排列的房间：", "Rooms without a floor:"},
    [RC_LABEL_SHEET_TUBES] = {"异常管", "Tubes"},
    [RC_LABEL_TUBE] = {"试管编号", "Tube"},
    [RC_LABEL_TUBE_RESULT] = {"本行结果", "Row's result"},
    [RC_LABEL_CHART_DAYS] = {"每日覆盖率（按楼栋）", "Coverage by day and building"},
    [RC_LABEL_TITLE] = {"核酸检测结果汇总", "Test results by building"},
    [RC_LABEL_BUILDING] = {"楼栋", "Building"},
    [RC_LABEL_RESIDENTS] = {"居民", "Residents"},
    [RC_LABEL_TESTED] = {"已检测", "Tested"},
    [RC_LABEL_COVERAGE] = {"检测率", "Coverage"},
    [RC_LABEL_TOTAL] = {"合计", "Total"},
    [RC_LABEL_NO_BUILDING] = {"（未填楼栋）", "(no building)"},
    [RC_LABEL_FACTS] = {"本次运行", "This run"},
    [RC_LABEL_FACTS_WHOLE] = {"（以下为全区本次运行的统计）", "(the figures below cover the whole run)"},
    [RC_LABEL_VERSION] = {"程序版本", "Version"},
    [RC_LABEL_GENERATED_AT] = {"生成时间", "Generated at"},
    [RC_LABEL_WINDOW_SINCE] = {"采样时间自", "Samples from"},
    [RC_LABEL_WINDOW_UNTIL] = {"采样时间至（不含）", "Samples before"},
    [RC_LABEL_WINDOW_OPEN] = {"不限", "any time"},
    [RC_LABEL_INPUTS] = {"输入文件", "Input files"},
    [RC_LABEL_INPUT_KIND] = {"类型", "Kind"},
    [RC_LABEL_INPUT_ROWS] = {"行数", "Rows"},
    [RC_LABEL_INPUT_ENCODING] = {"编码", "Encoding"},
    [RC_LABEL_INPUT_FILE] = {"文件", "File"},
    [RC_LABEL_RESULT_ROWS] = {"结果行", "Result rows"},
    [RC_LABEL_APPLIED] = {"已计入居民", "applied to a resident"},
    [RC_LABEL_DUPLICATE_ROWS] = {"其中同一样本重复（只计一次）",
                                 "of which the same sample again (counted once)"},
    [RC_LABEL_OUT_OF_WINDOW] = {"不在时间范围内", "outside the window"},
    [RC_LABEL_UNMATCHED_ROWS] = {"名单外", "not on the roster"},
    [RC_LABEL_PROBLEM_ROWS] = {"问题行", "problem rows"},
    [RC_LABEL_IGNORED_ROWS] = {"非数据行（合计、签名、重复表头）",
                               "rows that are not data (totals, signatures, repeated headers)"},
    [RC_LABEL_ROSTER_ROWS] = {"名单行", "Roster rows"},
    [RC_LABEL_ROSTER_RESIDENTS] = {"居民", "residents"},
    [RC_LABEL_LEGEND] = {"颜色说明", "Colours"},
    [RC_LABEL_WARNINGS] = {"请注意：结果可能不完整", "Warnings: the answer may be incomplete"},
    [RC_LABEL_LEGEND_UNMATCHED] = {"结果不在名单上（名单外表）",
                                   "a result not on the roster (Unmatched sheet)"},
    [RC_LABEL_CHART_TITLE] = {"各楼栋检测情况", "States by building"},
    [RC_LABEL_CHART_OMITTED] = {"楼栋太多（%u 栋），不绘图；请看上表。",
                                "Too many buildings (%u) to draw; see the table above."},
    [RC_LABEL_NONE] = {"（无）", "(none)"},
    [RC_LABEL_SEE_WHOLE] = {"（见全区工作簿）", "(see the whole-area workbook)"},
    [RC_LABEL_FOOTER] = {"第 &P 页，共 &N 页", "Page &P of &N"},
};

const char *rc_label(RcLang lang, RcLabel id)
{
    if ((int)id < 0 || id >= RC_LABEL_COUNT)
        return "";
    return pick(&labels[id], lang);
}

static const Pair states[RC_STATE_COUNT] = {
    [RC_STATE_NEGATIVE] = {"阴性", "Negative"},   [RC_STATE_POSITIVE] = {"阳性", "Positive"},
    [RC_STATE_REVIEW] = {"待复核", "Review"},     [RC_STATE_INVALID] = {"无效", "Invalid"},
    [RC_STATE_PENDING] = {"待出结果", "Pending"}, [RC_STATE_MISSING] = {"未检测", "Missing"},
    [RC_STATE_EXEMPT] = {"免检", "Exempt"},
};

static const Pair meanings[RC_STATE_COUNT] = {
    [RC_STATE_NEGATIVE] = {"最近一次结果阴性", "latest result negative"},
    [RC_STATE_POSITIVE] = {"有阳性结果", "a positive result"},
    [RC_STATE_REVIEW] = {"混管阳性或可疑，需复核", "pooled positive or doubtful: retest"},
    [RC_STATE_INVALID] = {"样本无效，需重采", "sample invalid: retest"},
    [RC_STATE_PENDING] = {"已采样，未出结果", "sampled, no result yet"},
    [RC_STATE_MISSING] = {"名单上有，未检测", "on the roster, not tested"},
    [RC_STATE_EXEMPT] = {"外出等，免检", "away or exempt"},
};

const char *rc_label_state_letter(RcLang lang, RcState state)
{
    static const char *const letters[2][RC_STATE_COUNT] = {
        {"阴", "阳", "复", "废", "待", "缺", "免"},
        {"N", "P", "R", "I", "W", "M", "E"},
    };
    if ((int)state < 0 || state >= RC_STATE_COUNT)
        return "";
    return letters[lang == RC_LANG_EN][state];
}

const char *rc_label_state(RcLang lang, RcState state)
{
    if ((int)state < 0 || state >= RC_STATE_COUNT)
        return "";
    return pick(&states[state], lang);
}

const char *rc_label_state_meaning(RcLang lang, RcState state)
{
    if ((int)state < 0 || state >= RC_STATE_COUNT)
        return "";
    return pick(&meanings[state], lang);
}

static const Pair columns[RC_COL_FIXED] = {
    [RC_COL_BUILDING] = {"楼栋", "Building"},
    [RC_COL_UNIT] = {"单元", "Unit"},
    [RC_COL_ROOM] = {"房号", "Room"},
    [RC_COL_NAME] = {"姓名", "Name"},
    [RC_COL_ID] = {"证件号码", "ID number"},
    [RC_COL_PHONE] = {"手机号", "Phone"},
    [RC_COL_STATE] = {"状态", "State"},
    [RC_COL_RESULT] = {"检测结果", "Result"},
    [RC_COL_SAMPLED_AT] = {"采样时间", "Sampled at"},
    [RC_COL_MATCH] = {"匹配方式", "Matched by"},
    [RC_COL_FLAGS] = {"标记", "Flags"},
    [RC_COL_STATUS] = {"人员状态", "Status"},
    [RC_COL_SOURCE] = {"来源", "Source"},
};

const char *rc_label_column(RcLang lang, RcColumn col)
{
    if ((int)col < 0 || col >= RC_COL_FIXED)
        return NULL;
    return pick(&columns[col], lang);
}

static const Pair spool_columns[RC_SPOOL_FIELDS] = {
    [RC_SPOOL_FILE] = {"文件", "File"},
    [RC_SPOOL_LINE] = {"行号", "Line"},
    [RC_SPOOL_KIND] = {"类型", "Kind"},
    [RC_SPOOL_REASON] = {"原因", "Reason"},
    [RC_SPOOL_ID] = {"证件号码", "ID number"},
    [RC_SPOOL_NAME] = {"姓名", "Name"},
    [RC_SPOOL_PHONE] = {"手机号", "Phone"},
    [RC_SPOOL_RESULT] = {"检测结果", "Result"},
    [RC_SPOOL_SAMPLED_AT] = {"采样时间", "Sampled at"},
    [RC_SPOOL_RAW] = {"原始内容", "Raw row"},
};

const char *rc_label_spool_column(RcLang lang, int f)
{
    if (f < 0 || f >= RC_SPOOL_FIELDS)
        return "";
    return pick(&spool_columns[f], lang);
}

static const Pair kinds[RC_KIND_COUNT] = {
    [RC_KIND_ROSTER] = {"名单", "Roster"},
    [RC_KIND_RESULTS] = {"结果", "Results"},
};

const char *rc_label_kind(RcLang lang, RcKind kind)
{
    if ((int)kind < 0 || kind >= RC_KIND_COUNT)
        return "";
    return pick(&kinds[kind], lang);
}

const char *rc_label_kind_name(RcLang lang, const char *name)
{
    for (int k = 0; k < RC_KIND_COUNT; k++)
        if (strcmp(name, rc_kind_name((RcKind)k)) == 0)
            return rc_label_kind(lang, (RcKind)k);
    return name;
}

static const Pair matches[RC_MATCH_COUNT] = {
    [RC_MATCH_NONE] = {"", ""},
    [RC_MATCH_ID] = {"证件号", "ID"},
    [RC_MATCH_NAME_PHONE] = {"姓名+电话", "name + phone"},
    [RC_MATCH_NAME_ID_TYPO] = {"姓名+证件号笔误", "name + ID typo"},
    [RC_MATCH_NAME_MASKED_ID] = {"姓名+脱敏证件号", "name + masked ID"},
    [RC_MATCH_NAME_HOUSEHOLD] = {"姓名+同户", "name + household"},
};

const char *rc_label_match(RcLang lang, RcMatch match)
{
    if ((int)match < 0 || match >= RC_MATCH_COUNT)
        return "";
    return pick(&matches[match], lang);
}

const char *rc_label_flags(RcLang lang, const char *text, GString *out)
{
    g_string_truncate(out, 0);
    const char *sep = lang == RC_LANG_EN ? "; " : "；";
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, ';');
        gsize len = end ? (gsize)(end - p) : strlen(p);
        if (out->len)
            g_string_append(out, sep);
        int k;
        for (k = 0; k < RC_FLAG_COUNT; k++) {
            const RcFlagInfo *fl = rc_flag((RcFlag)k);
            gsize fln = strlen(fl->name);
            if (len >= fln && strncmp(p, fl->name, fln) == 0 && (len == fln || p[fln] == ':')) {
                g_string_append(out, lang == RC_LANG_EN ? fl->en : fl->zh);
                /* the raw value after ':' (only id-mangled has one) */
                g_string_append_len(out, p + fln, (gssize)(len - fln));
                break;
            }
        }
        if (k == RC_FLAG_COUNT)
            g_string_append_len(out, p, (gssize)len);
        p += len;
        if (*p == ';')
            p++;
    }
    return out->str;
}

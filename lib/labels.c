/* labels: the zh / en table. */
#include "labels.h"

#include <string.h>

typedef struct {
    const char *zh, *en;
} Pair;

static const char *
pick(const Pair *p, RcLang lang)
{
    return lang == RC_LANG_EN ? p->en : p->zh;
}

gboolean
rc_lang_from_name(const char *name, RcLang *lang)
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
    [RC_LABEL_SHEET_SUMMARY] = { "汇总", "Summary" },
    [RC_LABEL_SHEET_ALL] = { "全部", "All" },
    [RC_LABEL_SHEET_POSITIVE] = { "阳性", "Positive" },
    [RC_LABEL_SHEET_ATTENTION] = { "待复核", "Attention" },
    [RC_LABEL_SHEET_MISSING] = { "未检测", "Missing" },
    [RC_LABEL_SHEET_NEGATIVE] = { "阴性", "Negative" },
    [RC_LABEL_SHEET_EXEMPT] = { "免检", "Exempt" },
    [RC_LABEL_SHEET_UNMATCHED] = { "名单外", "Unmatched" },
    [RC_LABEL_SHEET_PROBLEMS] = { "问题", "Problems" },
    [RC_LABEL_SHEET_HISTORY] = { "历史", "History" },
    [RC_LABEL_SHEET_OVERDUE] = { "逾期", "Overdue" },
    [RC_LABEL_LAST_NEGATIVE] = { "最近阴性采样", "Last negative" },
    [RC_LABEL_HOURS_SINCE_NEGATIVE] = { "距今小时", "Hours since" },
    [RC_LABEL_MISSED_IN_A_ROW] = { "连续未检天数", "Missed in a row" },
    [RC_LABEL_DAYS_TESTED] = { "检测天数", "Days tested" },
    [RC_LABEL_OVERDUE] = { "逾期", "Overdue" },
    [RC_LABEL_YES] = { "是", "yes" },
    [RC_LABEL_NO] = { "否", "no" },
    [RC_LABEL_DAY_COVERAGE] = { "每日覆盖率", "Coverage by day" },
    [RC_LABEL_SHEET_DOOR] = { "入户", "Door-to-door" },
    [RC_LABEL_FLOOR] = { "楼层", "Floor" },
    [RC_LABEL_FLOOR_UNKNOWN] = { "楼层不明", "unknown" },
    [RC_LABEL_HOUSEHOLD] = { "本户", "Household" },
    [RC_LABEL_STATUS] = { "状态", "Status" },
    [RC_LABEL_NOTE] = { "入户记录", "Volunteer's note" },
    [RC_LABEL_HOUSEHOLD_ALL] = { "全户已检", "all tested" },
    [RC_LABEL_HOUSEHOLD_PARTLY] = { "部分已检", "partly tested" },
    [RC_LABEL_HOUSEHOLD_NONE] = { "全户未检", "none tested" },
    [RC_LABEL_HOUSEHOLD_EXEMPT] = { "全户免检", "all exempt" },
    [RC_LABEL_TITLE] = { "核酸检测结果汇总", "Test results by building" },
    [RC_LABEL_BUILDING] = { "楼栋", "Building" },
    [RC_LABEL_RESIDENTS] = { "居民", "Residents" },
    [RC_LABEL_TESTED] = { "已检测", "Tested" },
    [RC_LABEL_COVERAGE] = { "检测率", "Coverage" },
    [RC_LABEL_TOTAL] = { "合计", "Total" },
    [RC_LABEL_NO_BUILDING] = { "（未填楼栋）", "(no building)" },
    [RC_LABEL_FACTS] = { "本次运行", "This run" },
    [RC_LABEL_FACTS_WHOLE] = { "（以下为全区本次运行的统计）", "(the figures below cover the whole run)" },
    [RC_LABEL_VERSION] = { "程序版本", "Version" },
    [RC_LABEL_GENERATED_AT] = { "生成时间", "Generated at" },
    [RC_LABEL_WINDOW_SINCE] = { "采样时间自", "Samples from" },
    [RC_LABEL_WINDOW_UNTIL] = { "采样时间至（不含）", "Samples before" },
    [RC_LABEL_WINDOW_OPEN] = { "不限", "any time" },
    [RC_LABEL_INPUTS] = { "输入文件", "Input files" },
    [RC_LABEL_INPUT_KIND] = { "类型", "Kind" },
    [RC_LABEL_INPUT_ROWS] = { "行数", "Rows" },
    [RC_LABEL_INPUT_ENCODING] = { "编码", "Encoding" },
    [RC_LABEL_INPUT_FILE] = { "文件", "File" },
    [RC_LABEL_RESULT_ROWS] = { "结果行", "Result rows" },
    [RC_LABEL_APPLIED] = { "已计入居民", "applied to a resident" },
    [RC_LABEL_OUT_OF_WINDOW] = { "不在时间范围内", "outside the window" },
    [RC_LABEL_UNMATCHED_ROWS] = { "名单外", "not on the roster" },
    [RC_LABEL_PROBLEM_ROWS] = { "问题行", "problem rows" },
    [RC_LABEL_IGNORED_ROWS] = { "非数据行（合计、签名、重复表头）", "rows that are not data (totals, signatures, repeated headers)" },
    [RC_LABEL_ROSTER_ROWS] = { "名单行", "Roster rows" },
    [RC_LABEL_ROSTER_RESIDENTS] = { "居民", "residents" },
    [RC_LABEL_LEGEND] = { "颜色说明", "Colours" },
    [RC_LABEL_WARNINGS] = { "请注意：结果可能不完整", "Warnings: the answer may be incomplete" },
    [RC_LABEL_LEGEND_UNMATCHED] = { "结果不在名单上（名单外表）", "a result not on the roster (Unmatched sheet)" },
    [RC_LABEL_CHART_TITLE] = { "各楼栋检测情况", "States by building" },
    [RC_LABEL_CHART_OMITTED] = { "楼栋太多（%u 栋），不绘图；请看上表。",
                                 "Too many buildings (%u) to draw; see the table above." },
    [RC_LABEL_NONE] = { "（无）", "(none)" },
    [RC_LABEL_SEE_WHOLE] = { "（见全区工作簿）", "(see the whole-area workbook)" },
    [RC_LABEL_FOOTER] = { "第 &P 页，共 &N 页", "Page &P of &N" },
};

const char *
rc_label(RcLang lang, RcLabel id)
{
    if ((int)id < 0 || id >= RC_LABEL_COUNT)
        return "";
    return pick(&labels[id], lang);
}

static const Pair states[RC_STATE_COUNT] = {
    [RC_STATE_NEGATIVE] = { "阴性", "Negative" },
    [RC_STATE_POSITIVE] = { "阳性", "Positive" },
    [RC_STATE_REVIEW] = { "待复核", "Review" },
    [RC_STATE_INVALID] = { "无效", "Invalid" },
    [RC_STATE_PENDING] = { "待出结果", "Pending" },
    [RC_STATE_MISSING] = { "未检测", "Missing" },
    [RC_STATE_EXEMPT] = { "免检", "Exempt" },
};

static const Pair meanings[RC_STATE_COUNT] = {
    [RC_STATE_NEGATIVE] = { "最近一次结果阴性", "latest result negative" },
    [RC_STATE_POSITIVE] = { "有阳性结果", "a positive result" },
    [RC_STATE_REVIEW] = { "混管阳性或可疑，需复核", "pooled positive or doubtful: retest" },
    [RC_STATE_INVALID] = { "样本无效，需重采", "sample invalid: retest" },
    [RC_STATE_PENDING] = { "已采样，未出结果", "sampled, no result yet" },
    [RC_STATE_MISSING] = { "名单上有，未检测", "on the roster, not tested" },
    [RC_STATE_EXEMPT] = { "外出等，免检", "away or exempt" },
};

const char *
rc_label_state_letter(RcLang lang, RcState state)
{
    static const char *const letters[2][RC_STATE_COUNT] = {
        { "阴", "阳", "复", "废", "待", "缺", "免" },
        { "N", "P", "R", "I", "W", "M", "E" },
    };
    if ((int)state < 0 || state >= RC_STATE_COUNT)
        return "";
    return letters[lang == RC_LANG_EN][state];
}

const char *
rc_label_state(RcLang lang, RcState state)
{
    if ((int)state < 0 || state >= RC_STATE_COUNT)
        return "";
    return pick(&states[state], lang);
}

const char *
rc_label_state_meaning(RcLang lang, RcState state)
{
    if ((int)state < 0 || state >= RC_STATE_COUNT)
        return "";
    return pick(&meanings[state], lang);
}

static const Pair columns[RC_COL_FIXED] = {
    [RC_COL_BUILDING] = { "楼栋", "Building" },
    [RC_COL_UNIT] = { "单元", "Unit" },
    [RC_COL_ROOM] = { "房号", "Room" },
    [RC_COL_NAME] = { "姓名", "Name" },
    [RC_COL_ID] = { "证件号码", "ID number" },
    [RC_COL_PHONE] = { "手机号", "Phone" },
    [RC_COL_STATE] = { "状态", "State" },
    [RC_COL_RESULT] = { "检测结果", "Result" },
    [RC_COL_SAMPLED_AT] = { "采样时间", "Sampled at" },
    [RC_COL_MATCH] = { "匹配方式", "Matched by" },
    [RC_COL_FLAGS] = { "标记", "Flags" },
    [RC_COL_SOURCE] = { "来源", "Source" },
};

const char *
rc_label_column(RcLang lang, RcColumn col)
{
    if ((int)col < 0 || col >= RC_COL_FIXED)
        return NULL;
    return pick(&columns[col], lang);
}

static const Pair spool_columns[RC_SPOOL_FIELDS] = {
    [RC_SPOOL_FILE] = { "文件", "File" },
    [RC_SPOOL_LINE] = { "行号", "Line" },
    [RC_SPOOL_KIND] = { "类型", "Kind" },
    [RC_SPOOL_REASON] = { "原因", "Reason" },
    [RC_SPOOL_ID] = { "证件号码", "ID number" },
    [RC_SPOOL_NAME] = { "姓名", "Name" },
    [RC_SPOOL_PHONE] = { "手机号", "Phone" },
    [RC_SPOOL_RESULT] = { "检测结果", "Result" },
    [RC_SPOOL_SAMPLED_AT] = { "采样时间", "Sampled at" },
    [RC_SPOOL_RAW] = { "原始内容", "Raw row" },
};

const char *
rc_label_spool_column(RcLang lang, int f)
{
    if (f < 0 || f >= RC_SPOOL_FIELDS)
        return "";
    return pick(&spool_columns[f], lang);
}

static const Pair kinds[RC_KIND_COUNT] = {
    [RC_KIND_ROSTER] = { "名单", "Roster" },
    [RC_KIND_RESULTS] = { "结果", "Results" },
};

const char *
rc_label_kind(RcLang lang, RcKind kind)
{
    if ((int)kind < 0 || kind >= RC_KIND_COUNT)
        return "";
    return pick(&kinds[kind], lang);
}

const char *
rc_label_kind_name(RcLang lang, const char *name)
{
    for (int k = 0; k < RC_KIND_COUNT; k++)
        if (strcmp(name, rc_kind_name((RcKind)k)) == 0)
            return rc_label_kind(lang, (RcKind)k);
    return name;
}

static const Pair matches[RC_MATCH_COUNT] = {
    [RC_MATCH_NONE] = { "", "" },
    [RC_MATCH_ID] = { "证件号", "ID" },
    [RC_MATCH_NAME_PHONE] = { "姓名+电话", "name + phone" },
    [RC_MATCH_NAME_ID_TYPO] = { "姓名+证件号笔误", "name + ID typo" },
    [RC_MATCH_NAME_MASKED_ID] = { "姓名+脱敏证件号", "name + masked ID" },
};

const char *
rc_label_match(RcLang lang, RcMatch match)
{
    if ((int)match < 0 || match >= RC_MATCH_COUNT)
        return "";
    return pick(&matches[match], lang);
}

/* Flags as report.c spells them; "id-mangled" carries ":RAW" after it. */
static const struct {
    const char *flag;
    Pair words;
} flags[] = {
    { "id-mangled", { "证件号被表格软件改坏", "ID mangled by a spreadsheet" } },
    { "id-too-long", { "证件号过长，无法使用", "ID too long to use" } },
    { "id-checksum", { "证件号校验位不符", "ID check digit wrong" } },
    { "id-15", { "15位证件号已升为18位", "15-digit ID upgraded" } },
    { "name-differs", { "姓名与结果不一致", "name differs in the result" } },
    { "ragged-row", { "列数与表头不符", "ragged row" } },
    { "place-inherited", { "楼栋/单元/房号沿用上一行（合并单元格或“同上”）", "place taken from the row above (merged cells or a ditto mark)" } },
    { "result-unrecognised", { "结果用词无法识别但可能阳性，按待复核", "result word unknown but may be positive: review" } },
};

const char *
rc_label_flags(RcLang lang, const char *text, GString *out)
{
    g_string_truncate(out, 0);
    const char *sep = lang == RC_LANG_EN ? "; " : "；";
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, ';');
        gsize len = end ? (gsize)(end - p) : strlen(p);
        if (out->len)
            g_string_append(out, sep);
        gsize i;
        for (i = 0; i < G_N_ELEMENTS(flags); i++) {
            gsize fl = strlen(flags[i].flag);
            if (len >= fl && strncmp(p, flags[i].flag, fl) == 0 && (len == fl || p[fl] == ':')) {
                g_string_append(out, pick(&flags[i].words, lang));
                /* the raw value after ':' (only id-mangled has one) */
                g_string_append_len(out, p + fl, (gssize)(len - fl));
                break;
            }
        }
        if (i == G_N_ELEMENTS(flags))
            g_string_append_len(out, p, (gssize)len);
        p += len;
        if (*p == ';')
            p++;
    }
    return out->str;
}

/* English as the machine says it, and its Chinese. */
typedef struct {
    const char *en, *zh;
} Translation;

/* Reasons as lib/merge.c and lib/table.c word them. "{}" stands for any
 * text, carried over in order. More specific forms first. */
static const Translation reasons[] = {
    { "neither a usable id nor a name", "既无可用的证件号，也无姓名" },
    { "no name, and the id was mangled by a spreadsheet", "无姓名，且证件号已被表格软件改坏" },
    { "no name, and the id is masked", "无姓名，且证件号已脱敏" },
    { "duplicate id, first at {}", "证件号重复，首次出现在 {}" },
    { "no resident with this id or name", "名单上没有此证件号，也没有此姓名" },
    { "no resident with this name", "名单上没有此姓名" },
    { "no resident with this id, and no name to rescue it", "名单上没有此证件号，且无姓名可核对" },
    { "name not unique: several residents share this name and phone", "姓名不唯一：多位居民姓名和电话都相同" },
    { "name not unique: several residents of this name fit the id", "姓名不唯一：多位同名居民都与证件号相符" },
    { "name not unique, and neither phone nor id tells them apart", "姓名不唯一，电话和证件号都无法区分" },
    { "nothing to confirm it: the name is on the roster but neither phone nor id agrees",
      "无法确认：名单上有此姓名，但电话和证件号都对不上" },
    { "no usable time: sampled_at and reported_at are empty or unreadable", "没有可用的时间：采样时间和报告时间都为空或无法识别" },
    { "no usable time: sampled_at '{}': {}", "没有可用的时间：采样时间“{}”：{}" },
    { "sampled_at '{}' is a time of day without a date: no sampling date column completes it",
      "采样时间“{}”只有时刻没有日期：没有采样日期列可补全" },
    { "unknown result '{}'", "无法识别的检测结果“{}”" },
    { "result '{}': the sign in brackets disagrees with the word", "检测结果“{}”：括号中的符号与结果不符" },
    { "{} fields where the header has {}: a needed column is missing", "本行 {} 列，表头 {} 列：缺少必需的列" },
    { "{} fields where the header has {}", "本行 {} 列，表头 {} 列" },
    { "record longer than 1 MiB", "记录超过 1 MiB" },
    { "field longer than 64 KiB", "字段超过 64 KiB" },
    { "quoted field never closed before the end of the file", "引号内的字段直到文件末尾都未闭合" },
    { "a cell the .xls reader cannot read", "有单元格 .xls 读取器无法读取" },
    { "two cells in one column", "同一列有两个单元格" },
};

/* Why a time did not parse (lib/norm_time.c), as carried inside a reason. */
static const Translation time_reasons[] = {
    { "empty", "为空" },
    { "not a time", "不是时间" },
    { "no such date", "日期不存在" },
    { "no such time", "时刻不存在" },
    { "time zone not allowed", "不接受时区" },
    { "unknown time zone", "无法识别的时区" },
    { "time zone without a time", "有时区却没有时刻" },
    { "year-last date with a month over 12", "年份在后的日期按月/日/年读，月份不能大于12" },
};

#define MAX_HOLES 4

/* Matches S against template T ("{}" matches any text, shortest first);
 * on success fills HOLES with (start, length) pairs. */
static gboolean
match_template(const char *t, const char *s, const char *holes[][2], int n)
{
    for (;;) {
        if (t[0] == '{' && t[1] == '}') {
            if (n >= MAX_HOLES)
                return FALSE;
            for (const char *e = s;; e++) {
                if (match_template(t + 2, e, holes, n + 1)) {
                    holes[n][0] = s;
                    holes[n][1] = e;
                    return TRUE;
                }
                if (!*e)
                    return FALSE;
            }
        }
        if (!*t)
            return !*s;
        if (*t != *s)
            return FALSE;
        t++;
        s++;
    }
}

/* The zh words of a carried text that is itself a time reason, else NULL. */
static const char *
time_reason(const char *s, gsize len)
{
    for (gsize i = 0; i < G_N_ELEMENTS(time_reasons); i++)
        if (strlen(time_reasons[i].en) == len && strncmp(time_reasons[i].en, s, len) == 0)
            return time_reasons[i].zh;
    return NULL;
}

static gboolean
translate(const char *reason, GString *out)
{
    for (gsize i = 0; i < G_N_ELEMENTS(reasons); i++) {
        /* Zeroed, and read no further than MAX_HOLES: a zh text with more
         * holes than its en one copies nothing rather than garbage. */
        const char *holes[MAX_HOLES][2] = { { NULL, NULL } };
        if (!match_template(reasons[i].en, reason, holes, 0))
            continue;
        int h = 0;
        for (const char *z = reasons[i].zh; *z;) {
            if (z[0] == '{' && z[1] == '}') {
                if (h < MAX_HOLES && holes[h][0]) {
                    gsize hl = (gsize)(holes[h][1] - holes[h][0]);
                    const char *w = time_reason(holes[h][0], hl);
                    if (w)
                        g_string_append(out, w);
                    else
                        g_string_append_len(out, holes[h][0], (gssize)hl);
                }
                h++;
                z += 2;
            } else {
                g_string_append_c(out, *z++);
            }
        }
        return TRUE;
    }
    return FALSE;
}

const char *
rc_label_reason(RcLang lang, const char *reason, GString *out)
{
    g_string_truncate(out, 0);
    if (lang == RC_LANG_EN || !translate(reason, out))
        g_string_assign(out, reason);
    return out->str;
}

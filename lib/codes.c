/* codes: reasons and flags with their texts (codes.h). */
#include "codes.h"
#include "norm.h"
#include "roster.h"

#include <string.h>

/* An encoded reason: START, the code's byte (CODE_BASE + code), then each
 * argument after SEP. Neither byte occurs in a text rollcall keeps: an
 * argument holding one has it replaced by a space. */
#define START     '\x01'
#define SEP       '\x1f'
#define CODE_BASE 0x41 /* 'A': never a digit, so masking leaves it */

typedef struct {
    const char *en, *zh; /* "{}" stands for an argument, in order */
} Texts;

static const Texts reasons[RC_REASON_COUNT] = {
    [RC_REASON_NONE] = {NULL, NULL},
    [RC_REASON_NO_ID_NO_NAME] = {"neither a usable id nor a name", "既无可用的证件号，也无姓名"},
    [RC_REASON_NO_NAME_ID_MANGLED] = {"no name, and the id was mangled by a spreadsheet",
                                      "无姓名，且证件号已被表格软件改坏"},
    [RC_REASON_NO_NAME_ID_MASKED] = {"no name, and the id is masked", "无姓名，且证件号已脱敏"},
    [RC_REASON_DUPLICATE_ID] = {"duplicate id, first at {}", "证件号重复，首次出现在 {}"},
    [RC_REASON_NO_ID_OR_NAME] = {"no resident with this id or name", "名单上没有此证件号，也没有此姓名"},
    [RC_REASON_NO_NAME] = {"no resident with this name", "名单上没有此姓名"},
    [RC_REASON_NO_ID_NO_RESCUE] = {"no resident with this id, and no name to rescue it",
                                   "名单上没有此证件号，且无姓名可核对"},
    [RC_REASON_NOT_UNIQUE_PHONE] = {"name not unique: several residents share this name and phone",
                                    "姓名不唯一：多位居民姓名和电话都相同"},
    [RC_REASON_NOT_UNIQUE_ID] = {"name not unique: several residents of this name fit the id",
                                 "姓名不唯一：多位同名居民都与证件号相符"},
    [RC_REASON_NOT_UNIQUE] = {"name not unique, and neither phone nor id tells them apart",
                              "姓名不唯一，电话和证件号都无法区分"},
    [RC_REASON_UNCONFIRMED] =
        {"nothing to confirm it: the name is on the roster but neither phone nor id agrees",
         "无法确认：名单上有此姓名，但电话和证件号都对不上"},
    [RC_REASON_NO_TIME] = {"no usable time: sampled_at and reported_at are empty or unreadable",
                           "没有可用的时间：采样时间和报告时间都为空或无法识别"},
    [RC_REASON_BAD_TIME] = {"no usable time: sampled_at '{}': {}", "没有可用的时间：采样时间“{}”：{}"},
    [RC_REASON_TIME_NO_DATE] =
        {"sampled_at '{}' is a time of day without a date: no sampling date column completes it",
         "采样时间“{}”只有时刻没有日期：没有采样日期列可补全"},
    [RC_REASON_UNKNOWN_RESULT] = {"unknown result '{}'", "无法识别的检测结果“{}”"},
    [RC_REASON_SIGN_DISAGREES] = {"result '{}': the sign in brackets disagrees with the word",
                                  "检测结果“{}”：括号中的符号与结果不符"},
    [RC_REASON_RAGGED_NEEDED] = {"{} fields where the header has {}: a needed column is missing",
                                 "本行 {} 列，表头 {} 列：缺少必需的列"},
    [RC_REASON_RAGGED] = {"{} fields where the header has {}", "本行 {} 列，表头 {} 列"},
    [RC_REASON_LONG_RECORD] = {"record longer than 1 MiB", "记录超过 1 MiB"},
    [RC_REASON_LONG_FIELD] = {"field longer than 64 KiB", "字段超过 64 KiB"},
    [RC_REASON_UNCLOSED_QUOTE] = {"quoted field never closed before the end of the file",
                                  "引号内的字段直到文件末尾都未闭合"},
    [RC_REASON_BAD_CSV] = {"unreadable CSV record", "无法解析的 CSV 记录"},
    [RC_REASON_NUL_BYTE] = {"NUL byte in a field", "字段中有 NUL 字节（文件可能已损坏）"},
    [RC_REASON_XLS_CELL] = {"a cell the .xls reader cannot read", "有单元格 .xls 读取器无法读取"},
    [RC_REASON_TWO_CELLS] = {"two cells in one column", "同一列有两个单元格"},
    [RC_REASON_MASKED_NAME] = {"masked name: no resident whose name fits has this phone or id",
                               "姓名已脱敏：没有姓名相符且电话或证件号一致的居民"},
};

/* Why a time did not parse (lib/norm_time.c), as carried in an argument. */
static const Texts time_reasons[] = {
    {"empty", "为空"},
    {"not a time", "不是时间"},
    {"no such date", "日期不存在"},
    {"no such time", "时刻不存在"},
    {"time zone not allowed", "不接受时区"},
    {"unknown time zone", "无法识别的时区"},
    {"time zone without a time", "有时区却没有时刻"},
    {"year-last date with a month over 12", "年份在后的日期按月/日/年读，月份不能大于12"},
};

#define CODE_BYTES(c)                                                                                        \
    {                                                                                                        \
        START, (char)(CODE_BASE + (c)), '\0'                                                                 \
    }
const char rc_reason_encoded[RC_REASON_COUNT][3] = {
    CODE_BYTES(0),  CODE_BYTES(1),  CODE_BYTES(2),  CODE_BYTES(3),  CODE_BYTES(4),  CODE_BYTES(5),
    CODE_BYTES(6),  CODE_BYTES(7),  CODE_BYTES(8),  CODE_BYTES(9),  CODE_BYTES(10), CODE_BYTES(11),
    CODE_BYTES(12), CODE_BYTES(13), CODE_BYTES(14), CODE_BYTES(15), CODE_BYTES(16), CODE_BYTES(17),
    CODE_BYTES(18), CODE_BYTES(19), CODE_BYTES(20), CODE_BYTES(21), CODE_BYTES(22), CODE_BYTES(23),
    CODE_BYTES(24), CODE_BYTES(25), CODE_BYTES(26),
};
G_STATIC_ASSERT(RC_REASON_COUNT == 27); /* one CODE_BYTES per code above */
G_STATIC_ASSERT(CODE_BASE + RC_REASON_COUNT < 0x7f);

const char *rc_reason_static(RcReason code)
{
    g_return_val_if_fail(code > RC_REASON_NONE && code < RC_REASON_COUNT, "");
    return rc_reason_encoded[code];
}

static void append_arg(GString *s, const char *a)
{
    g_string_append_c(s, SEP);
    for (; *a; a++)
        g_string_append_c(s, *a == START || *a == SEP ? ' ' : *a);
}

char *rc_reason(RcReason code, const char *a1, const char *a2)
{
    g_return_val_if_fail(code > RC_REASON_NONE && code < RC_REASON_COUNT, g_strdup(""));
    GString *s = g_string_new(rc_reason_encoded[code]);
    if (a1 || a2)
        append_arg(s, a1 ? a1 : "");
    if (a2)
        append_arg(s, a2);
    return g_string_free(s, FALSE);
}

RcReason rc_reason_code(const char *stored)
{
    if (!stored || stored[0] != START)
        return RC_REASON_NONE;
    int c = (unsigned char)stored[1] - CODE_BASE;
    return c > RC_REASON_NONE && c < RC_REASON_COUNT && (stored[2] == '\0' || stored[2] == SEP)
               ? (RcReason)c
               : RC_REASON_NONE;
}

const char *rc_reason_template(RcReason code, gboolean zh)
{
    if (code <= RC_REASON_NONE || code >= RC_REASON_COUNT)
        return NULL;
    return zh ? reasons[code].zh : reasons[code].en;
}

/* A time reason's Chinese, else NULL. */
static const char *time_reason_zh(const char *s, gsize len)
{
    for (gsize i = 0; i < G_N_ELEMENTS(time_reasons); i++)
        if (strlen(time_reasons[i].en) == len && strncmp(time_reasons[i].en, s, len) == 0)
            return time_reasons[i].zh;
    return NULL;
}

const char *rc_reason_render(gboolean zh, const char *stored, GString *out)
{
    g_string_truncate(out, 0);
    RcReason code = rc_reason_code(stored);
    if (code == RC_REASON_NONE) {
        g_string_assign(out, stored ? stored : "");
        return out->str;
    }
    /* the arguments, each up to the next SEP */
    const char *arg[2] = {"", ""};
    gsize len[2] = {0, 0};
    const char *p = stored + 2;
    for (int i = 0; i < 2 && *p == SEP; i++) {
        arg[i] = ++p;
        while (*p && *p != SEP)
            p++;
        len[i] = (gsize)(p - arg[i]);
    }
    int h = 0;
    for (const char *t = rc_reason_template(code, zh); *t;) {
        if (t[0] == '{' && t[1] == '}') {
            if (h < 2) {
                const char *w = zh ? time_reason_zh(arg[h], len[h]) : NULL;
                if (w)
                    g_string_append(out, w);
                else
                    g_string_append_len(out, arg[h], (gssize)len[h]);
            }
            h++;
            t += 2;
        } else {
            g_string_append_c(out, *t++);
        }
    }
    return out->str;
}

static const RcFlagInfo flags[RC_FLAG_COUNT] = {
    [RC_FLAG_ID_MANGLED] = {"id-mangled", TRUE, RC_ID_MANGLED, "证件号被表格软件改坏",
                            "ID mangled by a spreadsheet"},
    [RC_FLAG_ID_TOO_LONG] = {"id-too-long", TRUE, RC_ID_TOO_LONG, "证件号过长，无法使用",
                             "ID too long to use"},
    [RC_FLAG_ID_CHECKSUM] = {"id-checksum", TRUE, RC_ID_CHECKSUM, "证件号校验位不符", "ID check digit wrong"},
    [RC_FLAG_ID_15] = {"id-15", TRUE, RC_ID_15, "15位证件号已升为18位", "15-digit ID upgraded"},
    [RC_FLAG_NAME_DIFFERS] = {"name-differs", FALSE, RC_RES_NAME_DIFFERS, "姓名与结果不一致",
                              "name differs in the result"},
    [RC_FLAG_RAGGED_ROW] = {"ragged-row", FALSE, RC_RES_RAGGED, "列数与表头不符", "ragged row"},
    [RC_FLAG_PLACE_INHERITED] = {"place-inherited", FALSE, RC_RES_PLACE_INHERITED,
                                 "楼栋/单元/房号沿用上一行（合并单元格或“同上”）",
                                 "place taken from the row above (merged cells or a ditto mark)"},
    [RC_FLAG_RESULT_UNRECOGNISED] = {"result-unrecognised", FALSE, RC_RES_RESULT_UNRECOGNISED,
                                     "结果用词无法识别但可能阳性，按待复核",
                                     "result word unknown but may be positive: review"},
    [RC_FLAG_NAME_MASKED] = {"name-masked", FALSE, RC_RES_NAME_MASKED, "结果中的姓名已脱敏",
                             "name masked in the result"},
};

const RcFlagInfo *rc_flag(RcFlag flag)
{
    g_return_val_if_fail(flag >= 0 && flag < RC_FLAG_COUNT, NULL);
    return &flags[flag];
}

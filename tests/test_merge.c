/* Unit tests for lib/merge: the roster index, each matching and rescue rule,
 * each state rule and the accounting (DESIGN.md section 3). A case is a
 * roster, a results file and what must come out: per resident (in roster
 * order) "name=state/match", and the result-row accounting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes.h"
#include "merge.h"

#define R_HEAD "楼号,姓名,身份证号,手机号,状态\n"
#define S_HEAD "姓名,证件号码,手机号,检测结果,采样时间,报告时间\n"
/* Valid GB 11643 ids (check digits computed) for the cases. */
#define ID_A "110101198001010010"
#define ID_B "110101198001010029"
#define ID_C "110101198001010037"
#define ID_D "110101198001010045"

/* A case's trailing counts default to 0: a line states only what it needs. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

typedef struct {
    const char *name;
    const char *roster;  /* after R_HEAD */
    const char *results; /* after S_HEAD */
    const char *day;     /* window, or NULL */
    const char *expect;  /* "name=state/match;..." in roster order */
    guint64 applied, out_of_window, unmatched, problem;
    guint64 roster_problem;
    guint64 duplicate; /* of applied */
    const char *rhead; /* the roster's header, R_HEAD when NULL */
} Case;

/* Households (DESIGN.md section 3.2): building, unit and room, or 户号. */
#define R_ROOM "楼号,单元,室号,姓名,身份证号,手机号,状态\n"
#define R_HH   "楼号,户号,姓名,身份证号,手机号,状态\n"

static const Case cases[] = {
    /* matching */
    {"match by id", "1,甲," ID_A ",13800000001,\n", "甲," ID_A ",,阴性,2022-04-10 08:00,\n", NULL,
     "甲=negative/id", 1, 0, 0, 0, 0},
    {"id match despite another name: flagged", "1,甲," ID_A ",,\n", "乙," ID_A ",,阴性,,\n", NULL,
     "甲=negative/id", 1, 0, 0, 0, 0},
    {"15-digit roster id matches its 18-digit form", "1,甲,310104770717015,,\n",
     "甲,310104197707170157,,阴性,,\n", NULL, "甲=negative/id", 1, 0, 0, 0, 0},
    {"full-width and spaced id", "1,甲," ID_A ",,\n", "甲,１１０１０１ １９８００１０１００１０,,阴性,,\n",
     NULL, "甲=negative/id", 1, 0, 0, 0, 0},
    {"rescue by name + phone", "1,甲," ID_A ",13800000001,\n", "甲,,138-0000-0001,阴性,,\n", NULL,
     "甲=negative/name+phone", 1, 0, 0, 0, 0},
    {"rescue by phone picks the one of two same names",
     "1,甲," ID_A ",13800000001,\n1,甲," ID_B ",13800000002,\n", "甲,,13800000002,阳性,,\n", NULL,
     "甲=missing/;甲=positive/name+phone", 1, 0, 0, 0, 0},
    {"rescue by id typo (substitution)", "1,甲," ID_A ",,\n", "甲,110101198001010090,,阴性,,\n", NULL,
     "甲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"rescue by id typo (swapped neighbours)", "1,甲," ID_A ",,\n", "甲,110101198001001010,,阴性,,\n", NULL,
     "甲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"two edits away is no rescue", "1,甲," ID_A ",,\n", "甲,110101198001019910,,阴性,,\n", NULL,
     "甲=missing/", 0, 0, 1, 0, 0},
    {"rescue by masked id", "1,甲," ID_A ",,\n1,甲," ID_B ",,\n", "甲,110***********0029,,阴性,,\n", NULL,
     "甲=missing/;甲=negative/name+masked-id", 1, 0, 0, 0, 0},
    {"masked id fitting two residents is unmatched", "1,甲," ID_A ",,\n1,甲," ID_C ",,\n",
     "甲,110***********00**,,阴性,,\n", NULL, "甲=missing/;甲=missing/", 0, 0, 1, 0, 0},
    {"name alone confirms nothing", "1,甲," ID_A ",13800000001,\n", "甲,,,阴性,,\n", NULL, "甲=missing/", 0,
     0, 1, 0, 0},
    {"phone shared by two same names is ambiguous",
     "1,甲," ID_A ",13800000001,\n1,甲," ID_B ",13800000001,\n", "甲,,13800000001,阴性,,\n", NULL,
     "甲=missing/;甲=missing/", 0, 0, 1, 0, 0},
    {"visitor is unmatched", "1,甲," ID_A ",,\n", "丙," ID_D ",,阴性,,\n", NULL, "甲=missing/", 0, 0, 1, 0,
     0},
    {"name with inner space and dot look-alike", "1,阿依古丽·买买提," ID_A ",13800000001,\n",
     "阿依古丽•买 买提,,13800000001,阴性,,\n", NULL, "阿依古丽·买买提=negative/name+phone", 1, 0, 0, 0, 0},
    /* households (DESIGN.md section 3.2) */
    {"child registered under the parent's id is the child's sample",
     "1,1,101,父," ID_A ",13800000001,\n1,1,101,子," ID_B ",,\n", "子," ID_A ",,阳性,,\n", NULL,
     "父=missing/;子=positive/name+household", 1, 0, 0, 0, 0, 0, R_ROOM},
    {"the name of another household is no relative: name-differs",
     "1,1,101,父," ID_A ",,\n1,1,102,子," ID_B ",,\n", "子," ID_A ",,阳性,,\n", NULL,
     "父=positive/id;子=missing/", 1, 0, 0, 0, 0, 0, R_ROOM},
    {"two of that name in the household: stays the id's",
     "1,1,101,父," ID_A ",,\n1,1,101,子," ID_B ",,\n1,1,101,子," ID_C ",,\n", "子," ID_A ",,阴性,,\n", NULL,
     "父=negative/id;子=missing/;子=missing/", 1, 0, 0, 0, 0, 0, R_ROOM},
    {"household column decides over the room", "1,H1,父," ID_A ",,\n1,H2,子," ID_B ",,\n1,H1,女," ID_C ",,\n",
     "女," ID_A ",,阴性,,\n子," ID_A ",,阴性,,\n", NULL,
     "父=negative/id;子=missing/;女=negative/name+household", 2, 0, 0, 0, 0, 0, R_HH},
    {"one building and unit however spelt: one household",
     "1号楼,1单元,101,父," ID_A ",13800000001,\n1栋,1,101,子," ID_B ",,\n", "子," ID_A ",,阳性,,\n", NULL,
     "父=missing/;子=positive/name+household", 1, 0, 0, 0, 0, 0, R_ROOM},
    {"the same room in another building: another household",
     "1号楼,1,101,父," ID_A ",,\n2号楼,1,101,子," ID_B ",,\n", "子," ID_A ",,阳性,,\n", NULL,
     "父=positive/id;子=missing/", 1, 0, 0, 0, 0, 0, R_ROOM},
    {"no room: a household alone", "1,,,父," ID_A ",,\n1,,,子," ID_B ",,\n", "子," ID_A ",,阴性,,\n", NULL,
     "父=negative/id;子=missing/", 1, 0, 0, 0, 0, 0, R_ROOM},
    {"child tested with the phone only the 户主 row has",
     "1,1,101,父," ID_A ",13800000001,\n1,1,101,子," ID_B ",,\n", "子,,13800000001,阴性,,\n", NULL,
     "父=missing/;子=negative/name+household", 1, 0, 0, 0, 0, 0, R_ROOM},
    {"own phone before the household's",
     "1,1,101,子," ID_A ",13800000001,\n1,1,102,子," ID_B ",13900000002,\n1,1,102,母," ID_C ",13800000001,\n",
     "子,,13800000001,阴性,,\n", NULL, "子=negative/name+phone;子=missing/;母=missing/", 1, 0, 0, 0, 0, 0,
     R_ROOM},
    {"household phone fitting two households is unmatched",
     "1,1,101,父," ID_A ",13800000001,\n1,1,101,子," ID_B ",,\n1,1,102,母," ID_C
     ",13800000001,\n1,1,102,子," ID_D ",,\n",
     "子,,13800000001,阴性,,\n", NULL, "父=missing/;子=missing/;母=missing/;子=missing/", 0, 0, 1, 0, 0, 0,
     R_ROOM},
    {"a phone cell with two numbers holds two phones", "1,甲," ID_A ",13800000001/13900000002,\n",
     "甲,,13900000002,阴性,,\n", NULL, "甲=negative/name+phone", 1, 0, 0, 0, 0},
    {"a result with two phones, one the roster's", "1,甲," ID_A ",13900000002,\n",
     "甲,,13800000001 13900000002,阴性,,\n", NULL, "甲=negative/name+phone", 1, 0, 0, 0, 0},
    /* masked names and phones, lost digits (DESIGN.md sections 2 and 3.2) */
    {"masked name rescues with a full phone",
     "1,侯美玲," ID_A ",13800000001,\n1,李四," ID_B ",13800000001,\n", "侯*玲,,13800000001,阴性,,\n", NULL,
     "侯美玲=negative/name+phone;李四=missing/", 1, 0, 0, 0, 0},
    {"masked name fitting two holders of the phone",
     "1,侯美玲," ID_A ",13800000001,\n1,侯晓玲," ID_B ",13800000001,\n", "侯*玲,,13800000001,阴性,,\n", NULL,
     "侯美玲=missing/;侯晓玲=missing/", 0, 0, 1, 0, 0},
    {"masked name of another length", "1,侯美玲," ID_A ",13800000001,\n", "侯*,,13800000001,阴性,,\n", NULL,
     "侯美玲=missing/", 0, 0, 1, 0, 0},
    {"masked name rescues with an id one edit away", "1,侯美玲," ID_A ",,\n",
     "侯*玲,110101198001010090,,阴性,,\n", NULL, "侯美玲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"masked name alone confirms nothing", "1,侯美玲," ID_A ",,\n", "侯*玲,,,阴性,,\n", NULL,
     "侯美玲=missing/", 0, 0, 1, 0, 0},
    {"masked name with a masked phone confirms nothing", "1,侯美玲," ID_A ",13800005006,\n",
     "侯*玲,,138****5006,阴性,,\n", NULL, "侯美玲=missing/", 0, 0, 1, 0, 0},
    {"masked name under the holder's id", "1,侯美玲," ID_A ",,\n", "侯*玲," ID_A ",,阴性,,\n", NULL,
     "侯美玲=negative/id", 1, 0, 0, 0, 0},
    {"masked phone whose visible digits agree", "1,甲," ID_A ",13800005006,\n1,甲," ID_B ",13900001111,\n",
     "甲,,138****5006,阴性,,\n", NULL, "甲=negative/name+phone;甲=missing/", 1, 0, 0, 0, 0},
    {"masked phone fitting two", "1,甲," ID_A ",13800005006,\n1,甲," ID_B ",13811115006,\n",
     "甲,,138****5006,阴性,,\n", NULL, "甲=missing/;甲=missing/", 0, 0, 1, 0, 0},
    {"masked phone of another name", "1,甲," ID_A ",13800005006,\n", "乙,,138****5006,阴性,,\n", NULL,
     "甲=missing/", 0, 0, 1, 0, 0},
    {"id stored as a number keeps 15 digits: a masked id", "1,甲," ID_A ",,\n",
     "甲,1.10101198001010E+17,,阴性,,\n", NULL, "甲=negative/name+masked-id", 1, 0, 0, 0, 0},
    {"id stored as a number fitting two", "1,甲," ID_A ",,\n1,甲," ID_B ",,\n",
     "甲,1.10101198001010E+17,,阴性,,\n", NULL, "甲=missing/;甲=missing/", 0, 0, 1, 0, 0},
    {"id stored as a number showing the area code only", "1,甲," ID_A ",,\n", "甲,1.10101E+17,,阴性,,\n",
     NULL, "甲=missing/", 0, 0, 1, 0, 0},
    {"masked id showing the area code only", "1,甲," ID_A ",,\n", "甲,110101************,,阴性,,\n", NULL,
     "甲=missing/", 0, 0, 1, 0, 0},
    {"roster id stored as a number: the result's full id rescues", "1,甲,1.10101198001010E+17,,\n",
     "甲," ID_A ",,阴性,,\n", NULL, "甲=negative/name+masked-id", 1, 0, 0, 0, 0},
    {"roster id stored as a number, another name", "1,甲,1.10101198001010E+17,,\n", "乙," ID_A ",,阴性,,\n",
     NULL, "甲=missing/", 0, 0, 1, 0, 0},
    {"rescue by id typo in the check character X", "1,甲,11010119800101007X,,\n",
     "甲,110101198001010070,,阴性,,\n", NULL, "甲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"rescue by passport typo: one letter for another", "1,甲,E12345678,,\n1,乙," ID_A ",,\n",
     "甲,F12345678,,阴性,,\n", NULL, "甲=negative/name+id-typo;乙=missing/", 1, 0, 0, 0, 0},
    {"rescue by passport typo: a letter inside", "1,甲,E1234K678,,\n", "甲,E1234L678,,阴性,,\n", NULL,
     "甲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"rescue by passport typo: a digit for a letter", "1,甲,E1234K678,,\n", "甲,E12345678,,阴性,,\n", NULL,
     "甲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"passport that lost its leading zeros", "1,甲,01234567,,\n", "甲,1234567,,阴性,,\n", NULL,
     "甲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"passport that lost its leading zeros, in the roster", "1,甲,1234567,,\n", "甲,001234567,,阴性,,\n",
     NULL, "甲=negative/name+id-typo", 1, 0, 0, 0, 0},
    {"lost zeros of another name", "1,甲,01234567,,\n", "乙,1234567,,阴性,,\n", NULL, "甲=missing/", 0, 0, 1,
     0, 0},
    /* problems */
    {"neither id nor name", "1,甲," ID_A ",,\n", ",,13800000001,阴性,,\n", NULL, "甲=missing/", 0, 0, 0, 1,
     0},
    {"mangled id and no name", "1,甲," ID_A ",,\n", ",1.10101E+17,,阴性,,\n", NULL, "甲=missing/", 0, 0, 0, 1,
     0},
    {"unknown result", "1,甲," ID_A ",,\n", "甲," ID_A ",,阴x,,\n", NULL, "甲=missing/", 0, 0, 0, 1, 0},
    {"window set and no time", "1,甲," ID_A ",,\n", "甲," ID_A ",,阴性,,\n", "2022-04-10", "甲=missing/", 0,
     0, 0, 1, 0},
    {"window set and unreadable time", "1,甲," ID_A ",,\n", "甲," ID_A ",,阴性,2022-02-30 08:00,\n",
     "2022-04-10", "甲=missing/", 0, 0, 0, 1, 0},
    /* the window */
    {"other day is out of window", "1,甲," ID_A ",,\n", "甲," ID_A ",,阳性,2022-04-09 23:59:59,\n",
     "2022-04-10", "甲=missing/", 0, 1, 0, 0, 0},
    {"window bounds: midnight in, next midnight out", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 00:00,\n甲," ID_A ",,阳性,2022-04-11 00:00,\n", "2022-04-10",
     "甲=negative/id", 1, 1, 0, 0, 0},
    {"reported_at when sampled_at is empty", "1,甲," ID_A ",,\n", "甲," ID_A ",,阴性,,2022-04-10 12:00\n",
     "2022-04-10", "甲=negative/id", 1, 0, 0, 0, 0},
    {"out of window before unknown result", "1,甲," ID_A ",,\n", "甲," ID_A ",,???,2022-04-01 08:00,\n",
     "2022-04-10", "甲=missing/", 0, 1, 0, 0, 0},
    /* states */
    {"positive is sticky", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阳性,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 09:00,\n", NULL, "甲=positive/id", 2,
     0, 0, 0, 0},
    {"latest sample by sampled_at decides", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 09:00,\n甲," ID_A ",,混管阳性,2022-04-10 08:00,\n", NULL, "甲=negative/id",
     2, 0, 0, 0, 0},
    {"later review overrides earlier negative", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,待复核,2022-04-10 09:00,\n", NULL, "甲=review/id", 2,
     0, 0, 0, 0},
    /* DESIGN.md 3.3: never the input order; each rule in both orders */
    {"same moment: invalid over negative", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,无效,2022-04-10 08:00,\n", NULL, "甲=invalid/id", 2,
     0, 0, 0, 0},
    {"same moment: invalid over negative, reversed", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,无效,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 08:00,\n", NULL, "甲=invalid/id", 2,
     0, 0, 0, 0},
    {"same moment: review over invalid", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,待复核,2022-04-10 08:00,\n甲," ID_A ",,无效,2022-04-10 08:00,\n", NULL, "甲=review/id", 2,
     0, 0, 0, 0},
    {"same moment: review over invalid, reversed", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,无效,2022-04-10 08:00,\n甲," ID_A ",,待复核,2022-04-10 08:00,\n", NULL, "甲=review/id", 2,
     0, 0, 0, 0},
    {"same moment: review over negative", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,待复核,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 08:00,\n", NULL, "甲=review/id", 2,
     0, 0, 0, 0},
    {"same moment: decided over pending", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,待检测,2022-04-10 08:00,\n", NULL, "甲=negative/id",
     2, 0, 0, 0, 0},
    {"same moment: decided over pending, reversed", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,待检测,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 08:00,\n", NULL, "甲=negative/id",
     2, 0, 0, 0, 0},
    {"newer export first: its reported negative beats the older pending", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,2022-04-10 12:00\n甲," ID_A ",,待检测,2022-04-10 08:00,\n", NULL,
     "甲=negative/id", 2, 0, 0, 0, 0},
    {"equal sampled_at: later reported_at decides", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,2022-04-10 10:00\n甲," ID_A
     ",,待复核,2022-04-10 08:00,2022-04-10 09:00\n",
     NULL, "甲=negative/id", 2, 0, 0, 0, 0},
    {"equal sampled_at: later reported_at decides, reversed", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,待复核,2022-04-10 08:00,2022-04-10 09:00\n甲," ID_A
     ",,阴性,2022-04-10 08:00,2022-04-10 10:00\n",
     NULL, "甲=negative/id", 2, 0, 0, 0, 0},
    {"no sampled_at: its reported_at is its time", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,,2022-04-10 10:00\n甲," ID_A ",,待复核,2022-04-10 09:00,\n", NULL, "甲=negative/id",
     2, 0, 0, 0, 0},
    {"no sampled_at: its reported_at is its time, reversed", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,待复核,2022-04-10 09:00,\n甲," ID_A ",,阴性,,2022-04-10 10:00\n", NULL, "甲=negative/id",
     2, 0, 0, 0, 0},
    {"same moment: by id over rescue", "1,甲," ID_A ",13800000001,\n",
     "甲,,13800000001,阴性,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 08:00,\n", NULL, "甲=negative/id",
     2, 0, 0, 0, 0, 1},
    {"same moment: by id over rescue, reversed", "1,甲," ID_A ",13800000001,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲,,13800000001,阴性,2022-04-10 08:00,\n", NULL, "甲=negative/id",
     2, 0, 0, 0, 0, 1},
    /* the same sample twice counts once more, as a duplicate within applied */
    {"same sample twice: a duplicate", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 08:00,\n", NULL, "甲=negative/id", 2,
     0, 0, 0, 0, 1},
    {"same sample, another spelling of the result: a duplicate", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,阴,2022-04-10 08:00,\n", NULL, "甲=negative/id", 2, 0,
     0, 0, 0, 1},
    {"same time, another result: no duplicate", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,无效,2022-04-10 08:00,\n", NULL, "甲=invalid/id", 2,
     0, 0, 0, 0, 0},
    {"a duplicate after another sample is still one", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 09:00,\n甲," ID_A
     ",,阴性,2022-04-10 08:00,\n",
     NULL, "甲=negative/id", 3, 0, 0, 0, 0, 1},
    {"two residents, one time: no duplicate", "1,甲," ID_A ",,\n1,乙," ID_B ",,\n",
     "甲," ID_A ",,阴性,2022-04-10 08:00,\n乙," ID_B ",,阴性,2022-04-10 08:00,\n", NULL,
     "甲=negative/id;乙=negative/id", 2, 0, 0, 0, 0, 0},
    {"by reported_at when sampled_at missing", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,待检测,,2022-04-10 10:00\n甲," ID_A ",,阴性,,2022-04-10 09:00\n", NULL, "甲=pending/id", 2,
     0, 0, 0, 0},
    {"no times: decided over pending", "1,甲," ID_A ",,\n", "甲," ID_A ",,阴性,,\n甲," ID_A ",,,,\n", NULL,
     "甲=negative/id", 2, 0, 0, 0, 0},
    {"no times: decided over pending, reversed", "1,甲," ID_A ",,\n",
     "甲," ID_A ",,,,\n甲," ID_A ",,阴性,,\n", NULL, "甲=negative/id", 2, 0, 0, 0, 0},
    {"exempt without a sample", "1,甲," ID_A ",,外出\n1,乙," ID_B ",,在住\n", "丙,,,阴性,,\n", NULL,
     "甲=exempt/;乙=missing/", 0, 0, 1, 0, 0},
    /* DESIGN.md section 2, Status (issue 15 item 3) */
    {"housebound, not away: missing", "1,甲," ID_A ",,居家不外出\n1,乙," ID_B ",,\"不外出，需上门采样\"\n",
     "丙,,,阴性,,\n", NULL, "甲=missing/;乙=missing/", 0, 0, 1, 0, 0},
    {"back, or out of hospital: missing", "1,甲," ID_A ",,外出已返回\n1,乙," ID_B ",,已出院\n",
     "丙,,,阴性,,\n", NULL, "甲=missing/;乙=missing/", 0, 0, 1, 0, 0},
    {"empty home, deceased, moved: exempt", "1,甲," ID_A ",,空关\n1,乙," ID_B ",,已故\n1,丙,,,已搬离\n",
     "丁,,,阴性,,\n", NULL, "甲=exempt/;乙=exempt/;丙=exempt/", 0, 0, 1, 0, 0},
    {"away from the city: exempt; a retired cadre is not",
     "1,甲," ID_A ",,离京\n1,乙," ID_B ",,离休\n1,丙,,,出国\n", "丁,,,阴性,,\n", NULL,
     "甲=exempt/;乙=missing/;丙=exempt/", 0, 0, 1, 0, 0},
    {"exempt resident with a sample takes its state", "1,甲," ID_A ",,住院\n", "甲," ID_A ",,阴性,,\n", NULL,
     "甲=negative/id", 1, 0, 0, 0, 0},
    /* roster index */
    {"duplicate roster id: first stands", "1,甲," ID_A ",,\n2,乙," ID_A ",,\n", "乙," ID_A ",,阴性,,\n", NULL,
     "甲=negative/id", 1, 0, 0, 0, 1},
    {"mangled roster id: found only by rescue", "1,甲,1.10101E+17,13800000001,\n", "甲,,13800000001,阴性,,\n",
     NULL, "甲=negative/name+phone", 1, 0, 0, 0, 0},
    {"mangled roster ids are no duplicates", "1,甲,1.10101E+17,,\n1,乙,1.10101E+17,,\n", "丁,,,阴性,,\n",
     NULL, "甲=missing/;乙=missing/", 0, 0, 1, 0, 0},
    {"roster row with neither id nor name", "1,甲," ID_A ",,\n1,,,13800000009,\n", "甲," ID_A ",,阴性,,\n",
     NULL, "甲=negative/id", 1, 0, 0, 0, 1},
};

static char *write_tmp(const char *a, const char *b)
{
    char *path = NULL;
    int fd = g_file_open_tmp("rc-merge-XXXXXX.csv", &path, NULL);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, a, strlen(a)), (ssize_t)strlen(a));
    assert_int_equal(write(fd, b, strlen(b)), (ssize_t)strlen(b));
    close(fd);
    return path;
}

static RcMerge *run_case(const Case *c, const RcConfig *cfg)
{
    RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL, 0, NULL};
    const char *why;
    if (c->day) {
        assert_true(rc_norm_time(c->day, strlen(c->day), &opts.since, &why));
        opts.until = opts.since + 86400;
    }
    GError *err = NULL;
    RcMerge *m = rc_merge_new(cfg, &opts, &err);
    assert_non_null(m);
    g_autofree char *rp = write_tmp(c->rhead ? c->rhead : R_HEAD, c->roster);
    g_autofree char *sp = write_tmp(S_HEAD, c->results);
    assert_true(rc_merge_add_roster(m, rp, &err));
    assert_true(rc_merge_add_results(m, sp, &err));
    rc_merge_finish(m);
    unlink(rp);
    unlink(sp);
    return m;
}

static void test_cases(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const Case *c = &cases[i];
        print_message("case: %s\n", c->name);
        g_autoptr(RcMerge) m = run_case(c, cfg);
        guint n;
        const RcResident *res = rc_merge_residents(m, &n);
        g_autoptr(GString) got = g_string_new(NULL);
        for (guint k = 0; k < n; k++)
            g_string_append_printf(got, "%s%s=%s/%s", k ? ";" : "", res[k].name, rc_state_name(res[k].state),
                                   rc_match_name(res[k].match));
        assert_string_equal(got->str, c->expect);
        const RcResultCounts *rc = rc_merge_result_counts(m);
        assert_int_equal(rc->applied, c->applied);
        assert_int_equal(rc->out_of_window, c->out_of_window);
        assert_int_equal(rc->unmatched, c->unmatched);
        assert_int_equal(rc->problem, c->problem);
        assert_int_equal(rc->duplicate, c->duplicate);
        /* DESIGN.md section 3.4: every row is exactly one of the four. */
        assert_int_equal(rc->rows, rc->applied + rc->out_of_window + rc->unmatched + rc->problem);
        const RcRosterCounts *ro = rc_merge_roster_counts(m);
        assert_int_equal(ro->problem, c->roster_problem);
        assert_int_equal(ro->rows, ro->residents + ro->problem);
        assert_int_equal(rc_spool_rows(rc_merge_unmatched(m)), rc->unmatched);
        assert_int_equal(rc_spool_rows(rc_merge_problems(m)), rc->problem + ro->problem);
    }
}

static void test_flags_and_spool(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    const Case c = {"flags",
                    "1,甲," ID_A ",,\n2,乙," ID_A ",,\n3,丙,3.10104E+17,,\n",
                    "乙," ID_A ",,阴性,,\n",
                    NULL,
                    NULL,
                    0,
                    0,
                    0,
                    0,
                    0};
    g_autoptr(RcMerge) m = run_case(&c, cfg);
    guint n;
    const RcResident *res = rc_merge_residents(m, &n);
    assert_int_equal(n, 2);
    assert_true(res[0].flags & RC_RES_NAME_DIFFERS);
    assert_true(res[1].id_flags & RC_ID_MANGLED);
    char buf[RC_RESIDENT_ID_BUF];
    assert_string_equal(rc_resident_id(&res[0], buf), ID_A);
    assert_string_equal(rc_resident_id(&res[1], buf), "");
    assert_string_equal(rc_resident_id_raw(&res[1]), "3.10104E+17");
    RcSpool *sp = rc_merge_problems(m);
    const char *f[RC_SPOOL_FIELDS];
    rc_spool_rewind(sp);
    assert_true(rc_spool_next(sp, f));
    assert_string_equal(f[RC_SPOOL_LINE], "3");
    assert_string_equal(f[RC_SPOOL_KIND], "roster");
    /* stored as a code and its argument, rendered by codes.c */
    assert_int_equal(rc_reason_code(f[RC_SPOOL_REASON]), RC_REASON_DUPLICATE_ID);
    g_autoptr(GString) said = g_string_new(NULL);
    rc_reason_render(FALSE, f[RC_SPOOL_REASON], said);
    assert_true(g_str_has_prefix(said->str, "duplicate id, first at rc-merge-"));
    assert_true(g_str_has_suffix(said->str, ".csv:2"));
    assert_string_equal(f[RC_SPOOL_NAME], "乙");
    assert_string_equal(f[RC_SPOOL_RAW], "2,乙," ID_A ",,");
    assert_false(rc_spool_next(sp, f));
}

/* name-differs follows the deciding sample: set when it matched by id
 * under another name, cleared when a later sample under the resident's own
 * name takes over, untouched by samples that do not decide. */
static void test_name_differs_follows_sample(void **state)
{
    (void)state;
    static const struct {
        const char *results;
        gboolean differs;
    } steps[] = {
        {"乙," ID_A ",,阴性,2022-04-10 08:00,\n", TRUE},
        {"乙," ID_A ",,阴性,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 09:00,\n", FALSE},
        {"甲," ID_A ",,阴性,2022-04-10 09:00,\n乙," ID_A ",,阴性,2022-04-10 08:00,\n", FALSE},
        {"甲," ID_A ",,阴性,2022-04-10 08:00,\n乙," ID_A ",,阴性,2022-04-10 09:00,\n", TRUE},
        {"乙," ID_A ",,阳性,2022-04-10 08:00,\n甲," ID_A ",,阴性,2022-04-10 09:00,\n",
         TRUE},                                         /* positive sticks */
        {"," ID_A ",,阴性,2022-04-10 08:00,\n", FALSE}, /* no name to differ */
    };
    g_autoptr(RcConfig) cfg = rc_config_new();
    for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
        const Case c = {"differs", "1,甲," ID_A ",,\n", steps[i].results, NULL, NULL, 0, 0, 0, 0, 0};
        g_autoptr(RcMerge) m = run_case(&c, cfg);
        guint n;
        const RcResident *res = rc_merge_residents(m, &n);
        assert_int_equal(n, 1);
        assert_int_equal(res[0].match, RC_MATCH_ID);
        print_message("step %zu\n", i);
        assert_int_equal(!!(res[0].flags & RC_RES_NAME_DIFFERS), steps[i].differs);
    }
}

/* Every kind of id comes back as it was normalised, packed (mainland ids,
 * X, leading zeros and 15-digit ids made 18 included) or not (passports),
 * and matches by id through either index. */
static void test_ids_kept(void **state)
{
    (void)state;
    static const char *const ids[][2] = {
        {ID_A, ID_A},
        {"11010119800101001x", "11010119800101001X"},
        {"000000000000000000", "000000000000000000"},
        {"999999999999999999", "999999999999999999"},
        {"310104500101123", "310104195001011235"}, /* 15 digits become 18 */
        {"E12345678", "E12345678"},
        {"１１０１０１１９８００１０１００２９", ID_B},
    };
    g_autoptr(GString) roster = g_string_new(NULL);
    g_autoptr(GString) results = g_string_new(NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_string_append_printf(roster, "1,名%zu,%s,,\n", i, ids[i][0]);
        g_string_append_printf(results, "名%zu,%s,,阴性,,\n", i, ids[i][1]);
    }
    g_autoptr(RcConfig) cfg = rc_config_new();
    const Case c = {"ids", roster->str, results->str, NULL, NULL, 0, 0, 0, 0, 0};
    g_autoptr(RcMerge) m = run_case(&c, cfg);
    guint n;
    const RcResident *res = rc_merge_residents(m, &n);
    assert_int_equal(n, G_N_ELEMENTS(ids));
    assert_int_equal(rc_merge_match_count(m, RC_MATCH_ID), G_N_ELEMENTS(ids));
    for (guint i = 0; i < n; i++) {
        char buf[RC_RESIDENT_ID_BUF];
        assert_string_equal(rc_resident_id(&res[i], buf), ids[i][1]);
        assert_int_equal(res[i].match, RC_MATCH_ID);
        assert_int_equal(!!(res[i].flags & RC_RES_ID_PACKED), strlen(ids[i][1]) == 18); /* not the passport */
    }
}

/* rc_utf8_cut: a cut never splits a character (1-, 2-, 3- and 4-byte ones). */
static void test_utf8_cut(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        gsize max, want;
    } cuts[] = {
        {"abc", 5, 3},
        {"abc", 3, 3},
        {"abc", 2, 2},
        {"阴性", 6, 6},
        {"阴性", 5, 3},
        {"阴性", 4, 3},
        {"阴性", 3, 3},
        {"阴性", 2, 0},
        {"a阴", 3, 1},
        {"é阴", 2, 2},
        {"é阴", 1, 0},
        {"a\xF0\x9F\x98\x80"
         "b",
         4, 1},
        {"a\xF0\x9F\x98\x80"
         "b",
         5, 5},
        {"", 0, 0},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cuts); i++)
        assert_int_equal(rc_utf8_cut(cuts[i].s, strlen(cuts[i].s), cuts[i].max), cuts[i].want);
}

/* A result value longer than a resident keeps is cut on a character
 * boundary, whatever its length: the kept text is valid UTF-8. */
static void test_long_result_cut(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autofree char *ini = write_tmp("[vocabulary]\nnegative = 阴性.*\n", "");
    GError *err = NULL;
    assert_true(rc_config_load(cfg, ini, &err));
    unlink(ini);
    for (int pad = 0; pad < 3; pad++) {
        g_autoptr(GString) res = g_string_new("甲," ID_A ",,阴性");
        for (int k = 0; k < pad; k++)
            g_string_append_c(res, 'x');
        for (int k = 0; k < 120; k++)
            g_string_append(res, "中");
        g_string_append(res, ",,\n");
        const Case c = {"long", "1,甲," ID_A ",,\n", res->str, NULL, NULL, 0, 0, 0, 0, 0};
        g_autoptr(RcMerge) m = run_case(&c, cfg);
        guint n;
        const RcResident *r = rc_merge_residents(m, &n);
        assert_int_equal(r[0].state, RC_STATE_NEGATIVE);
        const char *kept = rc_merge_text(m, r[0].result_raw);
        print_message("pad %d: kept %zu bytes\n", pad, strlen(kept));
        assert_true(strlen(kept) > 200 && strlen(kept) < RC_NORM_CAP);
        assert_true(g_utf8_validate(kept, -1, NULL));
    }
}

/* Readers of a spool are independent: each has its own position, and a
 * reader made while another is half-way starts at the first row. */
static void test_spool_readers(void **state)
{
    (void)state;
    GError *err = NULL;
    g_autoptr(RcSpool) sp = rc_spool_new("test", &err);
    assert_non_null(sp);
    g_autoptr(GString) big = g_string_new(NULL);
    for (int k = 0; k < 100000; k++) /* rows across the 64 KiB buffers */
        g_string_append_c(big, (char)('a' + k % 26));
    for (int i = 0; i < 50; i++) {
        char num[16];
        g_snprintf(num, sizeof num, "%d", i);
        const char *f[RC_SPOOL_FIELDS] = {"f", num, "results", "why", "", "名", "", "阴性", "", big->str};
        guint l[RC_SPOOL_FIELDS];
        for (int k = 0; k < RC_SPOOL_FIELDS; k++)
            l[k] = (guint)strlen(f[k]);
        l[RC_SPOOL_RAW] = (guint)(i % 3 == 0 ? big->len : (gsize)i);
        assert_true(rc_spool_write(sp, f, l, &err));
    }
    assert_true(rc_spool_flush(sp, &err));
    assert_int_equal(rc_spool_rows(sp), 50);
    g_autoptr(RcSpoolReader) a = rc_spool_reader_new(sp);
    const char *fa[RC_SPOOL_FIELDS], *fb[RC_SPOOL_FIELDS];
    for (int i = 0; i < 20; i++)
        assert_true(rc_spool_reader_next(a, fa, &err));
    g_autoptr(RcSpoolReader) b = rc_spool_reader_new(sp);
    for (int i = 0; i < 50; i++) {
        assert_true(rc_spool_reader_next(b, fb, &err));
        assert_int_equal(atoi(fb[RC_SPOOL_LINE]), i);
        assert_int_equal(strlen(fb[RC_SPOOL_RAW]), i % 3 == 0 ? big->len : (gsize)i);
        assert_string_equal(fb[RC_SPOOL_NAME], "名");
        if (i >= 20 && i < 50) {
            assert_true(rc_spool_reader_next(a, fa, &err));
            assert_int_equal(atoi(fa[RC_SPOOL_LINE]), i);
        }
    }
    assert_false(rc_spool_reader_next(a, fa, &err));
    assert_false(rc_spool_reader_next(b, fb, &err));
    assert_null(err);
}

/* The signature of a finished merge: per resident its state, match,
 * result, times and flags; the counts of rows, duplicates and matches. */
static char *signature(RcMerge *m)
{
    GString *g = g_string_new(NULL);
    guint n;
    const RcResident *res = rc_merge_residents(m, &n);
    for (guint k = 0; k < n; k++) {
        const RcResident *r = &res[k];
        g_string_append_printf(g, "%s=%s/%s/%s/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%u\n", r->name,
                               rc_state_name(r->state), rc_match_name(r->match),
                               rc_merge_text(m, r->result_raw), r->sampled_at, r->reported_at,
                               r->flags & ~RC_RES_SEVERAL);
    }
    const RcResultCounts *rc = rc_merge_result_counts(m);
    g_string_append_printf(g, "applied %" G_GUINT64_FORMAT " duplicate %" G_GUINT64_FORMAT, rc->applied,
                           rc->duplicate);
    for (int k = RC_MATCH_ID; k < RC_MATCH_COUNT; k++)
        g_string_append_printf(g, " %" G_GUINT64_FORMAT, rc_merge_match_count(m, (RcMatch)k));
    return g_string_free(g, FALSE);
}

/* DESIGN.md 3.3: states and matches never depend on the order in which
 * files or rows are given. Samples crowd a few moments (ties on every
 * rule), repeat exactly (duplicates), come by id, by rescue and under
 * other names; shuffled and split over one to three files, every order
 * gives the same signature. */
static void test_order_independent(void **state)
{
    (void)state;
    g_autoptr(GRand) rnd = g_rand_new_with_seed(20220410);
    enum { RESIDENTS = 10, ROWS = 160, ORDERS = 25 };
    static const char *const names[RESIDENTS] = {"甲", "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬"};
    static const char *const results[] = {"阴性", "阴", "待复核", "无效", "待检测", "", "阴性(-)"};
    static const char *const sampled[] = {"", "2022-04-10 08:00", "2022-04-10 09:00"};
    static const char *const reported[] = {"", "2022-04-10 10:00", "2022-04-10 11:00"};
    char ids[RESIDENTS][19];
    g_autoptr(GString) roster = g_string_new(R_HEAD);
    for (int i = 0; i < RESIDENTS; i++) {
        g_snprintf(ids[i], sizeof ids[i], "1101011980010100%d", i);
        ids[i][17] = rc_norm_id_check_char(ids[i]);
        ids[i][18] = '\0';
        g_string_append_printf(roster, "1,%s,%s,1380000000%d,\n", names[i], ids[i], i);
    }
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(g_free);
    for (int k = 0; k < ROWS; k++) {
        int i = g_rand_int_range(rnd, 0, RESIDENTS);
        int how = g_rand_int_range(rnd, 0, 10);
        const char *res = g_rand_int_range(rnd, 0, 60) == 0
                              ? "阳性" /* sticky: rare, or it hides the rest */
                              : results[g_rand_int_range(rnd, 0, G_N_ELEMENTS(results))];
        const char *sa = sampled[g_rand_int_range(rnd, 0, 3)], *ra = reported[g_rand_int_range(rnd, 0, 3)];
        char *row = how < 6   ? g_strdup_printf("%s,%s,,%s,%s,%s\n", names[i], ids[i], res, sa, ra)
                    : how < 9 ? g_strdup_printf("%s,,1380000000%d,%s,%s,%s\n", names[i], i, res, sa, ra)
                              : g_strdup_printf("别名,%s,,%s,%s,%s\n", ids[i], res, sa, ra);
        g_ptr_array_add(rows, row);
        if (g_rand_int_range(rnd, 0, 5) == 0) /* the same sample again, as an overlapping export has it */
            g_ptr_array_add(rows, g_strdup(row));
    }
    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autofree char *rp = write_tmp(roster->str, "");
    g_autofree char *want = NULL;
    for (int o = 0; o < ORDERS; o++) {
        if (o) /* the first order is as generated */
            for (guint k = rows->len - 1; k > 0; k--) {
                guint j = (guint)g_rand_int_range(rnd, 0, (gint32)k + 1);
                gpointer t = rows->pdata[k];
                rows->pdata[k] = rows->pdata[j];
                rows->pdata[j] = t;
            }
        guint files = (guint)g_rand_int_range(rnd, 1, 4);
        GError *err = NULL;
        RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL};
        g_autoptr(RcMerge) m = rc_merge_new(cfg, &opts, &err);
        assert_true(rc_merge_add_roster(m, rp, &err));
        for (guint f = 0; f < files; f++) {
            g_autoptr(GString) body = g_string_new(NULL);
            for (guint k = f * rows->len / files; k < (f + 1) * rows->len / files; k++)
                g_string_append(body, rows->pdata[k]);
            g_autofree char *sp = write_tmp(S_HEAD, body->str);
            assert_true(rc_merge_add_results(m, sp, &err));
            unlink(sp);
        }
        rc_merge_finish(m);
        g_autofree char *got = signature(m);
        if (!want)
            want = g_strdup(got);
        else if (strcmp(got, want) != 0)
            print_message("order %d (%u files):\n%s\nfirst order:\n%s\n", o, files, got, want);
        assert_string_equal(got, want);
    }
    unlink(rp);
    print_message("%s\n", want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),         cmocka_unit_test(test_flags_and_spool),
        cmocka_unit_test(test_ids_kept),      cmocka_unit_test(test_name_differs_follows_sample),
        cmocka_unit_test(test_utf8_cut),      cmocka_unit_test(test_long_result_cut),
        cmocka_unit_test(test_spool_readers), cmocka_unit_test(test_order_independent),
    };
    return cmocka_run_group_tests_name("merge", tests, NULL, NULL);
}

/* norm_bench: rows per second through lib/norm — id, name, phone, result and
 * time of each row — for ROWS generated rows held in memory, beside the cost
 * of merely copying the same bytes (memcpy into the same output buffers).
 * Two sets: mostly-ASCII rows (pinyin names, ASCII times, one result in ten
 * written in Chinese) and CJK-heavy rows (Chinese names, full-width digits in
 * one id in five, Chinese-style times and results).
 * Usage: norm_bench [ROWS [RUNS]]   (1000000 rows, best of 3 runs) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "norm.h"

enum { F_ID, F_NAME, F_PHONE, F_RESULT, F_TIME, F_COUNT };
static const char *const field_names[F_COUNT] = {"id", "name", "phone", "result", "time"};

typedef struct {
    guint32 off[F_COUNT];
    guint16 len[F_COUNT];
} Row;

typedef struct {
    GString *bytes; /* every field of every row, back to back */
    Row *rows;
    gsize n;
} Set;

static const char *const surnames[] = {
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
    "林", "郭", "何", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "邓", "冯", "韩", "曹",
};
static const char *const given[] = {
    "伟", "芳", "娜", "敏",   "静", "丽", "强", "磊",   "军",   "洋", "勇", "艳",   "杰",   "娟",
    "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "金凤", "玉兰", "海燕",
};
static const char *const pinyin[] = {
    "an",   "bo",    "chen", "da",   "fei", "gang", "hua", "jie", "kai", "lin",   "ming", "ning",
    "ping", "qiang", "rui",  "shan", "tao", "wei",  "xin", "yan", "zhi", "zhang", "wang", "li",
};
static const char *const areas[] = {"110101", "110105", "310104", "310115", "440305", "510107"};

static const char *pick(GRand *r, const char *const *a, gsize n)
{
    return a[g_rand_int_range(r, 0, (gint32)n)];
}
#define PICK(r, a) pick(r, a, G_N_ELEMENTS(a))

/* Appends S to BYTES as field F of ROW. */
static void put(Set *set, Row *row, int f, const char *s)
{
    row->off[f] = (guint32)set->bytes->len;
    row->len[f] = (guint16)strlen(s);
    g_string_append(set->bytes, s);
}

/* A synthetic 18-digit id with a valid check digit (one in fifty wrong, one in
 * twenty in the old 15-digit form). */
static void make_id(GRand *r, char *out)
{
    char d[40];
    snprintf(d, sizeof d, "%s%04d%02d%02d%03d", PICK(r, areas), g_rand_int_range(r, 1940, 2015),
             g_rand_int_range(r, 1, 13), g_rand_int_range(r, 1, 29), g_rand_int_range(r, 0, 1000));
    int k = g_rand_int_range(r, 0, 100);
    if (k < 5) { /* 15 digits: drop "19"/"20" century, no check digit */
        memcpy(out, d, 6);
        memcpy(out + 6, d + 8, 9);
        out[15] = '\0';
        return;
    }
    d[17] = rc_norm_id_check_char(d);
    if (k < 7)
        d[17] = d[17] == '0' ? '1' : '0';
    d[18] = '\0';
    strcpy(out, d);
}

/* Full-width digits and X for an ASCII id. */
static void fullwidth(const char *in, char *out)
{
    char *o = out;
    for (const char *p = in; *p; p++) {
        gunichar c = (gunichar)*p + 0xFEE0;
        o += g_unichar_to_utf8(c, o);
    }
    *o = '\0';
}

static void make_set(Set *set, gsize n, gboolean cjk, guint32 seed)
{
    GRand *r = g_rand_new_with_seed(seed);
    set->bytes = g_string_sized_new(n * (cjk ? 110 : 80));
    set->rows = g_new(Row, n);
    set->n = n;
    char id[32], buf[160];
    for (gsize i = 0; i < n; i++) {
        Row *row = &set->rows[i];
        make_id(r, id);
        int day = g_rand_int_range(r, 1, 31), hh = g_rand_int_range(r, 7, 21),
            mm = g_rand_int_range(r, 0, 60), ss = g_rand_int_range(r, 0, 60);
        if (!cjk) {
            put(set, row, F_ID, id);
            snprintf(buf, sizeof buf, "%s %s%s", PICK(r, pinyin), PICK(r, pinyin), PICK(r, pinyin));
            buf[0] = g_ascii_toupper(buf[0]);
            put(set, row, F_NAME, buf);
            snprintf(buf, sizeof buf, g_rand_boolean(r) ? "139%08d" : "139-%04d-%04d",
                     g_rand_int_range(r, 0, 100000000), g_rand_int_range(r, 0, 10000));
            put(set, row, F_PHONE, buf);
            static const char *const res[] = {"negative", "negative", "negative", "Negative", "neg",
                                              "positive", "pending",  "",         "阴性",     "negative"};
            put(set, row, F_RESULT, PICK(r, res));
            snprintf(buf, sizeof buf, "2022-04-%02d %02d:%02d:%02d", day, hh, mm, ss);
            put(set, row, F_TIME, buf);
        } else {
            if (g_rand_int_range(r, 0, 5) == 0) {
                fullwidth(id, buf);
                put(set, row, F_ID, buf);
            } else
                put(set, row, F_ID, id);
            int k = g_rand_int_range(r, 0, 20);
            if (k == 0)
                snprintf(buf, sizeof buf, "阿卜杜拉·%s%s", PICK(r, given), PICK(r, given));
            else if (k == 1)
                snprintf(buf, sizeof buf, "%s　%s", PICK(r, surnames), PICK(r, given));
            else
                snprintf(buf, sizeof buf, "%s%s", PICK(r, surnames), PICK(r, given));
            put(set, row, F_NAME, buf);
            if (g_rand_int_range(r, 0, 10) == 0)
                fullwidth("13912345678", buf);
            else
                snprintf(buf, sizeof buf, "139%08d", g_rand_int_range(r, 0, 100000000));
            put(set, row, F_PHONE, buf);
            static const char *const res[] = {"阴性", "阴性", "阴性",   "阴性",   "阴性",
                                              "阴性", "阳性", "待复核", "（－）", ""};
            put(set, row, F_RESULT, PICK(r, res));
            if (g_rand_boolean(r))
                snprintf(buf, sizeof buf, "2022年4月%d日 %d时%d分", day, hh, mm);
            else
                snprintf(buf, sizeof buf, "2022年4月%d日%02d:%02d", day, hh, mm);
            put(set, row, F_TIME, buf);
        }
    }
    g_rand_free(r);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile guint64 sink;

/* Copies every field of every row into the output buffers. */
static double run_memcpy(const Set *set)
{
    char out[F_COUNT][RC_NORM_CAP];
    guint64 acc = 0;
    double t0 = now();
    for (gsize i = 0; i < set->n; i++) {
        const Row *row = &set->rows[i];
        for (int f = 0; f < F_COUNT; f++) {
            memcpy(out[f], set->bytes->str + row->off[f], row->len[f]);
            out[f][row->len[f]] = '\0';
            acc += (guchar)out[f][0];
        }
        __asm__ __volatile__("" : : "r"(out) : "memory");
    }
    double dt = now() - t0;
    sink += acc;
    return dt;
}

/* Normalises field F (or every field when F < 0) of every row. */
static double run_norm(const Set *set, RcVocab *v, int only)
{
    char out[RC_NORM_CAP];
    guint64 acc = 0;
    double t0 = now();
    for (gsize i = 0; i < set->n; i++) {
        const Row *row = &set->rows[i];
        const char *b = set->bytes->str;
        guint flags;
        RcTime t;
        const char *why;
        if (only < 0 || only == F_ID)
            acc += rc_norm_id(b + row->off[F_ID], row->len[F_ID], out, sizeof out, &flags) + flags;
        if (only < 0 || only == F_NAME)
            acc += rc_norm_name(b + row->off[F_NAME], row->len[F_NAME], out, sizeof out);
        if (only < 0 || only == F_PHONE)
            acc += rc_norm_phone(b + row->off[F_PHONE], row->len[F_PHONE], out, sizeof out);
        if (only < 0 || only == F_RESULT)
            acc += (guint64)rc_vocab_result(v, b + row->off[F_RESULT], row->len[F_RESULT], NULL);
        if (only < 0 || only == F_TIME)
            acc += rc_norm_time(b + row->off[F_TIME], row->len[F_TIME], &t, &why) ? (guint64)t : 1;
    }
    double dt = now() - t0;
    sink += acc;
    return dt;
}

static void report(const char *label, const Set *set, RcVocab *v, int runs)
{
    double best_cp = 1e9, best_norm = 1e9, best_f[F_COUNT];
    for (int f = 0; f < F_COUNT; f++)
        best_f[f] = 1e9;
    for (int k = 0; k < runs; k++) {
        best_cp = MIN(best_cp, run_memcpy(set));
        best_norm = MIN(best_norm, run_norm(set, v, -1));
        for (int f = 0; f < F_COUNT; f++)
            best_f[f] = MIN(best_f[f], run_norm(set, v, f));
    }
    double n = (double)set->n;
    printf("%-12s %9zu rows %6.1f MB | norm %10.0f rows/s (%6.1f ns/row) | memcpy %11.0f rows/s "
           "(%5.1f ns/row)\n",
           label, set->n, (double)set->bytes->len / 1e6, n / best_norm, best_norm / n * 1e9, n / best_cp,
           best_cp / n * 1e9);
    printf("%-12s ns/row by field:", "");
    for (int f = 0; f < F_COUNT; f++)
        printf(" %s %.1f", field_names[f], best_f[f] / n * 1e9);
    printf("\n");
}

int main(int argc, char **argv)
{
    gsize rows = argc > 1 ? (gsize)strtoull(argv[1], NULL, 10) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    if (rows == 0 || runs <= 0) {
        fprintf(stderr, "usage: norm_bench [ROWS [RUNS]]\n");
        return 1;
    }
    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(RcVocab) v = rc_vocab_new(cfg, &error);
    if (!v) {
        fprintf(stderr, "norm_bench: %s\n", error->message);
        return 1;
    }
    Set ascii, cjk;
    make_set(&ascii, rows, FALSE, 2022);
    make_set(&cjk, rows, TRUE, 410);
    report("mostly-ascii", &ascii, v, runs);
    report("cjk-heavy", &cjk, v, runs);
    g_string_free(ascii.bytes, TRUE);
    g_string_free(cjk.bytes, TRUE);
    g_free(ascii.rows);
    g_free(cjk.rows);
    return 0;
}

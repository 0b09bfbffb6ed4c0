/* rescue_bench: the per-row cost of rescue against the number of residents
 * who share the result's name (DESIGN.md section 5, issue 16 item 2). For
 * each N, a roster of N residents named 张伟 among FILLER others, then
 * RESULTS rows of 张伟 each needing a rescue — by phone, by the household's
 * phone, an id one edit away, a masked id, a masked phone, an id stored as
 * a number — timed through rc_merge_add_results(), beside the same number
 * of rows matched by id. Flat in N is the target.
 * Usage: rescue_bench RESULTS FILLER RUNS N... */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"

/* A valid id for SERIAL (distinct below 21,900,000): a birth date of 60
 * years and a 3-digit sequence, as real ids spread. */
static void make_id(guint64 serial, char out[19])
{
    char body[18];
    GDate *d = g_date_new_dmy(1, 1, 1940);
    g_date_add_days(d, (guint)(serial % 21900));
    g_snprintf(body, sizeof body, "310104%04u%02u%02u%03u", g_date_get_year(d), g_date_get_month(d),
               g_date_get_day(d), (guint)((serial / 21900 + serial * 37) % 1000));
    g_date_free(d);
    memcpy(out, body, 17);
    out[17] = rc_norm_id_check_char(body);
    out[18] = '\0';
}

static char *write_file(const char *dir, const char *name, GString *g)
{
    char *path = g_build_filename(dir, name, NULL);
    if (!g_file_set_contents(path, g->str, (gssize)g->len, NULL)) {
        fprintf(stderr, "rescue_bench: cannot write %s\n", path);
        exit(1);
    }
    return path;
}

/* Seconds to merge RESULTS (the roster loaded first, not timed), read
 * twice: *FIRST is the first pass, which also builds the rescue indexes
 * the rows ask for (once a run, in time linear in the roster); the value
 * returned is the second pass, which finds them built (its rows are the
 * first pass's samples again: rescued the same way, then counted as
 * duplicates). *APPLIED is the first pass's. */
static double run(const char *roster, const char *results, RcConfig *cfg, guint64 *applied, double *first)
{
    RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL, 1, NULL};
    GError *err = NULL;
    RcMerge *m = rc_merge_new(cfg, &opts, &err);
    if (!m || !rc_merge_add_roster(m, roster, &err)) {
        fprintf(stderr, "rescue_bench: %s\n", err ? err->message : "?");
        exit(1);
    }
    double s[2];
    for (int pass = 0; pass < 2; pass++) {
        gint64 t0 = g_get_monotonic_time();
        if (!rc_merge_add_results(m, results, &err)) {
            fprintf(stderr, "rescue_bench: %s\n", err->message);
            exit(1);
        }
        s[pass] = (double)(g_get_monotonic_time() - t0) / 1e6;
        if (pass == 0)
            *applied = rc_merge_result_counts(m)->applied;
    }
    rc_merge_free(m);
    *first = s[0];
    return s[1];
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: rescue_bench RESULTS FILLER RUNS N...\n");
        return 2;
    }
    guint results = (guint)atoi(argv[1]), filler = (guint)atoi(argv[2]), runs = (guint)atoi(argv[3]);
    g_autofree char *dir = g_dir_make_tmp("rc-rescue-XXXXXX", NULL);
    RcConfig *cfg = rc_config_new();
    printf("%8s %14s %14s %14s %10s\n", "same-name", "rescue ns/row", "by id ns/row", "first ns/row",
           "rescued");
    for (int a = 4; a < argc; a++) {
        guint n = (guint)atoi(argv[a]);
        g_autoptr(GString) ro = g_string_new("楼号,单元,室号,姓名,身份证号,手机号\n");
        char id[19];
        /* the common name: every other one a child without a phone, beside
         * a parent (another name) holding the household's phone */
        for (guint i = 0; i < n; i++) {
            make_id(i, id);
            if (i % 2) {
                char pid[19];
                make_id(5000000 + i, pid);
                g_string_append_printf(ro, "1,1,%u,张伟,%s,\n1,1,%u,张父%u,%s,139%08u\n", i, id, i, i, pid,
                                       i);
            } else
                g_string_append_printf(ro, "1,1,%u,张伟,%s,138%08u\n", i, id, i);
        }
        for (guint i = 0; i < filler; i++) {
            make_id(1000000 + i, id);
            g_string_append_printf(ro, "2,1,%u,居民%u,%s,137%08u\n", i, i, id, i);
        }
        g_autoptr(GString) rs = g_string_new("姓名,证件号码,手机号,检测结果,采样时间\n");
        g_autoptr(GString) ri = g_string_new("姓名,证件号码,手机号,检测结果,采样时间\n");
        for (guint r = 0; r < results; r++) {
            guint k = (r * 2654435761u) % n, even = k & ~1u, odd = k | 1u;
            make_id(k, id);
            g_string_append_printf(ri, "张伟,%s,,阴性,2022-04-10 08:00\n", id);
            switch (r % 6) {
            case 0: /* own phone */
                g_string_append_printf(rs, "张伟,,138%08u,阴性,2022-04-10 08:00\n", even);
                break;
            case 1: /* the household's phone */
                g_string_append_printf(rs, "张伟,,139%08u,阴性,2022-04-10 08:00\n", odd < n ? odd : 0);
                break;
            case 2: /* an id one edit away */
                id[10] = id[10] == '9' ? '8' : '9';
                g_string_append_printf(rs, "张伟,%s,,阴性,2022-04-10 08:00\n", id);
                break;
            case 3: /* a masked id */
                g_string_append_printf(rs, "张伟,310***********%s,,阴性,2022-04-10 08:00\n", id + 14);
                break;
            case 4: /* a masked phone */
                g_string_append_printf(rs, "张伟,,138****%04u,阴性,2022-04-10 08:00\n", even % 10000);
                (void)even;
                break;
            default: /* an id stored as a number */
                g_string_append_printf(rs, "张伟,%c.%.14sE+17,,阴性,2022-04-10 08:00\n", id[0], id + 1);
                break;
            }
        }
        g_autofree char *rp = write_file(dir, "roster.csv", ro);
        g_autofree char *sp = write_file(dir, "rescue.csv", rs);
        g_autofree char *ip = write_file(dir, "byid.csv", ri);
        double best_r = 1e9, best_i = 1e9, best_f = 1e9, f;
        guint64 rescued = 0, byid = 0;
        for (guint k = 0; k < runs; k++) {
            best_r = MIN(best_r, run(rp, sp, cfg, &rescued, &f));
            best_f = MIN(best_f, f);
            best_i = MIN(best_i, run(rp, ip, cfg, &byid, &f));
        }
        printf("%8u %14.0f %14.0f %14.0f %9.0f%%\n", n, best_r * 1e9 / results, best_i * 1e9 / results,
               best_f * 1e9 / results, 100.0 * (double)rescued / results);
        g_unlink(rp);
        g_unlink(sp);
        g_unlink(ip);
    }
    g_rmdir(dir);
    rc_config_free(cfg);
    return 0;
}

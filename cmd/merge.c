/* rollcall merge: options, the run, outputs renamed into place, exit codes. */
#include "cli.h"
#include "config.h"
#include "merge.h"
#include "out.h"
#include "out_xlsx.h"
#include "outfile.h"
#include "report.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SHOWN_PROBLEMS 20

typedef enum { FMT_CSV, FMT_TSV, FMT_JSON, FMT_XLSX } Format;

typedef struct {
    gboolean quiet;
    gboolean tty;
    guint64 problems;
    gint64 started;
    guint64 first_rows;
} RunView;

static void
on_progress(guint64 rows, gpointer user)
{
    RunView *v = user;
    if (!v->tty)
        return;
    gint64 now = g_get_monotonic_time();
    if (!v->first_rows) { /* the rate counts from the first report on */
        v->first_rows = rows;
        v->started = now;
    }
    double secs = (double)(now - v->started) / 1e6;
    fprintf(stderr, "\rrollcall: %" G_GUINT64_FORMAT " result rows", rows);
    if (secs > 0)
        fprintf(stderr, ", %.0f rows/s ", (double)(rows - v->first_rows) / secs);
}

static void
on_problem(const char *file, guint64 line, const char *reason, gpointer user)
{
    RunView *v = user;
    v->problems++;
    if (v->quiet || v->problems > SHOWN_PROBLEMS)
        return;
    if (v->tty)
        fputs("\r\033[K", stderr);
    rc_cli_msg("%s:%" G_GUINT64_FORMAT ": %s", file, line, reason);
}

/* --day D, --since T, --until T (DESIGN.md section 3.2). A bare date for
 * --until means the end of that day. */
static gboolean
parse_window(const char *day, const char *since, const char *until, RcTime *from, RcTime *to)
{
    const char *why = NULL;
    *from = *to = RC_TIME_NONE;
    if (day && (since || until)) {
        rc_cli_msg("--day cannot be combined with --since or --until");
        return FALSE;
    }
    if (day) {
        if (!rc_norm_time(day, strlen(day), from, &why)) {
            rc_cli_msg("--day '%s': %s", day, why);
            return FALSE;
        }
        *from -= *from % 86400;
        *to = *from + 86400;
        return TRUE;
    }
    if (since && !rc_norm_time(since, strlen(since), from, &why)) {
        rc_cli_msg("--since '%s': %s", since, why);
        return FALSE;
    }
    if (until) {
        if (!rc_norm_time(until, strlen(until), to, &why)) {
            rc_cli_msg("--until '%s': %s", until, why);
            return FALSE;
        }
        if (!strpbrk(until, ":T") && !strstr(until, "时") && *to % 86400 == 0)
            *to += 86400;
    }
    if (*from != RC_TIME_NONE && *to != RC_TIME_NONE && *from >= *to) {
        rc_cli_msg("the window is empty: --since is not before --until");
        return FALSE;
    }
    return TRUE;
}

/* "negative,missing" -> state bits. */
static gboolean
parse_states(const char *opt, const char *list, guint *bits)
{
    *bits = 0;
    g_auto(GStrv) parts = g_strsplit(list, ",", -1);
    for (char **p = parts; *p; p++) {
        g_strstrip(*p);
        RcState s = rc_state_from_name(*p);
        if (s == RC_STATE_UNKNOWN) {
            rc_cli_msg("%s: unknown state '%s' (known: negative, positive, review, invalid, pending, missing, exempt)",
                       opt, *p);
            return FALSE;
        }
        *bits |= RC_STATE_BIT(s);
    }
    return TRUE;
}

static gboolean
parse_format(const char *fmt, const char *out, Format *f)
{
    const char *name = fmt;
    if (!name && out && strcmp(out, "-") != 0) {
        const char *dot = strrchr(out, '.');
        name = dot ? dot + 1 : "csv";
        if (g_ascii_strcasecmp(name, "csv") != 0 && g_ascii_strcasecmp(name, "tsv") != 0 &&
            g_ascii_strcasecmp(name, "json") != 0 && g_ascii_strcasecmp(name, "xlsx") != 0)
            name = "csv";
    }
    if (!name || g_ascii_strcasecmp(name, "csv") == 0)
        *f = FMT_CSV;
    else if (g_ascii_strcasecmp(name, "tsv") == 0)
        *f = FMT_TSV;
    else if (g_ascii_strcasecmp(name, "json") == 0)
        *f = FMT_JSON;
    else if (g_ascii_strcasecmp(name, "xlsx") == 0)
        *f = FMT_XLSX;
    else {
        rc_cli_msg("--format: unknown format '%s' (known: csv, tsv, json, xlsx)", name);
        return FALSE;
    }
    return TRUE;
}

typedef void (*WriteFn)(const RcReport *r, FILE *fp, gpointer data);

typedef struct {
    Format format;
    guint only;
} MainOut;

static void
write_main(const RcReport *r, FILE *fp, gpointer data)
{
    const MainOut *mo = data;
    if (mo->format == FMT_JSON)
        rc_out_residents_json(r, fp, mo->only);
    else
        rc_out_residents_csv(r, fp, mo->format == FMT_TSV ? '\t' : ',', mo->only);
}

static void
write_unmatched(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_spool_csv(r, rc_merge_unmatched(r->merge), fp);
}

static void
write_problems(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_spool_csv(r, rc_merge_problems(r->merge), fp);
}

static void
write_summary(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_summary_json(r, fp);
}

/* Writes one output through a temporary file renamed into place. */
static gboolean
write_output(const char *path, guint mode, const RcReport *r, WriteFn fn, gpointer data)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(RcOutFile) of = rc_outfile_open(path, mode, &err);
    if (!of) {
        rc_cli_msg("%s", err->message);
        return FALSE;
    }
    fn(r, rc_outfile_stream(of), data);
    if (!rc_outfile_commit(of, &err)) {
        rc_cli_msg("%s", err->message);
        return FALSE;
    }
    return TRUE;
}

/* A workbook: libxlsxwriter writes a file by name, so it gets the
 * temporary's name and the temporary is renamed into place. */
static gboolean
write_workbook(const char *path, guint mode, const RcReport *r, const RcXlsxOptions *xo)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(RcOutFile) of = rc_outfile_open_path(path, mode, &err);
    if (!of || !rc_out_xlsx_write(r, rc_outfile_temp_path(of), xo, &err) || !rc_outfile_commit(of, &err)) {
        rc_cli_msg("%s", err->message);
        return FALSE;
    }
    return TRUE;
}

typedef struct {
    const RcReport *report;
    guint mode;
    RcLang lang;
    gint failed;
} SplitJob;

typedef struct {
    char *path;
    const char *building;
} SplitItem;

static void
split_one(gpointer data, gpointer user)
{
    SplitItem *it = data;
    SplitJob *job = user;
    RcXlsxOptions xo = { job->lang, it->building, 0, NULL };
    if (!write_workbook(it->path, job->mode, job->report, &xo))
        g_atomic_int_set(&job->failed, 1);
}

/* --split-by building -O DIR: the whole area's workbook, then one per
 * building, written two at a time (deflating the sheets dominates, and it
 * splits across the cores). File names are Windows-safe and clash-free. */
static gboolean
write_split(const char *dir, guint mode, const RcReport *r, RcLang lang)
{
    const char **names = g_new0(const char *, r->n_buildings + 2);
    names[0] = lang == RC_LANG_EN ? "All buildings" : "全部楼栋";
    for (guint i = 0; i < r->n_buildings; i++)
        names[i + 1] = r->buildings[i].building[0] ? r->buildings[i].building
                                                    : (lang == RC_LANG_EN ? "No building" : "无楼号");
    g_auto(GStrv) files = rc_out_xlsx_unique_names(names, r->n_buildings + 1);
    g_free(names);
    g_autofree char *whole = g_strdup_printf("%s/%s.xlsx", dir, files[0]);
    RcXlsxOptions xo = { lang, NULL, 0, NULL };
    if (!write_workbook(whole, mode, r, &xo))
        return FALSE;
    SplitJob job = { r, mode, lang, 0 };
    SplitItem *items = g_new0(SplitItem, MAX(r->n_buildings, 1));
    GThreadPool *pool = g_thread_pool_new(split_one, &job, rc_out_threads(), TRUE, NULL);
    for (guint i = 0; i < r->n_buildings; i++) {
        items[i].path = g_strdup_printf("%s/%s.xlsx", dir, files[i + 1]);
        items[i].building = r->buildings[i].building;
        g_thread_pool_push(pool, &items[i], NULL);
    }
    g_thread_pool_free(pool, FALSE, TRUE);
    for (guint i = 0; i < r->n_buildings; i++)
        g_free(items[i].path);
    g_free(items);
    return !job.failed;
}

/* RC_TIMING=1 prints the time each stage took (wall and this thread's CPU)
 * and the memory in use after it, on stderr: where the time and the memory
 * go, for the performance notes. */
static void
stage(const char *name)
{
    static gint64 wall0, cpu0;
    static int on = -1;
    if (on < 0)
        on = g_getenv("RC_TIMING") != NULL;
    if (!on)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    gint64 cpu = (gint64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    gint64 wall = g_get_monotonic_time();
    if (name) {
        /* and the memory: resident now, and the peak so far */
        long rss = 0, hwm = 0;
        g_autofree char *status = NULL;
        if (g_file_get_contents("/proc/self/status", &status, NULL, NULL)) {
            const char *p = strstr(status, "VmHWM:");
            hwm = p ? strtol(p + 6, NULL, 10) : 0;
            p = strstr(status, "VmRSS:");
            rss = p ? strtol(p + 6, NULL, 10) : 0;
        }
        fprintf(stderr, "rollcall: timing: %-10s %7.3f s wall %7.3f s cpu (main thread) %5ld MiB rss %5ld MiB peak\n",
                name, (double)(wall - wall0) / 1e6, (double)(cpu - cpu0) / 1e6, rss / 1024, hwm / 1024);
    }
    wall0 = wall;
    cpu0 = cpu;
}

static gint64
now_seconds(void)
{
    const char *sde = g_getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        gint64 v = g_ascii_strtoll(sde, &end, 10);
        if (*end == '\0')
            return v;
    }
    return (gint64)time(NULL);
}

static const char merge_summary[] =
    "Matches every result row to a resident of the rosters (by id; else by\n"
    "name confirmed by phone, an id one typo away, or a masked id) and writes\n"
    "one row per resident with its state: negative, positive, review,\n"
    "invalid, pending, missing or exempt. Rosters load first; RESULTS stream\n"
    "('-' is standard input). Every result row ends up applied, out of the\n"
    "window, unmatched or a problem; the summary counts each.";

static const char merge_description[] =
    "Outputs are written to a temporary file beside the target and renamed\n"
    "into place when complete, mode 0600 unless --mode says otherwise.\n"
    "Without -o and --format, CSV goes to standard output; -o FILE.xlsx\n"
    "writes the colour-coded workbook for officials (--lang en for English).\n"
    "\n"
    "Example:\n"
    "  rollcall merge -r roster.csv --day 2022-04-10 results-*.csv \\\n"
    "      -o today.csv --problems problems.csv --summary-json summary.json\n"
    "\n"
    "Exit status:\n"
    "  0  done\n"
    "  1  usage error\n"
    "  2  input error (missing file, no usable header, undecodable bytes):\n"
    "     no output is written\n"
    "  3  output error (outputs already renamed into place stay)\n"
    "  4  with --fail-on STATES: a resident is in one of those states\n";

int
rc_cmd_merge(int argc, char **argv)
{
    g_auto(GStrv) rosters = NULL;
    g_autofree char *day = NULL, *since = NULL, *until = NULL, *out = NULL, *format = NULL;
    g_autofree char *only_s = NULL, *unmatched = NULL, *problems = NULL, *summary = NULL;
    g_autofree char *config_path = NULL, *encoding = NULL, *lang = NULL, *fail_on = NULL;
    g_autofree char *mode_s = NULL, *split_by = NULL, *out_dir = NULL, *sheet = NULL;
    gboolean mask = FALSE, quiet = FALSE;
    gint threads = 0;
    GOptionEntry entries[] = {
        { "roster", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &rosters, "A roster file (repeatable; needed)", "FILE" },
        { "day", 0, 0, G_OPTION_ARG_STRING, &day, "Only samples of day D (sampled_at, else reported_at)", "D" },
        { "since", 0, 0, G_OPTION_ARG_STRING, &since, "Only samples at or after T", "T" },
        { "until", 0, 0, G_OPTION_ARG_STRING, &until, "Only samples before T (a bare date: to its end)", "T" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write residents to FILE ('-': stdout)", "FILE" },
        { "format", 0, 0, G_OPTION_ARG_STRING, &format, "csv, tsv, json or xlsx (default: from -o's extension, else csv)", "FMT" },
        { "only", 0, 0, G_OPTION_ARG_STRING, &only_s, "Only residents in these states", "STATE[,STATE]" },
        { "unmatched", 0, 0, G_OPTION_ARG_FILENAME, &unmatched, "Result rows not on the roster, as CSV", "FILE" },
        { "problems", 0, 0, G_OPTION_ARG_FILENAME, &problems, "Rejected rows with file, line and reason, as CSV", "FILE" },
        { "summary-json", 0, 0, G_OPTION_ARG_FILENAME, &summary, "Counts and accounting as JSON ('-': stdout)", "FILE" },
        { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path, "Aliases, result vocabulary, exempt pattern (.ini)", "FILE" },
        { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, "Read every input in this encoding instead of detecting", "NAME" },
        { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet, "The sheet of each workbook input, by name or 1-based number (default: the first visible)", "NAME|N" },
        { "mask", 0, 0, G_OPTION_ARG_NONE, &mask, "Mask ids (310***********1234) and phones (138****5678)", NULL },
        { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "Labels for people: zh (default) or en", "LANG" },
        { "fail-on", 0, 0, G_OPTION_ARG_STRING, &fail_on, "Exit 4 when a resident is in one of these states", "STATES" },
        { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_s, "Permissions of created outputs (default 0600)", "OCTAL" },
        { "split-by", 0, 0, G_OPTION_ARG_STRING, &split_by, "With 'building': one workbook per building plus the whole, into -O DIR", "building" },
        { "output-dir", 'O', 0, G_OPTION_ARG_FILENAME, &out_dir, "Directory for --split-by workbooks", "DIR" },
        { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "1: everything in one thread (same output, slower)", "N" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress, no summary line, no problem messages", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    if (!rc_cli_parse("merge", entries, "RESULTS... - merge result exports with rosters", merge_summary,
                      merge_description, &argc, &argv))
        return RC_EXIT_USAGE;

    RcTime from, to;
    guint only = 0, fail_bits = 0, mode = 0600;
    Format fmt;
    if (!rosters || !rosters[0]) {
        rc_cli_msg("merge needs at least one roster (-r FILE)");
        return RC_EXIT_USAGE;
    }
    if (argc < 2) {
        rc_cli_msg("merge needs at least one results file ('-' for standard input)");
        return RC_EXIT_USAGE;
    }
    if (!parse_window(day, since, until, &from, &to) || !parse_format(format, out, &fmt) ||
        (only_s && !parse_states("--only", only_s, &only)) ||
        (fail_on && !parse_states("--fail-on", fail_on, &fail_bits)))
        return RC_EXIT_USAGE;
    RcLang rlang = RC_LANG_ZH;
    if (lang && !rc_lang_from_name(lang, &rlang)) {
        rc_cli_msg("--lang: '%s' is neither zh nor en", lang);
        return RC_EXIT_USAGE;
    }
    if (split_by && strcmp(split_by, "building") != 0) {
        rc_cli_msg("--split-by: only 'building' is known, not '%s'", split_by);
        return RC_EXIT_USAGE;
    }
    if (!!split_by != !!out_dir) {
        rc_cli_msg("--split-by building and -O DIR go together");
        return RC_EXIT_USAGE;
    }
    if (out_dir && !g_file_test(out_dir, G_FILE_TEST_IS_DIR)) {
        rc_cli_msg("%s: not a directory", out_dir);
        return RC_EXIT_OUTPUT;
    }
    if (fmt == FMT_XLSX && (!out || strcmp(out, "-") == 0) && isatty(STDOUT_FILENO)) {
        rc_cli_msg("a workbook is not for a terminal: give -o FILE.xlsx");
        return RC_EXIT_USAGE;
    }
    if (threads < 0) {
        rc_cli_msg("--threads: %d is not a number of threads", threads);
        return RC_EXIT_USAGE;
    }
    rc_table_set_threads(threads == 1 ? 1 : 2);
    rc_out_set_threads(threads == 1 ? 1 : 2);
    if (mode_s) {
        char *end;
        guint64 v = g_ascii_strtoull(mode_s, &end, 8);
        if (*end || end == mode_s || v > 0777) {
            rc_cli_msg("--mode: '%s' is not an octal mode such as 0600", mode_s);
            return RC_EXIT_USAGE;
        }
        mode = (guint)v;
    }
    int n_stdout = (!out || strcmp(out, "-") == 0) + (summary && strcmp(summary, "-") == 0);
    if (n_stdout > 1) {
        rc_cli_msg("only one output can go to standard output: give -o FILE or --summary-json FILE");
        return RC_EXIT_USAGE;
    }

    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autoptr(GError) err = NULL;
    if (config_path && !rc_config_load(cfg, config_path, &err)) {
        rc_cli_msg("%s", err->message);
        return RC_EXIT_USAGE;
    }

    rc_outfile_install_signal_handlers();
    RunView view = { quiet, !quiet && isatty(STDERR_FILENO), 0, 0, 0 };
    RcMergeOptions mo = { from, to, encoding, on_progress, &view, on_problem };
    g_autoptr(RcMerge) m = rc_merge_new(cfg, &mo, &err);
    if (!m) {
        rc_cli_msg("%s", err->message);
        return RC_EXIT_USAGE;
    }
    rc_merge_set_sheet(m, sheet);
    gboolean loaded = TRUE;
    stage(NULL);
    for (char **r = rosters; loaded && *r; r++)
        loaded = rc_merge_add_roster(m, *r, &err);
    stage("rosters");
    for (int i = 1; loaded && i < argc; i++)
        loaded = rc_merge_add_results(m, argv[i], &err);
    stage("results");
    if (view.tty)
        fputs("\r\033[K", stderr);
    if (!loaded) {
        rc_cli_msg("%s", err->message);
        return g_error_matches(err, RC_SOURCE_ERROR, RC_SOURCE_ERROR_ENCODING) ? RC_EXIT_USAGE : RC_EXIT_INPUT;
    }
    rc_merge_finish(m);

    RcReportOptions ro = { mask, now_seconds(), from, to };
    g_autoptr(RcReport) rep = rc_report_new(m, &ro);
    stage("report");
    MainOut main_out = { fmt, only };
    RcXlsxOptions xo = { rlang, NULL, 0, NULL };
    gboolean ok = TRUE;
    if (split_by)
        ok = write_split(out_dir, mode, rep, rlang);
    if (ok && (out || !split_by))
        ok = fmt == FMT_XLSX ? write_workbook(out ? out : "-", mode, rep, &xo)
                             : write_output(out ? out : "-", mode, rep, write_main, &main_out);
    if (ok && unmatched)
        ok = write_output(unmatched, mode, rep, write_unmatched, NULL);
    if (ok && problems)
        ok = write_output(problems, mode, rep, write_problems, NULL);
    if (ok && summary)
        ok = write_output(summary, mode, rep, write_summary, NULL);
    stage("outputs");
    if (!ok)
        return RC_EXIT_OUTPUT;

    const RcResultCounts *rc = rc_merge_result_counts(m);
    const RcRosterCounts *rr = rc_merge_roster_counts(m);
    if (view.problems > SHOWN_PROBLEMS && !quiet)
        rc_cli_msg("%" G_GUINT64_FORMAT " more problem rows not shown%s", view.problems - SHOWN_PROBLEMS,
                   problems ? "" : " (write them all with --problems FILE)");
    if (!quiet) {
        rc_cli_msg("%" G_GUINT64_FORMAT " result rows: %" G_GUINT64_FORMAT " applied, %" G_GUINT64_FORMAT
                   " out of window, %" G_GUINT64_FORMAT " unmatched, %" G_GUINT64_FORMAT " problem",
                   rc->rows, rc->applied, rc->out_of_window, rc->unmatched, rc->problem);
        rc_cli_msg("%" G_GUINT64_FORMAT " roster rows: %" G_GUINT64_FORMAT " residents, %" G_GUINT64_FORMAT
                   " problem; %" G_GUINT64_FORMAT " negative, %" G_GUINT64_FORMAT " positive, %" G_GUINT64_FORMAT
                   " review, %" G_GUINT64_FORMAT " invalid, %" G_GUINT64_FORMAT " pending, %" G_GUINT64_FORMAT
                   " missing, %" G_GUINT64_FORMAT " exempt",
                   rr->rows, rr->residents, rr->problem, rep->total.states[RC_STATE_NEGATIVE],
                   rep->total.states[RC_STATE_POSITIVE], rep->total.states[RC_STATE_REVIEW],
                   rep->total.states[RC_STATE_INVALID], rep->total.states[RC_STATE_PENDING],
                   rep->total.states[RC_STATE_MISSING], rep->total.states[RC_STATE_EXEMPT]);
    }
    for (int s = 0; s < RC_STATE_COUNT; s++)
        if ((fail_bits & RC_STATE_BIT(s)) && rep->total.states[s])
            return RC_EXIT_STATES;
    return RC_EXIT_OK;
}

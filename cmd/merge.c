/* rollcall merge: options, the run, outputs renamed into place, exit codes. */
#include "cli.h"
#include "config.h"
#include "merge.h"
#include "out.h"
#include "out_xlsx.h"
#include "outfile.h"
#include "report.h"
#include "table.h"
#include "history.h"
#include "window.h"

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

static void on_progress(guint64 rows, gpointer user)
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

static void on_problem(const char *file, guint64 line, const char *reason, gpointer user)
{
    RunView *v = user;
    v->problems++;
    if (v->quiet || v->problems > SHOWN_PROBLEMS)
        return;
    if (v->tty)
        fputs("\r\033[K", stderr);
    rc_cli_msg("%s:%" G_GUINT64_FORMAT ": %s", file, line, reason);
}

static gboolean parse_format(const char *fmt, const char *out, Format *f)
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

static void write_main(const RcReport *r, FILE *fp, gpointer data)
{
    const MainOut *mo = data;
    if (mo->format == FMT_JSON)
        rc_out_residents_json(r, fp, mo->only);
    else
        rc_out_residents_csv(r, fp, mo->format == FMT_TSV ? '\t' : ',', mo->only);
}

static void write_unmatched(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_spool_csv(r, rc_merge_unmatched(r->merge), fp);
}

static void write_problems(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_spool_csv(r, rc_merge_problems(r->merge), fp);
}

static void write_summary(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_summary_json(r, fp);
}

/* Excel opens a CSV as UTF-8 only when it starts with a BOM; without one,
 * on Chinese Windows, it reads GBK and shows mojibake (issue 19 item 6). */
static const char utf8_bom[] = "\xEF\xBB\xBF";

/* Writes one output through a temporary file renamed into place, after a
 * UTF-8 BOM when BOM. */
static gboolean write_output(const char *path, guint mode, const RcReport *r, WriteFn fn, gpointer data,
                             gboolean bom)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(RcOutFile) of = rc_outfile_open(path, mode, &err);
    if (!of) {
        rc_cli_msg("%s", err->message);
        return FALSE;
    }
    if (bom)
        fputs(utf8_bom, rc_outfile_stream(of));
    fn(r, rc_outfile_stream(of), data);
    if (!rc_outfile_commit(of, &err)) {
        rc_cli_msg("%s", err->message);
        return FALSE;
    }
    return TRUE;
}

/* A workbook: libxlsxwriter writes a file by name, so it gets the
 * temporary's name and the temporary is renamed into place. */
static gboolean write_workbook(const char *path, guint mode, const RcReport *r, const RcXlsxOptions *xo)
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
    const char *path;
    const char *building;
} SplitItem;

static void split_one(gpointer data, gpointer user)
{
    SplitItem *it = data;
    SplitJob *job = user;
    RcXlsxOptions xo = {job->lang, it->building, 0, NULL};
    if (!write_workbook(it->path, job->mode, job->report, &xo))
        g_atomic_int_set(&job->failed, 1);
}

/* Inputs and outputs by name, to refuse an output that would overwrite an
 * input or another output (rc_outfile_check_distinct). Borrowed strings. */
typedef struct {
    const char **inputs, **outputs;
    gsize n_inputs, n_outputs;
} Files;

/* --split-by building -O DIR: the whole area's workbook, then one per
 * building, written two at a time (deflating the sheets dominates, and it
 * splits across the cores). File names are Windows-safe and clash-free,
 * and none may be an input or another output. */
static int write_split(const char *dir, guint mode, const RcReport *r, RcLang lang, const Files *files_in)
{
    const char **names = g_new0(const char *, r->n_buildings + 2);
    names[0] = lang == RC_LANG_EN ? "All buildings" : "全部楼栋";
    for (guint i = 0; i < r->n_buildings; i++)
        names[i + 1] = r->buildings[i].building[0] ? r->buildings[i].building
                                                   : (lang == RC_LANG_EN ? "No building" : "无楼号");
    g_auto(GStrv) files = rc_out_xlsx_unique_names(names, r->n_buildings + 1);
    g_free(names);
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i <= r->n_buildings; i++)
        g_ptr_array_add(paths, g_strdup_printf("%s/%s.xlsx", dir, files[i]));
    for (gsize i = 0; i < files_in->n_outputs; i++)
        g_ptr_array_add(paths, g_strdup(files_in->outputs[i]));
    g_autoptr(GError) err = NULL;
    if (!rc_outfile_check_distinct((const char *const *)paths->pdata, paths->len, files_in->inputs,
                                   files_in->n_inputs, &err)) {
        rc_cli_msg("%s", err->message);
        return RC_EXIT_USAGE;
    }
    RcXlsxOptions xo = {lang, NULL, 0, NULL};
    if (!write_workbook(paths->pdata[0], mode, r, &xo))
        return RC_EXIT_OUTPUT;
    SplitJob job = {r, mode, lang, 0};
    SplitItem *items = g_new0(SplitItem, MAX(r->n_buildings, 1));
    GThreadPool *pool = g_thread_pool_new(split_one, &job, (gint)r->opts.threads, TRUE, NULL);
    for (guint i = 0; i < r->n_buildings; i++) {
        items[i].path = paths->pdata[i + 1];
        items[i].building = r->buildings[i].building;
        g_thread_pool_push(pool, &items[i], NULL);
    }
    g_thread_pool_free(pool, FALSE, TRUE);
    g_free(items);
    return job.failed ? RC_EXIT_OUTPUT : RC_EXIT_OK;
}

/* RC_TIMING=1 prints the time each stage took (wall and this thread's CPU)
 * and the memory in use after it, on stderr: where the time and the memory
 * go, for the performance notes. */
static void stage(const char *name)
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
        fprintf(stderr,
                "rollcall: timing: %-10s %7.3f s wall %7.3f s cpu (main thread) %5ld MiB rss %5ld MiB peak\n",
                name, (double)(wall - wall0) / 1e6, (double)(cpu - cpu0) / 1e6, rss / 1024, hwm / 1024);
    }
    wall0 = wall;
    cpu0 = cpu;
}

static gint64 now_seconds(void)
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

/* The options as given (owned strings, freed by merge_args_clear). */
typedef struct {
    char **rosters;
    char **sheets; /* --sheet, repeatable, each a name, a number or a list */
    char *day, *since, *until, *out, *format, *only, *unmatched, *problems, *summary;
    char *config, *encoding, *lang, *fail_on, *mode, *split_by, *out_dir, *tz;
    char *days, *valid, *now, *door_list, *notice, *tubes;
    gboolean mask, quiet, bom;
    gint threads;
} MergeArgs;

/* What the options mean, once checked. */
typedef struct {
    RcTime from, to;
    guint only, fail_bits, mode;
    Format fmt;
    RcLang lang;
    guint threads;     /* 1 or 2 */
    gint32 utc_offset; /* --tz */
    gboolean history;  /* --days given */
    RcDays days;
    RcTime now;        /* --now, default the end of the last day */
    guint valid_hours; /* --valid; 0: none */
} MergePlan;

static void merge_args_clear(MergeArgs *a)
{
    g_strfreev(a->rosters);
    g_strfreev(a->sheets);
    char **strs[] = {&a->day,       &a->since,    &a->until,     &a->out,     &a->format,   &a->only,
                     &a->unmatched, &a->problems, &a->summary,   &a->config,  &a->encoding, &a->lang,
                     &a->fail_on,   &a->mode,     &a->split_by,  &a->out_dir, &a->tz,       &a->days,
                     &a->valid,     &a->now,      &a->door_list, &a->notice,  &a->tubes};
    for (gsize i = 0; i < G_N_ELEMENTS(strs); i++)
        g_free(*strs[i]);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MergeArgs, merge_args_clear)

static gboolean parse_args(MergeArgs *a, int *argc, char ***argv)
{
    GOptionEntry entries[] = {
        {"roster", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &a->rosters, "A roster file (repeatable; needed)",
         "FILE"},
        {"day", 0, 0, G_OPTION_ARG_STRING, &a->day, "Only samples of day D (sampled_at, else reported_at)",
         "D"},
        {"since", 0, 0, G_OPTION_ARG_STRING, &a->since, "Only samples at or after T", "T"},
        {"until", 0, 0, G_OPTION_ARG_STRING, &a->until, "Only samples before T (a bare date: to its end)",
         "T"},
        {"days", 0, 0, G_OPTION_ARG_STRING, &a->days,
         "A history: every day FROM..TO (or the N days ending at --day) is a round", "FROM..TO|N"},
        {"valid", 0, 0, G_OPTION_ARG_STRING, &a->valid,
         "With --days: overdue when no negative in the HOURS before --now", "HOURS"},
        {"now", 0, 0, G_OPTION_ARG_STRING, &a->now,
         "With --days: the time hours are counted to (default: the end of the last day)", "T"},
        {"door-list", 0, 0, G_OPTION_ARG_FILENAME, &a->door_list,
         "Missing (and, with --valid, overdue) residents by building, unit, floor and room, as CSV, for the "
         "volunteers",
         "FILE"},
        {"tubes", 0, 0, G_OPTION_ARG_FILENAME, &a->tubes,
         "Every result row of each tube whose result is positive or review, with the resident it matched or "
         "why none, as CSV",
         "FILE"},
        {"notice", 0, 0, G_OPTION_ARG_FILENAME, &a->notice,
         "One text per building for its messaging group (names masked, no ids or phones) into DIR", "DIR"},
        {"tz", 0, 0, G_OPTION_ARG_STRING, &a->tz,
         "Local time: times with a zone or as epochs are converted to it (default +08:00)", "ZONE"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &a->out, "Write residents to FILE ('-': stdout)", "FILE"},
        {"format", 0, 0, G_OPTION_ARG_STRING, &a->format,
         "csv, tsv, json or xlsx (default: from -o's extension, else csv)", "FMT"},
        {"only", 0, 0, G_OPTION_ARG_STRING, &a->only, "Only residents in these states", "STATE[,STATE]"},
        {"unmatched", 0, 0, G_OPTION_ARG_FILENAME, &a->unmatched, "Result rows not on the roster, as CSV",
         "FILE"},
        {"problems", 0, 0, G_OPTION_ARG_FILENAME, &a->problems,
         "Rejected rows with file, line and reason, as CSV", "FILE"},
        {"summary-json", 0, 0, G_OPTION_ARG_FILENAME, &a->summary,
         "Counts and accounting as JSON ('-': stdout)", "FILE"},
        {"config", 0, 0, G_OPTION_ARG_FILENAME, &a->config,
         "Aliases, result vocabulary, status phrases (.ini)", "FILE"},
        {"encoding", 0, 0, G_OPTION_ARG_STRING, &a->encoding,
         "Read every input in this encoding instead of detecting", "NAME"},
        {"sheet", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->sheets,
         "The sheets of each workbook input, by name or 1-based number, repeated or NAME,NAME (default: "
         "every visible sheet)",
         "NAME|N"},
        {"mask", 0, 0, G_OPTION_ARG_NONE, &a->mask, "Mask ids (310***********1234) and phones (138****5678)",
         NULL},
        {"lang", 0, 0, G_OPTION_ARG_STRING, &a->lang, "Labels for people: zh (default) or en", "LANG"},
        {"fail-on", 0, 0, G_OPTION_ARG_STRING, &a->fail_on,
         "Exit 4 when a resident is in one of these states", "STATES"},
        {"bom", 0, 0, G_OPTION_ARG_NONE, &a->bom,
         "Start every CSV output with a UTF-8 BOM, for Excel (TSV and JSON unchanged)", NULL},
        {"mode", 0, 0, G_OPTION_ARG_STRING, &a->mode, "Permissions of created outputs (default 0600)",
         "OCTAL"},
        {"split-by", 0, 0, G_OPTION_ARG_STRING, &a->split_by,
         "With 'building': one workbook per building plus the whole, into -O DIR", "building"},
        {"output-dir", 'O', 0, G_OPTION_ARG_FILENAME, &a->out_dir, "Directory for --split-by workbooks",
         "DIR"},
        {"threads", 0, 0, G_OPTION_ARG_INT, &a->threads, "1: everything in one thread (same output, slower)",
         "N"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a->quiet, "No progress, no summary line, no problem messages",
         NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    return rc_cli_parse("merge", entries, "RESULTS... - merge result exports with rosters", merge_summary,
                        merge_description, argc, argv);
}

/* The inputs are there. Returns RC_EXIT_OK or the exit code, having said
 * why (as every plan_ step does). */
static int plan_inputs(const MergeArgs *a, int argc)
{
    if (!a->rosters || !a->rosters[0]) {
        rc_cli_msg("merge needs at least one roster (-r FILE)");
        return RC_EXIT_USAGE;
    }
    if (argc < 2) {
        rc_cli_msg("merge needs at least one results file ('-' for standard input)");
        return RC_EXIT_USAGE;
    }
    return RC_EXIT_OK;
}

static int plan_shown(const MergeArgs *a, MergePlan *p);

/* DESIGN.md section 6: --days makes the window (every day of the range),
 * --now and --valid what the history measures. */
static int plan_history(const MergeArgs *a, MergePlan *p)
{
    g_autoptr(GError) err = NULL;
    if (a->since || a->until) {
        rc_cli_msg("--days makes its own window: leave out --since and --until");
        return RC_EXIT_USAGE;
    }
    if (a->day && strstr(a->days, "..")) {
        rc_cli_msg("--days FROM..TO and --day: give one (--days N --day D is the N days ending at D)");
        return RC_EXIT_USAGE;
    }
    if (!rc_days_parse(a->days, a->day, &p->days, &err)) {
        rc_cli_msg("%s", err->message);
        return RC_EXIT_USAGE;
    }
    p->history = TRUE;
    p->from = p->days.first;
    p->to = p->days.first + (RcTime)p->days.n_days * 86400;
    p->now = p->to;
    if (a->now && !rc_norm_time_at(a->now, strlen(a->now), p->utc_offset, &p->now, NULL, NULL)) {
        rc_cli_msg("--now: '%s' is no time", a->now);
        return RC_EXIT_USAGE;
    }
    p->valid_hours = 0;
    if (a->valid) {
        char *end;
        guint64 v = g_ascii_strtoull(a->valid, &end, 10);
        if (*end || end == a->valid || v == 0 || v > 24 * 366) {
            rc_cli_msg("--valid: '%s' is not a number of hours such as 72", a->valid);
            return RC_EXIT_USAGE;
        }
        p->valid_hours = (guint)v;
    }
    return RC_EXIT_OK;
}

/* What to keep and how to show it: window, format, states, language. */
static int plan_values(const MergeArgs *a, MergePlan *p)
{
    p->only = p->fail_bits = 0;
    p->history = FALSE;
    p->lang = RC_LANG_ZH;
    g_autoptr(GError) err = NULL;
    p->utc_offset = RC_TZ_DEFAULT;
    if (a->tz && !rc_norm_tz(a->tz, &p->utc_offset)) {
        rc_cli_msg("--tz: '%s' is no time zone (as +08:00, -05:00, UTC, UTC+8)", a->tz);
        return RC_EXIT_USAGE;
    }
    if (a->days)
        return plan_history(a, p) == RC_EXIT_OK ? plan_shown(a, p) : RC_EXIT_USAGE;
    if (a->valid || a->now) {
        rc_cli_msg("%s goes with --days, the range of a history", a->valid ? "--valid" : "--now");
        return RC_EXIT_USAGE;
    }
    if (!rc_window_parse(a->day, a->since, a->until, p->utc_offset, &p->from, &p->to, &err)) {
        rc_cli_msg("%s", err->message);
        return RC_EXIT_USAGE;
    }
    return plan_shown(a, p);
}

/* The format, the states asked for and the language. */
static int plan_shown(const MergeArgs *a, MergePlan *p)
{
    if (!parse_format(a->format, a->out, &p->fmt) ||
        (a->only && !rc_cli_states("--only", a->only, &p->only)) ||
        (a->fail_on && !rc_cli_states("--fail-on", a->fail_on, &p->fail_bits)))
        return RC_EXIT_USAGE;
    if (a->lang && !rc_lang_from_name(a->lang, &p->lang)) {
        rc_cli_msg("--lang: '%s' is neither zh nor en", a->lang);
        return RC_EXIT_USAGE;
    }
    return RC_EXIT_OK;
}

/* Where the outputs go and how they are made: split, directory, terminal,
 * threads, mode, standard output. */
static int plan_outputs(const MergeArgs *a, MergePlan *p)
{
    gboolean out_stdout = !a->out || strcmp(a->out, "-") == 0;
    if (a->split_by && strcmp(a->split_by, "building") != 0) {
        rc_cli_msg("--split-by: only 'building' is known, not '%s'", a->split_by);
        return RC_EXIT_USAGE;
    }
    if (!!a->split_by != !!a->out_dir) {
        rc_cli_msg("--split-by building and -O DIR go together");
        return RC_EXIT_USAGE;
    }
    if (a->out_dir && !g_file_test(a->out_dir, G_FILE_TEST_IS_DIR)) {
        rc_cli_msg("%s: not a directory", a->out_dir);
        return RC_EXIT_OUTPUT;
    }
    if (p->fmt == FMT_XLSX && out_stdout && isatty(STDOUT_FILENO)) {
        rc_cli_msg("a workbook is not for a terminal: give -o FILE.xlsx");
        return RC_EXIT_USAGE;
    }
    if (a->threads < 0) {
        rc_cli_msg("--threads: %d is not a number of threads", a->threads);
        return RC_EXIT_USAGE;
    }
    p->threads = a->threads == 1 ? 1 : 2;
    p->mode = 0600;
    if (a->mode) {
        char *end;
        guint64 v = g_ascii_strtoull(a->mode, &end, 8);
        if (*end || end == a->mode || v > 0777) {
            rc_cli_msg("--mode: '%s' is not an octal mode such as 0600", a->mode);
            return RC_EXIT_USAGE;
        }
        p->mode = (guint)v;
    }
    /* --bom asked for where no CSV is written would do nothing, silently */
    if (a->bom && !(p->fmt == FMT_CSV && (a->out || !a->split_by)) && !a->unmatched && !a->problems &&
        !a->door_list) {
        rc_cli_msg(
            "--bom marks CSV outputs only, and none is asked for (TSV, JSON and workbooks never get one)");
        return RC_EXIT_USAGE;
    }
    if (out_stdout && a->summary && strcmp(a->summary, "-") == 0) {
        rc_cli_msg("only one output can go to standard output: give -o FILE or --summary-json FILE");
        return RC_EXIT_USAGE;
    }
    return RC_EXIT_OK;
}

/* Excel's limit: a sheet holds 16,384 columns. */
#define WORKBOOK_MAX_COLUMNS 16384

/* Whether the residents' columns (rollcall's own, then every roster's
 * extras) fit a workbook; if not, says so naming the widest roster (issue
 * 13 item 11), rather than libxlsxwriter failing on a temporary's name. */
static gboolean fits_a_workbook(const RcMerge *m)
{
    guint n_extra, n_in;
    rc_merge_extra_columns(m, &n_extra);
    if (RC_COL_FIXED + n_extra <= WORKBOOK_MAX_COLUMNS)
        return TRUE;
    const RcInput *in = rc_merge_inputs(m, &n_in);
    const RcInput *widest = NULL;
    guint most = 0;
    for (guint i = 0; i < n_in; i++) {
        guint n = in[i].extras ? g_strv_length(in[i].extras) : 0;
        if (in[i].kind == RC_KIND_ROSTER && (!widest || n > most)) {
            widest = &in[i];
            most = n;
        }
    }
    rc_cli_msg(
        "%s: %u extra columns%s: a workbook holds at most %d columns, %d of them for the rosters' extra "
        "columns; write CSV, TSV or JSON instead (--format)",
        widest ? widest->path : "roster", widest ? most : n_extra,
        n_in > 1 ? " (with the other rosters', "
                   "more)"
                 : "",
        WORKBOOK_MAX_COLUMNS, WORKBOOK_MAX_COLUMNS - RC_COL_FIXED);
    return FALSE;
}

/* The files named on the command line: inputs (rosters, results, config)
 * and the outputs other than --split-by's. Fills F with borrowed strings
 * (free the two arrays). */
static void files_of(const MergeArgs *a, int argc, char **argv, Files *f)
{
    gsize n_rosters = a->rosters ? g_strv_length(a->rosters) : 0;
    f->inputs = g_new0(const char *, n_rosters + (gsize)argc + 1);
    f->n_inputs = 0;
    for (gsize i = 0; i < n_rosters; i++)
        f->inputs[f->n_inputs++] = a->rosters[i];
    for (int i = 1; i < argc; i++)
        f->inputs[f->n_inputs++] = argv[i];
    if (a->config)
        f->inputs[f->n_inputs++] = a->config;
    const char *outs[] = {a->out || !a->split_by ? (a->out ? a->out : "-") : NULL,
                          a->unmatched,
                          a->problems,
                          a->summary,
                          a->door_list,
                          a->tubes};
    f->outputs = g_new0(const char *, G_N_ELEMENTS(outs));
    f->n_outputs = 0;
    for (gsize i = 0; i < G_N_ELEMENTS(outs); i++)
        if (outs[i])
            f->outputs[f->n_outputs++] = outs[i];
}

/* No output may overwrite an input or another output (issue 13 item 3). */
static int plan_distinct(const Files *f)
{
    g_autoptr(GError) err = NULL;
    if (!rc_outfile_check_distinct(f->outputs, f->n_outputs, f->inputs, f->n_inputs, &err)) {
        rc_cli_msg("%s", err->message);
        return RC_EXIT_USAGE;
    }
    return RC_EXIT_OK;
}

/* A file copied in under NAME.partial and renamed when complete (the
 * convention of docs/cron.md) is still being written while it has that
 * name: an hourly run over a folder must not read it half-way. */
static gboolean is_partial(const char *path)
{
    return g_str_has_suffix(path, ".partial");
}

/* Results named *.partial are skipped (the run says so in its warnings); a
 * roster so named, or nothing left to read, is an input error. Returns
 * RC_EXIT_OK or the exit code, having said why. */
static int plan_partial(const MergeArgs *a, int argc, char **argv)
{
    for (char **r = a->rosters; *r; r++)
        if (is_partial(*r)) {
            rc_cli_msg(
                "%s: still being copied (the name ends in .partial): give the roster once it is renamed", *r);
            return RC_EXIT_INPUT;
        }
    for (int i = 1; i < argc; i++)
        if (!is_partial(argv[i]))
            return RC_EXIT_OK;
    rc_cli_msg("every results file is still being copied (the names end in .partial): nothing to merge");
    return RC_EXIT_INPUT;
}

/* Loads the rosters, then streams RESULTS (argv[1..]) through merge M. Returns
 * RC_EXIT_OK or the exit code, having said why. */
static int load_inputs(RcMerge *m, const MergeArgs *a, int argc, char **argv, const RunView *view,
                       gboolean workbook)
{
    g_autoptr(GError) err = NULL;
    gboolean loaded = TRUE;
    g_autofree char *sheet = a->sheets ? g_strjoinv(",", a->sheets) : NULL;
    rc_merge_set_sheet(m, sheet);
    stage(NULL);
    for (char **r = a->rosters; loaded && *r; r++)
        loaded = rc_merge_add_roster(m, *r, &err);
    stage("rosters");
    if (loaded && workbook && !fits_a_workbook(m))
        return RC_EXIT_INPUT;
    for (int i = 1; loaded && i < argc; i++) {
        if (is_partial(argv[i])) {
            /* named as messages name inputs: by the file's own name */
            g_autofree char *name = g_path_get_basename(argv[i]);
            rc_warnings_add(rc_merge_warning_list(m), RC_WARN_INPUT_PARTIAL, name, NULL, NULL);
        } else
            loaded = rc_merge_add_results(m, argv[i], &err);
    }
    stage("results");
    if (view->tty)
        fputs("\r\033[K", stderr);
    if (!loaded) {
        rc_cli_msg("%s", err->message);
        /* A spool that cannot be written is an output's failure, not the input's. */
        return g_error_matches(err, RC_SOURCE_ERROR, RC_SOURCE_ERROR_ENCODING) ? RC_EXIT_USAGE
               : err->domain == RC_SPOOL_ERROR                                 ? RC_EXIT_OUTPUT
                                                                               : RC_EXIT_INPUT;
    }
    rc_merge_finish(m);
    return RC_EXIT_OK;
}

static void write_door(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_door_csv(r, fp);
}

static void write_tubes(const RcReport *r, FILE *fp, gpointer data)
{
    rc_out_tubes_csv(r, data, fp);
}

/* DESIGN.md section 7: --tubes, the hot tubes' rows read back from their
 * spool first, so that a spool that cannot be read is said, not an empty list. */
static gboolean write_tubes_file(const char *path, guint mode, const RcReport *r, gboolean bom)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(RcTubeList) tubes = rc_report_tubes(r, NULL, &err);
    if (err) {
        rc_cli_msg("%s", err->message);
        return FALSE;
    }
    return write_output(path, mode, r, write_tubes, tubes, bom);
}

static void write_notice(const RcReport *r, FILE *fp, gpointer data)
{
    const guint *b = data;
    rc_out_notice(r, b[0], b[1], fp);
}

/* DESIGN.md section 7: DIR/BUILDING.txt per building, names as --split-by
 * makes them (Windows-safe, distinct ignoring case). */
static gboolean write_notices(const char *dir, guint mode, const RcReport *r, RcLang lang)
{
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        rc_cli_msg("%s: not a directory", dir);
        return FALSE;
    }
    g_autofree const char **names = g_new0(const char *, r->n_buildings + 1);
    for (guint i = 0; i < r->n_buildings; i++)
        names[i] = r->buildings[i].building;
    g_auto(GStrv) files = rc_out_xlsx_unique_names(names, r->n_buildings);
    for (guint i = 0; i < r->n_buildings; i++) {
        g_autofree char *base = g_strconcat(files[i], ".txt", NULL);
        g_autofree char *path = g_build_filename(dir, base, NULL);
        guint what[2] = {i, lang == RC_LANG_EN};
        if (!write_output(path, mode, r, write_notice, what, FALSE))
            return FALSE;
    }
    return TRUE;
}

/* Every output asked for, in a fixed order; stops at the first that fails.
 * Returns RC_EXIT_OK or the exit code, having said why. */
static int write_outputs(const RcReport *rep, const MergeArgs *a, const MergePlan *p, const Files *files)
{
    MainOut main_out = {p->fmt, p->only};
    RcXlsxOptions xo = {p->lang, NULL, 0, NULL};
    const char *out = a->out ? a->out : "-";
    int code = a->split_by ? write_split(a->out_dir, p->mode, rep, p->lang, files) : RC_EXIT_OK;
    if (code != RC_EXIT_OK)
        return code;
    gboolean ok = TRUE;
    if (a->out || !a->split_by)
        ok = p->fmt == FMT_XLSX
                 ? write_workbook(out, p->mode, rep, &xo)
                 : write_output(out, p->mode, rep, write_main, &main_out, a->bom && p->fmt == FMT_CSV);
    if (ok && a->unmatched)
        ok = write_output(a->unmatched, p->mode, rep, write_unmatched, NULL, a->bom);
    if (ok && a->problems)
        ok = write_output(a->problems, p->mode, rep, write_problems, NULL, a->bom);
    if (ok && a->summary)
        ok = write_output(a->summary, p->mode, rep, write_summary, NULL, FALSE);
    if (ok && a->door_list)
        ok = write_output(a->door_list, p->mode, rep, write_door, NULL, a->bom);
    if (ok && a->tubes)
        ok = write_tubes_file(a->tubes, p->mode, rep, a->bom);
    if (ok && a->notice)
        ok = write_notices(a->notice, p->mode, rep, p->lang);
    return ok ? RC_EXIT_OK : RC_EXIT_OUTPUT;
}

/* DESIGN.md section 3.5: what usually means a wrong set-up, one line each. */
static void print_warnings(const RcReport *rep)
{
    g_autoptr(GString) file = g_string_new(NULL);
    g_autoptr(GString) text = g_string_new(NULL);
    for (guint i = 0, n = rc_report_n_warnings(rep); i < n; i++) {
        rc_report_warning(rep, i, FALSE, file, text);
        rc_cli_msg("%s%swarning: %s", file->str, file->len ? ": " : "", text->str);
    }
}

/* The two lines of counts on stderr, after the problems not shown. */
static void print_counts(const RcMerge *m, const RcReport *rep, const RunView *view, const MergeArgs *a)
{
    const RcResultCounts *rc = rc_merge_result_counts(m);
    const RcRosterCounts *rr = rc_merge_roster_counts(m);
    const guint64 *st = rep->total.states;
    if (view->problems > SHOWN_PROBLEMS)
        rc_cli_msg("%" G_GUINT64_FORMAT " more problem rows not shown%s", view->problems - SHOWN_PROBLEMS,
                   a->problems ? "" : " (write them all with --problems FILE)");
    /* rows that are not data, said only when there are some */
    g_autofree char *rc_ign =
        rc->ignored ? g_strdup_printf(", %" G_GUINT64_FORMAT " ignored", rc->ignored) : g_strdup("");
    g_autofree char *rr_ign =
        rr->ignored ? g_strdup_printf(", %" G_GUINT64_FORMAT " ignored", rr->ignored) : g_strdup("");
    /* DESIGN.md section 3.3: the same sample again, within applied */
    g_autofree char *dup =
        rc->duplicate ? g_strdup_printf(" (%" G_GUINT64_FORMAT " duplicate)", rc->duplicate) : g_strdup("");
    rc_cli_msg("%" G_GUINT64_FORMAT " result rows: %" G_GUINT64_FORMAT " applied%s, %" G_GUINT64_FORMAT
               " out of window, %" G_GUINT64_FORMAT " unmatched, %" G_GUINT64_FORMAT " problem%s",
               rc->rows, rc->applied, dup, rc->out_of_window, rc->unmatched, rc->problem, rc_ign);
    rc_cli_msg("%" G_GUINT64_FORMAT " roster rows: %" G_GUINT64_FORMAT " residents, %" G_GUINT64_FORMAT
               " problem%s; %" G_GUINT64_FORMAT " negative, %" G_GUINT64_FORMAT
               " positive, %" G_GUINT64_FORMAT " review, %" G_GUINT64_FORMAT " invalid, %" G_GUINT64_FORMAT
               " pending, %" G_GUINT64_FORMAT " missing, %" G_GUINT64_FORMAT " exempt",
               rr->rows, rr->residents, rr->problem, rr_ign, st[RC_STATE_NEGATIVE], st[RC_STATE_POSITIVE],
               st[RC_STATE_REVIEW], st[RC_STATE_INVALID], st[RC_STATE_PENDING], st[RC_STATE_MISSING],
               st[RC_STATE_EXEMPT]);
}

int rc_cmd_merge(int argc, char **argv)
{
    g_auto(MergeArgs) a = {0};
    MergePlan p;
    int code;
    if (!parse_args(&a, &argc, &argv))
        return RC_EXIT_USAGE;
    if ((code = plan_inputs(&a, argc)) != RC_EXIT_OK || (code = plan_values(&a, &p)) != RC_EXIT_OK ||
        (code = plan_outputs(&a, &p)) != RC_EXIT_OK)
        return code;
    Files files;
    files_of(&a, argc, argv, &files);
    g_autofree const char **inputs = files.inputs;
    g_autofree const char **outputs = files.outputs;
    if ((code = plan_distinct(&files)) != RC_EXIT_OK || (code = plan_partial(&a, argc, argv)) != RC_EXIT_OK)
        return code;
    g_autoptr(RcConfig) cfg = rc_cli_config(a.config);
    if (!cfg)
        return RC_EXIT_USAGE;

    rc_outfile_install_signal_handlers();
    RunView view = {a.quiet, !a.quiet && isatty(STDERR_FILENO), 0, 0, 0};
    RcMergeOptions mo = {p.from, p.to,       a.encoding, on_progress,
                         &view,  on_problem, p.threads,  p.history ? &p.days : NULL};
    g_autoptr(GError) err = NULL;
    g_autoptr(RcMerge) m = rc_merge_new(cfg, &mo, &err);
    if (!m) {
        rc_cli_msg("%s", err->message);
        return err->domain == RC_SPOOL_ERROR ? RC_EXIT_OUTPUT : RC_EXIT_USAGE;
    }
    rc_merge_set_utc_offset(m, p.utc_offset);
    if ((code = load_inputs(m, &a, argc, argv, &view, p.fmt == FMT_XLSX || a.split_by)) != RC_EXIT_OK)
        return code;

    RcReportOptions ro = {a.mask, now_seconds(), p.from, p.to, p.threads, p.now, p.valid_hours};
    g_autoptr(RcReport) rep = rc_report_new(m, &ro);
    stage("report");
    code = write_outputs(rep, &a, &p, &files);
    stage("outputs");
    if (code != RC_EXIT_OK)
        return code;
    if (!a.quiet) {
        print_warnings(rep);
        print_counts(m, rep, &view, &a);
    }
    for (int s = 0; s < RC_STATE_COUNT; s++)
        if ((p.fail_bits & RC_STATE_BIT(s)) && rep->total.states[s])
            return RC_EXIT_STATES;
    return RC_EXIT_OK;
}

/* rollcall check: how each file is read — encoding, sheets, and per table
 * (a CSV file, a sheet) the header, column roles and the rule behind each,
 * rows, places inherited, ignored lines, warnings, row problems — without
 * merging (issue 14 item 7). */
#include "cli.h"
#include "codes.h"
#include "config.h"
#include "source.h"
#include "table.h"
#include "warn.h"

#include <stdio.h>
#include <string.h>

/* What one table (a CSV file, or one sheet of a workbook) showed. */
typedef struct {
    guint64 data, ignored, ragged, problem, inherited;
} SheetCounts;

typedef struct {
    const char *file;
    GString *head;       /* the report of the tables read so far, kept until the end */
    GPtrArray *problems; /* char*, "FILE:LINE: reason", of the current table */
    GPtrArray *ignored;  /* char*, "FILE:LINE: reason", of the current table */
    GPtrArray *warnings; /* char*, a sentence, of the current table */
    SheetCounts sheet;   /* the current table's */
    guint tables;        /* headers seen */
} CheckState;

/* The rows line: BLANK (G_MAXUINT64: not known per sheet) as skipped. */
static void rows_line(GString *out, const char *label, guint64 data, guint64 ignored, guint64 blank,
                      guint64 ragged, guint64 problem)
{
    g_string_append_printf(out, "  %-10s %" G_GUINT64_FORMAT " data, ", label, data);
    if (ignored)
        g_string_append_printf(out, "%" G_GUINT64_FORMAT " ignored, ", ignored);
    if (blank != G_MAXUINT64)
        g_string_append_printf(out, "%" G_GUINT64_FORMAT " blank skipped, ", blank);
    g_string_append_printf(out, "%" G_GUINT64_FORMAT " ragged kept, %" G_GUINT64_FORMAT " problem\n", ragged,
                           problem);
}

/* The current table's rows, ignored lines, warnings and problems, into the
 * report: a workbook shows each sheet with its own. WHOLE: the file's
 * counts when this table is the file's only one (blank rows are counted
 * per file). */
static void end_table(CheckState *st, const RcTableStats *whole)
{
    if (st->tables == 0)
        return;
    SheetCounts *c = &st->sheet;
    rows_line(st->head, "rows:", c->data, c->ignored, whole ? whole->blank : G_MAXUINT64, c->ragged,
              c->problem);
    if (c->inherited)
        g_string_append_printf(st->head,
                               "  places:    %" G_GUINT64_FORMAT
                               " rows took building, unit or room from the row "
                               "above (merged cells, or 同上)\n",
                               c->inherited);
    static const char *const what[] = {"ignored:", "warning:", "problem:"};
    GPtrArray *lists[] = {st->ignored, st->warnings, st->problems};
    for (gsize k = 0; k < G_N_ELEMENTS(lists); k++) {
        for (guint i = 0; i < lists[k]->len; i++)
            g_string_append_printf(st->head, "  %-10s %s\n", what[k], (char *)g_ptr_array_index(lists[k], i));
        g_ptr_array_set_size(lists[k], 0);
    }
    memset(c, 0, sizeof *c);
}

static const char *delimiter_name(char d)
{
    switch (d) {
    case ',':
        return "comma";
    case ';':
        return "semicolon";
    case '\t':
        return "tab";
    default:
        return "?";
    }
}

static gboolean on_header(const RcHeader *h, gpointer user, GError **error)
{
    CheckState *st = user;
    end_table(st, NULL);
    st->tables++;
    g_string_append_printf(st->head, "  kind:      %s\n", rc_kind_name(h->kind));
    if (h->sheet)
        g_string_append_printf(st->head, "  sheet:     %s\n", h->sheet);
    else
        g_string_append_printf(st->head, "  delimiter: %s\n", delimiter_name(h->delimiter));
    g_string_append_printf(st->head, "  header:    line %" G_GUINT64_FORMAT "\n", h->line);
    /* each column's role, and the rule that decided it (DESIGN.md section 1) */
    for (guint i = 0; i < h->n_columns; i++) {
        /* a line break inside a cell (姓名 over Name) shown as \n */
        g_autoptr(GString) name = g_string_new(h->names[i]);
        g_string_replace(name, "\r\n", "\\n", 0);
        g_string_replace(name, "\n", "\\n", 0);
        g_string_replace(name, "\r", "\\n", 0);
        g_string_append_printf(st->head, "  %s %3u  %-12s %s", i == 0 ? "columns:" : "        ", i + 1,
                               rc_role_name(h->roles[i]), name->str);
        if (h->how[i] && *h->how[i])
            g_string_append_printf(st->head, "  [%s]", h->how[i]);
        g_string_append_c(st->head, '\n');
    }
    for (char **n = h->notes; n && *n; n++)
        g_string_append_printf(st->head, "  note:      %s\n", *n);
    return TRUE;
}

static gboolean on_row(const RcHeader *h, const RcRecord *r, gpointer user, GError **error)
{
    CheckState *st = user;
    (void)h;
    (void)error;
    st->sheet.data++;
    st->sheet.inherited += r->place_inherited;
    return TRUE;
}

static void on_problem(const RcHeader *h, const RcRecord *r, const char *reason, gboolean kept, gpointer user)
{
    CheckState *st = user;
    if (kept)
        st->sheet.ragged++;
    else
        st->sheet.problem++;
    g_autoptr(GString) said = g_string_new(NULL);
    g_ptr_array_add(st->problems,
                    g_strdup_printf("%s%s%s:%" G_GUINT64_FORMAT ": %s%s", st->file,
                                    h && h->sheet_in_line ? ":" : "", h && h->sheet_in_line ? h->sheet : "",
                                    r->line, rc_reason_render(FALSE, reason, said),
                                    kept ? " (row kept)" : ""));
}

static void on_ignored(const RcHeader *h, const RcRecord *r, const char *reason, gpointer user)
{
    CheckState *st = user;
    (void)h;
    st->sheet.ignored++;
    g_ptr_array_add(st->ignored, g_strdup_printf("%s:%" G_GUINT64_FORMAT ": %s", st->file, r->line, reason));
}

/* DESIGN.md section 3.5: the warnings a merge would give for the columns. */
static void on_column(const RcHeader *h, guint col, RcTableLooks looks, gpointer user)
{
    CheckState *st = user;
    RcWarning w = {looks == RC_TABLE_LOOKS_TIMES_ONLY ? RC_WARN_TIME_ONLY : RC_WARN_COLUMN_UNUSED, (char *)"",
                   h->names[col], (char *)rc_table_looks_name(looks)};
    g_ptr_array_add(st->warnings, rc_warning_text(&w, FALSE));
}

static int check_one(const char *path, const char *encoding, const char *sheet, const RcConfig *cfg,
                     guint threads)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) head = g_string_new(NULL);
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) ignored = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    CheckState st = {strcmp(path, "-") == 0 ? "<stdin>" : path, head, problems, ignored, warnings, {0}, 0};
    RcTableSink sink = {.header = on_header,
                        .row = on_row,
                        .problem = on_problem,
                        .ignored = on_ignored,
                        .column = on_column,
                        .threads = threads};
    RcTableStats stats = {0};
    RcTableInfo info;
    gboolean ok =
        rc_table_read_path(path, encoding, sheet, RC_KIND_COUNT, cfg, &sink, &st, &stats, &info, &err);
    if (!info.encoding) {
        rc_cli_msg("%s", err->message);
        rc_table_info_clear(&info);
        return g_error_matches(err, RC_SOURCE_ERROR, RC_SOURCE_ERROR_ENCODING) ? RC_EXIT_USAGE
                                                                               : RC_EXIT_INPUT;
    }
    printf("%s\n", st.file);
    if (info.workbook) {
        printf("  format:    %s\n", info.encoding);
        for (guint i = 0; info.sheets[i]; i++) {
            const char *why = info.skipped ? info.skipped[i] : NULL;
            printf("  %s %3u  %s", i == 0 ? "sheets: " : "        ", i + 1, info.sheets[i]);
            if (why && strcmp(why, "hidden") == 0)
                printf(" (hidden, skipped)");
            else if (info.hidden[i])
                printf(" (hidden)");
            if (info.read && info.read[i])
                printf(" (read)");
            else if (why && strcmp(why, "hidden") != 0)
                printf(" (skipped: %s)", why);
            putchar('\n');
        }
    } else {
        printf("  encoding:  %s (%s)\n", info.encoding, info.forced ? "forced" : "detected");
    }
    rc_table_info_clear(&info);
    end_table(&st, st.tables == 1 ? &stats : NULL);
    if (ok && st.tables > 1)
        rows_line(st.head, "in all:", stats.rows - stats.problems - stats.ignored, stats.ignored, stats.blank,
                  stats.ragged, stats.problems);
    fputs(st.head->str, stdout);
    fflush(stdout);
    if (!ok)
        rc_cli_msg("%s", err->message);
    return ok ? RC_EXIT_OK : RC_EXIT_INPUT;
}

static const char check_summary[] =
    "Shows how each FILE is read, without merging: the encoding (and whether it\n"
    "was detected or forced), a workbook's sheets (read, or skipped and why),\n"
    "then for each table (a CSV file, or each sheet) the delimiter, the header\n"
    "line, each column with its role or 'extra' and the rule that decided it,\n"
    "the rows (data, ignored, ragged, problem), the rows whose place came from\n"
    "the row above (merged cells, 同上), every ignored line and row problem as\n"
    "FILE:LINE, and the column warnings. A file is taken as results when its\n"
    "header has a result column, else as a roster.";

static const char check_description[] =
    "Example:\n"
    "  rollcall check fixtures/roster-gb18030.csv fixtures/results-title.csv\n"
    "\n"
    "Exit status:\n"
    "  0  every file has a usable header and decodes\n"
    "  1  usage error\n"
    "  2  a file is missing, has no usable header or cannot be decoded\n";

int rc_cmd_check(int argc, char **argv)
{
    g_autofree char *encoding = NULL;
    g_auto(GStrv) sheets = NULL;
    g_autofree char *config_path = NULL;
    gint threads = 0;
    GOptionEntry entries[] = {
        {"threads", 0, 0, G_OPTION_ARG_INT, &threads, "1: parse in this thread (same report, slower)", "N"},
        {"encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
         "Read every file in ENCODING (utf-8, gb18030, utf-16le, ...) instead of detecting", "NAME"},
        {"sheet", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sheets,
         "The sheets of each workbook, by name or 1-based number, repeated or NAME,NAME (default: every "
         "visible sheet)",
         "NAME|N"},
        {"config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
         "Column aliases from a .ini file (see README.md)", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    if (!rc_cli_parse("check", entries, "FILE... - how rollcall reads each file", check_summary,
                      check_description, &argc, &argv))
        return RC_EXIT_USAGE;
    if (argc < 2) {
        rc_cli_msg("check needs at least one FILE");
        fputs("Try 'rollcall check --help'.\n", stderr);
        return RC_EXIT_USAGE;
    }
    g_autoptr(RcConfig) cfg = rc_cli_config(config_path);
    if (!cfg)
        return RC_EXIT_USAGE;
    g_autofree char *sheet = sheets ? g_strjoinv(",", sheets) : NULL;
    int rc = RC_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (i > 1)
            putchar('\n');
        int one = check_one(argv[i], encoding, sheet, cfg, threads == 1 ? 1 : 2);
        if (one != RC_EXIT_OK)
            rc = one;
    }
    return rc;
}

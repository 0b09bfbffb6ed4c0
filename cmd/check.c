/* rollcall check: how each file is read — encoding, delimiter, header,
 * column roles, rows, row problems — without merging. */
#include "cli.h"
#include "codes.h"
#include "config.h"
#include "source.h"
#include "table.h"
#include "warn.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *file;
    GString *head;       /* the header part of the report, kept until the end */
    GPtrArray *problems; /* char*, "FILE:LINE: reason" */
    GPtrArray *ignored;  /* char*, "FILE:LINE: reason" */
    GPtrArray *warnings; /* char*, a sentence */
} CheckState;

static const char *
delimiter_name(char d)
{
    switch (d) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    default: return "?";
    }
}

static gboolean
on_header(const RcHeader *h, gpointer user, GError **error)
{
    CheckState *st = user;
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

static void
on_problem(const RcHeader *h, const RcRecord *r, const char *reason, gboolean kept, gpointer user)
{
    CheckState *st = user;
    g_autoptr(GString) said = g_string_new(NULL);
    g_ptr_array_add(st->problems, g_strdup_printf("%s%s%s:%" G_GUINT64_FORMAT ": %s%s", st->file,
                                                  h && h->sheet_in_line ? ":" : "",
                                                  h && h->sheet_in_line ? h->sheet : "", r->line,
                                                  rc_reason_render(FALSE, reason, said), kept ? " (row kept)" : ""));
}

static void
on_ignored(const RcHeader *h, const RcRecord *r, const char *reason, gpointer user)
{
    CheckState *st = user;
    (void)h;
    g_ptr_array_add(st->ignored, g_strdup_printf("%s:%" G_GUINT64_FORMAT ": %s", st->file, r->line, reason));
}

/* DESIGN.md section 3.5: the warnings a merge would give for the columns. */
static void
on_column(const RcHeader *h, guint col, RcTableLooks looks, gpointer user)
{
    CheckState *st = user;
    RcWarning w = { looks == RC_TABLE_LOOKS_TIMES_ONLY ? RC_WARN_TIME_ONLY : RC_WARN_COLUMN_UNUSED, (char *)"",
                    h->names[col], (char *)rc_table_looks_name(looks) };
    g_ptr_array_add(st->warnings, rc_warning_text(&w, FALSE));
}

static int
check_one(const char *path, const char *encoding, const char *sheet, const RcConfig *cfg, guint threads)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) head = g_string_new(NULL);
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) ignored = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    CheckState st = { strcmp(path, "-") == 0 ? "<stdin>" : path, head, problems, ignored, warnings };
    RcTableSink sink = { .header = on_header, .problem = on_problem, .ignored = on_ignored, .column = on_column, .threads = threads };
    RcTableStats stats = { 0 };
    RcTableInfo info;
    gboolean ok = rc_table_read_path(path, encoding, sheet, RC_KIND_COUNT, cfg, &sink, &st, &stats, &info, &err);
    if (!info.encoding) {
        rc_cli_msg("%s", err->message);
        rc_table_info_clear(&info);
        return g_error_matches(err, RC_SOURCE_ERROR, RC_SOURCE_ERROR_ENCODING) ? RC_EXIT_USAGE : RC_EXIT_INPUT;
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
    fputs(st.head->str, stdout);
    if (ok) {
        g_autofree char *ign = stats.ignored ? g_strdup_printf("%" G_GUINT64_FORMAT " ignored, ", stats.ignored)
                                             : g_strdup("");
        printf("  rows:      %" G_GUINT64_FORMAT " data, %s%" G_GUINT64_FORMAT " blank skipped, %" G_GUINT64_FORMAT
               " ragged kept, %" G_GUINT64_FORMAT " problem\n",
               stats.rows - stats.problems - stats.ignored, ign, stats.blank, stats.ragged, stats.problems);
    }
    for (guint i = 0; i < st.ignored->len; i++)
        printf("  ignored:   %s\n", (char *)g_ptr_array_index(st.ignored, i));
    for (guint i = 0; i < st.warnings->len; i++)
        printf("  warning:   %s\n", (char *)g_ptr_array_index(st.warnings, i));
    for (guint i = 0; i < st.problems->len; i++)
        printf("  problem:   %s\n", (char *)g_ptr_array_index(st.problems, i));
    fflush(stdout);
    if (!ok)
        rc_cli_msg("%s", err->message);
    return ok ? RC_EXIT_OK : RC_EXIT_INPUT;
}

static const char check_summary[] =
    "Shows how each FILE is read, without merging: the encoding (and whether it\n"
    "was detected or forced), the delimiter, the header line, each column with\n"
    "its role or 'extra', the number of data rows, and every row problem as\n"
    "FILE:LINE. A file is taken as results when its header has a result column,\n"
    "else as a roster.";

static const char check_description[] =
    "Example:\n"
    "  rollcall check fixtures/roster-gb18030.csv fixtures/results-title.csv\n"
    "\n"
    "Exit status:\n"
    "  0  every file has a usable header and decodes\n"
    "  1  usage error\n"
    "  2  a file is missing, has no usable header or cannot be decoded\n";

int
rc_cmd_check(int argc, char **argv)
{
    g_autofree char *encoding = NULL;
    g_auto(GStrv) sheets = NULL;
    g_autofree char *config_path = NULL;
    gint threads = 0;
    GOptionEntry entries[] = {
        { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "1: parse in this thread (same report, slower)", "N" },
        { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
          "Read every file in ENCODING (utf-8, gb18030, utf-16le, ...) instead of detecting", "NAME" },
        { "sheet", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sheets,
          "The sheets of each workbook, by name or 1-based number, repeated or NAME,NAME (default: every visible sheet)", "NAME|N" },
        { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
          "Column aliases from a .ini file (see README.md)", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
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

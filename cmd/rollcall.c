/* rollcall: the command line. Dispatches to a subcommand (merge.c,
 * check.c, which share cli.c); everything else lives in lib/. */
#include "cli.h"
#include "outfile.h"
#include "rc.h"

#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] = "Usage: rollcall merge -r ROSTER [-r ROSTER]... RESULTS... [OPTIONS]\n"
                                 "       rollcall check FILE...\n"
                                 "       rollcall --help | --version\n"
                                 "\n"
                                 "Merges nucleic-acid test result exports with household rosters and tells\n"
                                 "who on the roster tested negative, positive, needs a retest, or never\n"
                                 "showed up.\n"
                                 "\n"
                                 "Commands:\n"
                                 "  merge   match result rows to residents and write their states\n"
                                 "          (see 'rollcall merge --help')\n"
                                 "  check   show how each file is read: encoding, delimiter, header,\n"
                                 "          column roles, rows and row problems, without merging\n"
                                 "          (see 'rollcall check --help')\n"
                                 "\n"
                                 "Outputs: an Excel workbook for officials (-o FILE.xlsx), CSV, TSV or\n"
                                 "JSON for pipelines, and a summary JSON for cron jobs.\n"
                                 "\n"
                                 "Inputs are CSV or TSV in UTF-8 (with or without BOM), UTF-16 with BOM or\n"
                                 "GB18030/GBK, detected per file, or Excel workbooks (.xlsx, .xls) read\n"
                                 "directly. '-' reads standard input.\n"
                                 "\n"
                                 "Example:\n"
                                 "  rollcall check roster.csv results.csv\n"
                                 "  rollcall merge -r roster.csv --day 2022-04-10 results.csv -o today.csv\n"
                                 "\n"
                                 "Exit status:\n"
                                 "  0  done\n"
                                 "  1  usage error\n"
                                 "  2  input error (missing file, no usable header, undecodable bytes)\n"
                                 "  3  output error\n"
                                 "  4  with --fail-on STATES: a resident is in one of those states\n";

static void put(const char *s)
{
    for (size_t n = strlen(s); n;) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* GLib aborts (SIGTRAP, exit 133) when an allocation fails; the readers
 * fail the allocations an input drives as input errors (the shared
 * strings), but the roster's records, indexes and arena grow with it by
 * GLib's allocators, which cannot fail, and the residents' array by mmap(),
 * which fails as they do (issue 13 item 8: a roster larger than the memory
 * the run has). Memory is short here: the message is put together without
 * allocating, the temporaries are removed as on a signal and the run ends
 * as an input error, exit 2. Other fatal errors go to GLib's default
 * handler. */
static void on_glib_error(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
    const char *what = message ? strstr(message, "failed to allocate") : NULL;
    if (!what) {
        g_log_default_handler(domain, level, message, data);
        return;
    }
    put("rollcall: out of memory (");
    put(what);
    put("): the inputs need more memory than this run has (README, Security and personal data)\n");
    rc_outfile_remove_temps();
    _exit(RC_EXIT_INPUT);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    g_log_set_handler("GLib", G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL, on_glib_error, NULL);
    g_log_set_handler(NULL, G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL, on_glib_error, NULL); /* lib/'s own */
#ifdef M_MMAP_THRESHOLD
    /* Blocks of 256 KiB and more get their own mapping, so that freeing one
     * (the merge's indexes at the end of the matching, the report's sort
     * keys) gives the memory back. Left alone, glibc raises the threshold
     * after the first large free and keeps later tables in a heap that
     * never shrinks: 10 to 25 MB more at the peak of a 1M merge. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
    if (argc < 2) {
        fputs(usage_text, stderr);
        return RC_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return RC_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("rollcall %s\n", RC_VERSION);
        return RC_EXIT_OK;
    }
    if (strcmp(cmd, "check") == 0)
        return rc_cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return rc_cmd_merge(argc - 1, argv + 1);
    rc_cli_msg("unknown command '%s'", cmd);
    fputs("Try 'rollcall --help'.\n", stderr);
    return RC_EXIT_USAGE;
}

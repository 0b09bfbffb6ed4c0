/* cli: what the subcommands share — exit codes (DESIGN.md section 4) and
 * messages on stderr in git's form, "rollcall: FILE:LINE: what is wrong". */
#ifndef RC_CLI_H
#define RC_CLI_H

#include <glib.h>

enum {
    RC_EXIT_OK = 0,
    RC_EXIT_USAGE = 1,
    RC_EXIT_INPUT = 2,
    RC_EXIT_OUTPUT = 3,
    RC_EXIT_STATES = 4,
};

/* "rollcall: " + the formatted message + newline, on stderr. */
void rc_cli_msg(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Parses ARGV for subcommand CMD with ENTRIES; PARAMS, SUMMARY and
 * DESCRIPTION make its --help. On failure prints the error and a hint and
 * returns FALSE. */
gboolean rc_cli_parse(const char *cmd, const GOptionEntry *entries, const char *params, const char *summary,
                      const char *description, int *argc, char ***argv);

int rc_cmd_check(int argc, char **argv);
int rc_cmd_merge(int argc, char **argv);

#endif

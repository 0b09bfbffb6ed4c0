/* cli: what the subcommands share (cli.c) — exit codes (DESIGN.md section
 * 4), messages on stderr in git's form, "rollcall: FILE:LINE: what is
 * wrong", option parsing, state lists and the --config file — and the
 * subcommands rollcall.c dispatches to. */
#ifndef RC_CLI_H
#define RC_CLI_H

#include <glib.h>

#include "config.h"

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

/* "negative,missing" (the value of option OPT) -> state bits
 * (RC_STATE_BIT). On an unknown name prints why and returns FALSE. */
gboolean rc_cli_states(const char *opt, const char *list, guint *bits);

/* DESIGN.md's defaults, overridden from PATH when not NULL. On failure
 * prints why and returns NULL. Owned: rc_config_free(). */
RcConfig *rc_cli_config(const char *path);

/* The subcommands: each returns the exit code. */
int rc_cmd_check(int argc, char **argv);
int rc_cmd_merge(int argc, char **argv);

#endif

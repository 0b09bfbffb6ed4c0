/* cli: what the subcommands share — messages on stderr in git's form, option
 * parsing, the state lists of --only / --fail-on, the --config file. Knows
 * no subcommand: rollcall.c dispatches to them and they call in here. */
#include "cli.h"
#include "norm.h"
#include "out.h"

#include <stdio.h>
#include <string.h>

void rc_cli_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* Messages never carry an id or a phone, --mask or not: a file, sheet
     * or column name, a value quoted, may hold one (issue 13 item 7). A
     * compact time (20220410083122) stays readable. */
    g_autoptr(GString) shown = g_string_new(NULL);
    rc_norm_mask_time(msg, strlen(msg), shown);
    fprintf(stderr, "rollcall: %s\n", shown->str);
}

gboolean rc_cli_parse(const char *cmd, const GOptionEntry *entries, const char *params, const char *summary,
                      const char *description, int *argc, char ***argv)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new(params);
    g_option_context_set_summary(ctx, summary);
    g_option_context_set_description(ctx, description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    g_autofree char *prg = g_strdup_printf("rollcall %s", cmd);
    g_set_prgname(prg);
    if (!g_option_context_parse(ctx, argc, argv, &err)) {
        rc_cli_msg("%s", err->message);
        fprintf(stderr, "Try 'rollcall %s --help'.\n", cmd);
        return FALSE;
    }
    return TRUE;
}

gboolean rc_cli_states(const char *opt, const char *list, guint *bits)
{
    *bits = 0;
    g_auto(GStrv) parts = g_strsplit(list, ",", -1);
    for (char **p = parts; *p; p++) {
        g_strstrip(*p);
        RcState s = rc_state_from_name(*p);
        if (s == RC_STATE_UNKNOWN) {
            rc_cli_msg("%s: unknown state '%s' (known: negative, positive, review, invalid, pending, "
                       "missing, exempt)",
                       opt, *p);
            return FALSE;
        }
        *bits |= RC_STATE_BIT(s);
    }
    return TRUE;
}

RcConfig *rc_cli_config(const char *path)
{
    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autoptr(GError) err = NULL;
    if (path && !rc_config_load(cfg, path, &err)) {
        rc_cli_msg("%s", err->message);
        return NULL;
    }
    return g_steal_pointer(&cfg);
}

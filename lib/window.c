/* window: --day, --since and --until (DESIGN.md section 3.2). */
#include "window.h"

#include <string.h>

G_DEFINE_QUARK(rc - window - error - quark, rc_window_error)

#define DAY_SECONDS 86400

/* The start of the day holding T (naive local seconds; floor for times
 * before 1970). */
static RcTime day_start(RcTime t)
{
    RcTime r = t % DAY_SECONDS;
    return t - (r < 0 ? r + DAY_SECONDS : r);
}

static gboolean read_time(const char *opt, const char *value, gint32 utc_offset, RcTime *t, guint *flags,
                          GError **error)
{
    const char *why = NULL;
    if (!rc_norm_time_at(value, strlen(value), utc_offset, t, flags, &why)) {
        g_set_error(error, RC_WINDOW_ERROR, RC_WINDOW_ERROR_TIME, "%s '%s': %s", opt, value, why);
        return FALSE;
    }
    return TRUE;
}

gboolean rc_window_parse(const char *day, const char *since, const char *until, gint32 utc_offset,
                         RcTime *from, RcTime *to, GError **error)
{
    guint flags = 0;
    *from = *to = RC_TIME_NONE;
    if (day && (since || until)) {
        g_set_error(error, RC_WINDOW_ERROR, RC_WINDOW_ERROR_EMPTY,
                    "--day cannot be combined with --since or --until");
        return FALSE;
    }
    if (day) {
        RcTime t;
        if (!read_time("--day", day, utc_offset, &t, &flags, error))
            return FALSE;
        *from = day_start(t);
        *to = *from + DAY_SECONDS;
        return TRUE;
    }
    if (since && !read_time("--since", since, utc_offset, from, &flags, error))
        return FALSE;
    if (until) {
        if (!read_time("--until", until, utc_offset, to, &flags, error))
            return FALSE;
        if (!(flags & RC_TIME_CLOCK))
            *to += DAY_SECONDS;
    }
    if (*from != RC_TIME_NONE && *to != RC_TIME_NONE && *from >= *to) {
        g_set_error(error, RC_WINDOW_ERROR, RC_WINDOW_ERROR_EMPTY,
                    "the window is empty: --since is not before --until");
        return FALSE;
    }
    return TRUE;
}

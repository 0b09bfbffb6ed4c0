/* place: floors from room numbers and masked names for notices (DESIGN.md
 * section 7). */
#include <string.h>

#include "norm.h"
#include "place.h"

static gboolean
strip_suffix(const char *s, gsize *len, const char *suffix)
{
    gsize n = strlen(suffix);
    if (*len >= n && memcmp(s + *len - n, suffix, n) == 0) {
        *len -= n;
        return TRUE;
    }
    return FALSE;
}

static gboolean
strip_prefix(const char **s, gsize *len, const char *prefix)
{
    gsize n = strlen(prefix);
    if (*len >= n && memcmp(*s, prefix, n) == 0) {
        *s += n;
        *len -= n;
        return TRUE;
    }
    return FALSE;
}

gboolean
rc_place_floor(const char *s, gsize len, RcFloor *out)
{
    char buf[RC_NORM_CAP];
    gsize n = rc_norm_text(s, len, buf, sizeof buf);
    const char *p = buf;

    /* 1203室, 1203号, 1203房 */
    while (strip_suffix(p, &n, "室") || strip_suffix(p, &n, "号") || strip_suffix(p, &n, "房"))
        ;
    /* one letter after the number: 1203A */
    if (n > 0 && g_ascii_isalpha(p[n - 1]) && n > 1 && g_ascii_isdigit(p[n - 2]))
        n--;
    gboolean basement = strip_prefix(&p, &n, "地下") || strip_prefix(&p, &n, "B") ||
                        strip_prefix(&p, &n, "b") || strip_prefix(&p, &n, "-");
    /* a unit or building before the room: 1-101, 2-1203 */
    if (!basement) {
        const char *dash = memchr(p, '-', n);
        while (dash) {
            for (const char *q = p; q < dash; q++)
                if (!g_ascii_isdigit(*q))
                    return FALSE;
            n -= (gsize)(dash + 1 - p);
            p = dash + 1;
            dash = memchr(p, '-', n);
        }
    }
    if (n < 3 || n > 5)
        return FALSE;
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isdigit(p[i]))
            return FALSE;
    int floor = 0;
    for (gsize i = 0; i + 2 < n; i++)
        floor = floor * 10 + (p[i] - '0');
    int pos = (p[n - 2] - '0') * 10 + (p[n - 1] - '0');
    if (floor == 0)
        return FALSE;
    out->floor = basement ? -floor : floor;
    out->pos = pos;
    return TRUE;
}

const char *
rc_place_mask_name(const char *s, gsize len, GString *out)
{
    g_string_truncate(out, 0);
    const char *end = s + len;
    while (s < end && g_ascii_isspace(*s))
        s++;
    while (end > s && g_ascii_isspace(end[-1]))
        end--;
    if (s == end || !g_utf8_validate(s, end - s, NULL))
        return out->str;
    glong chars = g_utf8_strlen(s, end - s);
    const char *second = g_utf8_next_char(s);
    if (chars == 1) {
        g_string_append_c(out, '*');
        return out->str;
    }
    g_string_append_len(out, s, second - s);
    if (chars == 2) {
        g_string_append_c(out, '*');
        return out->str;
    }
    for (glong i = 0; i < chars - 2; i++)
        g_string_append_c(out, '*');
    const char *last = g_utf8_find_prev_char(s, end);
    g_string_append_len(out, last, end - last);
    return out->str;
}

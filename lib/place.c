/* place: floors from room numbers and masked names for notices (DESIGN.md
 * section 7); the keys buildings and units are compared by (section 2). */
#include <string.h>

#include "norm.h"
#include "place.h"

static gboolean strip_suffix(const char *s, gsize *len, const char *suffix)
{
    gsize n = strlen(suffix);
    if (*len >= n && memcmp(s + *len - n, suffix, n) == 0) {
        *len -= n;
        return TRUE;
    }
    return FALSE;
}

static gboolean strip_prefix(const char **s, gsize *len, const char *prefix)
{
    gsize n = strlen(prefix);
    if (*len >= n && memcmp(*s, prefix, n) == 0) {
        *s += n;
        *len -= n;
        return TRUE;
    }
    return FALSE;
}

gboolean rc_place_floor(const char *s, gsize len, RcFloor *out)
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

const char *rc_place_mask_name(const char *s, gsize len, GString *out)
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

/* The value of a Chinese numeral character, 10 for 十, 100 for 百, or -1. */
static int cjk_digit(const char *p, gsize n, gsize *len)
{
    static const struct {
        const char *s;
        int v;
    } digits[] = {
        {"零", 0}, {"〇", 0}, {"一", 1}, {"二", 2}, {"两", 2}, {"三", 3},  {"四", 4},
        {"五", 5}, {"六", 6}, {"七", 7}, {"八", 8}, {"九", 9}, {"十", 10}, {"百", 100},
    };
    for (gsize k = 0; k < G_N_ELEMENTS(digits); k++)
        if (n >= 3 && memcmp(p, digits[k].s, 3) == 0) {
            *len = 3;
            return digits[k].v;
        }
    return -1;
}

/* A run of Chinese numerals at (P, N) as a number into OUT: 十一 11, 二十 20,
 * 一百零一 101; a run without 十 or 百 digit by digit (一零一 101). Returns the
 * bytes read, 0 when P holds no numeral. */
static gsize cjk_number(const char *p, gsize n, GString *out)
{
    gsize at = 0, l;
    guint64 total = 0, cur = 0;
    gboolean positional = FALSE;
    GString *digits = g_string_new(NULL);
    int v;
    while (at < n && (v = cjk_digit(p + at, n - at, &l)) >= 0 && digits->len < 18) {
        if (v >= 10) {
            positional = TRUE;
            total += (cur ? cur : 1) * (guint64)v;
            cur = 0;
        } else {
            cur = (guint64)v;
            g_string_append_c(digits, (char)('0' + v));
        }
        at += l;
    }
    if (at) {
        if (positional)
            g_string_append_printf(out, "%" G_GUINT64_FORMAT, total + cur);
        else
            g_string_append(out, digits->str);
    }
    g_string_free(digits, TRUE);
    return at;
}

gboolean rc_place_key(const char *s, gsize len, RcPlaceKind kind, GString *out)
{
    static const char *const building_words[] = {"号楼", "号", "栋", "幢", "座", "楼"};
    static const char *const unit_words[] = {"单元"};
    const char *const *words = kind == RC_PLACE_UNIT ? unit_words : building_words;
    gsize n_words = kind == RC_PLACE_UNIT ? G_N_ELEMENTS(unit_words) : G_N_ELEMENTS(building_words);

    char buf[RC_NORM_CAP];
    gsize n = rc_norm_text(s, len, buf, sizeof buf);
    g_string_truncate(out, 0);
    /* Chinese numerals to digits, spaces dropped, ASCII letters upper case */
    g_autoptr(GString) t = g_string_sized_new(n);
    for (gsize i = 0; i < n;) {
        gsize used = cjk_number(buf + i, n - i, t);
        if (used) {
            i += used;
        } else if (buf[i] == ' ') {
            i++;
        } else {
            g_string_append_c(t, g_ascii_toupper(buf[i]));
            i++;
        }
    }
    /* the words after the number, then 第 before it */
    gsize tl = t->len;
    gboolean cut = TRUE;
    while (cut) {
        cut = FALSE;
        for (gsize k = 0; k < n_words; k++)
            if (tl > strlen(words[k]) && strip_suffix(t->str, &tl, words[k])) {
                cut = TRUE;
                break;
            }
    }
    const char *p = t->str;
    if (tl > 3 && memcmp(p, "第", 3) == 0 && g_ascii_isdigit(p[3])) {
        p += 3;
        tl -= 3;
    }
    /* leading zeros of every number */
    for (gsize i = 0; i < tl; i++) {
        if (p[i] == '0' && (out->len == 0 || !g_ascii_isdigit(out->str[out->len - 1])) && i + 1 < tl &&
            g_ascii_isdigit(p[i + 1]))
            continue;
        g_string_append_c(out, p[i]);
    }
    return out->len > 0;
}

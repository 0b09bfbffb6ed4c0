/* norm_time: naive local times (DESIGN.md section 2) by a small hand-written
 * parser, and calendar arithmetic without time zone functions (days from
 * civil, after Howard Hinnant's "chrono-compatible low-level date
 * algorithms"; proleptic Gregorian calendar).
 *
 * Decided here (DESIGN.md is silent):
 * - years have four digits (0001..9999), months, days, hours, minutes and
 *   seconds one or two; the date separators '-', '/', '.' must agree;
 * - "年月日" dates may end in 日 or 号 or nothing; hours may be marked 时,
 *   時, 点 or 點, then optional 分 and 秒 parts ("8时", "8点31分");
 * - fractional seconds ("08:31:05.75") are cut, not rounded; Excel serial
 *   numbers are rounded to the nearest second, as the spreadsheet shows them;
 * - a serial is 1..2958465 (1899-12-31 .. 9999-12-31) with up to seven
 *   integer digits; day 0 is 1899-12-30, so serials below 61 are one day off
 *   Excel's own display (Excel counts a 1900-02-29 that never was);
 * - "Z", "z", "+hh[:mm]", "-hh[:mm]", "UTC..." or "GMT..." after the time
 *   (or after a bare date) are "time zone not allowed";
 * - reasons: "empty", "not a time", "no such date" (2022-02-30, 2022-13-45),
 *   "no such time" (25:00, 08:60), "time zone not allowed". */
#include "norm.h"
#include "civil.h"

#include <string.h>

#define SECS_PER_DAY 86400
#define SERIAL_EPOCH 25569    /* Excel serial of 1970-01-01 (day 0 is 1899-12-30) */
#define SERIAL_MAX 2958465    /* 9999-12-31 */
#define TIME_MIN (-62135596800) /* 0001-01-01 00:00:00 */
#define TIME_MAX 253402300799   /* 9999-12-31 23:59:59 */

static int
days_in_month(int y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* ---- the parser ---- */

static inline gboolean
is_digit(int c)
{
    return (unsigned)(c - '0') < 10;
}

static inline gboolean
is_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

typedef struct {
    const char *p, *end;
} Cur;

/* Reads MIN..MAX digits into *VAL; FALSE (and nothing read) otherwise. */
static gboolean
digits(Cur *c, int min, int max, int *val)
{
    const char *p = c->p;
    int v = 0, n = 0;
    while (p < c->end && n < max && is_digit(*p)) {
        v = v * 10 + (*p - '0');
        p++;
        n++;
    }
    if (n < min || (p < c->end && is_digit(*p)))
        return FALSE;
    c->p = p;
    *val = v;
    return TRUE;
}

static inline gboolean
eat(Cur *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return TRUE;
    }
    return FALSE;
}

/* Eats one of the words in the NULL-terminated WORDS: CJK characters, three
 * bytes each in UTF-8. */
static gboolean
eat_word(Cur *c, const char *const *words)
{
    if (c->end - c->p < 3 || (guchar)c->p[0] < 0x80)
        return FALSE;
    for (; *words; words++)
        if (memcmp(c->p, *words, 3) == 0) {
            c->p += 3;
            return TRUE;
        }
    return FALSE;
}

static gboolean
eat_spaces(Cur *c)
{
    const char *p = c->p;
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
    return c->p > p;
}

static const char *const w_year[] = { "年", NULL };
static const char *const w_month[] = { "月", NULL };
static const char *const w_day[] = { "日", "号", NULL };
static const char *const w_hour[] = { "时", "時", "点", "點", NULL };
static const char *const w_min[] = { "分", NULL };
static const char *const w_sec[] = { "秒", NULL };

/* A zone designator at C: Z, +hh..., -hh..., UTC..., GMT... */
static gboolean
at_zone(const Cur *c)
{
    gsize left = (gsize)(c->end - c->p);
    if (left == 0)
        return FALSE;
    char ch = c->p[0];
    if ((ch == 'Z' || ch == 'z') && left == 1)
        return TRUE;
    if ((ch == '+' || ch == '-') && left >= 2 && is_digit(c->p[1]))
        return TRUE;
    if (left < 3 || (ch != 'U' && ch != 'u' && ch != 'G' && ch != 'g'))
        return FALSE;
    return g_ascii_strncasecmp(c->p, "UTC", 3) == 0 || g_ascii_strncasecmp(c->p, "GMT", 3) == 0;
}

/* An Excel serial: up to seven digits, optional '.' and digits. */
static gboolean
parse_serial(const char *s, gsize n, RcTime *out, const char **reason)
{
    gsize i = 0;
    gint64 day = 0;
    while (i < n && is_digit(s[i]))
        day = day * 10 + (s[i++] - '0');
    gsize int_digits = i;
    gint64 frac = 0, scale = 1;
    if (i < n && s[i] == '.') {
        i++;
        gsize f0 = i;
        while (i < n && is_digit(s[i])) {
            /* Twelve places are far below a second (86400e-12 s). */
            if (i - f0 < 12) {
                frac = frac * 10 + (s[i] - '0');
                scale *= 10;
            }
            i++;
        }
        if (i == f0)
            goto not_time;
    }
    if (i != n || int_digits == 0 || int_digits > 7 || day < 1 || day > SERIAL_MAX)
        goto not_time;
    /* round(frac / scale * 86400) in integers */
    gint64 secs = (frac * SECS_PER_DAY * 2 + scale) / (scale * 2);
    RcTime t = (day - SERIAL_EPOCH) * SECS_PER_DAY + secs;
    if (t > TIME_MAX)
        goto not_time;
    *out = t;
    return TRUE;

not_time:
    *reason = "not a time";
    return FALSE;
}

static gboolean
parse(const char *s, gsize n, RcTime *out, const char **reason)
{
    Cur c = { s, s + n };
    /* trim */
    while (c.p < c.end && is_space(*c.p))
        c.p++;
    while (c.end > c.p && is_space(c.end[-1]))
        c.end--;
    if (c.p == c.end) {
        *reason = "empty";
        return FALSE;
    }

    /* All digits with at most one '.': an Excel serial day number. */
    {
        gsize dots = 0, i;
        for (i = 0; c.p + i < c.end; i++) {
            if (c.p[i] == '.')
                dots++;
            else if (!is_digit(c.p[i]))
                break;
        }
        if (c.p + i == c.end && dots <= 1)
            return parse_serial(c.p, i, out, reason);
    }

    int y, mo, d, h = 0, mi = 0, sec = 0;
    gboolean cn = FALSE; /* 2022年4月10日 */
    if (!digits(&c, 4, 4, &y))
        goto not_time;
    char sep = c.p < c.end ? *c.p : 0;
    if (sep == '-' || sep == '/' || sep == '.')
        c.p++;
    else if (eat_word(&c, w_year))
        cn = TRUE;
    else
        goto not_time;
    if (!digits(&c, 1, 2, &mo))
        goto not_time;
    if (cn ? !eat_word(&c, w_month) : !eat(&c, sep))
        goto not_time;
    if (!digits(&c, 1, 2, &d))
        goto not_time;
    gboolean day_mark = cn && eat_word(&c, w_day);

    if (c.p < c.end) {
        gboolean spaced = eat_spaces(&c);
        if (at_zone(&c))
            goto zone;
        if (!spaced && !eat(&c, 'T') && !eat(&c, 't') && !day_mark)
            goto not_time;
        if (!digits(&c, 1, 2, &h))
            goto not_time;
        if (eat(&c, ':')) {
            if (!digits(&c, 1, 2, &mi))
                goto not_time;
            if (eat(&c, ':')) {
                if (!digits(&c, 1, 2, &sec))
                    goto not_time;
                if (eat(&c, '.') || eat(&c, ',')) {
                    const char *f0 = c.p;
                    while (c.p < c.end && is_digit(*c.p))
                        c.p++;
                    if (c.p == f0)
                        goto not_time;
                }
            }
        } else if (eat_word(&c, w_hour)) {
            if (digits(&c, 1, 2, &mi)) {
                if (eat_word(&c, w_min) && digits(&c, 1, 2, &sec) && !eat_word(&c, w_sec))
                    goto not_time;
            }
        } else
            goto not_time;
        eat_spaces(&c);
        if (at_zone(&c))
            goto zone;
        if (c.p != c.end)
            goto not_time;
    }

    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        *reason = "no such date";
        return FALSE;
    }
    if (h > 23 || mi > 59 || sec > 59) {
        *reason = "no such time";
        return FALSE;
    }
    *out = rc_days_from_civil(y, mo, d) * SECS_PER_DAY + h * 3600 + mi * 60 + sec;
    return TRUE;

zone:
    *reason = "time zone not allowed";
    return FALSE;
not_time:
    *reason = "not a time";
    return FALSE;
}

/* NFKC for the characters a time is written with, without the general
 * machinery: full-width ASCII (U+FF01..U+FF5E) to ASCII, U+3000 and NBSP to
 * spaces, CJK ideographs (NFKC-stable) as they are. Returns the length in
 * BUF, or -1 when (S, LEN) holds anything else (rc_norm_text then). */
static gssize
time_fold(const char *s, gsize len, char *buf, gsize cap)
{
    const guchar *p = (const guchar *)s, *end = p + len;
    gsize n = 0;
    while (p < end) {
        if (n + 3 >= cap)
            return -1;
        guchar b = *p;
        if (b < 0x80) {
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r')
                return -1;
            buf[n++] = (char)b;
            p++;
        } else if (end - p >= 3 && b == 0xEF && p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF) {
            buf[n++] = (char)(p[2] - 0x60); /* U+FF01..U+FF3F */
            p += 3;
        } else if (end - p >= 3 && b == 0xEF && p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E) {
            buf[n++] = (char)(p[2] - 0x20); /* U+FF40..U+FF5E */
            p += 3;
        } else if (end - p >= 3 && b == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
            buf[n++] = ' '; /* U+3000 */
            p += 3;
        } else if (end - p >= 2 && b == 0xC2 && p[1] == 0xA0) {
            buf[n++] = ' '; /* NBSP */
            p += 2;
        } else if (end - p >= 3 && b >= 0xE4 && b <= 0xE9 && (p[1] & 0xC0) == 0x80 &&
                   (p[2] & 0xC0) == 0x80) {
            memcpy(buf + n, p, 3); /* U+4000..U+9FFF; only ideographs in U+4E00.. */
            if (b == 0xE4 && p[1] < 0xB8)
                return -1; /* U+4000..U+4DFF: leave to the general path */
            n += 3;
            p += 3;
        } else
            return -1;
    }
    return (gssize)n;
}

gboolean
rc_norm_time(const char *s, gsize len, RcTime *out, const char **reason)
{
    const char *why = NULL;
    RcTime t = RC_TIME_NONE;
    gboolean ok;
    gboolean ascii = TRUE;
    for (gsize i = 0; i < len; i++)
        if ((guchar)s[i] >= 0x80) {
            ascii = FALSE;
            break;
        }
    if (ascii) {
        ok = parse(s, len, &t, &why);
    } else {
        /* NFKC: full-width digits and colons, U+3000 as a space. */
        char buf[128];
        gssize folded = time_fold(s, len, buf, sizeof buf);
        gsize n = folded >= 0 ? (gsize)folded : rc_norm_text(s, len, buf, sizeof buf);
        if (n + 6 >= sizeof buf) {
            why = "not a time";
            ok = FALSE;
        } else
            ok = parse(buf, n, &t, &why);
    }
    if (out)
        *out = ok ? t : RC_TIME_NONE;
    if (reason)
        *reason = ok ? NULL : why;
    return ok;
}

void
rc_time_parts(RcTime t, int *year, int *month, int *day, int *hour, int *min, int *sec)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (t != RC_TIME_NONE) {
        if (t < TIME_MIN)
            t = TIME_MIN;
        if (t > TIME_MAX)
            t = TIME_MAX;
        gint64 days = t / SECS_PER_DAY, rem = t % SECS_PER_DAY;
        if (rem < 0) {
            rem += SECS_PER_DAY;
            days--;
        }
        rc_civil_from_days(days, &y, &mo, &d);
        h = (int)(rem / 3600);
        mi = (int)(rem / 60 % 60);
        s = (int)(rem % 60);
    }
    if (year)
        *year = y;
    if (month)
        *month = mo;
    if (day)
        *day = d;
    if (hour)
        *hour = h;
    if (min)
        *min = mi;
    if (sec)
        *sec = s;
}

static char *
put2(char *o, int v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
    return o + 2;
}

char *
rc_time_format(RcTime t, gboolean seconds, char *out)
{
    if (t == RC_TIME_NONE) {
        out[0] = '\0';
        return out;
    }
    int y, mo, d, h, mi, s;
    rc_time_parts(t, &y, &mo, &d, &h, &mi, &s);
    char *o = out;
    o = put2(o, y / 100);
    o = put2(o, y % 100);
    *o++ = '-';
    o = put2(o, mo);
    *o++ = '-';
    o = put2(o, d);
    *o++ = ' ';
    o = put2(o, h);
    *o++ = ':';
    o = put2(o, mi);
    if (seconds) {
        *o++ = ':';
        o = put2(o, s);
    }
    *o = '\0';
    return out;
}

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
 * - 上午 (and 早上, 凌晨) / 下午 (and 晚上) stand before the time, AM / PM
 *   (a.m., p.m., any case) after it; 12 AM is 00, 12 PM is 12; hour 0 is
 *   no such time with either; an afternoon hour past 12 (下午14:31) stays;
 * - a year-last date is month first with '-', '/' or '.' alike;
 * - zones: Z, +hh, +hhmm, +hh:mm (up to 14 hours), UTC / GMT with or
 *   without an offset, CST and HKT as UTC+8 (Java in China prints CST);
 *   any other name is "unknown time zone"; a zone after a bare date is
 *   "time zone without a time";
 * - epochs are 10 or 13 digits starting with 1 (2001-09-09 .. 2033-05-18
 *   UTC); milliseconds are cut; compact forms are exactly 8 or 14 digits;
 * - Java's weekday must be the date's ("no such date" otherwise);
 * - fractional seconds ("08:31:05.75") are cut, not rounded; Excel serial
 *   numbers are rounded to the nearest second, as the spreadsheet shows them;
 * - a serial is 1..2958465 (1899-12-31 .. 9999-12-31) with up to seven
 *   integer digits; day 0 is 1899-12-30, so serials below 61 are one day off
 *   Excel's own display (Excel counts a 1900-02-29 that never was);
 * - reasons: "empty", "not a time", "no such date" (2022-02-30, 2022-13-45),
 *   "no such time" (25:00, 08:60), "year-last date with a month over 12",
 *   "unknown time zone", "time zone without a time". */
#include "norm.h"
#include "civil.h"

#include <string.h>

#define SECS_PER_DAY 86400
#define SERIAL_EPOCH 25569          /* Excel serial of 1970-01-01 (day 0 is 1899-12-30) */
#define SERIAL_MAX   2958465        /* 9999-12-31 */
#define TIME_MIN     (-62135596800) /* 0001-01-01 00:00:00 */
#define TIME_MAX     253402300799   /* 9999-12-31 23:59:59 */

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* ---- the parser ---- */

static inline gboolean is_digit(int c)
{
    return (unsigned)(c - '0') < 10;
}

static inline gboolean is_space(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

typedef struct {
    const char *p, *end;
} Cur;

/* Reads MIN..MAX digits into *VAL; FALSE (and nothing read) otherwise. */
static gboolean digits(Cur *c, int min, int max, int *val)
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

static inline gboolean eat(Cur *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return TRUE;
    }
    return FALSE;
}

/* Eats one of the words in the NULL-terminated WORDS: CJK characters, three
 * bytes each in UTF-8. */
static gboolean eat_word(Cur *c, const char *const *words)
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

static gboolean eat_spaces(Cur *c)
{
    const char *p = c->p;
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
    return c->p > p;
}

static const char *const w_year[] = {"年", NULL};
static const char *const w_month[] = {"月", NULL};
static const char *const w_day[] = {"日", "号", NULL};
static const char *const w_hour[] = {"时", "時", "点", "點", NULL};
static const char *const w_min[] = {"分", NULL};
static const char *const w_sec[] = {"秒", NULL};

/* Case-insensitive ASCII word W at C (not followed by a letter). */
static gboolean eat_ascii(Cur *c, const char *w)
{
    gsize n = strlen(w);
    if ((gsize)(c->end - c->p) < n || g_ascii_strncasecmp(c->p, w, n) != 0)
        return FALSE;
    if (c->p + n < c->end && g_ascii_isalpha(c->p[n]))
        return FALSE;
    c->p += n;
    return TRUE;
}

/* A zone at C: "Z", "+hh[:mm]", "+hhmm", "-hh...", "UTC", "GMT", "UTC+8",
 * "GMT+08:00", "CST" (China Standard Time, as Java prints it in China),
 * "HKT". Returns 1 with *OFFSET (seconds east of UTC) when one was read
 * whole, -1 for a zone that is not understood (an unknown name, "+25"),
 * 0 when C holds no zone. */
static int zone(Cur *c, gint32 *offset)
{
    static const struct {
        const char *name;
        gint32 offset;
    } names[] = {{"UTC", 0}, {"GMT", 0}, {"CST", 8 * 3600}, {"HKT", 8 * 3600}, {"Z", 0}};
    if (c->p >= c->end)
        return 0;
    gint32 base = 0;
    gboolean named = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
        if (eat_ascii(c, names[i].name)) {
            base = names[i].offset;
            named = TRUE;
            break;
        }
    if (!named && g_ascii_isalpha(*c->p))
        return -1;
    if (c->p == c->end || (*c->p != '+' && *c->p != '-')) {
        if (!named)
            return 0;
        *offset = base;
        return 1;
    }
    int sign = *c->p == '-' ? -1 : 1;
    c->p++;
    int h, m = 0;
    const char *h0 = c->p;
    while (c->p < c->end && is_digit(*c->p))
        c->p++;
    gsize nd = (gsize)(c->p - h0);
    if (nd == 1 || nd == 2) {
        h = nd == 1 ? h0[0] - '0' : (h0[0] - '0') * 10 + (h0[1] - '0');
        if (eat(c, ':') && !digits(c, 2, 2, &m))
            return -1;
    } else if (nd == 4) {
        h = (h0[0] - '0') * 10 + (h0[1] - '0');
        m = (h0[2] - '0') * 10 + (h0[3] - '0');
    } else
        return -1;
    if (h > 14 || m > 59)
        return -1;
    *offset = base + sign * (h * 3600 + m * 60);
    return 1;
}

gboolean rc_norm_tz(const char *s, gint32 *offset)
{
    Cur c = {s, s + strlen(s)};
    gint32 off = 0;
    eat_spaces(&c);
    if (zone(&c, &off) != 1)
        return FALSE;
    eat_spaces(&c);
    if (c.p != c.end)
        return FALSE;
    *offset = off;
    return TRUE;
}

/* An Excel serial: up to seven digits, optional '.' and digits. */
static gboolean parse_serial(const char *s, gsize n, RcTime *out, guint *flags, const char **reason)
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
        *flags |= RC_TIME_CLOCK;
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

static int num(const char *p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* A calendar date and a time of day, checked. */
static gboolean put_time(int y, int mo, int d, int h, int mi, int sec, RcTime *out, const char **reason)
{
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
}

/* All digits: an Excel serial (up to seven digits, with a fraction), epoch
 * seconds (10 digits) or milliseconds (13, UTC, converted to local time;
 * starting with 1, the years 2001 to 2033),
 * compact "20220410" or "20220410083122". */
static gboolean parse_digits(const char *s, gsize n, gint32 local, RcTime *out, guint *flags,
                             const char **reason)
{
    if (memchr(s, '.', n) || n <= 7)
        return parse_serial(s, n, out, flags, reason);
    if ((n == 10 || n == 13) && s[0] == '1') {
        /* 1000000000 .. 1999999999: 2001-09-09 .. 2033-05-18 UTC; other
         * ten or thirteen digits are refused rather than read as a time
         * decades away (a compact time that lost a digit) */
        gint64 v = 0;
        for (gsize i = 0; i < 10; i++)
            v = v * 10 + (s[i] - '0');
        *out = v + local;
        *flags |= RC_TIME_CLOCK | RC_TIME_CONVERTED;
        return TRUE;
    }
    if (n == 8)
        return put_time(num(s, 4), num(s + 4, 2), num(s + 6, 2), 0, 0, 0, out, reason);
    if (n == 14) {
        *flags |= RC_TIME_CLOCK;
        return put_time(num(s, 4), num(s + 4, 2), num(s + 6, 2), num(s + 8, 2), num(s + 10, 2),
                        num(s + 12, 2), out, reason);
    }
    *reason = "not a time";
    return FALSE;
}

/* Java's Date.toString(): "Sun Apr 10 08:31:22 CST 2022". The weekday must
 * be the date's. */
static gboolean parse_java(Cur *c, gint32 local, RcTime *out, guint *flags, const char **reason)
{
    static const char *const wdays[] = {"Thu", "Fri", "Sat", "Sun",
                                        "Mon", "Tue", "Wed"}; /* from 1970-01-01 */
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int wd = -1, mo = 0, d, h, mi, sec, y;
    for (int i = 0; i < 7 && wd < 0; i++)
        if (eat_ascii(c, wdays[i]))
            wd = i;
    if (wd < 0 || !eat_spaces(c))
        goto not_time;
    for (int i = 0; i < 12 && !mo; i++)
        if (eat_ascii(c, months[i]))
            mo = i + 1;
    if (!mo || !eat_spaces(c) || !digits(c, 1, 2, &d) || !eat_spaces(c) || !digits(c, 1, 2, &h) ||
        !eat(c, ':') || !digits(c, 1, 2, &mi) || !eat(c, ':') || !digits(c, 1, 2, &sec) || !eat_spaces(c))
        goto not_time;
    gint32 off;
    int z = zone(c, &off);
    if (z < 0) {
        *reason = "unknown time zone";
        return FALSE;
    }
    if (z == 0 || !eat_spaces(c) || !digits(c, 4, 4, &y) || c->p != c->end)
        goto not_time;
    RcTime t;
    if (!put_time(y, mo, d, h, mi, sec, &t, reason))
        return FALSE;
    gint64 days = t / SECS_PER_DAY - (t % SECS_PER_DAY < 0);
    if ((int)(((days % 7) + 7) % 7) != wd) {
        *reason = "no such date";
        return FALSE;
    }
    *out = t - off + local;
    *flags |= RC_TIME_CLOCK | RC_TIME_CONVERTED;
    return TRUE;

not_time:
    *reason = "not a time";
    return FALSE;
}

static const char *const w_am[] = {"上午", "早上", "凌晨", NULL};
static const char *const w_pm[] = {"下午", "晚上", NULL};

/* 上午 / 下午 (and 早上, 凌晨, 晚上): two CJK characters. 1: morning,
 * 2: afternoon, 0: none. */
static int cjk_meridiem(Cur *c)
{
    if (c->end - c->p < 6 || (guchar)c->p[0] < 0x80)
        return 0;
    for (const char *const *w = w_am; *w; w++)
        if (memcmp(c->p, *w, 6) == 0) {
            c->p += 6;
            return 1;
        }
    for (const char *const *w = w_pm; *w; w++)
        if (memcmp(c->p, *w, 6) == 0) {
            c->p += 6;
            return 2;
        }
    return 0;
}

/* AM / PM, a.m. / p.m., any case. */
static int ascii_meridiem(Cur *c)
{
    if (c->p >= c->end || ((*c->p | 0x20) != 'a' && (*c->p | 0x20) != 'p'))
        return 0;
    if (eat_ascii(c, "AM") || eat_ascii(c, "A.M.") || eat_ascii(c, "A.M"))
        return 1;
    if (eat_ascii(c, "PM") || eat_ascii(c, "P.M.") || eat_ascii(c, "P.M"))
        return 2;
    return 0;
}

/* The hour on a 24-hour clock from a 12-hour one: 12 AM is 0, 12 PM is 12;
 * an afternoon hour already past 12 (下午14:31) stays. -1: no such hour. */
static int hour24(int h, int meridiem)
{
    if (meridiem == 0)
        return h;
    if (h == 0 || h > 23 || (meridiem == 1 && h > 12))
        return -1;
    if (meridiem == 1)
        return h == 12 ? 0 : h;
    return h < 12 ? h + 12 : h;
}

static gboolean parse(const char *s, gsize n, gint32 local, RcTime *out, guint *flags, const char **reason)
{
    Cur c = {s, s + n};
    /* trim */
    while (c.p < c.end && is_space(*c.p))
        c.p++;
    while (c.end > c.p && is_space(c.end[-1]))
        c.end--;
    if (c.p == c.end) {
        *reason = "empty";
        return FALSE;
    }

    /* All digits with at most one '.' */
    {
        gsize dots = 0, i;
        for (i = 0; c.p + i < c.end; i++) {
            if (c.p[i] == '.')
                dots++;
            else if (!is_digit(c.p[i]))
                break;
        }
        if (c.p + i == c.end && dots <= 1)
            return parse_digits(c.p, i, local, out, flags, reason);
    }
    if (g_ascii_isalpha(*c.p))
        return parse_java(&c, local, out, flags, reason);

    int y, mo, d, h = 0, mi = 0, sec = 0;
    gboolean cn = FALSE; /* 2022年4月10日 */
    int first;
    const char *p0 = c.p;
    if (!digits(&c, 1, 4, &first))
        goto not_time;
    char sep = c.p < c.end ? *c.p : 0;
    if (c.p - p0 <= 2) {
        /* year last, month first: 4/10/2022 (DESIGN.md section 2) */
        if (sep != '-' && sep != '/' && sep != '.')
            goto not_time;
        c.p++;
        if (!digits(&c, 1, 2, &d) || !eat(&c, sep) || !digits(&c, 4, 4, &y))
            goto not_time;
        if (first > 12) {
            *reason = "year-last date with a month over 12";
            return FALSE;
        }
        mo = first;
    } else {
        if (c.p - p0 != 4)
            goto not_time;
        y = first;
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
    }
    gboolean day_mark = cn && eat_word(&c, w_day);

    gint32 off = 0;
    gboolean zoned = FALSE;
    if (c.p < c.end) {
        gboolean spaced = eat_spaces(&c);
        int mer = cjk_meridiem(&c);
        if (mer) {
            eat_spaces(&c);
        } else if (!spaced && (eat(&c, 'T') || eat(&c, 't'))) {
            /* ISO 8601 */
        } else if (c.p < c.end && !is_digit(*c.p)) {
            Cur z = c;
            if (zone(&z, &off) == 1)
                goto zone_without_time;
            goto not_time;
        } else if (!spaced && !day_mark)
            goto not_time;
        if (!digits(&c, 1, 2, &h))
            goto not_time;
        *flags |= RC_TIME_CLOCK;
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
        if (!mer && (mer = ascii_meridiem(&c)))
            eat_spaces(&c);
        if (mer && (h = hour24(h, mer)) < 0) {
            *reason = "no such time";
            return FALSE;
        }
        int z = zone(&c, &off);
        if (z < 0) {
            *reason = "unknown time zone";
            return FALSE;
        }
        zoned = z > 0;
        eat_spaces(&c);
        if (c.p != c.end)
            goto not_time;
    }

    RcTime t;
    if (!put_time(y, mo, d, h, mi, sec, &t, reason))
        return FALSE;
    if (zoned) {
        t = t - off + local;
        *flags |= RC_TIME_CONVERTED;
    }
    *out = t;
    return TRUE;

zone_without_time:
    *reason = "time zone without a time";
    return FALSE;
not_time:
    *reason = "not a time";
    return FALSE;
}

/* NFKC for the characters a time is written with, without the general
 * machinery: full-width ASCII (U+FF01..U+FF5E) to ASCII, U+3000 and NBSP to
 * spaces, CJK ideographs (NFKC-stable) as they are. Returns the length in
 * BUF, or -1 when (S, LEN) holds anything else (rc_norm_text then). */
static gssize time_fold(const char *s, gsize len, char *buf, gsize cap)
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
        } else if (end - p >= 3 && b >= 0xE4 && b <= 0xE9 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
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

gboolean rc_norm_time_at(const char *s, gsize len, gint32 utc_offset, RcTime *out, guint *flags,
                         const char **reason)
{
    const char *why = NULL;
    RcTime t = RC_TIME_NONE;
    guint f = 0;
    gboolean ok;
    gboolean ascii = TRUE;
    for (gsize i = 0; i < len; i++)
        if ((guchar)s[i] >= 0x80) {
            ascii = FALSE;
            break;
        }
    if (ascii) {
        ok = parse(s, len, utc_offset, &t, &f, &why);
    } else {
        /* NFKC: full-width digits and colons, U+3000 as a space. */
        char buf[128];
        gssize folded = time_fold(s, len, buf, sizeof buf);
        gsize n = folded >= 0 ? (gsize)folded : rc_norm_text(s, len, buf, sizeof buf);
        if (n + 6 >= sizeof buf) {
            why = "not a time";
            ok = FALSE;
        } else
            ok = parse(buf, n, utc_offset, &t, &f, &why);
    }
    /* a zone or an epoch may carry a time past the calendar's ends */
    if (ok && (t < TIME_MIN || t > TIME_MAX)) {
        ok = FALSE;
        why = "no such date";
    }
    if (out)
        *out = ok ? t : RC_TIME_NONE;
    if (flags)
        *flags = ok ? f : 0;
    if (reason)
        *reason = ok ? NULL : why;
    return ok;
}

gboolean rc_norm_time(const char *s, gsize len, RcTime *out, const char **reason)
{
    return rc_norm_time_at(s, len, RC_TZ_DEFAULT, out, NULL, reason);
}

void rc_time_parts(RcTime t, int *year, int *month, int *day, int *hour, int *min, int *sec)
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

static char *put2(char *o, int v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
    return o + 2;
}

char *rc_time_format(RcTime t, gboolean seconds, char *out)
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

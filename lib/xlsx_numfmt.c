/* xlsx_numfmt: a number cell's text as Excel shows it. Which built-in and
 * custom format codes are dates, times or zero-padded integers; the text
 * of a serial day number; the shortest decimal of a General number. Pure
 * functions, no reader state (see lib/xlsx.h for the rules). */
#include "xlsx_internal.h"
#include "civil.h"

#include <math.h>
#include <string.h>

/* Built-in format ids that are dates or times: 14-22 everywhere, 45-47,
 * and the East Asian locales' 27-36 and 50-58 (zh-CN: yyyy"年"m"月"d"日",
 * h"时"mm"分" ...). */
NumFmt xlsx_numfmt_builtin(guint id)
{
    NumFmt nf = {NF_GENERAL, 0};
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 ||
        id == 58)
        nf.kind = NF_DATE;
    else if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 ||
             id == 56)
        nf.kind = NF_TIME;
    else if (id == 22)
        nf.kind = NF_DATETIME;
    return nf;
}

/* A custom format code's kind, from its first section: quoted text,
 * escapes and [colour] / [$-804] tags skipped; y or d make a date, h or s
 * (or an elapsed [h]) a time, m a month unless a time is there. Only zeros
 * ("000000"): pad to that width. */
NumFmt xlsx_numfmt_classify(const char *code)
{
    NumFmt nf = {NF_GENERAL, 0};
    gboolean date = FALSE, time = FALSE, month = FALSE, only_zeros = TRUE;
    guint zeros = 0;
    if (!code)
        return nf;
    for (const char *p = code; *p && *p != ';'; p++) {
        char c = *p;
        if (c == '"') {
            only_zeros = FALSE;
            p++;
            while (*p && *p != '"')
                p++;
            if (!*p)
                break;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            only_zeros = FALSE;
            if (p[1])
                p++;
            continue;
        }
        if (c == '[') {
            const char *e = strchr(p, ']');
            if (!e)
                break;
            gboolean elapsed = e > p + 1;
            for (const char *q = p + 1; q < e; q++)
                if (!strchr("hHmMsS", *q))
                    elapsed = FALSE;
            if (elapsed) /* [h]:mm; a colour or locale tag changes nothing */
                time = TRUE;
            p = e;
            continue;
        }
        if (c == '0') {
            zeros++;
            continue;
        }
        only_zeros = FALSE;
        switch (g_ascii_tolower(c)) {
        case 'y':
        case 'd':
            date = TRUE;
            break;
        case 'h':
        case 's':
            time = TRUE;
            break;
        case 'm':
            month = TRUE;
            break;
        default:
            break;
        }
    }
    if (month && !time)
        date = TRUE;
    if (date && time)
        nf.kind = NF_DATETIME;
    else if (date)
        nf.kind = NF_DATE;
    else if (time)
        nf.kind = NF_TIME;
    else if (only_zeros && zeros > 0 && zeros <= 30) {
        nf.kind = NF_ZEROS;
        nf.width = (guint8)zeros;
    }
    return nf;
}

/* Shortest text that reads back as Excel shows V: at most 15 significant
 * digits, integers below 1e15 as plain digits, 1e15 and up in scientific
 * notation (their last digits are gone: an id there is mangled). */
gsize xlsx_numfmt_general(double v, char *out)
{
    char fmt[8];
    if (!isfinite(v))
        return (gsize)g_snprintf(out, 64, "%s", isnan(v) ? "NaN" : v > 0 ? "INF" : "-INF");
    if (v == 0)
        return (gsize)g_snprintf(out, 64, "0");
    if (fabs(v) < 1e15 && v == floor(v)) {
        g_ascii_formatd(out, 64, "%.0f", v);
        return strlen(out);
    }
    g_ascii_formatd(out, 64, "%.15G", v);
    double target = g_ascii_strtod(out, NULL);
    int lo = 1, hi = 15; /* the smallest precision that reads back as TARGET */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        char buf[64];
        g_snprintf(fmt, sizeof fmt, "%%.%dG", mid);
        g_ascii_formatd(buf, sizeof buf, fmt, v);
        if (g_ascii_strtod(buf, NULL) == target)
            hi = mid;
        else
            lo = mid + 1;
    }
    g_snprintf(fmt, sizeof fmt, "%%.%dG", lo);
    g_ascii_formatd(out, 64, fmt, v);
    return strlen(out);
}

/* An Excel serial day number as a date and time (1900 system: day 0 is
 * 1899-12-30 from day 61 on; days 1-59 count from 1899-12-31 and day 60 is
 * Excel's 1900-02-29, which did not exist: left as a number). */
static gsize serial_text(double v, NfKind kind, gboolean date1904, char *out)
{
    if (!(v >= 0) || v >= 2958466.0)
        return xlsx_numfmt_general(v, out);
    if (date1904)
        v += 1462;
    gint64 secs = llround(v * 86400.0);
    gint64 days = secs / 86400, sod = secs % 86400;
    int hh = (int)(sod / 3600), mi = (int)(sod / 60 % 60), ss = (int)(sod % 60);
    if (kind == NF_TIME && days == 0)
        return (gsize)g_snprintf(out, 64, "%02d:%02d:%02d", hh, mi, ss);
    if (!date1904 && days == 60)
        return xlsx_numfmt_general(v, out);
    if (!date1904 && days < 60)
        days++;
    int y, m, d;
    rc_civil_from_days(days - 25569, &y, &m, &d);
    if (kind == NF_DATE && sod == 0)
        return (gsize)g_snprintf(out, 64, "%04d-%02d-%02d", y, m, d);
    return (gsize)g_snprintf(out, 64, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mi, ss);
}

gsize xlsx_numfmt_text(double v, NumFmt nf, gboolean date1904, char *out)
{
    switch ((NfKind)nf.kind) {
    case NF_DATE:
    case NF_TIME:
    case NF_DATETIME:
        return serial_text(v, (NfKind)nf.kind, date1904, out);
    case NF_ZEROS:
        if (v >= 0 && v < 1e15 && v == floor(v)) {
            char digits[32];
            g_ascii_formatd(digits, sizeof digits, "%.0f", v);
            gsize n = strlen(digits), w = MAX(n, nf.width);
            memset(out, '0', w - n);
            memcpy(out + (w - n), digits, n + 1);
            return w;
        }
        return xlsx_numfmt_general(v, out);
    case NF_GENERAL:
        break;
    }
    return xlsx_numfmt_general(v, out);
}

gsize rc_xlsx_number_text(double v, const char *format_code, gboolean date1904, char out[64])
{
    return xlsx_numfmt_text(v, xlsx_numfmt_classify(format_code), date1904, out);
}

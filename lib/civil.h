/* civil: days since 1970-01-01 to and from proleptic Gregorian dates
 * (Howard Hinnant's algorithms). A leaf with no module of its own: the
 * workbook reader (dates in cells) and norm (times) both count days. */
#ifndef RC_CIVIL_H
#define RC_CIVIL_H

#include <glib.h>

/* Days since 1970-01-01 of Y-M-D (any valid date). */
static inline gint64 rc_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    gint64 era = (y >= 0 ? y : y - 399) / 400;
    int yoe = (int)(y - era * 400);
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date Z days after 1970-01-01. */
static inline void rc_civil_from_days(gint64 z, int *y, int *m, int *d)
{
    z += 719468;
    gint64 era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = (int)(z - era * 146097);
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

#endif

/* window: the samples a run keeps, from --day, --since and --until
 * (DESIGN.md section 3.2), as a half-open interval of naive local times. */
#ifndef RC_WINDOW_H
#define RC_WINDOW_H

#include "norm.h"

#define RC_WINDOW_ERROR rc_window_error_quark()
GQuark rc_window_error_quark(void);

typedef enum {
    RC_WINDOW_ERROR_TIME,  /* an option's value is no time */
    RC_WINDOW_ERROR_EMPTY, /* --since is not before --until, or --day with either */
} RcWindowError;

/* Reads --day DAY, --since SINCE, --until UNTIL (each may be NULL) with
 * rc_norm_time_at() and local time UTC_OFFSET seconds east of UTC:
 * --day is [that day 00:00, the next day 00:00); --since is inclusive;
 * --until is exclusive, and a bare date (no time of day given: 2022-04-10,
 * 2022年4月10日, 20220410, 44661) means the end of that day, while a time
 * of day, however written, is that moment (2022年4月10日0点, 0时, 0時, 0點
 * and 2022-04-10 00:00 alike are the 10th's midnight). An open end is
 * RC_TIME_NONE. Errors name the option and quote its value. */
gboolean rc_window_parse(const char *day, const char *since, const char *until, gint32 utc_offset,
                         RcTime *from, RcTime *to, GError **error);

#endif

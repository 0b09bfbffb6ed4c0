/* rc: the closed sets every module shares — kinds of input, column roles,
 * resident states — each with one table mapping values to their names.
 * Nothing here allocates. */
#ifndef RC_H
#define RC_H

#include <glib.h>

#ifndef RC_VERSION
#define RC_VERSION "0.0.0"
#endif

/* What a table holds (DESIGN.md section 1). */
typedef enum { RC_KIND_ROSTER, RC_KIND_RESULTS, RC_KIND_COUNT } RcKind;

/* Column roles (DESIGN.md section 1). RC_ROLE_NONE marks an extra column. */
typedef enum {
    RC_ROLE_NONE = -1,
    RC_ROLE_ID = 0,
    RC_ROLE_NAME,
    RC_ROLE_BUILDING,
    RC_ROLE_UNIT,
    RC_ROLE_ROOM,
    RC_ROLE_PHONE,
    RC_ROLE_STATUS,
    RC_ROLE_RESULT,
    RC_ROLE_SAMPLED_AT,
    RC_ROLE_REPORTED_AT,
    RC_ROLE_TUBE,
    RC_ROLE_SITE,
    RC_ROLE_LAB,
    RC_ROLE_HOUSEHOLD, /* a roster's household number (户号); also carried as an extra */
    RC_ROLE_COUNT
} RcRole;

/* A resident's state (DESIGN.md section 3.3); the first five are also what
 * a result's text can say. Order is the order of output columns. */
typedef enum {
    RC_STATE_NEGATIVE = 0,
    RC_STATE_POSITIVE,
    RC_STATE_REVIEW,
    RC_STATE_INVALID,
    RC_STATE_PENDING,
    RC_STATE_MISSING,
    RC_STATE_EXEMPT,
    RC_STATE_COUNT,
    RC_STATE_UNKNOWN = -1
} RcState;

#define RC_RESULT_STATES 5 /* negative .. pending: what a sample can say */

/* Names used in config keys, CSV and JSON (English, lower case). */
const char *rc_kind_name(RcKind kind);
const char *rc_role_name(RcRole role);
const char *rc_state_name(RcState state);
/* Returns the state named NAME (as rc_state_name spells it) or RC_STATE_UNKNOWN. */
RcState rc_state_from_name(const char *name);

/* Where to cut (S, LEN), UTF-8, to keep at most MAX bytes without splitting
 * a character: LEN when it fits, else the largest boundary <= MAX. Every
 * value cut to a fixed size is cut here, so that CSV and JSON still decode. */
gsize rc_utf8_cut(const char *s, gsize len, gsize max);

#endif

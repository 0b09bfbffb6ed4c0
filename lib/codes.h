/* codes: why a row took no part (reasons) and what a resident's row carries
 * beside its state (flags), as codes with their English and Chinese texts
 * in one table each (DESIGN.md section 3.4).
 *
 * A reason is made where the row is rejected, as a code and up to two
 * arguments (rc_reason), stored as such in the spools, and rendered by one
 * function (rc_reason_render): English for stderr, CSV and `check`, the
 * workbook's language on its 问题 / 未匹配 sheets. A text that is not an
 * encoded reason renders as itself. Adding a code without both texts fails
 * tests/test_codes.c. */
#ifndef RC_CODES_H
#define RC_CODES_H

#include <glib.h>

typedef enum {
    RC_REASON_NONE = 0,
    RC_REASON_NO_ID_NO_NAME,
    RC_REASON_NO_NAME_ID_MANGLED,
    RC_REASON_NO_NAME_ID_MASKED,
    RC_REASON_DUPLICATE_ID,  /* 1: FILE:LINE of the first */
    RC_REASON_NO_ID_OR_NAME, /* result: neither id nor name on the roster */
    RC_REASON_NO_NAME,       /* result without an id: no such name */
    RC_REASON_NO_ID_NO_RESCUE,
    RC_REASON_NOT_UNIQUE_PHONE,
    RC_REASON_NOT_UNIQUE_ID,
    RC_REASON_NOT_UNIQUE,
    RC_REASON_UNCONFIRMED,
    RC_REASON_NO_TIME,
    RC_REASON_BAD_TIME,       /* 1: the sampled_at text, 2: why (lib/norm_time.c) */
    RC_REASON_TIME_NO_DATE,   /* 1: the sampled_at text */
    RC_REASON_UNKNOWN_RESULT, /* 1: the result text */
    RC_REASON_SIGN_DISAGREES, /* 1: the result text */
    RC_REASON_RAGGED_NEEDED,  /* 1: fields, 2: the header's */
    RC_REASON_RAGGED,         /* 1: fields, 2: the header's */
    RC_REASON_LONG_RECORD,
    RC_REASON_LONG_FIELD,
    RC_REASON_UNCLOSED_QUOTE,
    RC_REASON_BAD_CSV,
    RC_REASON_NUL_BYTE,
    RC_REASON_XLS_CELL,
    RC_REASON_TWO_CELLS,
    RC_REASON_MASKED_NAME, /* result: a masked name no phone or id confirms */
    RC_REASON_COUNT
} RcReason;

/* CODE with its arguments (NULL for none), encoded. Owned: g_free(). */
char *rc_reason(RcReason code, const char *a1, const char *a2);
/* CODE without arguments, encoded, static: for readers that keep a pointer
 * (rc_reason_encoded[CODE] where a constant is needed). */
extern const char rc_reason_encoded[RC_REASON_COUNT][3];
const char *rc_reason_static(RcReason code);
/* The code of an encoded reason; RC_REASON_NONE for free text. */
RcReason rc_reason_code(const char *stored);
/* STORED (encoded, or free text) in English or Chinese, into OUT; returns
 * OUT's text. Why a time did not parse is translated too. */
const char *rc_reason_render(gboolean zh, const char *stored, GString *out);
/* The template of CODE ("{}" for each argument), for tests; NULL for none. */
const char *rc_reason_template(RcReason code, gboolean zh);

/* Flags, in the order a row shows them (report.c writes their names, joined
 * by ';'; id-mangled carries ":RAW"). */
typedef enum {
    RC_FLAG_ID_MANGLED = 0,
    RC_FLAG_ID_TOO_LONG,
    RC_FLAG_ID_CHECKSUM,
    RC_FLAG_ID_15,
    RC_FLAG_NAME_DIFFERS,
    RC_FLAG_RAGGED_ROW,
    RC_FLAG_PLACE_INHERITED,
    RC_FLAG_RESULT_UNRECOGNISED,
    RC_FLAG_NAME_MASKED,
    RC_FLAG_COUNT
} RcFlag;

typedef struct {
    const char *name; /* as CSV and JSON write it: "id-mangled" */
    gboolean id_bit;  /* BIT is of the id's flags (norm.h), else the resident's (roster.h) */
    guint32 bit;
    const char *zh, *en;
} RcFlagInfo;

const RcFlagInfo *rc_flag(RcFlag flag);

#endif

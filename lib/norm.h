/* norm: canonical values for the fields that matching compares (DESIGN.md
 * section 2): ids, names, phones, result words and times. Every function
 * writes into a caller's buffer (no allocation per call) and takes the input
 * as (ptr, len), not necessarily NUL-terminated. Each has an ASCII fast path
 * that skips NFKC when the field has no byte >= 0x80. */
#ifndef RC_NORM_H
#define RC_NORM_H

#include "config.h"

#define RC_NORM_ERROR rc_norm_error_quark()
GQuark rc_norm_error_quark(void);

typedef enum {
    RC_NORM_ERROR_REGEX, /* a vocabulary regex does not compile */
} RcNormError;

/* Capacity a caller gives each normaliser's output buffer. Longer output is
 * cut at a character boundary (ids: flagged RC_ID_TOO_LONG, no usable id). */
#define RC_NORM_CAP 256

/* ---- ids (GB 11643 for 18-character mainland ids) ---- */
enum {
    RC_ID_CHECKSUM = 1u << 0, /* 18 chars, ISO 7064 MOD 11-2 check digit wrong; id kept */
    RC_ID_15 = 1u << 1,       /* 15 digits, upgraded to 18 */
    RC_ID_MANGLED = 1u << 2,  /* spreadsheet scientific notation: no usable id */
    RC_ID_MASKED = 1u << 3,   /* holds '*' (310***********1234): usable only for rescue */
    RC_ID_OTHER = 1u << 4,    /* not a mainland id: passport, permit, ... */
    RC_ID_TOO_LONG = 1u << 5, /* longer than the buffer: no usable id */
};

/* Normalises the id in (S, LEN) into OUT (capacity CAP, NUL-terminated):
 * NFKC; spaces of every kind (ASCII, tab, NBSP, U+3000, zero-width), '-' and
 * a leading '\'' dropped; a trailing ".0" dropped; upper case. 15 digits are
 * upgraded to 18 (insert "19" after the area code, append the check digit).
 * A masked id keeps its '*'. Returns the length written, 0 when there is no
 * usable id (empty, mangled, too long; a masked id is returned with its flag).
 * *FLAGS receives RC_ID_* bits. */
gsize rc_norm_id(const char *s, gsize len, char *out, gsize cap, guint *flags);

/* DESIGN.md section 2: an 18-digit id that a spreadsheet stored as a number
 * and shows in scientific notation (S, LEN: "3.10104197907128E+17") keeps
 * its significant digits: writes them as a masked id ("310104197907128***")
 * into OUT (capacity CAP, at least 19) and returns 18; 0 when S is no such
 * number. */
gsize rc_norm_id_sci_mask(const char *s, gsize len, char *out, gsize cap);

/* The GB 11643 check character ('0'..'9' or 'X') for 17 digits; '\0' when
 * the first 17 characters of DIGITS17 are not all digits. */
char rc_norm_id_check_char(const char *digits17);

/* ---- names ---- */
/* Writes the comparison key of the name in (S, LEN): NFKC; middle-dot
 * look-alikes (U+00B7 U+2022 U+2027 U+30FB U+FF0E U+FF65, and '.' between
 * CJK characters) become U+00B7; a name with any CJK character loses all
 * whitespace; other names get single spaces, trimmed, case-folded. Returns the
 * length; 0 for an empty name or one of only spaces. */
gsize rc_norm_name(const char *s, gsize len, char *out, gsize cap);

/* ---- phones ---- */
/* Digits only; a leading 86, 0086 or +86 dropped from numbers of 13 digits
 * or more. Returns the length (0: no phone). */
gsize rc_norm_phone(const char *s, gsize len, char *out, gsize cap);

/* ---- free text (statuses, buildings, result words) ---- */
/* NFKC, zero-width characters dropped, U+3000 and NBSP as spaces, runs of
 * whitespace folded to one space, trimmed. Returns the length. */
gsize rc_norm_text(const char *s, gsize len, char *out, gsize cap);

/* ---- numbers that may be ids or phones ---- */
/* Copies (S, LEN) into OUT (overwritten) with every run of at least
 * RC_MASK_MIN_DIGITS digits (ASCII, full-width or any other script's, and
 * an id's final X) masked as ids and phones are, but for its first 3 and
 * last 4 characters: "阳性 13800000001" -> "阳性 138****0001". For text that
 * may hold an id or a phone in the wrong column: messages quoting a cell,
 * and free text in masked outputs. Returns OUT->str. */
#define RC_MASK_MIN_DIGITS 11 /* a mobile phone; shorter runs are dates, serials, tube numbers */
const char *rc_norm_mask_numbers(const char *s, gsize len, GString *out);

/* rc_norm_mask_numbers() for a cell that should hold a time: a run of
 * digits that may be one (compact 20220410083122, epoch milliseconds
 * 1649550682000) stays readable; ids and phones are masked all the same. */
const char *rc_norm_mask_time(const char *s, gsize len, GString *out);

/* ---- results ---- */
typedef struct RcVocab RcVocab;

/* Compiles CFG's vocabulary (one anchored, caseless PCRE2 pattern per state,
 * JIT) and its exempt pattern. Owned: rc_vocab_free(). */
RcVocab *rc_vocab_new(const RcConfig *cfg, GError **error);
void rc_vocab_free(RcVocab *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcVocab, rc_vocab_free)

/* What rc_vocab_result() noticed besides the state. */
enum {
    RC_RESULT_UNRECOGNISED = 1u << 0,   /* no word of the vocabulary, but a sign of positivity: review */
    RC_RESULT_SIGN_DISAGREES = 1u << 1, /* "阳性(-)": the bracketed sign disagrees (UNKNOWN) */
    RC_RESULT_GENES = 1u << 2,          /* read gene by gene ("ORF1a/b阴性，N基因阴性") */
};

/* The state the result text (S, LEN) says (DESIGN.md section 2): after
 * rc_norm_text, inner spaces dropped (one between two ASCII letters or
 * digits stays), the vocabulary is tried in the order review, positive,
 * negative, invalid, pending; then a word with a trailing bracketed sign
 * that agrees ("阴性(-)", "检出(Detected)"); then a per-gene result
 * (negative when every gene is, positive when any is); then an unknown word
 * holding a sign of positivity (阳, 检出 without 未, positive, detected
 * without not, "(+)") is REVIEW with RC_RESULT_UNRECOGNISED. Otherwise
 * RC_STATE_UNKNOWN (with RC_RESULT_SIGN_DISAGREES when that is why).
 * *FLAGS (may be NULL) receives RC_RESULT_* bits. Not thread-safe per
 * RcVocab (shared match data and a small cache of recent answers keyed by
 * the raw bytes). */
RcState rc_vocab_result(RcVocab *v, const char *s, gsize len, guint *flags);

/* DESIGN.md section 2, Status: TRUE when the roster status (S, LEN), after
 * rc_norm_text, holds an exempt phrase (rc_config_exempt) and no phrase that
 * negates or ends one (rc_config_not_exempt, tried first): "外出", "离沪",
 * "已故" are; "居家不外出", "外出已返回", "已出院", "离休" are not. A phrase
 * right after 不, 未, 没, 没有, 无 or "not " does not count ("未住院"). */
gboolean rc_vocab_exempt(RcVocab *v, const char *s, gsize len);

/* ---- times ---- */
/* Naive local times as seconds since 1970-01-01 00:00:00 on the same
 * calendar (no zone: the arithmetic is UTC's). */
typedef gint64 RcTime;
#define RC_TIME_NONE G_MININT64

/* Local time is UTC+8 unless --tz says otherwise (DESIGN.md section 2). */
#define RC_TZ_DEFAULT (8 * 3600)

/* What rc_norm_time_at() read besides the time. */
enum {
    RC_TIME_CLOCK = 1u << 0,     /* a time of day was given (not a bare date) */
    RC_TIME_CONVERTED = 1u << 1, /* from another zone or an epoch, to local time */
};

/* Parses (S, LEN) as a naive local time (DESIGN.md section 2):
 * "2022-04-10 08:31[:00]", "2022/4/10 8:31", "2022.4.10 8:31",
 * "2022年4月10日 8时31分[5秒]" (时, 時, 点, 點 alike), "2022年4月10日08:31",
 * 上午/下午 before the time and AM/PM after it, ISO 8601 with 'T', a bare
 * date (midnight), a date with the year last ("4/10/2022", month first;
 * a first part over 12 is refused, never read day first), compact
 * "20220410083122" and "20220410", Unix epoch seconds (10 digits) and
 * milliseconds (13), Java's "Sun Apr 10 08:31:22 CST 2022", an Excel serial
 * day number (1900 system, day 0 is 1899-12-30; "44661.35" is 2022-04-10
 * 08:24). A time with a zone ("Z", "+08:00", "UTC", CST as China's) and an
 * epoch are converted to the local time UTC_OFFSET seconds east of UTC.
 * Returns TRUE and sets *OUT and *FLAGS (RC_TIME_*), or FALSE and sets
 * *REASON (a static string: "empty", "not a time", "no such date", "no
 * such time", "year-last date with a month over 12", "unknown time zone",
 * "time zone without a time"). Impossible dates and times never roll over.
 * OUT, FLAGS and REASON may be NULL. */
gboolean rc_norm_time_at(const char *s, gsize len, gint32 utc_offset, RcTime *out, guint *flags,
                         const char **reason);

/* rc_norm_time_at() with local time UTC+8 and no flags. */
gboolean rc_norm_time(const char *s, gsize len, RcTime *out, const char **reason);

/* Reads a fixed zone as --tz gives it: "+08:00", "+0800", "+8", "-05:00",
 * "UTC", "UTC+8", "GMT-5", "Z", "CST" (China). FALSE when it is none. */
gboolean rc_norm_tz(const char *s, gint32 *offset);

/* Writes T as "YYYY-MM-DD HH:MM:SS" (or without ":SS" when SECONDS is FALSE)
 * into OUT (at least 20 bytes); "" for RC_TIME_NONE, and times outside
 * 0001-01-01 .. 9999-12-31 23:59:59 are clamped to it. Returns OUT. */
char *rc_time_format(RcTime t, gboolean seconds, char *out);

/* Calendar parts of T (for spreadsheet date cells), clamped as
 * rc_time_format does; all 0 for RC_TIME_NONE. Any pointer may be NULL. */
void rc_time_parts(RcTime t, int *year, int *month, int *day, int *hour, int *min, int *sec);

#endif

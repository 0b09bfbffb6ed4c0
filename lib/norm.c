/* norm: ids, names, phones and free text (DESIGN.md section 2), and the
 * NFKC front end they share. Results live in norm_vocab.c, times in
 * norm_time.c.
 *
 * NFKC without allocating: a field of plain ASCII is already NFKC. A field
 * whose every code point is in a small set whose NFKC image is known (CJK
 * ideographs, U+00B7, the full-width forms U+FF01..U+FF5E, U+3000, NBSP, the
 * zero-width characters, a few CJK punctuation marks) is mapped one code
 * point at a time: all of them are starters that compose with nothing, so
 * NFKC of the string is the concatenation of NFKC of each code point
 * (tests/test_norm.c checks the table against GLib for every code point).
 * Anything else goes through g_utf8_normalize(), which allocates. */
#include "norm.h"

#include <string.h>

G_DEFINE_QUARK(rc - norm - error - quark, rc_norm_error)

/* ---- UTF-8 ---- */

#define SRC_END ((gunichar)-1)

/* Decodes the valid UTF-8 sequence at *PP and steps past it. */
static inline gunichar utf8_get(const guchar **pp)
{
    const guchar *p = *pp;
    gunichar c = p[0];
    if (c < 0x80) {
        *pp = p + 1;
        return c;
    }
    if (c < 0xE0) {
        *pp = p + 2;
        return ((c & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (c < 0xF0) {
        *pp = p + 3;
        return ((c & 0x0F) << 12) | ((gunichar)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *pp = p + 4;
    return ((c & 0x07) << 18) | ((gunichar)(p[1] & 0x3F) << 12) | ((gunichar)(p[2] & 0x3F) << 6) |
           (p[3] & 0x3F);
}

/* Like utf8_get for a byte >= 0x80 at *PP, but checks the sequence (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF). SRC_END when it
 * is not valid. */
static gunichar utf8_get_checked(const guchar **pp, const guchar *end)
{
    const guchar *p = *pp;
    guchar b = p[0];
    gsize need;
    guchar lo = 0x80, hi = 0xBF; /* bounds of the second byte */
    if (b >= 0xC2 && b <= 0xDF)
        need = 1;
    else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else
        return SRC_END;
    if ((gsize)(end - p) <= need || p[1] < lo || p[1] > hi)
        return SRC_END;
    for (gsize i = 2; i <= need; i++)
        if ((p[i] & 0xC0) != 0x80)
            return SRC_END;
    return utf8_get(pp);
}

/* Writes C as UTF-8 at O; returns the byte count (1..4). */
static inline gsize utf8_put(gunichar c, char *o)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Plain range checks: GLib's g_ascii_tolower() and g_ascii_toupper() are
 * calls, which the per-character loops here cannot afford. */
static inline gboolean is_digit(int c)
{
    return (unsigned)(c - '0') < 10;
}

static inline char ascii_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

static inline char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static inline gboolean has_high_byte(const char *s, gsize len)
{
    for (gsize i = 0; i < len; i++)
        if ((guchar)s[i] >= 0x80)
            return TRUE;
    return FALSE;
}

/* ---- character classes (applied after NFKC) ---- */

/* Spaces of every kind; NFKC has already turned NBSP, U+3000 and most of
 * U+2000..U+200A into U+0020, the rest are listed for the slow path. */
static inline gboolean is_space(gunichar c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

/* Zero-width characters: NFKC keeps them, we drop them. */
static inline gboolean is_zero_width(gunichar c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
}

/* Other invisible control characters (C0, DEL, C1), dropped from text. */
static inline gboolean is_control(gunichar c)
{
    return c < 0x20 || (c >= 0x7F && c < 0xA0);
}

/* Han ideographs (and the iteration marks used in names), kana and hangul:
 * a name holding one of these is written without spaces. */
static inline gboolean is_cjk(gunichar c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x3FFFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 || c == 0x3007 ||
           (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) || (c >= 0x31F0 && c <= 0x31FF) ||
           (c >= 0xAC00 && c <= 0xD7AF);
}

/* DESIGN.md section 2: middle-dot look-alikes in names, as they stand after
 * NFKC (U+FF65 has become U+30FB; U+FF0E is caught before NFKC). U+2219,
 * U+22C5 and U+2E31 are ours: the same dot typed from a symbol table. */
static inline gboolean is_name_dot(gunichar c)
{
    return c == 0xB7 || c == 0x2022 || c == 0x2027 || c == 0x30FB || c == 0x2219 || c == 0x22C5 ||
           c == 0x2E31;
}

/* ---- NFKC source: the code points of a field after NFKC ---- */

enum { SRC_PLAIN = 0, SRC_NAME = 1 };

typedef struct {
    const guchar *start, *p, *end;
    gboolean mapped; /* apply inline_map() to each code point */
    int mode;
    char *heap; /* g_utf8_normalize() output when the slow path ran */
} Src;

/* Code points whose NFKC image inline_map() gives (see the comment at the
 * top). Everything outside this set sends the field to g_utf8_normalize(). */
static inline gboolean inline_ok(gunichar c)
{
    if (c >= 0x4E00 && c <= 0x9FFF)
        return TRUE;
    if (c >= 0xFF01 && c <= 0xFF5E)
        return TRUE;
    switch (c) {
    case 0xA0:
    case 0xB7:
    case 0x2014:
    case 0x2018:
    case 0x2019:
    case 0x201C:
    case 0x201D:
    case 0x2022:
    case 0x2027:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x3000:
    case 0x3001:
    case 0x3002:
    case 0x3005:
    case 0x3007:
    case 0x30FB:
    case 0xFF65:
        return TRUE;
    default:
        break;
    }
    return (c >= 0x3008 && c <= 0x3011) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c < 0x2F800);
}

static inline gunichar inline_map(gunichar c, int mode)
{
    if (c >= 0xFF01 && c <= 0xFF5E) {
        /* DESIGN.md section 2: U+FF0E is a middle-dot look-alike in names;
         * NFKC would make it '.', so it is caught first. */
        if (c == 0xFF0E && mode == SRC_NAME)
            return 0xB7;
        return c - 0xFEE0;
    }
    if (c == 0x3000 || c == 0xA0)
        return ' ';
    if (c == 0xFF65)
        return 0x30FB;
    return c;
}

/* Opens (S, LEN) for reading code by code point after NFKC. Allocates only
 * on the slow path; src_close() frees. */
static void src_open(Src *it, const char *s, gsize len, int mode)
{
    const guchar *p = (const guchar *)s, *end = p + len;
    it->start = it->p = p;
    it->end = end;
    it->mapped = FALSE;
    it->mode = mode;
    it->heap = NULL;

    while (p < end && *p < 0x80)
        p++;
    if (p == end)
        return; /* ASCII: already NFKC */
    it->mapped = TRUE;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        gunichar c = utf8_get_checked(&p, end);
        if (c == SRC_END || !inline_ok(c))
            goto slow;
    }
    return;

slow:;
    g_autofree char *valid = NULL;
    g_autofree char *dots = NULL;
    const char *in = s;
    gssize in_len = (gssize)len;
    if (!g_utf8_validate_len(s, len, NULL)) {
        valid = g_utf8_make_valid(s, (gssize)len);
        in = valid;
        in_len = -1;
    }
    if (mode == SRC_NAME) {
        gsize n = in_len < 0 ? strlen(in) : (gsize)in_len;
        if (memmem(in, n, "\xEF\xBC\x8E", 3)) {
            /* U+FF0E -> U+00B7 before NFKC turns it into '.' */
            dots = g_malloc(n + 1);
            gsize o = 0;
            for (gsize i = 0; i < n;) {
                if (i + 2 < n && memcmp(in + i, "\xEF\xBC\x8E", 3) == 0) {
                    dots[o++] = (char)0xC2;
                    dots[o++] = (char)0xB7;
                    i += 3;
                } else
                    dots[o++] = in[i++];
            }
            dots[o] = '\0';
            in = dots;
            in_len = (gssize)o;
        }
    }
    it->heap = g_utf8_normalize(in, in_len, G_NORMALIZE_NFKC);
    if (!it->heap)
        it->heap = g_strdup("");
    it->start = it->p = (const guchar *)it->heap;
    it->end = it->p + strlen(it->heap);
    it->mapped = FALSE;
}

static inline gunichar src_next(Src *it)
{
    if (it->p >= it->end)
        return SRC_END;
    gunichar c = utf8_get(&it->p);
    if (it->mapped && c >= 0x80)
        c = inline_map(c, it->mode);
    return c;
}

static inline void src_rewind(Src *it)
{
    it->p = it->start;
}

static inline void src_close(Src *it)
{
    g_free(it->heap);
    it->heap = NULL;
}

/* ---- output with a capacity, cut at a character boundary ---- */

typedef struct {
    char *buf;
    gsize len, cap; /* cap > 0; room for the NUL is kept */
    gboolean full;  /* a character did not fit: nothing more is written */
} Out;

/* Puts C, preceded by a space when SPACE: both or neither, so that a cut
 * never leaves a trailing space. */
static inline void out_put_sp(Out *o, gunichar c, gboolean space)
{
    if (o->full)
        return;
    char tmp[5];
    gsize n = space ? 1 : 0;
    tmp[0] = ' ';
    n += utf8_put(c, tmp + n);
    if (o->len + n >= o->cap) {
        o->full = TRUE;
        return;
    }
    memcpy(o->buf + o->len, tmp, n);
    o->len += n;
}

static inline void out_put(Out *o, gunichar c)
{
    if (c < 0x80 && !o->full && o->len + 1 < o->cap) {
        o->buf[o->len++] = (char)c;
        return;
    }
    out_put_sp(o, c, FALSE);
}

static inline gsize out_end(Out *o)
{
    o->buf[o->len] = '\0';
    return o->len;
}

/* ---- free text ---- */

gsize rc_norm_text(const char *s, gsize len, char *out, gsize cap)
{
    if (cap == 0)
        return 0;
    Out o = {out, 0, cap, FALSE};
    Src it;
    src_open(&it, s, len, SRC_PLAIN);
    gboolean space = FALSE;
    gunichar c;
    while ((c = src_next(&it)) != SRC_END && !o.full) {
        if (is_space(c)) {
            space = o.len > 0;
            continue;
        }
        if (is_zero_width(c) || is_control(c))
            continue;
        out_put_sp(&o, c, space);
        space = FALSE;
    }
    src_close(&it);
    return out_end(&o);
}

/* ---- numbers that may be ids or phones, masked ---- */

/* The character at S[I] (ASCII, or one valid UTF-8 sequence; a stray byte
 * counts as itself) and its length in *N. */
static gunichar char_at(const char *s, gsize len, gsize i, gsize *n)
{
    const guchar *p = (const guchar *)s + i, *q = p;
    if (*p < 0x80) {
        *n = 1;
        return *p;
    }
    gunichar c = utf8_get_checked(&q, (const guchar *)s + len);
    if (c == SRC_END) {
        *n = 1;
        return 0xFFFD;
    }
    *n = (gsize)(q - p);
    return c;
}

/* A run of N digits (the first D) that is a time, not an id or a phone:
 * compact 20220410083122 (14 digits: no id has 14, no phone either) and
 * epoch milliseconds (13 digits starting with 1; a phone with its 86 has
 * 13 starting with 8). */
static gboolean time_run(gsize n, gunichar d)
{
    return n == 14 || (n == 13 && d == '1');
}

static const char *mask_numbers(const char *s, gsize len, GString *out, gboolean times);

const char *rc_norm_mask_numbers(const char *s, gsize len, GString *out)
{
    return mask_numbers(s, len, out, FALSE);
}

const char *rc_norm_mask_time(const char *s, gsize len, GString *out)
{
    return mask_numbers(s, len, out, TRUE);
}

static const char *mask_numbers(const char *s, gsize len, GString *out, gboolean times)
{
    g_string_truncate(out, 0);
    gsize i = 0;
    while (i < len) {
        gsize k;
        if (!g_unichar_isdigit(char_at(s, len, i, &k))) {
            g_string_append_len(out, s + i, (gssize)k);
            i += k;
            continue;
        }
        /* The run of digits at I (any script's, as NFKC would read them),
         * with an id's check character X after them. */
        gsize j = i, n = 0;
        while (j < len) {
            gunichar c = char_at(s, len, j, &k);
            if (g_unichar_isdigit(c)) {
                j += k;
                n++;
                continue;
            }
            if (c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58) {
                j += k;
                n++;
            }
            break;
        }
        if (n < RC_MASK_MIN_DIGITS || (times && time_run(n, char_at(s, len, i, &k)))) {
            g_string_append_len(out, s + i, (gssize)(j - i));
            i = j;
            continue;
        }
        /* As rc_mask_id: the first 3 and the last 4 stay. */
        for (gsize m = 0; i < j; m++) {
            char_at(s, len, i, &k);
            if (m < 3 || m + 4 >= n)
                g_string_append_len(out, s + i, (gssize)k);
            else
                g_string_append_c(out, '*');
            i += k;
        }
    }
    return out->str;
}

/* ---- ids ---- */

/* GB 11643-1999 / ISO 7064 MOD 11-2: weights 2^(17-i) mod 11, and the
 * check character for each remainder of the weighted sum. */
static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

char rc_norm_id_check_char(const char *digits17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(digits17[i]))
            return '\0';
        sum += (digits17[i] - '0') * weight[i];
    }
    return check_chars[sum % 11];
}

static gboolean all_digits(const char *s, gsize n)
{
    for (gsize i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return FALSE;
    return TRUE;
}

/* Spreadsheet scientific notation, as Excel shows a long number or a person
 * types it: one digit, optionally [.,] and digits, 'E', optional '+', one or
 * two exponent digits ("3.10101E+17", "3.1E17", "3,10101E+17"). Input is
 * already upper case, with spaces and '-' gone. */
static gboolean is_scientific(const char *s, gsize n)
{
    gsize i = 0;
    if (i >= n || s[i] < '1' || s[i] > '9')
        return FALSE;
    i++;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        i++;
        gsize d = i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == d)
            return FALSE;
    }
    if (i >= n || s[i] != 'E')
        return FALSE;
    i++;
    if (i < n && s[i] == '+')
        i++;
    gsize e = i;
    while (i < n && is_digit(s[i]))
        i++;
    return i == n && i - e >= 1 && i - e <= 2;
}

gsize rc_norm_id_sci_mask(const char *s, gsize len, char *out, gsize cap)
{
    char digits[24] = {0}; /* cppcheck cannot see k == 0 guard digits[0] */
    gsize k = 0, i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\''))
        i++;
    for (; i < len && s[i] != 'E' && s[i] != 'e'; i++) {
        if (is_digit(s[i]) && k < sizeof digits)
            digits[k++] = s[i];
        else if (s[i] != '.' && s[i] != ',')
            return 0;
    }
    if (i >= len || k == 0 || digits[0] == '0')
        return 0;
    i++;
    if (i < len && s[i] == '+')
        i++;
    int e = 0;
    gsize e0 = i;
    for (; i < len && is_digit(s[i]) && i - e0 < 3; i++)
        e = e * 10 + (s[i] - '0');
    while (i < len && s[i] == ' ')
        i++;
    /* an 18-digit number: 17 is the exponent; at most its 18 digits known */
    if (i != len || i == e0 || e != 17 || k > 18 || cap < 19)
        return 0;
    memcpy(out, digits, k);
    memset(out + k, '*', 18 - k);
    out[18] = '\0';
    return 18;
}

/* Appends C (after NFKC) to the raw id OUT[0..*N) unless it is dropped:
 * non-ASCII (spaces, zero-width, letters of other scripts), ASCII spaces and
 * controls, '-', and a leading '\''. FALSE when OUT is full. */
static inline gboolean id_keep(gunichar c, char *out, gsize *n, gsize cap)
{
    if (c <= ' ' || c >= 0x7F || c == '-' || (c == '\'' && *n == 0))
        return TRUE;
    if (*n + 1 >= cap)
        return FALSE;
    out[(*n)++] = ascii_upper((char)c);
    return TRUE;
}

/* Edge cases decided here (DESIGN.md is silent):
 * - after NFKC, everything that is not an ASCII letter, digit or '*' is
 *   dropped (a "leading '" and ".0" are handled first): "A123456(7)" and
 *   "A1234567" are the same document, and a field such as "无" is no id;
 * - a trailing '.' and one or more zeros after a digit are dropped (".0",
 *   ".00": number formats of spreadsheets);
 * - a 15-digit id is upgraded whatever its birth date says: "310104771317015"
 *   (month 13) becomes "310104197713170153" with RC_ID_15 and nothing else;
 *   DESIGN.md checks the check digit only, and the 15-digit form has none;
 * - a masked id is returned as it stands (RC_ID_MASKED), never upgraded;
 * - 18 characters of which the first 17 are digits and the last a digit or X
 *   is a mainland id; any other shape is RC_ID_OTHER. */
gsize rc_norm_id(const char *s, gsize len, char *out, gsize cap, guint *flags)
{
    guint f = 0;
    gsize n = 0;
    if (flags)
        *flags = 0;
    if (cap == 0)
        return 0;

    /* The common case: 17 ASCII digits and a check character, as they stand. */
    if (len == 18 && cap > 18) {
        int sum = 0;
        gsize i;
        for (i = 0; i < 17 && is_digit(s[i]); i++)
            sum += (s[i] - '0') * weight[i];
        char last = ascii_upper(s[17]);
        if (i == 17 && (is_digit(last) || last == 'X')) {
            memcpy(out, s, 17);
            out[17] = last;
            out[18] = '\0';
            if (flags && check_chars[sum % 11] != last)
                *flags = RC_ID_CHECKSUM;
            return 18;
        }
    }

    if (!has_high_byte(s, len)) {
        for (gsize i = 0; i < len; i++)
            if (!id_keep((guchar)s[i], out, &n, cap)) {
                f |= RC_ID_TOO_LONG;
                break;
            }
    } else {
        Src it;
        src_open(&it, s, len, SRC_PLAIN);
        gunichar c;
        while ((c = src_next(&it)) != SRC_END)
            if (!id_keep(c, out, &n, cap)) {
                f |= RC_ID_TOO_LONG;
                break;
            }
        src_close(&it);
    }
    if (f & RC_ID_TOO_LONG)
        goto none;

    if (is_scientific(out, n)) {
        f |= RC_ID_MANGLED;
        goto none;
    }

    /* A trailing ".0" (".00", ...) after a digit. */
    {
        gsize z = n;
        while (z > 0 && out[z - 1] == '0')
            z--;
        if (z < n && z >= 2 && out[z - 1] == '.' && is_digit(out[z - 2]))
            n = z - 1;
    }

    /* Letters, digits and the mask. */
    gsize k = 0;
    gboolean masked = FALSE;
    for (gsize i = 0; i < n; i++) {
        char ch = out[i];
        if (is_digit(ch) || (ch >= 'A' && ch <= 'Z'))
            out[k++] = ch;
        else if (ch == '*') {
            out[k++] = ch;
            masked = TRUE;
        }
    }
    n = k;
    out[n] = '\0';

    if (n == 0)
        goto none;
    if (masked) {
        f |= RC_ID_MASKED;
    } else if (n == 18 && all_digits(out, 17) && (is_digit(out[17]) || out[17] == 'X')) {
        if (rc_norm_id_check_char(out) != out[17])
            f |= RC_ID_CHECKSUM;
    } else if (n == 15 && all_digits(out, 15)) {
        /* GB 11643: the 15-digit form has a two-digit year and no check
         * digit; the 18-digit form is area(6) 19 YYMMDD seq(3) check. */
        if (cap < 19) {
            f |= RC_ID_TOO_LONG;
            goto none;
        }
        memmove(out + 8, out + 6, 9);
        out[6] = '1';
        out[7] = '9';
        out[17] = rc_norm_id_check_char(out);
        n = 18;
        f |= RC_ID_15;
    } else {
        f |= RC_ID_OTHER;
    }
    out[n] = '\0';
    if (flags)
        *flags = f;
    return n;

none:
    out[0] = '\0';
    if (flags)
        *flags = f;
    return 0;
}

/* ---- names ---- */

/* An ASCII name: no CJK, no NFKC, no dots to map; single spaces, lower case. */
static gsize name_ascii(const char *s, gsize len, char *out, gsize cap)
{
    gsize n = 0;
    gboolean space = FALSE;
    for (gsize i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            space = n > 0;
            continue;
        }
        if ((guchar)c < 0x20 || c == 0x7F)
            continue;
        if (n + 1 + space >= cap)
            break;
        if (space)
            out[n++] = ' ';
        space = FALSE;
        out[n++] = ascii_lower(c);
    }
    out[n] = '\0';
    return n;
}

/* Edge cases decided here: ASCII letters are lower-cased in CJK names too,
 * and any other letter outside CJK is case-folded (g_utf8_casefold) in every
 * name; '.' becomes U+00B7 only with a CJK character on both sides once
 * spaces are gone ("阿卜杜拉 . 买买提"); control characters are dropped. */
gsize rc_norm_name(const char *s, gsize len, char *out, gsize cap)
{
    if (cap == 0)
        return 0;
    if (!has_high_byte(s, len))
        return name_ascii(s, len, out, cap);
    Src it;
    src_open(&it, s, len, SRC_NAME);

    gboolean cjk = FALSE;
    gunichar c;
    while ((c = src_next(&it)) != SRC_END)
        if (c >= 0x3005 && is_cjk(c)) {
            cjk = TRUE;
            break;
        }
    src_rewind(&it);

    Out o = {out, 0, cap, FALSE};
    gboolean space = FALSE, last_cjk = FALSE, fold = FALSE;
    gsize dots = 0; /* '.' held after a CJK character until we see what follows */
    while ((c = src_next(&it)) != SRC_END && !o.full) {
        if (is_space(c)) {
            space = !cjk && o.len > 0;
            continue;
        }
        if (is_zero_width(c) || is_control(c))
            continue;
        if (c < 0x80)
            c = (gunichar)ascii_lower((char)c);
        else if (is_name_dot(c))
            c = 0xB7;
        gboolean here_cjk = c >= 0x3005 && is_cjk(c);
        if (cjk) {
            if (c == '.' && last_cjk) {
                dots++;
                continue;
            }
            for (; dots > 0; dots--)
                out_put(&o, here_cjk ? 0xB7 : '.');
        }
        if (c >= 0x80 && c != 0xB7 && !here_cjk)
            fold = TRUE;
        out_put_sp(&o, c, space);
        space = FALSE;
        last_cjk = here_cjk;
    }
    for (; dots > 0; dots--)
        out_put(&o, '.');
    src_close(&it);
    out_end(&o);

    if (fold) {
        g_autofree char *folded = g_utf8_casefold(out, (gssize)o.len);
        Out f = {out, 0, cap, FALSE};
        const guchar *p = (const guchar *)folded;
        while (*p && !f.full)
            out_put(&f, utf8_get(&p));
        return out_end(&f);
    }
    return o.len;
}

/* ---- phones ---- */

/* One phone of a cell: its digits (and a mask's '*') in (P, N), the
 * country code of mainland China dropped ('+' is gone), appended to OUT at
 * *O with a '/' before it when it is not the first. */
static void phone_put(const char *p, gsize n, char *out, gsize cap, gsize *o)
{
    if (n >= 13 && memcmp(p, "0086", 4) == 0)
        p += 4, n -= 4;
    else if (n >= 13 && memcmp(p, "86", 2) == 0)
        p += 2, n -= 2;
    if (n == 0 || strspn(p, "*") >= n)
        return;
    if (*o && *o + 1 < cap)
        out[(*o)++] = '/';
    for (gsize i = 0; i < n && *o + 1 < cap; i++)
        out[(*o)++] = p[i];
}

/* DESIGN.md section 2: a cell may hold several phones, separated by '/',
 * ',', ';', '、' or spaces. Spaces also group the digits of one number
 * ("138 1234 5678", "+86 021 6123 4567"): they separate phones only when
 * every group is a phone's length (7 digits or more). */
gsize rc_norm_phone(const char *s, gsize len, char *out, gsize cap)
{
    if (cap == 0)
        return 0;
    /* the cell as digits, '*', ' ' (a space of any kind) and '|' (a hard
     * separator); anything else goes */
    char cls[RC_NORM_CAP * 2];
    gsize n = 0;
    Src it;
    gboolean high = has_high_byte(s, len);
    if (high)
        src_open(&it, s, len, SRC_PLAIN);
    for (gsize i = 0; n + 1 < sizeof cls; i++) {
        gunichar c;
        if (high) {
            if ((c = src_next(&it)) == SRC_END)
                break;
        } else {
            if (i >= len)
                break;
            c = (guchar)s[i];
        }
        if ((c >= '0' && c <= '9') || c == '*')
            cls[n++] = (char)c;
        else if (c == '/' || c == ',' || c == ';' || c == 0x3001 || c == '\\')
            cls[n++] = '|';
        else if (c == ' ' || c == '\t' || g_unichar_isspace(c))
            cls[n++] = ' ';
    }
    if (high)
        src_close(&it);
    cls[n] = '\0';
    gsize o = 0;
    for (char *part = cls; part && o + 1 < cap;) {
        char *bar = strchr(part, '|');
        if (bar)
            *bar = '\0';
        /* split on spaces when every group is a phone's length */
        gboolean split = strchr(part, ' ') != NULL;
        guint groups = 0;
        for (const char *g = part; *g && split;) {
            g += strspn(g, " ");
            gsize gl = strcspn(g, " ");
            if (gl && gl < 7)
                split = FALSE;
            groups += gl > 0;
            g += gl;
        }
        if (split && groups > 1) {
            for (const char *g = part; *g;) {
                g += strspn(g, " ");
                gsize gl = strcspn(g, " ");
                phone_put(g, gl, out, cap, &o);
                g += gl;
            }
        } else {
            char one[sizeof cls];
            gsize k = 0;
            for (const char *g = part; *g; g++)
                if (*g != ' ')
                    one[k++] = *g;
            one[k] = '\0';
            phone_put(one, k, out, cap, &o);
        }
        part = bar ? bar + 1 : NULL;
    }
    out[o] = '\0';
    return o;
}

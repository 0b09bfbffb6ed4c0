/* source: see source.h. An RcSource reads its file descriptor in blocks into
 * `in`. UTF-8, and ASCII not yet decided, is validated and handed out straight
 * from `in`; every other encoding goes through GLib's iconv into `out`. A
 * sequence cut by the end of a block stays in `in` for the next read. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* 64 KiB reads: on the 2-core reference box the kernel copies a 64 KiB
 * read() at about 8 GB/s from the page cache, 128 KiB and more at under
 * 2 GB/s (scripts/bench/bench-source.sh). */
#define DEFAULT_BLOCK ((gsize)64 * 1024)
/* How far past the first non-ASCII byte detection looks (DESIGN.md section 1:
 * UTF-8 when the bytes are valid UTF-8, else GB18030). */
#define DETECT_WINDOW ((gsize)4096)
/* Valid multibyte UTF-8 characters that make a file UTF-8 even when invalid
 * bytes follow within the window. Random GB2312 text gives a run of 7 about
 * once in 200,000 tries. */
#define UTF8_PROOF 16

#define ONES G_GUINT64_CONSTANT(0x0101010101010101)
#define HIGH G_GUINT64_CONSTANT(0x8080808080808080)
#define LOW7 G_GUINT64_CONSTANT(0x7f7f7f7f7f7f7f7f)

G_DEFINE_QUARK(rc - source - error - quark, rc_source_error)

static gsize block_size_override;

typedef enum {
    MODE_UNDECIDED, /* only ASCII so far, no BOM, nothing forced */
    MODE_UTF8,      /* validate and pass through */
    MODE_ICONV,     /* convert into `out` */
} Mode;

typedef enum {
    STEP_OUTPUT, /* a block is ready */
    STEP_MORE,   /* read more bytes, then step again */
    STEP_AGAIN,  /* the mode changed: step again */
    STEP_END,    /* all input handed out */
    STEP_ERROR,
} Step;

struct RcSource {
    char *name;  /* display name */
    char *label; /* what rc_source_encoding says */
    char *codec; /* the encoding's name in messages */
    gboolean forced;
    int fd;
    gboolean own_fd;
    gboolean started; /* the BOM has been looked for */
    gboolean eof;     /* read() has returned 0 */
    gboolean flushed; /* iconv's shift state written out at the end */
    gboolean done;    /* the end was reached or an error reported */
    Mode mode;
    GIConv cd;
    gboolean gb_ascii; /* GB-family: ASCII runs copied, only the rest to iconv */
    gsize unit;        /* code unit size of the iconv input, for messages */
    gsize block;

    guchar *in; /* raw bytes; [in_pos, in_len) not yet handed on */
    gsize in_cap;
    gsize in_pos;
    gsize in_len;
    guint64 in_base; /* file offset of in[0] */
    guint64 bytes_read;

    char *out; /* iconv output */
    gsize out_cap;

    guint64 breaks;      /* line ends handed out so far; a final CR counts */
    gboolean cr_pending; /* the text handed out so far ends with CR */
};

void rc_source_set_block_size(gsize size)
{
    block_size_override = size;
}

/* ---- byte scanning ------------------------------------------------------ */

static inline guint64 load64(const guchar *p)
{
    guint64 w;
    memcpy(&w, p, sizeof w);
    return GUINT64_FROM_LE(w);
}

/* High bit set in each byte of W equal to the byte repeated in PAT; exact
 * (no carries between bytes). */
static inline guint64 eq_mask(guint64 w, guint64 pat)
{
    guint64 x = w ^ pat;
    return ~(((x & LOW7) + LOW7) | x) & HIGH;
}

/* Length of the ASCII prefix of (P, N). */
static inline gsize ascii_span(const guchar *p, gsize n)
{
    gsize i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(p + i)));
        if (m != 0)
            return i + (gsize)__builtin_ctz(m);
    }
#else
    for (; i + 8 <= n; i += 8) {
        guint64 m = load64(p + i) & HIGH;
        if (m != 0)
            return i + (gsize)__builtin_ctzll(m) / 8;
    }
#endif
    while (i < n && p[i] < 0x80)
        i++;
    return i;
}

/* One UTF-8 character at P (P[0] >= 0x80), N bytes available. Returns its
 * length when valid, 0 when N ends inside a sequence valid so far, or minus
 * the number of bytes that show the fault (the lead up to the bad byte). The
 * ranges are the Unicode Standard's table 3-7 (no overlongs, surrogates or
 * values past U+10FFFF). */
static inline int utf8_char(const guchar *p, gsize n)
{
    guchar c = p[0];
    int len;
    guchar lo = 0x80, hi = 0xBF;

    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return -1;

    for (int k = 1; k < len; k++) {
        if ((gsize)k >= n)
            return 0;
        if (p[k] < lo || p[k] > hi)
            return -(k + 1);
        lo = 0x80;
        hi = 0xBF;
    }
    return len;
}

typedef enum { UTF8_OK, UTF8_CUT, UTF8_BAD } Utf8Status;

/* Length of the longest valid UTF-8 prefix of (P, N) that ends on a character
 * boundary; *STATUS says what follows it, *BAD how many bytes show a fault. */
static gsize utf8_prefix(const guchar *p, gsize n, Utf8Status *status, gsize *bad)
{
    gsize i = 0;
    for (;;) {
        i += ascii_span(p + i, n - i);
        if (i >= n) {
            *status = UTF8_OK;
            return n;
        }
        int l = 0;
        /* Runs of CJK text: stay out of the ASCII scan while bytes are high. */
        while (i < n && p[i] >= 0x80 && (l = utf8_char(p + i, n - i)) > 0)
            i += (gsize)l;
        if (i >= n) {
            *status = UTF8_OK;
            return n;
        }
        if (p[i] < 0x80)
            continue;
        if (l == 0) {
            *status = UTF8_CUT;
            return i;
        }
        *status = UTF8_BAD;
        *bad = (gsize)-l;
        return i;
    }
}

/* Counts the line ends in text about to be handed out: every CR, and every LF
 * not right after a CR (so CRLF, LF and a bare CR each end one line). Sixteen
 * (or eight) bytes at a time, each compared with the byte before it; per-byte
 * counters are summed before they can overflow. */
static void count_breaks(RcSource *src, const guchar *p, gsize n)
{
    guint64 count = 0;
    gsize i = 1;

    if (n == 0)
        return;
    if (p[0] == '\r' || (p[0] == '\n' && !src->cr_pending))
        count++;
#ifdef __SSE2__
    const __m128i vcr = _mm_set1_epi8('\r'), vlf = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (i + 16 <= n) {
        gsize rounds = MIN((n - i) / 16, (gsize)255);
        __m128i acc = zero;
        for (gsize k = 0; k < rounds; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            __m128i before = _mm_loadu_si128((const __m128i *)(p + i - 1));
            __m128i cr = _mm_cmpeq_epi8(v, vcr);
            __m128i lf = _mm_andnot_si128(_mm_cmpeq_epi8(before, vcr), _mm_cmpeq_epi8(v, vlf));
            acc = _mm_sub_epi8(acc, _mm_or_si128(cr, lf));
        }
        __m128i sum = _mm_sad_epu8(acc, zero);
        count += (guint64)_mm_cvtsi128_si32(sum) + (guint64)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum));
    }
#else
    while (i + 8 <= n) {
        gsize rounds = MIN((n - i) / 8, (gsize)255);
        guint64 acc = 0;
        for (gsize k = 0; k < rounds; k++, i += 8) {
            guint64 w = load64(p + i);
            guint64 cr = eq_mask(w, ONES * '\r');
            guint64 lf = eq_mask(w, ONES * '\n') & ~eq_mask(load64(p + i - 1), ONES * '\r');
            acc += (cr | lf) >> 7;
        }
        acc = (acc & G_GUINT64_CONSTANT(0x00ff00ff00ff00ff)) +
              ((acc >> 8) & G_GUINT64_CONSTANT(0x00ff00ff00ff00ff));
        count += (acc * G_GUINT64_CONSTANT(0x0001000100010001)) >> 48;
    }
#endif
    for (; i < n; i++)
        if (p[i] == '\r' || (p[i] == '\n' && p[i - 1] != '\r'))
            count++;
    src->breaks += count;
    src->cr_pending = p[n - 1] == '\r';
}

/* ---- errors ------------------------------------------------------------- */

static char *hex_bytes(const guchar *p, gsize n)
{
    GString *s = g_string_new(NULL);
    for (gsize i = 0; i < n; i++)
        g_string_append_printf(s, "%s0x%02X", i ? " " : "", p[i]);
    return g_string_free(s, FALSE);
}

/* How many bytes at P (N available) to show for a fault iconv reported. */
static gsize fault_len(const RcSource *src, const guchar *p, gsize n)
{
    gsize len = src->unit;
    if (src->gb_ascii)
        len = (n > 1 && p[1] >= 0x30 && p[1] <= 0x39) ? 4 : 2;
    return MAX((gsize)1, MIN(len, n));
}

static Step decode_error(RcSource *src, gboolean truncated, gsize show, GError **error)
{
    const guchar *p = src->in + src->in_pos;
    g_autofree char *hex = hex_bytes(p, MIN(show, (gsize)8));
    guint64 offset = src->in_base + src->in_pos;
    guint64 line = src->breaks + 1;

    if (truncated)
        g_set_error(error, RC_SOURCE_ERROR, RC_SOURCE_ERROR_DECODE,
                    "%s:%" G_GUINT64_FORMAT ": truncated %s sequence (%s) at end of file, "
                    "byte offset %" G_GUINT64_FORMAT,
                    src->name, line, src->codec, hex, offset);
    else
        g_set_error(error, RC_SOURCE_ERROR, RC_SOURCE_ERROR_DECODE,
                    "%s:%" G_GUINT64_FORMAT ": invalid %s bytes (%s) at byte offset %" G_GUINT64_FORMAT,
                    src->name, line, src->codec, hex, offset);
    return STEP_ERROR;
}

/* ---- reading ------------------------------------------------------------ */

/* Keeps the bytes not yet handed on, at the start of `in`, and appends one
 * read() of up to a block. */
static gboolean fill(RcSource *src, GError **error)
{
    gsize keep = src->in_len - src->in_pos;
    ssize_t n;

    if (src->in_pos > 0) {
        memmove(src->in, src->in + src->in_pos, keep);
        src->in_base += src->in_pos;
        src->in_pos = 0;
        src->in_len = keep;
    }
    if (src->in_cap < keep + src->block) {
        src->in_cap = keep + src->block;
        src->in = g_realloc(src->in, src->in_cap);
    }
    do
        n = read(src->fd, src->in + keep, src->block);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        int e = errno;
        g_set_error(error, RC_SOURCE_ERROR, RC_SOURCE_ERROR_READ, "%s:%" G_GUINT64_FORMAT ": %s", src->name,
                    src->breaks + 1, g_strerror(e));
        return FALSE;
    }
    if (n == 0)
        src->eof = TRUE;
    src->in_len += (gsize)n;
    src->bytes_read += (guint64)n;
    return TRUE;
}

static gboolean is_gb_family(const char *enc)
{
    static const char *const names[] = {"gb18030", "gbk", "gb2312", "cp936", "euc-cn", "euccn"};
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
        if (g_ascii_strcasecmp(enc, names[i]) == 0)
            return TRUE;
    return FALSE;
}

static gboolean use_iconv(RcSource *src, const char *enc, GError **error)
{
    src->cd = g_iconv_open("UTF-8", enc);
    if (src->cd == (GIConv)-1) {
        g_set_error(error, RC_SOURCE_ERROR, RC_SOURCE_ERROR_ENCODING, "%s: unknown encoding '%s'", src->name,
                    enc);
        return FALSE;
    }
    src->mode = MODE_ICONV;
    src->gb_ascii = is_gb_family(enc);
    src->unit = 1;
    if (g_ascii_strncasecmp(enc, "utf-16", 6) == 0 || g_ascii_strncasecmp(enc, "utf16", 5) == 0 ||
        g_ascii_strncasecmp(enc, "ucs-2", 5) == 0)
        src->unit = 2;
    else if (g_ascii_strncasecmp(enc, "utf-32", 6) == 0 || g_ascii_strncasecmp(enc, "utf32", 5) == 0 ||
             g_ascii_strncasecmp(enc, "ucs-4", 5) == 0)
        src->unit = 4;
    /* GB18030 turns 2 bytes into 3, UTF-16 2 into 3; wider growth (a forced
     * single-byte encoding) just takes another round. */
    src->out_cap = src->block * 2 + 64;
    src->out = g_malloc(src->out_cap);
    return TRUE;
}

static void set_encoding(RcSource *src, const char *label, const char *codec)
{
    g_free(src->label);
    g_free(src->codec);
    src->label = g_strdup(label);
    src->codec = g_strdup(codec);
}

static gboolean has_prefix(const RcSource *src, const char *bom, gsize n)
{
    return src->in_len >= n && memcmp(src->in, bom, n) == 0;
}

/* Looks for a BOM: it decides the encoding unless one is forced, and it is
 * dropped when it belongs to the forced encoding. */
static gboolean start(RcSource *src, GError **error)
{
    while (src->in_len < 3 && !src->eof)
        if (!fill(src, error))
            return FALSE;
    src->started = TRUE;

    if (src->forced) {
        const char *c = src->codec;
        if ((g_ascii_strcasecmp(c, "utf-8") == 0 || g_ascii_strcasecmp(c, "utf8") == 0) &&
            has_prefix(src, "\xEF\xBB\xBF", 3))
            src->in_pos = 3;
        else if ((g_ascii_strcasecmp(c, "utf-16le") == 0 || g_ascii_strcasecmp(c, "utf16le") == 0) &&
                 has_prefix(src, "\xFF\xFE", 2))
            src->in_pos = 2; /* NOLINT(bugprone-branch-clone): each BOM has its own test */
        else if ((g_ascii_strcasecmp(c, "utf-16be") == 0 || g_ascii_strcasecmp(c, "utf16be") == 0) &&
                 has_prefix(src, "\xFE\xFF", 2))
            src->in_pos = 2;
        return TRUE;
    }
    if (has_prefix(src, "\xEF\xBB\xBF", 3)) {
        src->in_pos = 3;
        src->mode = MODE_UTF8;
        set_encoding(src, "UTF-8 (BOM)", "UTF-8");
    } else if (has_prefix(src, "\xFF\xFE", 2)) {
        src->in_pos = 2;
        set_encoding(src, "UTF-16LE (BOM)", "UTF-16LE");
        return use_iconv(src, "UTF-16LE", error);
    } else if (has_prefix(src, "\xFE\xFF", 2)) {
        src->in_pos = 2;
        set_encoding(src, "UTF-16BE (BOM)", "UTF-16BE");
        return use_iconv(src, "UTF-16BE", error);
    }
    return TRUE;
}

/* ASCII passes through; at the first non-ASCII byte the window after it
 * decides between UTF-8 and GB18030. */
static Step step_undecided(RcSource *src, const guchar **out, gsize *out_len, GError **error)
{
    const guchar *p = src->in + src->in_pos;
    gsize avail = src->in_len - src->in_pos;

    if (avail == 0)
        return src->eof ? STEP_END : STEP_MORE;
    gsize k = ascii_span(p, avail);
    if (k > 0) {
        *out = p;
        *out_len = k;
        src->in_pos += k;
        return STEP_OUTPUT;
    }
    if (avail < DETECT_WINDOW && !src->eof)
        return STEP_MORE;

    gboolean utf8 = TRUE;
    gsize limit = MIN(avail, DETECT_WINDOW);
    gsize seen = 0; /* valid multibyte UTF-8 characters */
    for (gsize i = 0; i < limit;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int l = utf8_char(p + i, avail - i);
        if (l > 0) {
            i += (gsize)l;
            seen++;
            continue;
        }
        /* A sequence cut by the end of the file is not valid UTF-8; one cut
         * by the end of what has been read so far is given the benefit. A
         * fault after a long valid run is a damaged UTF-8 file, better
         * reported as such than read as GB18030 mojibake: GBK text almost
         * never passes for more than a few UTF-8 characters in a row. */
        if ((l < 0 || src->eof) && seen < UTF8_PROOF)
            utf8 = FALSE;
        break;
    }
    if (utf8) {
        src->mode = MODE_UTF8;
        return STEP_AGAIN;
    }
    set_encoding(src, "GB18030", "GB18030");
    return use_iconv(src, "GB18030", error) ? STEP_AGAIN : STEP_ERROR;
}

static Step step_utf8(RcSource *src, const guchar **out, gsize *out_len, GError **error)
{
    const guchar *p = src->in + src->in_pos;
    gsize avail = src->in_len - src->in_pos;
    Utf8Status status;
    gsize bad = 1;

    if (avail == 0)
        return src->eof ? STEP_END : STEP_MORE;
    gsize valid = utf8_prefix(p, avail, &status, &bad);
    if (valid > 0) {
        *out = p;
        *out_len = valid;
        src->in_pos += valid;
        return STEP_OUTPUT;
    }
    if (status == UTF8_CUT)
        return src->eof ? decode_error(src, TRUE, avail, error) : STEP_MORE;
    return decode_error(src, FALSE, bad, error);
}

/* Converts what is in `in` into `out`. For the GB family, runs of ASCII are
 * copied here and iconv only sees the runs of multibyte characters, whose
 * ends are found by GB18030's shape: a lead byte 0x81-0xFE, then a second
 * byte 0x30-0x39 for four bytes, else two. iconv judges validity. */
static Step step_iconv(RcSource *src, const guchar **out, gsize *out_len, GError **error)
{
    const guchar *p = src->in + src->in_pos;
    gsize avail = src->in_len - src->in_pos;
    char *o = src->out;
    gsize oleft = src->out_cap;
    gsize used = 0;
    int err = 0;

    if (avail == 0) {
        if (!src->eof)
            return STEP_MORE;
        if (!src->flushed && !src->gb_ascii) {
            src->flushed = TRUE;
            /* Stateful encodings may owe a return to the initial state. */
            g_iconv(src->cd, NULL, NULL, &o, &oleft);
            if (oleft < src->out_cap) {
                *out = (const guchar *)src->out;
                *out_len = src->out_cap - oleft;
                return STEP_OUTPUT;
            }
        }
        return STEP_END;
    }

    if (!src->gb_ascii) {
        char *ib = (char *)p;
        gsize ileft = avail;
        gsize r = g_iconv(src->cd, &ib, &ileft, &o, &oleft);
        int e = errno;
        used = avail - ileft;
        if (r == (gsize)-1 && e != E2BIG)
            err = e;
    } else {
        while (used < avail && oleft > 0) {
            if (p[used] < 0x80) {
                gsize k = ascii_span(p + used, MIN(avail - used, oleft));
                memcpy(o, p + used, k);
                o += k;
                oleft -= k;
                used += k;
                continue;
            }
            gsize end = used;
            while (end < avail && p[end] >= 0x80)
                end += (end + 1 < avail && p[end + 1] >= 0x30 && p[end + 1] <= 0x39) ? 4 : 2;
            end = MIN(end, avail);
            char *ib = (char *)p + used;
            gsize ileft = end - used;
            gsize r = g_iconv(src->cd, &ib, &ileft, &o, &oleft);
            int e = errno;
            used = end - ileft;
            if (r == (gsize)-1) {
                if (e == E2BIG)
                    break;
                /* Cut before the next ASCII byte rather than by the end of
                 * the data: that is an invalid sequence, not a short one. */
                err = (e == EINVAL && end < avail) ? EILSEQ : e;
                break;
            }
        }
    }

    src->in_pos += used;
    if (oleft < src->out_cap) {
        *out = (const guchar *)src->out;
        *out_len = src->out_cap - oleft;
        return STEP_OUTPUT;
    }
    avail -= used;
    p += used;
    if (err == EINVAL) {
        if (!src->eof)
            return STEP_MORE;
        return decode_error(src, TRUE, avail, error);
    }
    if (err != 0 || used == 0)
        return decode_error(src, FALSE, fault_len(src, p, avail), error);
    return STEP_AGAIN; /* consumed input that wrote nothing (a shift sequence) */
}

gboolean rc_source_read(RcSource *src, const char **data, gsize *len, GError **error)
{
    g_return_val_if_fail(src != NULL && data != NULL && len != NULL, FALSE);
    *data = "";
    *len = 0;
    if (src->done)
        return TRUE;
    if (!src->started && !start(src, error)) {
        src->done = TRUE;
        return FALSE;
    }
    for (;;) {
        const guchar *out = NULL;
        gsize out_len = 0;
        Step step;

        switch (src->mode) {
        case MODE_UNDECIDED:
            step = step_undecided(src, &out, &out_len, error);
            break;
        case MODE_UTF8:
            step = step_utf8(src, &out, &out_len, error);
            break;
        default:
            step = step_iconv(src, &out, &out_len, error);
            break;
        }
        switch (step) {
        case STEP_OUTPUT:
            count_breaks(src, out, out_len);
            *data = (const char *)out;
            *len = out_len;
            return TRUE;
        case STEP_MORE:
            if (!fill(src, error)) {
                src->done = TRUE;
                return FALSE;
            }
            break;
        case STEP_AGAIN:
            break;
        case STEP_END:
            src->done = TRUE;
            return TRUE;
        case STEP_ERROR:
            src->done = TRUE;
            return FALSE;
        }
    }
}

/* ---- open / free / accessors -------------------------------------------- */

RcSource *rc_source_open(const char *path, const char *encoding, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    g_autoptr(RcSource) src = g_new0(RcSource, 1);
    struct stat st;

    src->fd = -1;
    src->cd = (GIConv)-1;
    src->block = block_size_override ? block_size_override : DEFAULT_BLOCK;
    src->unit = 1;
    if (strcmp(path, "-") == 0) {
        src->name = g_strdup("<stdin>");
        src->fd = STDIN_FILENO;
    } else {
        src->name = g_strdup(path);
        src->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (src->fd < 0) {
            /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): g_autoptr frees src; the analyzer does not follow the cleanup attribute */
            int e = errno;
            g_set_error(error, RC_SOURCE_ERROR, RC_SOURCE_ERROR_OPEN, "%s: %s", path, g_strerror(e));
            return NULL;
        }
        src->own_fd = TRUE;
    }
    if (fstat(src->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            g_set_error(error, RC_SOURCE_ERROR, RC_SOURCE_ERROR_OPEN, "%s: is a directory", src->name);
            return NULL;
        }
        if (S_ISREG(st.st_mode))
            (void)posix_fadvise(src->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }

    if (encoding != NULL && *encoding != '\0' && g_ascii_strcasecmp(encoding, "auto") != 0) {
        g_autofree char *upper = g_ascii_strup(encoding, -1);
        src->forced = TRUE;
        set_encoding(src, upper, upper);
        if (g_ascii_strcasecmp(encoding, "utf-8") == 0 || g_ascii_strcasecmp(encoding, "utf8") == 0)
            src->mode = MODE_UTF8;
        else if (!use_iconv(src, encoding, error))
            return NULL;
    } else {
        set_encoding(src, "UTF-8", "UTF-8");
        src->mode = MODE_UNDECIDED;
    }

    src->in_cap = src->block + DETECT_WINDOW;
    src->in = g_malloc(src->in_cap);
    return g_steal_pointer(&src);
}

void rc_source_free(RcSource *src)
{
    if (src == NULL)
        return;
    if (src->own_fd && src->fd >= 0)
        close(src->fd);
    if (src->cd != (GIConv)-1)
        g_iconv_close(src->cd);
    g_free(src->in);
    g_free(src->out);
    g_free(src->name);
    g_free(src->label);
    g_free(src->codec);
    g_free(src);
}

const char *rc_source_name(const RcSource *src)
{
    return src->name;
}

const char *rc_source_encoding(const RcSource *src)
{
    return src->label;
}

gboolean rc_source_encoding_forced(const RcSource *src)
{
    return src->forced;
}

guint64 rc_source_bytes_read(const RcSource *src)
{
    return src->bytes_read;
}

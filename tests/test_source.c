/* Tests for lib/source.c: encoding detection, conversion to UTF-8, sequences
 * cut by block boundaries, and the line and offset in decode errors. Every
 * case is written to a temporary file and read back with several block
 * sizes (tiny ones cut every multibyte sequence somewhere); the output and
 * the error must not depend on the block size. All data is synthetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "source.h"

/* A byte string literal with its length (it may hold NUL bytes). */
#define B(s)     (s), (sizeof(s) - 1)
#define NO_ERROR (-1)

typedef enum { AT_TMPFILE, AT_MISSING, AT_DIRECTORY } Where;

typedef struct {
    const char *name;
    const char *input; /* or NULL: build() makes input and expected output */
    gsize input_len;
    void (*build)(GByteArray *input, GByteArray *expect);
    const char *encoding; /* forced, NULL detects */
    const char *expect;   /* UTF-8 handed out (before the error, if any); NULL skips */
    gsize expect_len;
    const char *label;   /* rc_source_encoding after the read, NULL skips */
    int code;            /* RcSourceError, or NO_ERROR */
    const char *message; /* substring of the error message */
    gboolean big;        /* only try large blocks */
    Where where;
} Case;

/* ---- generated inputs --------------------------------------------------- */

static void append(GByteArray *a, const char *s)
{
    g_byte_array_append(a, (const guint8 *)s, (guint)strlen(s));
}

/* About 3 MB of ASCII rows, then one row with Chinese text in INPUT_ROW
 * (raw bytes) that reads as EXPECT_ROW. */
static void late_chinese(GByteArray *in, GByteArray *expect, const char *input_row, const char *expect_row)
{
    char row[64];
    for (int i = 0; in->len < 3 * 1024 * 1024; i++) {
        g_snprintf(row, sizeof row, "B%02d,U%d,R%04d,P%07d,negative\n", i % 40, i % 6, i % 9000, i);
        append(in, row);
        append(expect, row);
    }
    append(in, input_row);
    append(expect, expect_row);
    append(in, "tail,row\n");
    append(expect, "tail,row\n");
}

static void build_late_utf8(GByteArray *in, GByteArray *expect)
{
    late_chinese(in, expect, "张三,阴性\n", "张三,阴性\n");
}

static void build_late_gbk(GByteArray *in, GByteArray *expect)
{
    late_chinese(in, expect, "\xD5\xC5\xC8\xFD,\xD2\xF5\xD0\xD4\n", "张三,阴性\n");
}

/* HEAD, ASCII filler so that SEQ starts at byte offset AT (with 4096-byte
 * reads, AT near 4096 puts SEQ across the first block boundary), then a
 * newline. */
static void straddle(GByteArray *in, GByteArray *expect, const char *head, const char *head_utf8, gsize at,
                     const char *seq, const char *seq_utf8)
{
    append(in, head);
    append(expect, head_utf8);
    while (in->len < at) {
        char c = (in->len % 50 == 49) ? '\n' : (char)('a' + in->len % 26);
        g_byte_array_append(in, (const guint8 *)&c, 1);
        g_byte_array_append(expect, (const guint8 *)&c, 1);
    }
    append(in, seq);
    append(expect, seq_utf8);
    append(in, "\n");
    append(expect, "\n");
}

static void build_utf8_straddle_1(GByteArray *in, GByteArray *e)
{
    straddle(in, e, "张", "张", 4095, "三", "三");
}

static void build_utf8_straddle_2(GByteArray *in, GByteArray *e)
{
    straddle(in, e, "张", "张", 4094, "三", "三");
}

static void build_utf8_straddle_4byte(GByteArray *in, GByteArray *e)
{
    straddle(in, e, "张", "张", 4093, "\xF0\xA0\x80\x80", "\xF0\xA0\x80\x80");
}

static void build_gbk_straddle(GByteArray *in, GByteArray *e)
{
    straddle(in, e, "\xD5\xC5", "张", 4095, "\xC8\xFD", "三");
}

static void build_gb4_straddle(GByteArray *in, GByteArray *e)
{
    straddle(in, e, "\xD5\xC5", "张", 4094, "\x95\x32\x82\x36", "\xF0\xA0\x80\x80");
}

/* The first non-ASCII byte is the last byte of the first block: detection
 * has to read on before it decides. */
static void build_detect_at_boundary(GByteArray *in, GByteArray *e)
{
    straddle(in, e, "", "", 4095, "\xD5\xC5\xC8\xFD", "张三");
}

/* UTF-16LE: BOM, ASCII, then surrogate pairs cut between their two code
 * units by the 4096-byte reads (the odd tiny blocks cut inside a unit). */
static void build_utf16_straddle(GByteArray *in, GByteArray *e)
{
    append(in, "\xFF\xFE");
    while (in->len < 4094) {
        char c = (in->len % 64 == 0) ? '\n' : 'x';
        g_byte_array_append(in, (const guint8 *)&c, 1);
        g_byte_array_append(in, (const guint8 *)"\0", 1);
        g_byte_array_append(e, (const guint8 *)&c, 1);
    }
    g_byte_array_append(in, (const guint8 *)"\x40\xD8\x00\xDC", 4);
    append(e, "\xF0\xA0\x80\x80");
    while (in->len < 8190) {
        g_byte_array_append(in, (const guint8 *)"y\0", 2);
        append(e, "y");
    }
    g_byte_array_append(in, (const guint8 *)"\x40\xD8\x00\xDC\r\0\n\0", 8);
    append(e, "\xF0\xA0\x80\x80\r\n");
}

/* CRLF with the CR ending the first 4096-byte block, then an error: the
 * CRLF must count as one line end. */
static void build_crlf_straddle_error(GByteArray *in, GByteArray *e)
{
    for (int i = 0; i < 4095; i++) {
        g_byte_array_append(in, (const guint8 *)"z", 1);
        g_byte_array_append(e, (const guint8 *)"z", 1);
    }
    append(in, "\r\nok\n\xFF");
    append(e, "\r\nok\n");
}

/* ---- the table ---------------------------------------------------------- */

static const Case cases[] = {
    {"empty file", B(""), NULL, NULL, B(""), "UTF-8", NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"pure ascii", B("id,name\r\nX1,a\n"), NULL, NULL, B("id,name\r\nX1,a\n"), "UTF-8", NO_ERROR, NULL, FALSE,
     AT_TMPFILE},
    {"utf-8 no bom", B("姓名,证件号码\n张三,X000001\n"), NULL, NULL, B("姓名,证件号码\n张三,X000001\n"),
     "UTF-8", NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"utf-8 bom", B("\xEF\xBB\xBF姓名\r\n张三\r\n"), NULL, NULL, B("姓名\r\n张三\r\n"), "UTF-8 (BOM)",
     NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"utf-8 bom only", B("\xEF\xBB\xBF"), NULL, NULL, B(""), "UTF-8 (BOM)", NO_ERROR, NULL, FALSE,
     AT_TMPFILE},
    {"utf-8 4-byte", B("a,\xF0\xA0\x80\x80\n"), NULL, NULL, B("a,\xF0\xA0\x80\x80\n"), "UTF-8", NO_ERROR,
     NULL, FALSE, AT_TMPFILE},
    {"utf-16le bom crlf",
     B("\xFF\xFE"
       "a\0,\0\r\0\n\0\x20\x5F\x09\x4E\r\0\n\0"),
     NULL, NULL, B("a,\r\n张三\r\n"), "UTF-16LE (BOM)", NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"utf-16be bom crlf",
     B("\xFE\xFF"
       "\0a\0,\0\r\0\n\x5F\x20\x4E\x09\0\r\0\n"),
     NULL, NULL, B("a,\r\n张三\r\n"), "UTF-16BE (BOM)", NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"utf-16le surrogate pair", B("\xFF\xFE\x40\xD8\x00\xDC"), NULL, NULL, B("\xF0\xA0\x80\x80"),
     "UTF-16LE (BOM)", NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"gbk", B("name\n\xD5\xC5\xC8\xFD,\xD2\xF5\xD0\xD4\n"), NULL, NULL, B("name\n张三,阴性\n"), "GB18030",
     NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"gbk ascii trail byte", B("\xD5\xC5\x81\x40,x\n"), NULL, NULL, B("张丂,x\n"), "GB18030", NO_ERROR, NULL,
     FALSE, AT_TMPFILE},
    {"gb18030 4-byte first", B("\x95\x32\x82\x36,\xA8\xA6\n"), NULL, NULL, B("\xF0\xA0\x80\x80,é\n"),
     "GB18030", NO_ERROR, NULL, FALSE, AT_TMPFILE},
    /* 0xD0 0xA1 alone is valid UTF-8; the window after it is not. */
    {"gbk that starts like utf-8", B("\xD0\xA1\xCD\xF5\n"), NULL, NULL, B("小王\n"), "GB18030", NO_ERROR,
     NULL, FALSE, AT_TMPFILE},
    {"forced gbk", B("\xD5\xC5\xC8\xFD"), NULL, "gbk", B("张三"), "GBK", NO_ERROR, NULL, FALSE, AT_TMPFILE},
    {"forced latin1", B("caf\xE9\n"), NULL, "latin1", B("café\n"), "LATIN1", NO_ERROR, NULL, FALSE,
     AT_TMPFILE},
    {"forced utf-8 drops bom", B("\xEF\xBB\xBFid\n"), NULL, "utf-8", B("id\n"), "UTF-8", NO_ERROR, NULL,
     FALSE, AT_TMPFILE},
    {"forced utf-16le drops bom", B("\xFF\xFEi\0d\0"), NULL, "utf-16le", B("id"), "UTF-16LE", NO_ERROR, NULL,
     FALSE, AT_TMPFILE},
    {"forced auto detects", B("\xD5\xC5"), NULL, "auto", B("张"), "GB18030", NO_ERROR, NULL, FALSE,
     AT_TMPFILE},

    /* Late Chinese: the first megabytes are ASCII. */
    {"late chinese utf-8", NULL, 0, build_late_utf8, NULL, NULL, 0, "UTF-8", NO_ERROR, NULL, TRUE,
     AT_TMPFILE},
    {"late chinese gbk", NULL, 0, build_late_gbk, NULL, NULL, 0, "GB18030", NO_ERROR, NULL, TRUE, AT_TMPFILE},

    /* Sequences across the 4096-byte boundary (and every boundary of the tiny blocks). */
    {"utf-8 across boundary 1+2", NULL, 0, build_utf8_straddle_1, NULL, NULL, 0, "UTF-8", NO_ERROR, NULL,
     FALSE, AT_TMPFILE},
    {"utf-8 across boundary 2+1", NULL, 0, build_utf8_straddle_2, NULL, NULL, 0, "UTF-8", NO_ERROR, NULL,
     FALSE, AT_TMPFILE},
    {"utf-8 4-byte across boundary", NULL, 0, build_utf8_straddle_4byte, NULL, NULL, 0, "UTF-8", NO_ERROR,
     NULL, FALSE, AT_TMPFILE},
    {"gbk across boundary", NULL, 0, build_gbk_straddle, NULL, NULL, 0, "GB18030", NO_ERROR, NULL, FALSE,
     AT_TMPFILE},
    {"gb18030 4-byte across boundary", NULL, 0, build_gb4_straddle, NULL, NULL, 0, "GB18030", NO_ERROR, NULL,
     FALSE, AT_TMPFILE},
    {"detection at boundary", NULL, 0, build_detect_at_boundary, NULL, NULL, 0, "GB18030", NO_ERROR, NULL,
     FALSE, AT_TMPFILE},
    {"utf-16le across boundary", NULL, 0, build_utf16_straddle, NULL, NULL, 0, "UTF-16LE (BOM)", NO_ERROR,
     NULL, FALSE, AT_TMPFILE},

    /* Decode errors: line is the physical line, offset counts from the file's first byte. */
    {"forced utf-8 invalid", B("a\nb\r\nc\rd\xFF"), NULL, "utf-8", B("a\nb\r\nc\rd"), NULL,
     RC_SOURCE_ERROR_DECODE, ":4: invalid UTF-8 bytes (0xFF) at byte offset 8", FALSE, AT_TMPFILE},
    {"bare cr and crlf lines", B("a\rb\r\r\nc\n\xC0"), NULL, "utf-8", B("a\rb\r\r\nc\n"), NULL,
     RC_SOURCE_ERROR_DECODE, ":5: invalid UTF-8 bytes (0xC0) at byte offset 8", FALSE, AT_TMPFILE},
    {"crlf across boundary error", NULL, 0, build_crlf_straddle_error, "utf-8", NULL, 0, NULL,
     RC_SOURCE_ERROR_DECODE, ":3: invalid UTF-8 bytes (0xFF) at byte offset 4100", FALSE, AT_TMPFILE},
    {"utf-8 overlong", B("\xC0\xAF"), NULL, "utf-8", B(""), NULL, RC_SOURCE_ERROR_DECODE,
     ":1: invalid UTF-8 bytes (0xC0) at byte offset 0", FALSE, AT_TMPFILE},
    {"utf-8 surrogate", B("x\xED\xA0\x80"), NULL, "utf-8", B("x"), NULL, RC_SOURCE_ERROR_DECODE,
     "invalid UTF-8 bytes (0xED 0xA0) at byte offset 1", FALSE, AT_TMPFILE},
    /* 16 valid characters, then a fault: a damaged UTF-8 file. */
    {"utf-8 bad after detection", B("姓名,证件号码,楼号,单元,室号,状态\n张三\nx\xE5\x41\n"), NULL, NULL,
     B("姓名,证件号码,楼号,单元,室号,状态\n张三\nx"), "UTF-8", RC_SOURCE_ERROR_DECODE,
     ":3: invalid UTF-8 bytes (0xE5 0x41) at byte offset 56", FALSE, AT_TMPFILE},
    /* A fault right after the first character: not UTF-8, so GB18030. */
    {"short utf-8 then fault", B("张\nx\xE5\x41\n"), NULL, NULL, B("\xE5\xAF\xAE"), "GB18030",
     RC_SOURCE_ERROR_DECODE, ":1: invalid GB18030 bytes (0xA0 0x0A) at byte offset 2", FALSE, AT_TMPFILE},
    {"utf-8 bom then invalid",
     B("\xEF\xBB\xBF"
       "a\xFF"),
     NULL, NULL, B("a"), "UTF-8 (BOM)", RC_SOURCE_ERROR_DECODE,
     ":1: invalid UTF-8 bytes (0xFF) at byte offset 4", FALSE, AT_TMPFILE},
    {"utf-8 cut at eof", B("姓名,证件号码,楼号,单元,室号,状态\n张三\n\xE4\xB8"), NULL, NULL,
     B("姓名,证件号码,楼号,单元,室号,状态\n张三\n"), "UTF-8", RC_SOURCE_ERROR_DECODE,
     ":3: truncated UTF-8 sequence (0xE4 0xB8) at end of file, byte offset 55", FALSE, AT_TMPFILE},
    {"gbk invalid", B("\xD5\xC5\xC8\xFD\r\n\xFF\x41"), NULL, NULL, B("张三\r\n"), "GB18030",
     RC_SOURCE_ERROR_DECODE, ":2: invalid GB18030 bytes (0xFF 0x41) at byte offset 6", FALSE, AT_TMPFILE},
    {"gb18030 cut at eof", B("ab\xD5\xC5\xC8"), NULL, NULL, B("ab张"), "GB18030", RC_SOURCE_ERROR_DECODE,
     ":1: truncated GB18030 sequence (0xC8) at end of file, byte offset 4", FALSE, AT_TMPFILE},
    {"gb18030 4-byte cut at eof", B("x\n\x95\x32\x82"), NULL, NULL, B("x\n"), "GB18030",
     RC_SOURCE_ERROR_DECODE, ":2: truncated GB18030 sequence (0x95 0x32 0x82) at end of file, byte offset 2",
     FALSE, AT_TMPFILE},
    {"forced gbk invalid", B("a\n\xFF"), NULL, "gbk", B("a\n"), "GBK", RC_SOURCE_ERROR_DECODE,
     ":2: invalid GBK bytes (0xFF) at byte offset 2", FALSE, AT_TMPFILE},
    {"utf-16le odd length",
     B("\xFF\xFE"
       "a\0\n\0\x42"),
     NULL, NULL, B("a\n"), "UTF-16LE (BOM)", RC_SOURCE_ERROR_DECODE,
     ":2: truncated UTF-16LE sequence (0x42) at end of file, byte offset 6", FALSE, AT_TMPFILE},
    {"utf-16le lone surrogate",
     B("\xFF\xFE"
       "a\0\r\0\n\0b\0\r\0c\0\x00\xDC"),
     NULL, NULL, B("a\r\nb\rc"), "UTF-16LE (BOM)", RC_SOURCE_ERROR_DECODE,
     ":3: invalid UTF-16LE bytes (0x00 0xDC) at byte offset 14", FALSE, AT_TMPFILE},
    {"utf-16be odd length", B("\xFE\xFF\0a\0"), NULL, NULL, B("a"), "UTF-16BE (BOM)", RC_SOURCE_ERROR_DECODE,
     "truncated UTF-16BE sequence (0x00) at end of file, byte offset 4", FALSE, AT_TMPFILE},

    /* Errors at open. */
    {"unknown encoding", B("x"), NULL, "no-such-encoding", NULL, 0, NULL, RC_SOURCE_ERROR_ENCODING,
     "unknown encoding 'no-such-encoding'", FALSE, AT_TMPFILE},
    {"missing file", NULL, 0, NULL, NULL, NULL, 0, NULL, RC_SOURCE_ERROR_OPEN, ": No such file or directory",
     FALSE, AT_MISSING},
    {"directory", NULL, 0, NULL, NULL, NULL, 0, NULL, RC_SOURCE_ERROR_OPEN, ": is a directory", FALSE,
     AT_DIRECTORY},
};

/* Replaces PATH with a new file holding (DATA, LEN). Not
 * g_file_set_contents(), which syncs, nor O_TRUNC, after which ext4 flushes
 * on close: thousands of rounds would wait on the disk. */
static void write_file(const char *path, const void *data, gsize len)
{
    g_unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    assert_true(len == 0 || write(fd, data, len) == (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

/* ---- the walker --------------------------------------------------------- */

static const gsize small_blocks[] = {0, 1, 2, 3, 5, 7, 4096};
static const gsize big_blocks[] = {0, 4096, 65537};

/* Valid UTF-8 that does not end inside a sequence; U+0000 is allowed (UTF-16
 * can say it), which g_utf8_validate() does not. */
static gboolean whole_utf8(const char *p, gsize n)
{
    const char *end = p + n;
    while (p < end) {
        const char *nul = memchr(p, '\0', (gsize)(end - p));
        const char *stop = nul ? nul : end;
        if (!g_utf8_validate(p, stop - p, NULL))
            return FALSE;
        p = nul ? nul + 1 : end;
    }
    return TRUE;
}

/* Reads SRC to the end or an error; every block must be complete UTF-8. */
static gboolean read_all(RcSource *src, GByteArray *out, GError **error, const char *what)
{
    const char *data;
    gsize len;
    for (;;) {
        if (!rc_source_read(src, &data, &len, error))
            return FALSE;
        if (len == 0)
            return TRUE;
        if (!whole_utf8(data, len))
            fail_msg("%s: a block is not whole UTF-8", what);
        g_byte_array_append(out, (const guint8 *)data, (guint)len);
    }
}

static void run_case(const Case *c, gsize block, const char *path, const GByteArray *input,
                     const GByteArray *expect)
{
    g_autofree char *what = g_strdup_printf("case '%s', block %zu", c->name, block);
    g_autoptr(GError) error = NULL;
    g_autoptr(GByteArray) out = g_byte_array_new();

    rc_source_set_block_size(block);
    g_autoptr(RcSource) src = rc_source_open(path, c->encoding, &error);
    rc_source_set_block_size(0);
    if (src == NULL) {
        if (error == NULL)
            fail_msg("%s: open returned NULL without an error", what);
        if (c->code == NO_ERROR || error->code != c->code)
            fail_msg("%s: open failed: %s (code %d)", what, error->message, error->code);
    } else {
        if (c->code == RC_SOURCE_ERROR_OPEN || c->code == RC_SOURCE_ERROR_ENCODING)
            fail_msg("%s: open succeeded, expected error code %d", what, c->code);
        gboolean ok = read_all(src, out, &error, what);
        if (ok && c->code != NO_ERROR)
            fail_msg("%s: read succeeded, expected error '%s'", what, c->message);
        if (!ok && (c->code == NO_ERROR || error->code != c->code))
            fail_msg("%s: read failed: %s", what, error->message);
        if (expect != NULL &&
            (out->len != expect->len || (out->len > 0 && memcmp(out->data, expect->data, out->len) != 0)))
            fail_msg("%s: output differs (%u bytes, expected %u)", what, out->len, expect->len);
        if (c->label != NULL && strcmp(rc_source_encoding(src), c->label) != 0)
            fail_msg("%s: encoding '%s', expected '%s'", what, rc_source_encoding(src), c->label);
        if (strcmp(rc_source_name(src), path) != 0)
            fail_msg("%s: name '%s'", what, rc_source_name(src));
        if (rc_source_encoding_forced(src) != (c->encoding != NULL && strcmp(c->encoding, "auto") != 0))
            fail_msg("%s: forced flag wrong", what);
        if (ok && rc_source_bytes_read(src) != input->len)
            fail_msg("%s: %" G_GUINT64_FORMAT " bytes read, expected %u", what, rc_source_bytes_read(src),
                     input->len);
        /* Finished: further reads hand out nothing. */
        const char *data = NULL;
        gsize len = 1;
        g_autoptr(GError) again = NULL;
        if (!rc_source_read(src, &data, &len, &again) || len != 0)
            fail_msg("%s: read after the end handed out more", what);
    }
    if (c->code != NO_ERROR) {
        if (!g_str_has_prefix(error->message, path))
            fail_msg("%s: message does not start with the name: %s", what, error->message);
        if (strstr(error->message, c->message) == NULL)
            fail_msg("%s: message '%s' lacks '%s'", what, error->message, c->message);
    }
}

static void test_cases(void **state)
{
    (void)state;
    g_autofree char *dir = g_dir_make_tmp("test_source_XXXXXX", NULL);
    assert_non_null(dir);

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const Case *c = &cases[i];
        g_autoptr(GByteArray) input = g_byte_array_new();
        g_autoptr(GByteArray) expect = NULL;
        g_autofree char *path = NULL;

        if (c->build != NULL) {
            expect = g_byte_array_new();
            c->build(input, expect);
        } else {
            if (c->input != NULL)
                g_byte_array_append(input, (const guint8 *)c->input, (guint)c->input_len);
            if (c->expect != NULL) {
                expect = g_byte_array_new();
                g_byte_array_append(expect, (const guint8 *)c->expect, (guint)c->expect_len);
            }
        }

        switch (c->where) {
        case AT_TMPFILE: {
            g_autoptr(GError) error = NULL;
            int fd = g_file_open_tmp("test_source_XXXXXX.csv", &path, &error);
            assert_true(fd >= 0);
            close(fd);
            write_file(path, input->data, input->len);
            break;
        }
        case AT_MISSING:
            path = g_build_filename(dir, "no-such-file.csv", NULL);
            break;
        case AT_DIRECTORY:
            path = g_strdup(dir);
            break;
        }

        const gsize *blocks = c->big ? big_blocks : small_blocks;
        gsize nblocks = c->big ? G_N_ELEMENTS(big_blocks) : G_N_ELEMENTS(small_blocks);
        for (gsize b = 0; b < nblocks; b++)
            run_case(c, blocks[b], path, input, expect);

        if (c->where == AT_TMPFILE)
            g_unlink(path);
    }
    g_rmdir(dir);
}

/* Physical lines in UTF-8 text so far, as source.h counts them, plus one. */
static guint64 line_of(const char *p, gsize n)
{
    guint64 line = 1;
    for (gsize i = 0; i < n; i++)
        if (p[i] == '\r' || (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')))
            line++;
    return line;
}

/* Random text in ENCODING, some of it damaged, read with random block sizes
 * and compared with g_convert() over the whole input: the same text, and on
 * bad input an error at the same byte offset and line. */
static void test_random(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a",
        "id",
        ",",
        "\n",
        "\r\n",
        "\r",
        " ",
        "0",
        "张",
        "三",
        "阴性",
        "楼",
        "é",
        "·",
        "\xF0\xA0\x80\x80",
        "\xE2\x82\xAC",
        "X000001",
    };
    static const char *const encodings[] = {"utf-8", "gb18030", "utf-16le", "utf-16be"};
    g_autoptr(GRand) rand = g_rand_new_with_seed(20220410);
    g_autofree char *path = NULL;
    g_autoptr(GError) tmp_error = NULL;
    int fd = g_file_open_tmp("test_source_XXXXXX.csv", &path, &tmp_error);
    assert_true(fd >= 0);
    close(fd);

    for (int round = 0; round < 2000; round++) {
        const char *enc = encodings[round % G_N_ELEMENTS(encodings)];
        g_autoptr(GString) text = g_string_new(NULL);
        gint pieces_n = g_rand_int_range(rand, 0, 60);
        for (gint k = 0; k < pieces_n; k++)
            g_string_append(text, pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))]);
        gsize raw_len = 0;
        g_autofree char *raw = g_convert(text->str, (gssize)text->len, enc, "UTF-8", NULL, &raw_len, NULL);
        assert_non_null(raw);
        /* Damage: flip, drop or cut bytes in half the rounds. */
        if (raw_len > 0 && g_rand_boolean(rand)) {
            gsize at = (gsize)g_rand_int_range(rand, 0, (gint32)raw_len);
            switch (g_rand_int_range(rand, 0, 3)) {
            case 0:
                raw[at] = (char)g_rand_int_range(rand, 0x80, 0x100);
                break;
            case 1:
                memmove(raw + at, raw + at + 1, raw_len - at - 1);
                raw_len--;
                break;
            default:
                raw_len = at;
                break;
            }
        }

        g_autoptr(GError) ref_error = NULL;
        gsize ref_read = 0, ref_len = 0;
        gboolean truncated = FALSE; /* meaningful for the iconv encodings */
        g_autofree char *ref = NULL;
        if (strcmp(enc, "utf-8") == 0) {
            const char *end = NULL;
            if (g_utf8_validate(raw, (gssize)raw_len, &end))
                ref = g_strndup(raw, raw_len), ref_len = raw_len;
            ref_read = (gsize)(end - raw);
        } else {
            ref = g_convert(raw, (gssize)raw_len, "UTF-8", enc, &ref_read, &ref_len, &ref_error);
            /* With bytes_read given, g_convert accepts a cut last character. */
            if (ref != NULL && ref_read < raw_len) {
                g_clear_pointer(&ref, g_free);
                truncated = TRUE;
            }
        }
        write_file(path, raw, raw_len);

        gsize block = (gsize)g_rand_int_range(rand, 1, 12);
        rc_source_set_block_size(block);
        g_autoptr(GError) error = NULL;
        g_autoptr(RcSource) src = rc_source_open(path, enc, &error);
        rc_source_set_block_size(0);
        assert_non_null(src);
        g_autoptr(GByteArray) out = g_byte_array_new();
        gboolean ok = read_all(src, out, &error, enc);
        if (ok != (ref != NULL))
            fail_msg("round %d (%s, block %zu): source %s, g_convert %s", round, enc, block,
                     ok ? "read it" : error->message, ref ? "read it" : "failed");
        if (ok) {
            if (out->len != ref_len || (ref_len > 0 && memcmp(out->data, ref, ref_len) != 0))
                fail_msg("round %d (%s, block %zu): output differs", round, enc, block);
            continue;
        }
        /* The same offset, and the line of the text before it. */
        g_autofree char *before = NULL;
        gsize before_len = 0;
        if (strcmp(enc, "utf-8") == 0)
            before = g_strndup(raw, ref_read), before_len = ref_read;
        else
            before = g_convert(raw, (gssize)ref_read, "UTF-8", enc, NULL, &before_len, NULL);
        assert_non_null(before);
        g_autofree char *want = g_strdup_printf(":%" G_GUINT64_FORMAT ": ", line_of(before, before_len));
        g_autofree char *want_offset = g_strdup_printf("byte offset %zu", ref_read);
        if (strstr(error->message, want) == NULL || strstr(error->message, want_offset) == NULL)
            fail_msg("round %d (%s, block %zu): '%s' lacks '%s' or '%s'", round, enc, block, error->message,
                     want, want_offset);
        if (strcmp(enc, "utf-8") != 0 && truncated != (strstr(error->message, "truncated") != NULL))
            fail_msg("round %d (%s, block %zu): '%s' should%s say truncated", round, enc, block,
                     error->message, truncated ? "" : " not");
        if (out->len != before_len || (before_len > 0 && memcmp(out->data, before, before_len) != 0))
            fail_msg("round %d (%s, block %zu): text before the error differs", round, enc, block);
    }
    g_unlink(path);
}

/* "-" reads standard input, named "<stdin>" in messages. */
static void test_stdin(void **state)
{
    (void)state;
    g_autofree char *path = NULL;
    g_autoptr(GError) error = NULL;
    int fd = g_file_open_tmp("test_source_XXXXXX.csv", &path, &error);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, "\xD5\xC5\n\xFF", 4);

    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    int in = open(path, O_RDONLY);
    assert_true(in >= 0);
    assert_true(dup2(in, STDIN_FILENO) == STDIN_FILENO);
    close(in);

    g_autoptr(GByteArray) out = g_byte_array_new();
    RcSource *src = rc_source_open("-", NULL, &error);
    assert_non_null(src);
    assert_string_equal(rc_source_name(src), "<stdin>");
    assert_false(read_all(src, out, &error, "stdin"));
    assert_int_equal(error->code, RC_SOURCE_ERROR_DECODE);
    assert_string_equal(error->message, "<stdin>:2: invalid GB18030 bytes (0xFF) at byte offset 3");
    assert_string_equal(rc_source_encoding(src), "GB18030");
    assert_int_equal(out->len, 4);
    assert_memory_equal(out->data, "张\n", 4);
    rc_source_free(src);

    /* Standard input is not closed by rc_source_free. */
    assert_true(fcntl(STDIN_FILENO, F_GETFD) >= 0);
    assert_true(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
    close(saved);
    g_unlink(path);
}

static void test_free_null(void **state)
{
    (void)state;
    rc_source_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_norm: lib/norm case by case (DESIGN.md section 2). Every id here is
 * synthetic: area codes 110101 / 310104, made-up birth dates and sequence
 * numbers, check digits computed (and re-checked below by an independent
 * MOD 11-2 implementation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "norm.h"
#include "window.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- ids ---- */

typedef struct {
    const char *in;
    const char *want; /* "" : no usable id */
    guint flags;
} IdCase;

static const IdCase id_cases[] = {
    /* valid 18-digit ids */
    {"110101198001010010", "110101198001010010", 0},
    {"110101198001010029", "110101198001010029", 0},
    {"310104198001011239", "310104198001011239", 0},
    {"310104198001014560", "310104198001014560", 0},
    /* check character X, upper and lower case */
    {"11010119800101007X", "11010119800101007X", 0},
    {"11010119800101007x", "11010119800101007X", 0},
    {"31010419900101109X", "31010419900101109X", 0},
    /* wrong check digit: flagged, kept */
    {"110101198001010011", "110101198001010011", RC_ID_CHECKSUM},
    {"110101198001010020", "110101198001010020", RC_ID_CHECKSUM},
    {"11010119800101001X", "11010119800101001X", RC_ID_CHECKSUM},
    /* spaces of every kind, '-', a leading quote, a trailing .0 */
    {" 110101 19800101 0010 ", "110101198001010010", 0},
    {"110101\t19800101\t0010", "110101198001010010", 0},
    {"110101-1980-0101-0010", "110101198001010010", 0},
    {"110101\u00A019800101\u00A00010", "110101198001010010", 0},
    {"110101\u300019800101\u30000010", "110101198001010010", 0},
    {"110101\u200B198001010010", "110101198001010010", 0},
    {"110101\u200C198001010010", "110101198001010010", 0},
    {"110101\u200D198001010010", "110101198001010010", 0},
    {"\uFEFF110101198001010010", "110101198001010010", 0},
    {"110101198001010010\u2060", "110101198001010010", 0},
    {"'110101198001010010", "110101198001010010", 0},
    {"110101198001010010.0", "110101198001010010", 0},
    {"110101198001010010.00", "110101198001010010", 0},
    /* full-width digits, X and '-' (NFKC) */
    {"１１０１０１１９８００１０１００１０", "110101198001010010", 0},
    {"１１０１０１１９８００１０１００７Ｘ", "11010119800101007X", 0},
    {"１１０１０１－１９８００１０１－００１０", "110101198001010010", 0},
    /* 15 digits upgraded: insert 19, append the check digit */
    {"310104770717015", "310104197707170157", RC_ID_15},
    {"310104770717015.0", "310104197707170157", RC_ID_15},
    {"'310104770717015", "310104197707170157", RC_ID_15},
    {"３１０１０４７７０７１７０１５", "310104197707170157", RC_ID_15},
    /* impossible birth date (month 13): upgraded all the same, nothing else */
    {"310104771317015", "310104197713170153", RC_ID_15},
    /* spreadsheet scientific notation: no usable id */
    {"3.10101E+17", "", RC_ID_MANGLED},
    {"3.1e17", "", RC_ID_MANGLED},
    {"3,10101E+17", "", RC_ID_MANGLED},
    {"3.10101E17", "", RC_ID_MANGLED},
    {" 3.10101E+17 ", "", RC_ID_MANGLED},
    {"３．１０１０１Ｅ＋１７", "", RC_ID_MANGLED},
    /* other documents: letters and digits */
    {"E12345678", "E12345678", RC_ID_OTHER},
    {"e12345678", "E12345678", RC_ID_OTHER},
    {"H12345678", "H12345678", RC_ID_OTHER},
    {"A123456(7)", "A1234567", RC_ID_OTHER},
    {"M-1234567-8", "M12345678", RC_ID_OTHER},
    {"护照E12345678", "E12345678", RC_ID_OTHER},
    {"11010119800101001", "11010119800101001", RC_ID_OTHER},   /* 17 digits */
    {"1101011980010100", "1101011980010100", RC_ID_OTHER},     /* 16 digits */
    {"11010119800101001Y", "11010119800101001Y", RC_ID_OTHER}, /* not X */
    /* masked */
    {"310***********1234", "310***********1234", RC_ID_MASKED},
    {"310＊＊＊＊＊＊＊＊＊＊＊1234", "310***********1234", RC_ID_MASKED},
    {"310104********123x", "310104********123X", RC_ID_MASKED},
    /* nothing */
    {"", "", 0},
    {"   ", "", 0},
    {"\u3000\u00A0\u200B", "", 0},
    {"无", "", 0},
    {"'", "", 0},
};

static void test_id(void **state)
{
    (void)state;
    char out[RC_NORM_CAP];
    for (gsize i = 0; i < N_ELEMENTS(id_cases); i++) {
        const IdCase *c = &id_cases[i];
        guint flags = 0xdead;
        memset(out, 'Z', sizeof out);
        gsize n = rc_norm_id(c->in, strlen(c->in), out, sizeof out, &flags);
        if (strcmp(out, c->want) != 0 || n != strlen(c->want) || flags != c->flags)
            fail_msg("id case %zu '%s': got '%s' (len %zu, flags 0x%x), want '%s' (flags 0x%x)", i, c->in,
                     out, n, flags, c->want, c->flags);
    }
}

/* ISO 7064 MOD 11-2 the recursive way (not the weight table lib/norm uses). */
static char ref_check_char(const char *d17)
{
    int p = 0;
    for (int i = 0; i < 17; i++)
        p = ((p + (d17[i] - '0')) * 2) % 11;
    int check = (12 - p) % 11;
    return check == 10 ? 'X' : (char)('0' + check);
}

static void test_id_check_char(void **state)
{
    (void)state;
    GRand *r = g_rand_new_with_seed(11643);
    int x_seen = 0;
    for (int k = 0; k < 20000; k++) {
        char d[18];
        for (int i = 0; i < 17; i++)
            d[i] = (char)('0' + g_rand_int_range(r, 0, 10));
        d[17] = '\0';
        char want = ref_check_char(d);
        assert_int_equal(rc_norm_id_check_char(d), want);
        x_seen += want == 'X';
        /* the full id with its own check character passes; any other fails */
        char id[19];
        memcpy(id, d, 17);
        id[17] = want;
        char out[RC_NORM_CAP];
        guint flags;
        assert_int_equal(rc_norm_id(id, 18, out, sizeof out, &flags), 18);
        assert_int_equal(flags, 0);
        id[17] = want == '0' ? '1' : '0';
        rc_norm_id(id, 18, out, sizeof out, &flags);
        assert_int_equal(flags, RC_ID_CHECKSUM);
    }
    g_rand_free(r);
    assert_true(x_seen > 0);
    /* the synthetic ids used above */
    assert_int_equal(rc_norm_id_check_char("11010119800101001"), '0');
    assert_int_equal(rc_norm_id_check_char("11010119800101007"), 'X');
    assert_int_equal(rc_norm_id_check_char("31010419770717015"), '7');
    assert_int_equal(rc_norm_id_check_char("31010419771317015"), '3');
    /* not 17 digits */
    assert_int_equal(rc_norm_id_check_char("1101011980010100"), '\0');
    assert_int_equal(rc_norm_id_check_char("1101011980010100A"), '\0');
}

static void test_id_buffers(void **state)
{
    (void)state;
    char out[RC_NORM_CAP];
    guint flags;
    /* longer than the buffer: no usable id */
    char longid[400];
    memset(longid, '7', sizeof longid);
    assert_int_equal(rc_norm_id(longid, sizeof longid, out, sizeof out, &flags), 0);
    assert_string_equal(out, "");
    assert_int_equal(flags, RC_ID_TOO_LONG);
    assert_int_equal(rc_norm_id("110101198001010010", 18, out, 10, &flags), 0);
    assert_int_equal(flags, RC_ID_TOO_LONG);
    /* exactly fits */
    assert_int_equal(rc_norm_id("110101198001010010", 18, out, 19, &flags), 18);
    assert_int_equal(flags, 0);
    /* 15 digits fit in 16 bytes, their upgrade does not */
    assert_int_equal(rc_norm_id("310104770717015", 15, out, 16, &flags), 0);
    assert_int_equal(flags, RC_ID_TOO_LONG);
    assert_int_equal(rc_norm_id("310104770717015", 15, out, 19, &flags), 18);
    assert_string_equal(out, "310104197707170157");
    /* not NUL-terminated: only LEN bytes are read */
    assert_int_equal(rc_norm_id("110101198001010010999", 18, out, sizeof out, &flags), 18);
    assert_string_equal(out, "110101198001010010");
    /* NULL flags, zero capacity */
    assert_int_equal(rc_norm_id("E12345678", 9, out, sizeof out, NULL), 9);
    assert_int_equal(rc_norm_id("E12345678", 9, out, 0, &flags), 0);
    /* invalid UTF-8 does not upset it */
    assert_int_equal(rc_norm_id("1101011980\xFF"
                                "01010010",
                                19, out, sizeof out, &flags),
                     18);
    assert_string_equal(out, "110101198001010010");
}

/* ---- names ---- */

typedef struct {
    const char *in;
    const char *want;
} StrCase;

static const StrCase name_cases[] = {
    {"张三", "张三"},
    {" 张三 ", "张三"},
    {"张 三", "张三"},
    {"张\t三", "张三"},
    {"张\u3000三", "张三"},
    {"张\u00A0三", "张三"},
    {"张\u200B三", "张三"},
    {"张\u200C三", "张三"},
    {"张\u200D三", "张三"},
    {"张\uFEFF三", "张三"},
    {"张\u2060三", "张三"},
    /* every middle-dot look-alike */
    {"阿卜杜拉·买买提", "阿卜杜拉·买买提"},      /* U+00B7 */
    {"阿卜杜拉\u2022买买提", "阿卜杜拉·买买提"}, /* • */
    {"阿卜杜拉\u2027买买提", "阿卜杜拉·买买提"}, /* ‧ */
    {"阿卜杜拉\u30FB买买提", "阿卜杜拉·买买提"}, /* ・ */
    {"阿卜杜拉\uFF0E买买提", "阿卜杜拉·买买提"}, /* ． */
    {"阿卜杜拉\uFF65买买提", "阿卜杜拉·买买提"}, /* ･ */
    {"阿卜杜拉.买买提", "阿卜杜拉·买买提"},      /* '.' between CJK */
    {"阿卜杜拉 . 买买提", "阿卜杜拉·买买提"},
    {"阿卜杜拉 · 买买提", "阿卜杜拉·买买提"},
    {"阿卜杜拉\u2219买买提", "阿卜杜拉·买买提"},
    {"阿卜杜拉\u22C5买买提", "阿卜杜拉·买买提"},
    {"阿卜杜拉\u0387买买提", "阿卜杜拉·买买提"}, /* Greek ano teleia: NFKC */
    /* slow path (U+2161 needs g_utf8_normalize) with U+FF0E and U+FF65 */
    {"阿卜杜拉\uFF0E买买提\u2161", "阿卜杜拉·买买提ii"},
    {"阿卜杜拉\uFF65买买提\u2161", "阿卜杜拉·买买提ii"},
    /* '.' not between CJK stays */
    {"张三.", "张三."},
    {".张三", ".张三"},
    {"张三.A", "张三.a"},
    /* other names: single spaces, case-folded */
    {"Zhang San", "zhang san"},
    {"  ZHANG   San  ", "zhang san"},
    {"Zhang\tSan", "zhang san"},
    {"Zhang\u3000San", "zhang san"},
    {"Zhang\u00A0\u00A0San", "zhang san"},
    {"Zhang\u200BSan", "zhangsan"},
    {"ＺＨＡＮＧ\u3000ＳＡＮ", "zhang san"},
    {"J. Smith", "j. smith"},
    {"Ｊ．Ｓｍｉｔｈ", "j·smith"},
    {"John·Smith", "john·smith"},
    {"José Müller", "josé müller"},
    {"Jose\u0301", "josé"},
    {"Straße", "strasse"},
    {"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
    /* CJK with Latin letters, radicals, kana, hangul */
    {"张三A", "张三a"},
    {"\u2F00二", "一二"},
    {"山田 さくら", "山田さくら"},
    {"김 민수", "김민수"},
    /* nothing */
    {"", ""},
    {"   ", ""},
    {"\u3000\u00A0 \t", ""},
    {"\u200B\uFEFF", ""},
};

static void test_name(void **state)
{
    (void)state;
    char out[RC_NORM_CAP];
    for (gsize i = 0; i < N_ELEMENTS(name_cases); i++) {
        const StrCase *c = &name_cases[i];
        gsize n = rc_norm_name(c->in, strlen(c->in), out, sizeof out);
        if (strcmp(out, c->want) != 0 || n != strlen(c->want))
            fail_msg("name case %zu '%s': got '%s' (len %zu), want '%s'", i, c->in, out, n, c->want);
    }
}

static void test_name_buffers(void **state)
{
    (void)state;
    char out[16];
    /* cut at a character boundary */
    assert_int_equal(rc_norm_name("张三李", strlen("张三李"), out, 5), 3);
    assert_string_equal(out, "张");
    assert_int_equal(rc_norm_name("张三李", strlen("张三李"), out, 7), 6);
    assert_string_equal(out, "张三");
    assert_int_equal(rc_norm_name("abc def", 7, out, 4), 3);
    assert_string_equal(out, "abc");
    assert_int_equal(rc_norm_name("MÜLLER", strlen("MÜLLER"), out, 4), 3);
    assert_string_equal(out, "mü");
    assert_int_equal(rc_norm_name("abc", 3, out, 1), 0);
    assert_string_equal(out, "");
    assert_int_equal(rc_norm_name("abc", 3, out, 0), 0);
    /* not NUL-terminated */
    assert_int_equal(rc_norm_name("张三李", 6, out, sizeof out), 6);
    assert_string_equal(out, "张三");
}

/* DESIGN.md section 2: an 18-digit id stored as a number keeps its known
 * digits as a masked id; "" when the cell is no such number. */
static const StrCase sci_cases[] = {
    {"3.10104197907128E+17", "310104197907128***"},
    {"3.10104E+17", "310104************"},
    {"3.1010419790712E+17", "31010419790712****"},
    {"3,10104197907128E+17", "310104197907128***"},
    {"'3.10104197907128E+17", "310104197907128***"},
    {"3.10104197907128e+17", "310104197907128***"},
    {"3.10104197907128E17", "310104197907128***"},
    {"3.10104197907128E+16", ""}, /* 17 digits: no id */
    {"3.10104197907128E+177", ""},
    {"310104197907128", ""},
    {"0.1E+17", ""},
    {"3.1x0104E+17", ""},
    {"", ""},
};

static void test_id_sci_mask(void **state)
{
    (void)state;
    char out[RC_NORM_CAP];
    for (gsize i = 0; i < N_ELEMENTS(sci_cases); i++) {
        const StrCase *c = &sci_cases[i];
        out[0] = '\0';
        gsize n = rc_norm_id_sci_mask(c->in, strlen(c->in), out, sizeof out);
        if (n != strlen(c->want) || (n && strcmp(out, c->want) != 0))
            fail_msg("sci case %zu '%s': got '%s' (%zu), want '%s'", i, c->in, n ? out : "", n, c->want);
    }
}

/* ---- phones ---- */

static const StrCase phone_cases[] = {
    {"13812345678", "13812345678"},
    {"138-1234-5678", "13812345678"},
    {"138 1234 5678", "13812345678"},
    {"(021) 6123-4567", "02161234567"},
    {"+86 138 1234 5678", "13812345678"},
    {"+8613812345678", "13812345678"},
    {"8613812345678", "13812345678"},
    {"008613812345678", "13812345678"},
    {"0086 138 1234 5678", "13812345678"},
    {"86 021 6123 4567", "02161234567"},
    {"861234567890", "861234567890"}, /* 12 digits: kept */
    {"86-21-61234567", "862161234567"},
    {"１３８１２３４５６７８", "13812345678"},
    {"＋８６　１３８１２３４５６７８", "13812345678"},
    {"138１２３４5678", "13812345678"},
    {"tel: 13812345678", "13812345678"},
    {"手机13812345678", "13812345678"},
    /* DESIGN.md section 2: a cell of several phones holds several */
    {"13800000001/13900000002", "13800000001/13900000002"},
    {"13800000001 13900000002", "13800000001/13900000002"},
    {"13800000001，13900000002", "13800000001/13900000002"},
    {"13800000001、13900000002", "13800000001/13900000002"},
    {"+86 13800000001; 0086 13900000002", "13800000001/13900000002"},
    {"021-61234567 13800000001", "02161234567/13800000001"},
    {"/13800000001//", "13800000001"},
    {"138 0000 0001 / 139 0000 0002", "13800000001/13900000002"},
    /* a masked phone keeps its mask */
    {"138****5006", "138****5006"},
    {"１３８＊＊＊＊５００６", "138****5006"},
    {"****", ""},
    {"", ""},
    {"无", ""},
    {"  ", ""},
};

static void test_phone(void **state)
{
    (void)state;
    char out[RC_NORM_CAP];
    for (gsize i = 0; i < N_ELEMENTS(phone_cases); i++) {
        const StrCase *c = &phone_cases[i];
        gsize n = rc_norm_phone(c->in, strlen(c->in), out, sizeof out);
        if (strcmp(out, c->want) != 0 || n != strlen(c->want))
            fail_msg("phone case %zu '%s': got '%s', want '%s'", i, c->in, out, c->want);
    }
    /* capacity and LEN */
    assert_int_equal(rc_norm_phone("13812345678", 11, out, 4), 3);
    assert_string_equal(out, "138");
    assert_int_equal(rc_norm_phone("13812345678999", 11, out, sizeof out), 11);
    assert_string_equal(out, "13812345678");
    assert_int_equal(rc_norm_phone("1", 1, out, 0), 0);
}

/* ---- free text ---- */

static const StrCase text_cases[] = {
    {"  阴性  ", "阴性"},
    {"（＋）", "(+)"},
    {"（+）", "(+)"},
    {"ＡＢＣ１２３", "ABC123"},
    {"a\u3000b", "a b"},
    {"a\u00A0\u00A0b", "a b"},
    {"a\u200Bb\u200Cc\u200Dd\uFEFFe\u2060f", "abcdef"},
    {"\t a \n b \r\n", "a b"},
    {"a\xC2\x85"
     "b",
     "a b"},             /* NEL */
    {"a\u2003b", "a b"}, /* em space */
    {"a\x01"
     "b\x7F",
     "ab"},
    {"\uFB01", "fi"},
    {"\u2460", "1"},
    {"\u338F", "kg"},
    {"e\u0301", "\u00E9"},
    {"\u216B", "XII"},
    {"待复核", "待复核"},
    {"“外出”、住院。", "“外出”、住院。"},
    {"a\xFF"
     "b",
     "a\uFFFDb"},
    {"", ""},
    {"   ", ""},
};

static void test_text(void **state)
{
    (void)state;
    char out[RC_NORM_CAP];
    for (gsize i = 0; i < N_ELEMENTS(text_cases); i++) {
        const StrCase *c = &text_cases[i];
        gsize n = rc_norm_text(c->in, strlen(c->in), out, sizeof out);
        if (strcmp(out, c->want) != 0 || n != strlen(c->want))
            fail_msg("text case %zu '%s': got '%s', want '%s'", i, c->in, out, c->want);
    }
    assert_int_equal(rc_norm_text("阴性", strlen("阴性"), out, 4), 3);
    assert_string_equal(out, "阴");
    assert_int_equal(rc_norm_text("ab cd", 5, out, 3), 2); /* the space is not left dangling */
    assert_string_equal(out, "ab");
}

/* Reference: GLib's NFKC of the whole string, then the same dropping and
 * folding rc_norm_text does. */
static gboolean ref_space(gunichar c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

static gboolean ref_dropped(gunichar c)
{
    return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c < 0x20 || (c >= 0x7F && c < 0xA0);
}

static void ref_text(const char *s, GString *out)
{
    g_autofree char *n = g_utf8_normalize(s, -1, G_NORMALIZE_NFKC);
    g_string_truncate(out, 0);
    gboolean space = FALSE;
    for (const char *p = n; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (ref_space(c)) {
            space = out->len > 0;
            continue;
        }
        if (ref_dropped(c))
            continue;
        if (space)
            g_string_append_c(out, ' ');
        space = FALSE;
        g_string_append_unichar(out, c);
    }
}

/* Every code point up to U+3FFFF between two letters: the no-allocation
 * NFKC table in lib/norm.c must agree with GLib. */
static void test_nfkc_every_code_point(void **state)
{
    (void)state;
    GString *want = g_string_new(NULL);
    char out[RC_NORM_CAP];
    for (gunichar c = 0x80; c <= 0x3FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        char s[8] = "a";
        gsize k = 1 + (gsize)g_unichar_to_utf8(c, s + 1);
        s[k++] = 'b';
        s[k] = '\0';
        ref_text(s, want);
        gsize n = rc_norm_text(s, k, out, sizeof out);
        if (n != want->len || memcmp(out, want->str, n) != 0)
            fail_msg("U+%04X: got '%s', want '%s'", c, out, want->str);
    }
    g_string_free(want, TRUE);
}

/* ---- results ---- */

typedef struct {
    const char *in;
    RcState want;
    guint flags; /* RC_RESULT_* */
} ResultCase;

#define NEG          RC_STATE_NEGATIVE
#define POS          RC_STATE_POSITIVE
#define REV          RC_STATE_REVIEW
#define INV          RC_STATE_INVALID
#define PEN          RC_STATE_PENDING
#define UNK          RC_STATE_UNKNOWN
#define UNRECOGNISED RC_RESULT_UNRECOGNISED
#define DISAGREES    RC_RESULT_SIGN_DISAGREES
#define GENES        RC_RESULT_GENES

/* DESIGN.md section 2, Result: a line a rule. */
static const ResultCase result_cases[] = {
    /* review first: 混管阳性, 弱阳性, 可疑阳性 are not positive */
    {"混管阳性", REV, 0},
    {"混采阳性", REV, 0},
    {"弱阳性", REV, 0},
    {"待复核", REV, 0},
    {"复核", REV, 0},
    {"可疑", REV, 0},
    {"可疑阳性", REV, 0},
    {"疑似", REV, 0},
    {"阳性待复核", REV, 0},
    {"Review", REV, 0},
    /* positive */
    {"阳性", POS, 0},
    {"阳", POS, 0},
    {"检出", POS, 0},
    {"单采阳性", POS, 0},
    {"positive", POS, 0},
    {"POSITIVE", POS, 0},
    {"Pos", POS, 0},
    {"detected", POS, 0},
    {"Detected", POS, 0},
    {"+", POS, 0},
    {"(+)", POS, 0},
    {"（+）", POS, 0},
    {"（＋）", POS, 0},
    /* negative */
    {"阴性", NEG, 0},
    {" 阴性 ", NEG, 0},
    {"\u3000阴性\u200B", NEG, 0},
    {"阴", NEG, 0},
    {"未检出", NEG, 0},
    {"单采阴性", NEG, 0},
    {"混采阴性", NEG, 0},
    {"negative", NEG, 0},
    {"NEGATIVE", NEG, 0},
    {"Neg", NEG, 0},
    {"ｎｅｇａｔｉｖｅ", NEG, 0},
    {"not detected", NEG, 0},
    {"Not Detected", NEG, 0},
    {"NOT  DETECTED", NEG, 0},
    {"-", NEG, 0},
    {"(-)", NEG, 0},
    {"（－）", NEG, 0},
    /* invalid */
    {"无效", INV, 0},
    {"不合格", INV, 0},
    {"样本不合格", INV, 0},
    {"样本异常", INV, 0},
    {"invalid", INV, 0},
    {"Rejected", INV, 0},
    /* pending */
    {"", PEN, 0},
    {"   ", PEN, 0},
    {"\u3000", PEN, 0},
    {"待检测", PEN, 0},
    {"检测中", PEN, 0},
    {"未出结果", PEN, 0},
    {"PENDING", PEN, 0},
    /* inner spaces dropped (one between ASCII letters stays) */
    {"阴 性", NEG, 0},
    {"阳 性", POS, 0},
    {"未 检 出", NEG, 0},
    {"混管 阳性", REV, 0},
    {"样本 不合格", INV, 0},
    {"negative\n", NEG, 0}, /* trimmed */
    {"notdetected", UNK, 0},
    /* a trailing sign in brackets that agrees */
    {"阴性(-)", NEG, 0},
    {"阴性（-）", NEG, 0},
    {"阴性（－）", NEG, 0},
    {"阴性 (-)", NEG, 0},
    {"阳性(+)", POS, 0},
    {"阳性（+）", POS, 0},
    {"阳性（＋）", POS, 0},
    {"检出(Detected)", POS, 0},
    {"检出（Detected）", POS, 0},
    {"未检出(Not Detected)", NEG, 0},
    {"未检出（not detected）", NEG, 0},
    {"Negative (-)", NEG, 0},
    {"阴性[-]", NEG, 0},
    {"阴性【-】", NEG, 0},
    {"阴性(阴性)", NEG, 0},
    {"混管阳性(+)", REV, 0}, /* a positive sign agrees with review */
    /* a sign that disagrees is a problem */
    {"阳性(-)", UNK, DISAGREES},
    {"阴性(+)", UNK, DISAGREES},
    {"阴性（+）", UNK, DISAGREES},
    {"检出(Not Detected)", UNK, DISAGREES},
    {"未检出(Detected)", UNK, DISAGREES},
    {"无效(-)", UNK, DISAGREES},
    /* brackets that hold no sign: the whole is read */
    {"阴性(复检)", UNK, 0},
    {"阳性(复检)", REV, UNRECOGNISED},
    /* per-gene results */
    {"ORF1a/b阴性，N基因阴性", NEG, GENES},
    {"ORF1a/b阴性,N基因阴性", NEG, GENES},
    {"ORF1ab阴性；N阴性", NEG, GENES},
    {"ORF1ab 阴性 N 阴性", NEG, GENES},
    {"ORF1ab基因:阴性、N基因:阴性", NEG, GENES},
    {"ORF1ab：阴性，N：阴性，E：阴性", NEG, GENES},
    {"ORF1a/b阳性，N基因阴性", POS, GENES},
    {"ORF1a/b阴性，N基因阳性", POS, GENES},
    {"ORF1a/b阴性(-)，N基因阴性(-)", NEG, GENES},
    {"ORF1ab: Negative, N: Negative", NEG, GENES},
    {"ORF1ab not detected, N not detected", NEG, GENES},
    {"N gene detected, ORF1ab not detected", POS, GENES},
    {"N基因阴性", NEG, GENES},
    {"ORF1a/b阴性，N基因可疑", REV, GENES},
    {"ORF1a/b阴性，N基因无效", UNK, 0},
    {"ORF1a/b阴性，N基因", UNK, 0},
    {"ORF1a/b阴性，和N基因阴性", UNK, 0},
    /* an unknown word holding a sign of positivity: review, flagged */
    {"阳性？", REV, UNRECOGNISED},
    {"疑阳", REV, UNRECOGNISED},
    {"阴性阳性", REV, UNRECOGNISED},
    {"非阴性阳", REV, UNRECOGNISED},
    {"有检出", REV, UNRECOGNISED},
    {"新冠检出", REV, UNRECOGNISED},
    {"weakly positive", REV, UNRECOGNISED},
    {"positive?", REV, UNRECOGNISED},
    {"Detected (N gene)", REV, UNRECOGNISED},
    {"SARS-CoV-2 detected", REV, UNRECOGNISED},
    {"xyz(+)", REV, UNRECOGNISED},
    {"ORF1a/b阳性，N基因无效", REV, UNRECOGNISED},
    /* ... but not without it */
    {"新冠未检出", UNK, 0},
    {"SARS-CoV-2 not detected", UNK, 0},
    {"SARS-CoV-2 Not  Detected", UNK, 0},
    {"negativ", UNK, 0},
    {"neg.", UNK, 0},
    {"非阴性", UNK, 0},
    {"++", UNK, 0},
    {"xyz", UNK, 0},
    {"xyz(-)", UNK, 0},
};

static void test_result(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(RcVocab) v = rc_vocab_new(cfg, &error);
    assert_non_null(v);
    assert_null(error);
    /* twice: the second pass is answered from the cache */
    for (int pass = 0; pass < 2; pass++)
        for (gsize i = 0; i < N_ELEMENTS(result_cases); i++) {
            const ResultCase *c = &result_cases[i];
            guint flags = 0xdead;
            RcState got = rc_vocab_result(v, c->in, strlen(c->in), &flags);
            if (got != c->want || flags != c->flags)
                fail_msg("result case %zu '%s' (pass %d): got %s (flags 0x%x), want %s (0x%x)", i, c->in,
                         pass, rc_state_name(got), flags, rc_state_name(c->want), c->flags);
        }
    /* a long text: past the cache and the stack buffer */
    GString *big = g_string_new(NULL);
    for (int i = 0; i < 400; i++)
        g_string_append(big, "阴 ");
    assert_int_equal(rc_vocab_result(v, big->str, big->len, NULL), RC_STATE_UNKNOWN);
    g_string_free(big, TRUE);
    /* not NUL-terminated */
    assert_int_equal(rc_vocab_result(v, "阴性阳性", strlen("阴性"), NULL), RC_STATE_NEGATIVE);
    /* many distinct texts through the cache: answers never leak between them */
    for (int i = 0; i < 1000; i++) {
        char word[32];
        snprintf(word, sizeof word, "x%d", i);
        assert_int_equal(rc_vocab_result(v, word, strlen(word), NULL), RC_STATE_UNKNOWN);
        const ResultCase *c = &result_cases[(gsize)i % N_ELEMENTS(result_cases)];
        assert_int_equal(rc_vocab_result(v, c->in, strlen(c->in), NULL), c->want);
    }
}

typedef struct {
    const char *in;
    gboolean want;
} ExemptCase;

/* DESIGN.md section 2, Status: the negating and ending phrases first, then
 * the exempt ones (issue 15 item 3). */
static const ExemptCase exempt_cases[] = {
    /* away */
    {"外出", TRUE},
    {"目前外出中", TRUE},
    {"外出务工", TRUE},
    {"离开本市", TRUE},
    {"离沪", TRUE},
    {"离京", TRUE},
    {"离杭", TRUE},
    {"已离沪返乡", TRUE},
    {"离境", TRUE},
    {"在外地", TRUE},
    {"外地", TRUE},
    {"出差", TRUE},
    {"出国", TRUE},
    {"出国留学", TRUE},
    {"返乡", TRUE},
    {"外出未返回", TRUE}, /* a negated ending phrase ends nothing */
    {"away", TRUE},
    {"AWAY", TRUE},
    {"ａｗａｙ", TRUE},
    {"Exempt", TRUE},
    /* in hospital */
    {"住院", TRUE},
    {"住院治疗", TRUE},
    {"住院未出院", TRUE},
    /* the home empty */
    {"空关", TRUE},
    {"空关户", TRUE},
    {"不在住", TRUE},
    {"人户分离", TRUE},
    {"已搬离", TRUE},
    /* deceased */
    {"已故", TRUE},
    {"去世", TRUE},
    /* negating and ending phrases win */
    {"居家不外出", FALSE},
    {"不外出", FALSE},
    {"未外出", FALSE},
    {"不外出，需上门采样", FALSE},
    {"不外出,需上门采样", FALSE},
    {"外出已返回", FALSE},
    {"外出，已返回", FALSE},
    {"已返沪", FALSE},
    {"离沪后已返沪", FALSE},
    {"出差回来", FALSE},
    {"已出院", FALSE},
    {"居家隔离", FALSE},
    {"外地来沪", FALSE},
    {"returned", FALSE},
    {"not away", FALSE},
    /* a phrase after a negating word */
    {"未住院", FALSE},
    {"没有外出", FALSE},
    {"未搬离", FALSE},
    {"未离沪", FALSE},
    /* 离 followed by no place */
    {"离休", FALSE},
    {"离休干部", FALSE},
    {"离退休", FALSE},
    {"离退", FALSE},
    {"离异", FALSE},
    {"离婚", FALSE},
    {"离职", FALSE},
    /* present, or nothing said */
    {"在住", FALSE},
    {"正常", FALSE},
    {"", FALSE},
    {"   ", FALSE},
    {"present", FALSE},
    {"外 出", FALSE},
};

static void test_exempt(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = rc_config_new();
    g_autoptr(RcVocab) v = rc_vocab_new(cfg, NULL);
    assert_non_null(v);
    for (gsize i = 0; i < N_ELEMENTS(exempt_cases); i++) {
        const ExemptCase *c = &exempt_cases[i];
        gboolean got = rc_vocab_exempt(v, c->in, strlen(c->in));
        if (got != c->want)
            fail_msg("exempt case %zu '%s': got %d, want %d", i, c->in, got, c->want);
    }
    /* a long note with the word near its end */
    GString *big = g_string_new(NULL);
    for (int i = 0; i < 300; i++)
        g_string_append(big, "备注 ");
    g_string_append(big, "外出");
    assert_true(rc_vocab_exempt(v, big->str, big->len));
    g_string_free(big, TRUE);
}

/* Writes TEXT to a temporary .ini and loads it over the defaults. */
static RcConfig *config_from(const char *text)
{
    char path[] = "/tmp/test_norm_XXXXXX.ini";
    int fd = g_mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    RcConfig *cfg = rc_config_new();
    g_autoptr(GError) error = NULL;
    gboolean ok = rc_config_load(cfg, path, &error);
    unlink(path);
    if (!ok)
        fail_msg("config: %s", error->message);
    return cfg;
}

static void test_vocab_config_replaced(void **state)
{
    (void)state;
    g_autoptr(RcConfig) cfg = config_from("[vocabulary]\nnegative = ok;fine\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(RcVocab) v = rc_vocab_new(cfg, &error);
    assert_non_null(v);
    static const ResultCase cases[] = {
        {"ok", NEG, 0},
        {"OK", NEG, 0},
        {" fine ", NEG, 0},
        {"ＯＫ", NEG, 0},
        {"阴性", UNK, 0},
        {"negative", UNK, 0},
        {"okfine", UNK, 0},
        {"阳性", POS, 0},
        {"", PEN, 0},
        {"复核", REV, 0},
        {"ok(fine)", NEG, 0},
        {"ok(+)", UNK, DISAGREES},
        {"ok(-)", UNK, 0}, /* '-' is no longer a negative sign */
        {"N:ok,E:ok", NEG, GENES},
    };
    for (gsize i = 0; i < N_ELEMENTS(cases); i++) {
        guint flags;
        if (rc_vocab_result(v, cases[i].in, strlen(cases[i].in), &flags) != cases[i].want ||
            flags != cases[i].flags)
            fail_msg("config case %zu '%s'", i, cases[i].in);
    }

    /* a replaced exempt pattern; an empty one exempts nobody */
    g_autoptr(RcConfig) cfg2 = config_from("[exempt]\npattern = ^moved$\n");
    g_autoptr(RcVocab) v2 = rc_vocab_new(cfg2, NULL);
    assert_non_null(v2);
    assert_true(rc_vocab_exempt(v2, "Moved", 5));
    assert_false(rc_vocab_exempt(v2, "外出", strlen("外出")));
    g_autoptr(RcConfig) cfg3 = config_from("[exempt]\npattern =\n[vocabulary]\npending = 待检测\n");
    g_autoptr(RcVocab) v3 = rc_vocab_new(cfg3, NULL);
    assert_non_null(v3);
    assert_false(rc_vocab_exempt(v3, "外出", strlen("外出")));
    /* phrases added to both lists; the defaults stay */
    g_autoptr(RcConfig) cfg4 = config_from("[exempt]\nphrases = 探亲;^vacant$\nnot = 在岗\n");
    g_autoptr(RcVocab) v4 = rc_vocab_new(cfg4, NULL);
    assert_non_null(v4);
    static const ExemptCase added[] = {
        {"探亲", TRUE},         {"回乡探亲", TRUE}, {"未探亲", FALSE},   {"Vacant", TRUE},
        {"vacant flat", FALSE}, {"外出", TRUE},     {"外出在岗", FALSE}, {"居家", FALSE},
    };
    for (gsize i = 0; i < N_ELEMENTS(added); i++)
        if (rc_vocab_exempt(v4, added[i].in, strlen(added[i].in)) != added[i].want)
            fail_msg("added phrases case %zu '%s'", i, added[i].in);
    /* pending without the empty alternative: an empty result is unknown */
    assert_int_equal(rc_vocab_result(v3, "", 0, NULL), RC_STATE_UNKNOWN);
    assert_int_equal(rc_vocab_result(v3, "待检测", strlen("待检测"), NULL), RC_STATE_PENDING);
}

static void test_vocab_regex_error(void **state)
{
    (void)state;
    {
        g_autoptr(RcConfig) cfg = config_from("[vocabulary]\npositive = 阳性;(unclosed\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(RcVocab) v = rc_vocab_new(cfg, &error);
        assert_null(v);
        assert_true(g_error_matches(error, RC_NORM_ERROR, RC_NORM_ERROR_REGEX));
        assert_non_null(strstr(error->message, "'(unclosed'"));
        assert_non_null(strstr(error->message, "positive"));
        assert_non_null(strstr(error->message, "missing closing parenthesis"));
    }
    {
        /* an unbalanced ')' may not close the group around the list */
        g_autoptr(RcConfig) cfg = config_from("[vocabulary]\nnegative = a)|(b\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(RcVocab) v = rc_vocab_new(cfg, &error);
        assert_null(v);
        assert_true(g_error_matches(error, RC_NORM_ERROR, RC_NORM_ERROR_REGEX));
        assert_non_null(strstr(error->message, "'a)|(b'"));
    }
    {
        g_autoptr(RcConfig) cfg = config_from("[exempt]\npattern = [abc\n");
        g_autoptr(GError) error = NULL;
        g_autoptr(RcVocab) v = rc_vocab_new(cfg, &error);
        assert_null(v);
        assert_true(g_error_matches(error, RC_NORM_ERROR, RC_NORM_ERROR_REGEX));
        assert_non_null(strstr(error->message, "'[abc'"));
        assert_non_null(strstr(error->message, "exempt"));
    }
    rc_vocab_free(NULL);
}

/* ---- times ---- */

typedef struct {
    const char *in;
    const char *want;   /* "YYYY-MM-DD HH:MM:SS", or NULL: rejected */
    const char *reason; /* when rejected */
} TimeCase;

static const TimeCase time_cases[] = {
    {"2022-04-10 08:31", "2022-04-10 08:31:00", NULL},
    {"2022-04-10 08:31:00", "2022-04-10 08:31:00", NULL},
    {"2022-04-10 08:31:05", "2022-04-10 08:31:05", NULL},
    {"2022-04-10  8:31", "2022-04-10 08:31:00", NULL},
    {"2022/4/10 8:31", "2022-04-10 08:31:00", NULL},
    {"2022/04/10 08:31:59", "2022-04-10 08:31:59", NULL},
    {"2022.4.10 8:31", "2022-04-10 08:31:00", NULL},
    {"2022年4月10日 8时31分", "2022-04-10 08:31:00", NULL},
    {"2022年4月10日 8时31分5秒", "2022-04-10 08:31:05", NULL},
    {"2022年4月10日08:31", "2022-04-10 08:31:00", NULL},
    {"2022年04月10日 08:31:00", "2022-04-10 08:31:00", NULL},
    {"2022年4月10日 8点31分", "2022-04-10 08:31:00", NULL},
    {"2022年4月10日 8时", "2022-04-10 08:00:00", NULL},
    {"2022年4月10日", "2022-04-10 00:00:00", NULL},
    {"2022年4月10号", "2022-04-10 00:00:00", NULL},
    {"2022-04-10T08:31:00", "2022-04-10 08:31:00", NULL},
    {"2022-04-10T08:31", "2022-04-10 08:31:00", NULL},
    {"2022-04-10T08:31:00.999", "2022-04-10 08:31:00", NULL},
    {"2022-04-10T08:31:07,5", "2022-04-10 08:31:07", NULL},
    {"2022-04-10T08:31:07.123456789012", "2022-04-10 08:31:07", NULL},
    {"2022-04-10T08:31:07.", NULL, "not a time"},
    {"2022-04-10", "2022-04-10 00:00:00", NULL},
    {"  2022-04-10 08:31  ", "2022-04-10 08:31:00", NULL},
    /* midnight and the last second of a day */
    {"2022-04-10 00:00:00", "2022-04-10 00:00:00", NULL},
    {"2022-04-10 23:59:59", "2022-04-10 23:59:59", NULL},
    /* Feb 29 */
    {"2024-02-29", "2024-02-29 00:00:00", NULL},
    {"2000-02-29 12:00", "2000-02-29 12:00:00", NULL},
    {"2023-02-29", NULL, "no such date"},
    {"1900-02-29", NULL, "no such date"},
    /* impossible values never roll over */
    {"2022-02-30", NULL, "no such date"},
    {"2022-13-45", NULL, "no such date"},
    {"2022-04-31 08:00", NULL, "no such date"},
    {"2022-00-10", NULL, "no such date"},
    {"0000-01-01", NULL, "no such date"},
    {"2022-04-10 25:00", NULL, "no such time"},
    {"2022-04-10 24:00:00", NULL, "no such time"},
    {"2022-04-10 08:60", NULL, "no such time"},
    {"2022-04-10 08:31:60", NULL, "no such time"},
    /* full-width */
    {"２０２２－０４－１０　０８：３１", "2022-04-10 08:31:00", NULL},
    {"２０２２年４月１０日　８时３１分", "2022-04-10 08:31:00", NULL},
    {"\u30002022-04-10 08:31\u3000", "2022-04-10 08:31:00", NULL},
    {"２０２２．４．１０\u3000８：３１", "2022-04-10 08:31:00", NULL},
    {"2022-04-10\u00A008:31", "2022-04-10 08:31:00", NULL},
    {"2022年4月10日 8時31分", "2022-04-10 08:31:00", NULL},
    {"2022年4月10日 8點31分", "2022-04-10 08:31:00", NULL},
    {"2022-04-10\u200B 08:31", "2022-04-10 08:31:00", NULL}, /* general NFKC path */
    {"2022\u5E744\u670810\u65E5\uFF18\u65F6", "2022-04-10 08:00:00", NULL},
    {"2022年4月10日 8时31分\u3400", NULL, "not a time"},
    /* Excel serial day numbers (day 0 is 1899-12-30) */
    {"44661.35", "2022-04-10 08:24:00", NULL},
    {"44661", "2022-04-10 00:00:00", NULL},
    {"44661.999999", "2022-04-11 00:00:00", NULL}, /* rounded to the second */
    {"44661.5000057870", "2022-04-10 12:00:00", NULL},
    {"25569", "1970-01-01 00:00:00", NULL},
    {"1", "1899-12-31 00:00:00", NULL},
    {"2958465", "9999-12-31 00:00:00", NULL},
    {"2958465.99999", "9999-12-31 23:59:59", NULL},
    {"４４６６１.３５", "2022-04-10 08:24:00", NULL},
    {"2958465.999999999", NULL, "not a time"}, /* would be 10000-01-01 */
    {"2958466", NULL, "not a time"},
    {"99999999", NULL, "no such date"}, /* compact 9999-99-99 */
    {"0", NULL, "not a time"},
    {"0.5", NULL, "not a time"},
    {"44661.", NULL, "not a time"},
    {".5", NULL, "not a time"},
    /* zones: converted to local time, UTC+8 here */
    {"2022-04-10T08:31:00Z", "2022-04-10 16:31:00", NULL},
    {"2022-04-10T00:31:22Z", "2022-04-10 08:31:22", NULL},
    {"2022-04-10T00:31:22.5z", "2022-04-10 08:31:22", NULL},
    {"2022-04-10T08:31:00+08:00", "2022-04-10 08:31:00", NULL},
    {"2022-04-10T08:31:00+0800", "2022-04-10 08:31:00", NULL},
    {"2022-04-10T08:31:00+08", "2022-04-10 08:31:00", NULL},
    {"2022-04-10T08:31:00-05:00", "2022-04-10 21:31:00", NULL},
    {"2022-04-10T20:31:00-05:00", "2022-04-11 09:31:00", NULL},
    {"2022-04-10T08:31:00+05:30", "2022-04-10 11:01:00", NULL},
    {"2022-04-10 08:31 +0800", "2022-04-10 08:31:00", NULL},
    {"2022-04-10 08:31 UTC", "2022-04-10 16:31:00", NULL},
    {"2022-04-10 08:31 GMT+8", "2022-04-10 08:31:00", NULL},
    {"2022-04-10 08:31 UTC+08:00", "2022-04-10 08:31:00", NULL},
    {"２０２２－０４－１０Ｔ００：３１：２２Ｚ", "2022-04-10 08:31:22", NULL},
    {"0001-01-01T00:00:00+09:00", NULL, "no such date"}, /* before the calendar's start */
    {"2022-04-10T08:31:00+25:00", NULL, "unknown time zone"},
    {"2022-04-10T08:31:00 PDT", NULL, "unknown time zone"},
    {"2022-04-10T08:31:00+8:0", NULL, "unknown time zone"},
    {"2022-04-10Z", NULL, "time zone without a time"},
    {"2022-04-10 +08:00", NULL, "time zone without a time"},
    /* 上午 / 下午 and AM / PM */
    {"2022-04-10 上午8:31", "2022-04-10 08:31:00", NULL},
    {"2022-04-10 下午2:31", "2022-04-10 14:31:00", NULL},
    {"2022/4/10 下午 2:31:05", "2022-04-10 14:31:05", NULL},
    {"2022年4月10日下午2点31分", "2022-04-10 14:31:00", NULL},
    {"2022年4月10日 下午2时", "2022-04-10 14:00:00", NULL},
    {"2022年4月10日上午12点5分", "2022-04-10 00:05:00", NULL},
    {"2022-04-10 下午12:05", "2022-04-10 12:05:00", NULL},
    {"2022-04-10 下午14:31", "2022-04-10 14:31:00", NULL},
    {"2022-04-10 晚上8:00", "2022-04-10 20:00:00", NULL},
    {"2022-04-10 凌晨1:00", "2022-04-10 01:00:00", NULL},
    {"2022-04-10 上午13:00", NULL, "no such time"},
    {"2022-04-10 上午0:30", NULL, "no such time"},
    {"2022-04-10 2:31 PM", "2022-04-10 14:31:00", NULL},
    {"2022-04-10 2:31:05 pm", "2022-04-10 14:31:05", NULL},
    {"2022-04-10 2:31PM", "2022-04-10 14:31:00", NULL},
    {"2022-04-10 8:31 AM", "2022-04-10 08:31:00", NULL},
    {"2022-04-10 08:31 am", "2022-04-10 08:31:00", NULL},
    {"2022-04-10 12:00 AM", "2022-04-10 00:00:00", NULL},
    {"2022-04-10 12:00 PM", "2022-04-10 12:00:00", NULL},
    {"2022-04-10 2:31 p.m.", "2022-04-10 14:31:00", NULL},
    {"2022-04-10 13:31 AM", NULL, "no such time"},
    {"2022-04-10 2:31 XM", NULL, "unknown time zone"},
    {"2022-04-10 上午", NULL, "not a time"},
    /* the year last: month first, as English-locale Excel writes it */
    {"4/10/2022", "2022-04-10 00:00:00", NULL},
    {"4/10/2022 8:31", "2022-04-10 08:31:00", NULL},
    {"04/10/2022 08:31:22", "2022-04-10 08:31:22", NULL},
    {"4/10/2022 2:31:22 PM", "2022-04-10 14:31:22", NULL},
    {"12/31/2022", "2022-12-31 00:00:00", NULL},
    {"4-10-2022", "2022-04-10 00:00:00", NULL},
    {"13/4/2022", NULL, "year-last date with a month over 12"},
    {"31/12/2022 08:00", NULL, "year-last date with a month over 12"},
    {"2/30/2022", NULL, "no such date"},
    {"4/10/22", NULL, "not a time"},
    {"4/10-2022", NULL, "not a time"},
    /* compact */
    {"20220410083122", "2022-04-10 08:31:22", NULL},
    {"20220410", "2022-04-10 00:00:00", NULL},
    {"20221310", NULL, "no such date"},
    {"20220410253122", NULL, "no such time"},
    {"2022041008312", NULL, "not a time"}, /* 13 digits: epoch milliseconds, but not 1... */
    {"202204100831", NULL, "not a time"},
    /* epoch seconds and milliseconds (UTC) */
    {"1649550682", "2022-04-10 08:31:22", NULL},
    {"1649550682000", "2022-04-10 08:31:22", NULL},
    {"1649550682999", "2022-04-10 08:31:22", NULL},
    {"1000000000", "2001-09-09 09:46:40", NULL},
    {"1999999999999", "2033-05-18 11:33:19", NULL},
    {"0000000000", NULL, "not a time"},
    {"2000000000", NULL, "not a time"},
    /* Java's Date.toString() */
    {"Sun Apr 10 08:31:22 CST 2022", "2022-04-10 08:31:22", NULL},
    {"Sun Apr 10 00:31:22 GMT 2022", "2022-04-10 08:31:22", NULL},
    {"Sun Apr 10 00:31:22 UTC 2022", "2022-04-10 08:31:22", NULL},
    {"Sun Apr 10 08:31:22 GMT+08:00 2022", "2022-04-10 08:31:22", NULL},
    {"Mon Jan 03 23:59:59 CST 2022", "2022-01-03 23:59:59", NULL},
    {"Mon Apr 10 08:31:22 CST 2022", NULL, "no such date"}, /* the 10th was a Sunday */
    {"Sun Apr 31 08:31:22 CST 2022", NULL, "no such date"},
    {"Sun Apr 10 08:31:22 EDT 2022", NULL, "unknown time zone"},
    {"Sun Apr 10 08:31 CST 2022", NULL, "not a time"},
    {"Sun Apr 10 08:31:22 2022", NULL, "not a time"},
    {"Sunday", NULL, "not a time"},
    /* not times */
    {"", NULL, "empty"},
    {"   ", NULL, "empty"},
    {"abc", NULL, "not a time"},
    {"2022-04-10 08", NULL, "not a time"},
    {"2022-4/10", NULL, "not a time"},
    {"2022-04-10T", NULL, "not a time"},
    {"22-04-10", NULL, "not a time"},
    {"2022-004-10", NULL, "not a time"},
    {"2022-04-10 8时31分5", NULL, "not a time"},
    {"2022-04-10x08:31", NULL, "not a time"},
    {"3.10101E+17", NULL, "not a time"},
};

static void test_time(void **state)
{
    (void)state;
    for (gsize i = 0; i < N_ELEMENTS(time_cases); i++) {
        const TimeCase *c = &time_cases[i];
        RcTime t = 12345;
        const char *reason = "unset";
        gboolean ok = rc_norm_time(c->in, strlen(c->in), &t, &reason);
        char got[32];
        rc_time_format(t, TRUE, got);
        if (c->want) {
            if (!ok || strcmp(got, c->want) != 0)
                fail_msg("time case %zu '%s': got %s (%s), want %s", i, c->in, ok ? got : "FALSE",
                         ok ? "" : reason, c->want);
            if (reason != NULL)
                fail_msg("time case %zu '%s': reason set on success", i, c->in);
        } else {
            if (ok || t != RC_TIME_NONE || !reason || strcmp(reason, c->reason) != 0)
                fail_msg("time case %zu '%s': got %s (%s), want rejected (%s)", i, c->in, ok ? got : "FALSE",
                         reason ? reason : "NULL", c->reason);
        }
    }
    /* NULL out and reason; LEN honoured */
    assert_true(rc_norm_time("2022-04-10", 10, NULL, NULL));
    assert_false(rc_norm_time("2022-02-30", 10, NULL, NULL));
    RcTime t;
    assert_true(rc_norm_time("2022-04-10 08:31:00", 10, &t, NULL));
    char buf[32];
    assert_string_equal(rc_time_format(t, TRUE, buf), "2022-04-10 00:00:00");
}

/* rc_norm_time_at(): another local zone, and whether a time of day was
 * given (--until 2022年4月10日0点 is a moment, 2022年4月10日 a whole day). */
typedef struct {
    const char *in;
    gint32 tz;
    const char *want;
    guint flags;
} TimeAtCase;

#define CLOCK RC_TIME_CLOCK
#define CONV  (RC_TIME_CLOCK | RC_TIME_CONVERTED)
#define H     (3600)

static const TimeAtCase time_at_cases[] = {
    {"2022-04-10T00:31:22Z", 0, "2022-04-10 00:31:22", CONV},
    {"2022-04-10T00:31:22Z", -5 * H, "2022-04-09 19:31:22", CONV},
    {"2022-04-10T08:31:22+08:00", 9 * H, "2022-04-10 09:31:22", CONV},
    {"2022-04-10T08:31:22+08:00", 8 * H, "2022-04-10 08:31:22", CONV},
    {"1649550682", 0, "2022-04-10 00:31:22", CONV},
    {"1649550682000", 8 * H, "2022-04-10 08:31:22", CONV},
    {"Sun Apr 10 08:31:22 CST 2022", 0, "2022-04-10 00:31:22", CONV},
    {"2022-04-10 08:31", 0, "2022-04-10 08:31:00", CLOCK}, /* naive: as written */
    {"2022-04-10T08:31", -5 * H, "2022-04-10 08:31:00", CLOCK},
    {"2022-04-10", 0, "2022-04-10 00:00:00", 0},
    {"2022-04-10 00:00", 8 * H, "2022-04-10 00:00:00", CLOCK},
    {"2022年4月10日", 8 * H, "2022-04-10 00:00:00", 0},
    {"2022年4月10日0点", 8 * H, "2022-04-10 00:00:00", CLOCK},
    {"2022年4月10日0时", 8 * H, "2022-04-10 00:00:00", CLOCK},
    {"2022年4月10日0時", 8 * H, "2022-04-10 00:00:00", CLOCK},
    {"2022年4月10日0點", 8 * H, "2022-04-10 00:00:00", CLOCK},
    {"2022年4月10日 下午2点", 8 * H, "2022-04-10 14:00:00", CLOCK},
    {"44661", 8 * H, "2022-04-10 00:00:00", 0},
    {"44661.5", 8 * H, "2022-04-10 12:00:00", CLOCK},
    {"20220410", 8 * H, "2022-04-10 00:00:00", 0},
    {"20220410000000", 8 * H, "2022-04-10 00:00:00", CLOCK},
    {"4/10/2022", 8 * H, "2022-04-10 00:00:00", 0},
    {"4/10/2022 12:00 AM", 8 * H, "2022-04-10 00:00:00", CLOCK},
};

static void test_time_at(void **state)
{
    (void)state;
    for (gsize i = 0; i < N_ELEMENTS(time_at_cases); i++) {
        const TimeAtCase *c = &time_at_cases[i];
        RcTime t;
        guint flags = 0xdead;
        const char *reason = NULL;
        char got[32];
        gboolean ok = rc_norm_time_at(c->in, strlen(c->in), c->tz, &t, &flags, &reason);
        rc_time_format(t, TRUE, got);
        if (!ok || strcmp(got, c->want) != 0 || flags != c->flags)
            fail_msg("time_at case %zu '%s' (tz %d): got %s (flags 0x%x, %s), want %s (0x%x)", i, c->in,
                     c->tz, got, flags, reason ? reason : "", c->want, c->flags);
    }
    guint flags = 0xdead;
    assert_false(rc_norm_time_at("2022-02-30 08:00", 16, 0, NULL, &flags, NULL));
    assert_int_equal(flags, 0);
}

typedef struct {
    const char *in;
    gboolean ok;
    gint32 offset;
} TzCase;

static const TzCase tz_cases[] = {
    {"+08:00", TRUE, 8 * H},
    {"+0800", TRUE, 8 * H},
    {"+8", TRUE, 8 * H},
    {"+08", TRUE, 8 * H},
    {"-05:00", TRUE, -5 * H},
    {"+05:30", TRUE, 5 * H + 1800},
    {"UTC", TRUE, 0},
    {"utc", TRUE, 0},
    {"GMT", TRUE, 0},
    {"UTC+8", TRUE, 8 * H},
    {"GMT-5", TRUE, -5 * H},
    {"Z", TRUE, 0},
    {"CST", TRUE, 8 * H},
    {" +08:00 ", TRUE, 8 * H},
    {"", FALSE, 0},
    {"8", FALSE, 0},
    {"+25", FALSE, 0},
    {"+08:00x", FALSE, 0},
    {"Asia/Shanghai", FALSE, 0},
    {"PDT", FALSE, 0},
    {"+8:0", FALSE, 0},
};

static void test_tz(void **state)
{
    (void)state;
    for (gsize i = 0; i < N_ELEMENTS(tz_cases); i++) {
        const TzCase *c = &tz_cases[i];
        gint32 off = 12345;
        gboolean ok = rc_norm_tz(c->in, &off);
        if (ok != c->ok || (ok && off != c->offset) || (!ok && off != 12345))
            fail_msg("tz case %zu '%s': got %d (%d), want %d (%d)", i, c->in, ok, off, c->ok, c->offset);
    }
}

/* Quoting a cell in a message: ids and phones masked, times readable. */
typedef struct {
    const char *in;
    const char *numbers; /* rc_norm_mask_numbers */
    const char *time;    /* rc_norm_mask_time */
} MaskCase;

static const MaskCase mask_cases[] = {
    {"阳性 13800000001", "阳性 138****0001", "阳性 138****0001"},
    {"110101199002011028", "110***********1028", "110***********1028"},
    {"11010119900201101X", "110***********101X", "110***********101X"},
    {"310104770717015", "310********7015", "310********7015"},
    {"8613800000001", "861******0001", "861******0001"},
    {"008613800000001", "008********0001", "008********0001"},
    {"20221345083122", "202*******3122", "20221345083122"},
    {"20220410253122", "202*******3122", "20220410253122"},
    {"2022041008312", "202******8312", "202******8312"},
    {"1649550682000", "164******2000", "1649550682000"},
    {"２０２２１３４５０８３１２２", "２０２*******３１２２", "２０２２１３４５０８３１２２"},
    {"2022-04-10 25:61", "2022-04-10 25:61", "2022-04-10 25:61"},
    {"13800000001 20221345083122", "138****0001 202*******3122", "138****0001 20221345083122"},
    {"", "", ""},
};

static void test_mask(void **state)
{
    (void)state;
    g_autoptr(GString) out = g_string_new(NULL);
    for (gsize i = 0; i < N_ELEMENTS(mask_cases); i++) {
        const MaskCase *c = &mask_cases[i];
        const char *got = rc_norm_mask_numbers(c->in, strlen(c->in), out);
        if (strcmp(got, c->numbers) != 0)
            fail_msg("mask case %zu '%s': numbers got '%s', want '%s'", i, c->in, got, c->numbers);
        got = rc_norm_mask_time(c->in, strlen(c->in), out);
        if (strcmp(got, c->time) != 0)
            fail_msg("mask case %zu '%s': time got '%s', want '%s'", i, c->in, got, c->time);
    }
}

/* ---- the window (lib/window.c) ---- */

typedef struct {
    const char *day, *since, *until;
    const char *from, *to; /* "YYYY-MM-DD HH:MM:SS", "" open; NULL: refused */
    const char *error;     /* part of the message when refused */
} WindowCase;

static const WindowCase window_cases[] = {
    {NULL, NULL, NULL, "", "", NULL},
    {"2022-04-10", NULL, NULL, "2022-04-10 00:00:00", "2022-04-11 00:00:00", NULL},
    {"2022年4月10日", NULL, NULL, "2022-04-10 00:00:00", "2022-04-11 00:00:00", NULL},
    {"20220410", NULL, NULL, "2022-04-10 00:00:00", "2022-04-11 00:00:00", NULL},
    {"4/10/2022", NULL, NULL, "2022-04-10 00:00:00", "2022-04-11 00:00:00", NULL},
    {"2022-04-10 15:00", NULL, NULL, "2022-04-10 00:00:00", "2022-04-11 00:00:00", NULL},
    {"1969-12-31", NULL, NULL, "1969-12-31 00:00:00", "1970-01-01 00:00:00", NULL},
    /* --until: a bare date is to its end, a time of day that moment */
    {NULL, NULL, "2022-04-10", "", "2022-04-11 00:00:00", NULL},
    {NULL, NULL, "2022年4月10日", "", "2022-04-11 00:00:00", NULL},
    {NULL, NULL, "20220410", "", "2022-04-11 00:00:00", NULL},
    {NULL, NULL, "44661", "", "2022-04-11 00:00:00", NULL},
    {NULL, NULL, "2022-04-10 00:00", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022-04-10T00:00", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022年4月10日0时", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022年4月10日0点", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022年4月10日0時", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022年4月10日0點", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022年4月10日 上午12点", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "20220410000000", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "44661.0", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022-04-09T16:00:00Z", "", "2022-04-10 00:00:00", NULL},
    {NULL, NULL, "2022年4月10日12点", "", "2022-04-10 12:00:00", NULL},
    /* --since: that moment, a bare date its start */
    {NULL, "2022-04-10", NULL, "2022-04-10 00:00:00", "", NULL},
    {NULL, "2022年4月10日8点", "2022年4月10日12点", "2022-04-10 08:00:00", "2022-04-10 12:00:00", NULL},
    {NULL, "2022-04-10", "2022-04-10", "2022-04-10 00:00:00", "2022-04-11 00:00:00", NULL},
    /* refused */
    {"2022-04-10", "2022-04-09", NULL, NULL, NULL, "--day cannot be combined"},
    {"2022-04-10", NULL, "2022-04-11", NULL, NULL, "--day cannot be combined"},
    {"2022-13-45", NULL, NULL, NULL, NULL, "--day '2022-13-45': no such date"},
    {NULL, "yesterday", NULL, NULL, NULL, "--since 'yesterday': not a time"},
    {NULL, NULL, "13/4/2022", NULL, NULL, "--until '13/4/2022': year-last date with a month over 12"},
    {NULL, "2022-04-10 12:00", "2022-04-10 12:00", NULL, NULL, "the window is empty"},
    {NULL, "2022-04-11", "2022年4月10日0点", NULL, NULL, "the window is empty"},
};

static void test_window(void **state)
{
    (void)state;
    for (gsize i = 0; i < N_ELEMENTS(window_cases); i++) {
        const WindowCase *c = &window_cases[i];
        RcTime from = 1, to = 1;
        GError *err = NULL;
        gboolean ok = rc_window_parse(c->day, c->since, c->until, RC_TZ_DEFAULT, &from, &to, &err);
        char f[32], t[32];
        rc_time_format(from, TRUE, f);
        rc_time_format(to, TRUE, t);
        if (c->from) {
            if (!ok || strcmp(f, c->from) != 0 || strcmp(t, c->to) != 0)
                fail_msg("window case %zu: got [%s, %s) %s, want [%s, %s)", i, f, t, err ? err->message : "",
                         c->from, c->to);
        } else if (ok || !strstr(err->message, c->error)) {
            fail_msg("window case %zu: got %s, want an error '%s'", i, ok ? "a window" : err->message,
                     c->error);
        }
        g_clear_error(&err);
    }
}

static void test_time_format_parts(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(rc_time_format(0, TRUE, buf), "1970-01-01 00:00:00");
    assert_string_equal(rc_time_format(-1, TRUE, buf), "1969-12-31 23:59:59");
    assert_string_equal(rc_time_format(1649579460, FALSE, buf), "2022-04-10 08:31");
    assert_string_equal(rc_time_format(RC_TIME_NONE, TRUE, buf), "");
    assert_string_equal(rc_time_format(G_MAXINT64, TRUE, buf), "9999-12-31 23:59:59");
    assert_string_equal(rc_time_format(G_MININT64 + 1, TRUE, buf), "0001-01-01 00:00:00");
    int y, mo, d, h, mi, s;
    rc_time_parts(RC_TIME_NONE, &y, &mo, &d, &h, &mi, &s);
    assert_int_equal(y + mo + d + h + mi + s, 0);
    rc_time_parts(1649579465, &y, NULL, &d, NULL, NULL, &s);
    assert_int_equal(y, 2022);
    assert_int_equal(d, 10);
    assert_int_equal(s, 5);

    /* against GLib's calendar, and parse(format(t)) == t */
    GRand *r = g_rand_new_with_seed(1970);
    for (int k = 0; k < 20000; k++) {
        RcTime tt = (RcTime)g_rand_double_range(r, -62135596800.0, 253402300799.0);
        if (k < 3)
            tt = k == 0 ? -62135596800 : k == 1 ? 253402300799 : 951782400; /* 2000-02-29 */
        rc_time_parts(tt, &y, &mo, &d, &h, &mi, &s);
        GDateTime *dt = g_date_time_new_utc(y, mo, d, h, mi, s);
        assert_non_null(dt);
        assert_int_equal(g_date_time_to_unix(dt), tt);
        g_date_time_unref(dt);
        rc_time_format(tt, TRUE, buf);
        RcTime back;
        const char *reason = NULL;
        if (!rc_norm_time(buf, strlen(buf), &back, &reason))
            fail_msg("'%s' does not parse: %s", buf, reason);
        assert_int_equal(back, tt);
    }
    g_rand_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id),
        cmocka_unit_test(test_id_sci_mask),
        cmocka_unit_test(test_id_check_char),
        cmocka_unit_test(test_id_buffers),
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_name_buffers),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_nfkc_every_code_point),
        cmocka_unit_test(test_result),
        cmocka_unit_test(test_exempt),
        cmocka_unit_test(test_vocab_config_replaced),
        cmocka_unit_test(test_vocab_regex_error),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_time_at),
        cmocka_unit_test(test_tz),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_time_format_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

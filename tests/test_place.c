/* test_place: floors from room numbers and names masked for notices
 * (DESIGN.md section 7), a case a line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "place.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
    const char *room;
    gboolean ok;
    int floor, pos;
} FloorCase;

static const FloorCase floor_cases[] = {
    {"1203", TRUE, 12, 3},     {"101", TRUE, 1, 1},       {"3302", TRUE, 33, 2},
    {"3301", TRUE, 33, 1},     {"2-101", TRUE, 1, 1},     {"202", TRUE, 2, 2},
    {"0501", TRUE, 5, 1},      {"1-101", TRUE, 1, 1},     {"2-1203", TRUE, 12, 3},
    {"3-2-1704", TRUE, 17, 4}, {"B101", TRUE, -1, 1},     {"b203", TRUE, -2, 3},
    {"地下102", TRUE, -1, 2},  {"1203室", TRUE, 12, 3},   {"602号", TRUE, 6, 2},
    {"1203A", TRUE, 12, 3},    {"１２０３", TRUE, 12, 3}, /* full-width digits */
    {" 1203 ", TRUE, 12, 3},   {"10101", TRUE, 101, 1},   {"商铺3", FALSE, 0, 0},
    {"门卫室", FALSE, 0, 0},   {"12", FALSE, 0, 0},       {"3", FALSE, 0, 0},
    {"", FALSE, 0, 0},         {"001", FALSE, 0, 0}, /* floor 0 is no floor */
    {"A-101", FALSE, 0, 0},                          /* a word before the dash */
    {"123456", FALSE, 0, 0},                         /* too long for a room number */
    {"12-03A室", FALSE, 0, 0},                       /* "03" alone is too short */
};

static void test_floor(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMENTS(floor_cases); i++) {
        const FloorCase *c = &floor_cases[i];
        RcFloor f = {99, 99};
        gboolean ok = rc_place_floor(c->room, strlen(c->room), &f);
        if (ok != c->ok || (ok && (f.floor != c->floor || f.pos != c->pos)))
            fail_msg("room '%s': got %d floor %d pos %d, want %d floor %d pos %d", c->room, ok, f.floor,
                     f.pos, c->ok, c->floor, c->pos);
        if (!ok)
            assert_int_equal(f.floor, 99); /* untouched */
    }
}

typedef struct {
    const char *name, *want;
} MaskCase;

static const MaskCase mask_cases[] = {
    {"王小芳", "王*芳"}, {"李娜", "李*"},   {"欧阳娜娜", "欧**娜"},
    {"王", "*"},         {" 张伟 ", "张*"}, {"阿依·买买提", "阿****提"},
    {"Li Na", "L***a"},  {"", ""},          {"   ", ""},
};

static void test_mask_name(void **state)
{
    (void)state;
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < N_ELEMENTS(mask_cases); i++) {
        const MaskCase *c = &mask_cases[i];
        const char *got = rc_place_mask_name(c->name, strlen(c->name), out);
        if (strcmp(got, c->want) != 0)
            fail_msg("name '%s': got '%s', want '%s'", c->name, got, c->want);
    }
    /* invalid UTF-8 never reaches a notice */
    assert_string_equal(rc_place_mask_name("\xe7\x8e", 2, out), "");
    g_string_free(out, TRUE);
}

/* DESIGN.md section 2, Places (issue 15 item 7): a case a line. */
typedef struct {
    const char *in;
    RcPlaceKind kind;
    const char *key; /* NULL: no key */
} KeyCase;

static const KeyCase key_cases[] = {
    {"1号楼", RC_PLACE_BUILDING, "1"},
    {"1栋", RC_PLACE_BUILDING, "1"},
    {"一号楼", RC_PLACE_BUILDING, "1"},
    {"1幢", RC_PLACE_BUILDING, "1"},
    {"01", RC_PLACE_BUILDING, "1"},
    {"1", RC_PLACE_BUILDING, "1"},
    {"１号楼", RC_PLACE_BUILDING, "1"}, /* full-width */
    {"1 号楼", RC_PLACE_BUILDING, "1"},
    {"001栋", RC_PLACE_BUILDING, "1"},
    {"1号", RC_PLACE_BUILDING, "1"},
    {"1座", RC_PLACE_BUILDING, "1"},
    {"1楼", RC_PLACE_BUILDING, "1"},
    {"第一栋", RC_PLACE_BUILDING, "1"},
    {"十号楼", RC_PLACE_BUILDING, "10"},
    {"十一栋", RC_PLACE_BUILDING, "11"},
    {"二十三幢", RC_PLACE_BUILDING, "23"},
    {"一百零一号楼", RC_PLACE_BUILDING, "101"},
    {"一零一", RC_PLACE_BUILDING, "101"},
    {"两号楼", RC_PLACE_BUILDING, "2"},
    {"10号楼", RC_PLACE_BUILDING, "10"},
    {"100", RC_PLACE_BUILDING, "100"}, /* inner zeros stay */
    {"0", RC_PLACE_BUILDING, "0"},
    {"a座", RC_PLACE_BUILDING, "A"},
    {"A座", RC_PLACE_BUILDING, "A"},
    {"B01栋", RC_PLACE_BUILDING, "B1"},
    {"东区3号楼", RC_PLACE_BUILDING, "东区3"},
    {"综合楼", RC_PLACE_BUILDING, "综合"},
    {"楼", RC_PLACE_BUILDING, "楼"}, /* nothing but the word: kept */
    {"", RC_PLACE_BUILDING, NULL},
    {"  ", RC_PLACE_BUILDING, NULL},
    {"1单元", RC_PLACE_UNIT, "1"},
    {"一单元", RC_PLACE_UNIT, "1"},
    {"1", RC_PLACE_UNIT, "1"},
    {"01单元", RC_PLACE_UNIT, "1"},
    {"第二单元", RC_PLACE_UNIT, "2"},
    {"1号楼", RC_PLACE_UNIT, "1号楼"}, /* a building's words are no unit's */
};

static void test_key(void **state)
{
    (void)state;
    GString *out = g_string_new("junk");
    for (size_t i = 0; i < N_ELEMENTS(key_cases); i++) {
        const KeyCase *c = &key_cases[i];
        gboolean ok = rc_place_key(c->in, strlen(c->in), c->kind, out);
        if (ok != (c->key != NULL) || (c->key && strcmp(out->str, c->key) != 0))
            fail_msg("place key case %zu '%s': got %d '%s', want '%s'", i, c->in, ok, out->str,
                     c->key ? c->key : "(none)");
        if (!ok)
            assert_string_equal(out->str, "");
    }
    /* not NUL-terminated: the length decides */
    assert_true(rc_place_key("12号楼", strlen("1"), RC_PLACE_BUILDING, out));
    assert_string_equal(out->str, "1");
    g_string_free(out, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floor),
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_mask_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

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
    { "1203", TRUE, 12, 3 },
    { "101", TRUE, 1, 1 },
    { "3302", TRUE, 33, 2 },
    { "0501", TRUE, 5, 1 },
    { "1-101", TRUE, 1, 1 },
    { "2-1203", TRUE, 12, 3 },
    { "3-2-1704", TRUE, 17, 4 },
    { "B101", TRUE, -1, 1 },
    { "b203", TRUE, -2, 3 },
    { "地下102", TRUE, -1, 2 },
    { "1203室", TRUE, 12, 3 },
    { "602号", TRUE, 6, 2 },
    { "1203A", TRUE, 12, 3 },
    { "１２０３", TRUE, 12, 3 },         /* full-width digits */
    { " 1203 ", TRUE, 12, 3 },
    { "10101", TRUE, 101, 1 },
    { "商铺3", FALSE, 0, 0 },
    { "门卫室", FALSE, 0, 0 },
    { "12", FALSE, 0, 0 },
    { "3", FALSE, 0, 0 },
    { "", FALSE, 0, 0 },
    { "001", FALSE, 0, 0 },             /* floor 0 is no floor */
    { "A-101", FALSE, 0, 0 },           /* a word before the dash */
    { "123456", FALSE, 0, 0 },          /* too long for a room number */
    { "12-03A室", FALSE, 0, 0 },        /* "03" alone is too short */
};

static void
test_floor(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMENTS(floor_cases); i++) {
        const FloorCase *c = &floor_cases[i];
        RcFloor f = { 99, 99 };
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
    { "王小芳", "王*芳" },
    { "李娜", "李*" },
    { "欧阳娜娜", "欧**娜" },
    { "王", "*" },
    { " 张伟 ", "张*" },
    { "阿依·买买提", "阿****提" },
    { "Li Na", "L***a" },
    { "", "" },
    { "   ", "" },
};

static void
test_mask_name(void **state)
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floor),
        cmocka_unit_test(test_mask_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

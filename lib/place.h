/* place: what a room number says about where a home is, and names as a
 * building's messaging group may see them (DESIGN.md section 7). Pure
 * functions over (ptr, len); nothing here allocates but into a caller's
 * GString. */
#ifndef RC_PLACE_H
#define RC_PLACE_H

#include <glib.h>

/* A room's place in a floor plan: FLOOR is 12 for "1203", 1 for "1-101",
 * -1 for "B101" (a basement); POS is the room's position on its floor (3 for
 * "1203"). */
typedef struct {
    int floor;
    int pos;
} RcFloor;

/* Reads the floor and position from the room (S, LEN) as written in a
 * roster, after NFKC: the last group of 3 to 5 digits (after any "N-" unit or
 * building prefix, before a 室/号/房 suffix or one letter) is floor and
 * position, its last two digits the position; a leading B, "-" or 地下 makes
 * a basement. Returns FALSE (and leaves *OUT alone) when the room gives no
 * floor: empty, fewer than 3 digits, or words ("商铺3", "门卫室"). */
gboolean rc_place_floor(const char *s, gsize len, RcFloor *out);

/* Writes into OUT (overwritten) the name (S, LEN) masked for a notice that
 * leaves the committee's hands: trimmed, the first and the last character
 * kept and each one between them a '*' ("王小芳" -> "王*芳", "欧阳娜娜" ->
 * "欧**娜"); a two-character name keeps its first ("李娜" -> "李*"); one
 * character becomes "*". Returns OUT->str. */
const char *rc_place_mask_name(const char *s, gsize len, GString *out);

typedef enum { RC_PLACE_BUILDING, RC_PLACE_UNIT } RcPlaceKind;

/* DESIGN.md section 2, Places: writes into OUT (overwritten) the key by which
 * a building (or a unit, KIND) is compared: after NFKC, Chinese numerals as
 * digits (十一 11, 一百零一 101), spaces dropped, ASCII letters upper case,
 * the words 号楼 号 栋 幢 座 楼 (a unit: 单元) after it and 第 before a number
 * dropped, and each number's leading zeros: "1号楼", "1栋", "一号楼", "1幢",
 * "01" and "1" all key "1". Returns FALSE when nothing is left (OUT empty):
 * the caller compares such a value as written. */
gboolean rc_place_key(const char *s, gsize len, RcPlaceKind kind, GString *out);

#endif

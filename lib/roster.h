/* roster: the residents of a merge (DESIGN.md section 3.1) — an array of
 * 104-byte records whose strings live in one arena, the id and name indexes
 * that matching probes, the texts of few distinct values (places, result
 * words) numbered once, and the rosters' extra columns. It also defines the
 * record a roster row's preparation carries from the parser thread to the
 * thread that stores it (rc_roster_prep_write / rc_roster_prep_read).
 *
 * The roster owns everything it hands out; pointers stay valid until
 * rc_roster_free(). The indexes are freed by rc_roster_drop_indexes(), when
 * nothing looks residents up any more. */
#ifndef RC_ROSTER_H
#define RC_ROSTER_H

#include <string.h>

#include "norm.h"
#include "place.h"

/* Resident flags (besides the id's RC_ID_* bits kept in id_flags). */
enum {
    RC_RES_NAME_DIFFERS = 1u << 0,        /* the deciding sample matched by id under another name */
    RC_RES_RAGGED = 1u << 1,              /* the roster row had more or fewer fields than its header */
    RC_RES_EXEMPT = 1u << 2,              /* the status column matches the exempt pattern */
    RC_RES_ID_PACKED = 1u << 3,           /* id.packed holds a mainland id, not id.str */
    RC_RES_RESULT_UNRECOGNISED = 1u << 4, /* the deciding result is review for a sign of positivity */
    RC_RES_PLACE_INHERITED = 1u << 5,     /* a place cell took the row above's value (DESIGN.md section 1) */
    RC_RES_SEVERAL = 1u << 6,             /* more than one sample applied (the merge's duplicate check) */
    RC_RES_NAME_MASKED = 1u << 7,         /* the deciding sample's name was masked (侯*玲) */
};

/* One resident: 104 bytes, a million of them at a time, so fields are
 * packed by size, short texts are numbers (rc_roster_text()) and the small
 * fields share one word. */
typedef struct {
    /* from the roster (strings in the roster's arena; "" when absent) */
    const char *name; /* as written, trimmed */
    /* The id: read it with rc_resident_id() and rc_resident_id_raw(). A
     * mainland id is packed in 64 bits (RC_RES_ID_PACKED), saving its 19
     * bytes in the arena; any other is rc_norm_id's string, or the cell as
     * written when a spreadsheet mangled it (RC_ID_MANGLED). */
    union {
        const char *str;
        guint64 packed;
    } id;
    const char *phone;  /* rc_norm_phone */
    const char *extras; /* the file's extra fields joined by '\x1f' */
    guint32 name_id;    /* rc_roster_name_id() of the name key (rc_norm_name); 0: no name */
    guint32 household;  /* rc_roster_household(); 0: a household alone */
    /* the sample that decides the state (none: match == RC_MATCH_NONE) */
    RcTime sampled_at; /* RC_TIME_NONE when absent */
    RcTime reported_at;
    guint64 seq; /* input order of the deciding sample */
    /* texts of few distinct values, as rc_roster_text() numbers (0 is "") */
    guint32 building, unit, room; /* rc_norm_text */
    guint32 result_raw;           /* the deciding sample's result, trimmed */
    guint32 file;                 /* index into the merge's inputs */
    guint32 line;
    guint32 next_same_name;  /* index + 1 of the next resident with this name_id */
    guint32 status;          /* the status column as written, trimmed (DESIGN.md section 1) */
    unsigned id_flags : 8;   /* RC_ID_* */
    unsigned flags : 8;      /* RC_RES_* */
    signed state : 4;        /* RcState, final after the merge finishes */
    signed sample_state : 4; /* what the deciding sample said */
    unsigned match : 4;      /* RcMatch (merge.h) */
} RcResident;

/* The normalised id, "" when none or unusable; BUF holds it when packed.
 * Returns BUF or a string of the roster's. */
#define RC_RESIDENT_ID_BUF 19
const char *rc_resident_id(const RcResident *r, char buf[RC_RESIDENT_ID_BUF]);

/* The id cell as written when a spreadsheet mangled it, else "". */
static inline const char *rc_resident_id_raw(const RcResident *r)
{
    return (r->id_flags & RC_ID_MANGLED) ? r->id.str : "";
}

/* Packs an 18-character mainland id (17 digits and a check character) in
 * 64 bits, never 0; 0 when ID is not one. */
guint64 rc_id_pack(const char *id);

/* 64-bit FNV-1a of a name key (rc_norm_name), never 0. */
guint64 rc_name_hash(const char *key);

/* The next phone of an rc_norm_phone() list ('/' between) at *AT, and its
 * length in *LEN; NULL after the last. */
static inline const char *rc_phone_next(const char **at, gsize *len)
{
    const char *p = *at;
    while (*p == '/')
        p++;
    if (!*p)
        return NULL;
    *len = strcspn(p, "/");
    *at = p + *len;
    return p;
}

typedef struct RcRoster RcRoster;

/* An empty roster. Owned: rc_roster_free(). */
RcRoster *rc_roster_new(void);
void rc_roster_free(RcRoster *ro);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcRoster, rc_roster_free)

/* A copy of (S, LEN) in the arena ("" when LEN is 0). */
const char *rc_roster_str(RcRoster *ro, const char *s, gsize len);

/* The number of text S, numbered now if new. Equal texts have one number. */
guint32 rc_roster_intern(RcRoster *ro, const char *s);
/* The text numbered ID, and how many there are: numbers run from 0 ("")
 * to the count - 1. */
const char *rc_roster_text(const RcRoster *ro, guint32 id);
guint32 rc_roster_n_texts(const RcRoster *ro);

/* The number of name key KEY (rc_norm_name), 1 and up; numbered now if new
 * and ADD, else 0 when no resident has it. Equal keys have one number, so
 * rescue compares names by number. */
guint32 rc_roster_name_id(RcRoster *ro, const char *key, gboolean add);
/* The same, given KEY's rc_name_hash() HASH. */
guint32 rc_roster_name_id_hashed(RcRoster *ro, const char *key, guint64 hash, gboolean add);
/* The key numbered NAME_ID ("" for 0). */
const char *rc_roster_name_key(const RcRoster *ro, guint32 name_id);
/* How many residents have the name numbered NAME_ID. */
guint rc_roster_n_named(const RcRoster *ro, guint32 name_id);

/* A 64-bit key of a building's or unit's place group (KIND; TEXT of LEN
 * bytes after rc_norm_text, the group as rc_roster_place() makes it), 0 for
 * "": every spelling of one group has one key. SCRATCH is the caller's. */
guint64 rc_roster_place_hash(RcPlaceKind kind, const char *text, gsize len, GString *scratch);
/* The key of a household (DESIGN.md section 3.2): the household column's
 * text HH (HH_LEN bytes after rc_norm_text) within the building when not
 * empty, else the building, unit and room (ROOM, after rc_norm_text) when
 * there is a room; 0 (a household alone) otherwise. BUILDING and UNIT are
 * rc_roster_place_hash()es. Needs no roster: the parser thread makes it. */
guint64 rc_roster_household_key(const char *hh, gsize hh_len, guint64 building, guint64 unit,
                                const char *room, gsize room_len);
/* The number of the household of KEY (rc_roster_household_key()), 1 and
 * up, numbered now if new; 0 for KEY 0. */
guint32 rc_roster_household(RcRoster *ro, guint64 key);

/* Makes room for N more residents in the id index, so that it need not
 * grow (moving every entry at each doubling) while a roster of about N
 * rows is read; an estimate: more still fit, and fewer only cost the room
 * (12 bytes a slot). The residents' array grows without a copy anyway,
 * and the name and household indexes grow as they fill: sized for every
 * resident, they were twice to eight times what names as frequent as in
 * life fill, and slower at city scale for it. */
void rc_roster_reserve(RcRoster *ro, gsize n);

/* Stores RES (its strings already in the arena) as the next resident and
 * indexes it by its id (ID_KEY: its rc_id_pack(), else RES's id.str when
 * USABLE_ID), by its name_id (when not 0), by name and each phone, and by
 * household and name. The caller has checked that the id is new. Returns
 * its index + 1. */
guint rc_roster_add(RcRoster *ro, const RcResident *res, guint64 id_key, gboolean usable_id);

/* What the lookups below return when several residents fit. The rescue
 * indexes they use are built when first asked, from every resident then in
 * the roster (a resident added later makes them be built again). */
#define RC_ROSTER_SEVERAL G_MAXUINT32
/* The resident (index + 1) named NAME_ID with the phone (P, LEN) (one
 * phone, as between the '/' of rc_norm_phone); 0 or RC_ROSTER_SEVERAL. */
guint rc_roster_find_name_phone(RcRoster *ro, guint32 name_id, const char *p, gsize len);
/* The resident named NAME_ID whose household holds a resident with the
 * phone (P, LEN); 0 or RC_ROSTER_SEVERAL. Valid after rc_roster_complete(). */
guint rc_roster_find_name_household_phone(RcRoster *ro, guint32 name_id, const char *p, gsize len);
/* The residents (index + 1) with the phone (P, LEN), at most MAX of them
 * into OUT; returns how many there are (more than MAX: MAX + 1). */
guint rc_roster_phone_holders(RcRoster *ro, const char *p, gsize len, guint *out, guint max);
/* Views of a resident by its name and part of a value, for rescue with a
 * masked value (DESIGN.md section 3.2, issue 16 item 2): the residents of a
 * name whose value shows the same part are a short chain, whatever the
 * number of residents of the name. Each chain may hold residents whose
 * value differs elsewhere (or, rarely, of another name): callers check. */
typedef enum {
    RC_VIEW_PHONE_ENDS, /* a phone's length, first 3 and last 4 digits */
    RC_VIEW_ID_TAIL,    /* a usable id's length and last 4 characters */
    RC_VIEW_ID_HEAD,    /* a usable id's length and first 14 characters */
    RC_VIEW_MANGLED,    /* the known digits (7 to 14 of them) of an id stored as a number */
    RC_VIEW_COUNT
} RcView;
/* The part of (S, LEN) view V looks at, into OUT (at least 32 bytes):
 * its length, 0 when S does not show it (a '*' there, too short). For
 * RC_VIEW_MANGLED, S is rc_norm_id_sci_mask()'s mask, or a full id whose
 * first KNOWN (7 to 14) digits are taken; KNOWN is ignored elsewhere. */
gsize rc_view_part(RcView v, const char *s, gsize len, guint known, char *out);
/* Where a walk through a view's residents is. */
typedef struct {
    gconstpointer at;
    gsize left;
} RcRosterWalk;
/* The first resident (index + 1) of NAME_ID whose value shows PART in
 * view V, 0 when none; *AT keeps the place for rc_roster_view_next(). */
guint rc_roster_view_first(RcRoster *ro, RcView v, guint32 name_id, const char *part, gsize len,
                           RcRosterWalk *at);
guint rc_roster_view_next(RcRoster *ro, RcView v, RcRosterWalk *at);
/* The resident of HOUSEHOLD (not 0) named NAME_ID; 0 or RC_ROSTER_SEVERAL. */
guint rc_roster_find_household_name(RcRoster *ro, guint32 household, guint32 name_id);

/* The resident (index + 1) whose normalised id is ID, whose rc_id_pack() is
 * KEY (0: not a mainland id; else ID may be NULL); 0 when none. */
guint rc_roster_find_id(const RcRoster *ro, guint64 key, const char *id);
/* Where a usable id outside the mainland form (18 digits, or 17 and an X)
 * has anything but a digit: bit I for position I (bit 63: 63 or beyond).
 * A probe with a letter elsewhere finds no one (rescue's id typos). */
guint64 rc_roster_id_letter_positions(const RcRoster *ro);
/* The latest resident (index + 1) named NAME_ID; the others follow
 * through next_same_name. 0 when none. */
guint rc_roster_first_named(const RcRoster *ro, guint32 name_id);

/* DESIGN.md section 2, Places: the number of the building (KIND
 * RC_PLACE_BUILDING) or unit TEXT (not empty, after rc_norm_text) as a
 * resident carries it: every spelling of one rc_place_key() has its first
 * spelling's number, and rc_roster_complete() changes each to the spelling
 * met most often (on a tie, the first). Counts one resident's spelling. */
guint32 rc_roster_place(RcRoster *ro, RcPlaceKind kind, const char *text);

/* Every resident, in roster order (borrowed; moves when one is added). */
RcResident *rc_roster_residents(RcRoster *ro, guint *n);
/* The roster is complete: gives back the slack of the array's growth and
 * indexes each household's phones. Again is harmless. */
void rc_roster_complete(RcRoster *ro);
/* Nothing looks residents up any more: frees the indexes. */
void rc_roster_drop_indexes(RcRoster *ro);

/* The extra columns of the roster file numbered FILE (NAMES, N of them):
 * each is given a place in the union of all rosters' extras, in order of
 * first appearance. */
void rc_roster_add_extras(RcRoster *ro, guint file, const char *const *names, guint n);
/* The union, NULL-terminated, and its length in *N. */
const char *const *rc_roster_extra_columns(const RcRoster *ro, guint *n);
/* For file FILE, where each of its extras goes in the union; NULL for a
 * file that was no roster. */
const guint *rc_roster_extra_map(const RcRoster *ro, guint file);

/* ---- a roster row prepared in the parser thread ----
 * Every normalisation of a roster row, made where the row is parsed so that
 * the thread that stores residents only copies and indexes. */
typedef struct {
    guint idflags;   /* RC_ID_* of rc_norm_id */
    gboolean exempt; /* the status matches the exempt pattern */
    /* rc_norm_id, rc_norm_name, rc_norm_phone and rc_norm_text of the
     * building, unit and room: NUL-terminated, at most RC_NORM_CAP - 1 bytes */
    const char *id, *key, *phone, *place[3];
    gsize idlen, keylen, phonelen, place_len[3];
    guint64 household_key; /* rc_roster_household_key() */
    /* made by rc_roster_prep_write(), read back by rc_roster_prep_read() */
    guint64 id_key;    /* rc_id_pack() of the id, 0 when none */
    guint64 name_hash; /* rc_name_hash() of the key, 0 when none */
} RcRosterPrep;

/* The most bytes rc_roster_prep_write() writes. */
#define RC_ROSTER_PREP_MAX (48 + 6 * RC_NORM_CAP)

/* Writes P into OUT (at least RC_ROSTER_PREP_MAX bytes, any alignment);
 * returns the length written. */
gsize rc_roster_prep_write(const RcRosterPrep *p, char *out);
/* Reads what rc_roster_prep_write() wrote into (BUF, LEN) back into *P,
 * whose strings then point into BUF. */
void rc_roster_prep_read(const char *buf, gsize len, RcRosterPrep *p);

/* ---- looking ahead (RcTableSink's ahead()) ----
 * Prefetches, at STAGE (0 first), what storing the prepared roster row
 * (BUF, LEN) will touch: the index slots of its id, name and household,
 * then what they lead to. Changes nothing. */
void rc_roster_prep_ahead(const RcRoster *ro, const char *buf, gsize len, guint stage);
/* Prefetches the id index's slot of ID_KEY (rc_id_pack()'s, not 0). */
void rc_roster_ahead_id(const RcRoster *ro, guint64 id_key);
/* Prefetches, at STEP (0 first), what matching a result to resident IDX
 * (index + 1) will touch: its record, then its name key's entry, then the
 * key's text. */
void rc_roster_ahead_resident(const RcRoster *ro, guint idx, guint step);

#endif

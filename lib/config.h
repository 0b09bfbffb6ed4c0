/* config: the tunable vocabulary of a run — column aliases per kind and role,
 * the result vocabulary (one regex list per result state) and the status
 * phrases — with DESIGN.md's defaults, optionally extended or replaced from a
 * GKeyFile .ini (--config). The config owns every string it hands out. */
#ifndef RC_CONFIG_H
#define RC_CONFIG_H

#include "rc.h"

#define RC_CONFIG_ERROR rc_config_error_quark()
GQuark rc_config_error_quark(void);

typedef enum {
    RC_CONFIG_ERROR_READ,  /* file missing or not a key file */
    RC_CONFIG_ERROR_VALUE, /* a key we know holds an unusable value */
} RcConfigError;

typedef struct RcConfig RcConfig;

/* A config with DESIGN.md's defaults. Owned: rc_config_free(). */
RcConfig *rc_config_new(void);
void rc_config_free(RcConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcConfig, rc_config_free)

/* The largest config file read (a vocabulary of 200,000 words is 2.5 MB). */
#define RC_CONFIG_MAX (16 << 20)

/* Reads PATH, a regular file (a FIFO, device or directory is refused before
 * anything is read) of at most RC_CONFIG_MAX bytes, in GKeyFile syntax:
 *   [roster] / [results]   ROLE = alias;alias;...   adds header aliases
 *   [vocabulary]           STATE = regex;regex;...  replaces that state's list
 *   [exempt]               phrases = regex;regex;...  adds exempt phrases
 *                          not = regex;regex;...      adds phrases that negate or end one
 *                          pattern = regex            replaces every exempt phrase
 * Unknown groups or keys are errors, so that a typo is not ignored. */
gboolean rc_config_load(RcConfig *cfg, const char *path, GError **error);

/* The file rc_config_load() read last (for messages), NULL when none. Borrowed. */
const char *rc_config_path(const RcConfig *cfg);

/* Header aliases for ROLE in tables of KIND, NULL-terminated, borrowed. */
const char *const *rc_config_aliases(const RcConfig *cfg, RcKind kind, RcRole role);

/* Regexes (PCRE2 syntax, matched whole and caseless against the normalised
 * result text) for a result STATE (negative .. pending), NULL-terminated,
 * borrowed. */
const char *const *rc_config_vocabulary(const RcConfig *cfg, RcState state);

/* DESIGN.md section 2, Status: the phrases (PCRE2, caseless, unanchored)
 * that make a roster row's status exempt, and those that negate or end one
 * (tried first). NULL-terminated, borrowed; no entry is empty. */
const char *const *rc_config_exempt(const RcConfig *cfg);
const char *const *rc_config_not_exempt(const RcConfig *cfg);

#endif

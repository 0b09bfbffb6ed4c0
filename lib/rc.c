/* rc: name tables for the shared enums. */
#include "rc.h"

#include <string.h>

static const char *const kind_names[RC_KIND_COUNT] = {"roster", "results"};

static const char *const role_names[RC_ROLE_COUNT] = {
    "id",     "name",       "building",    "unit", "room", "phone", "status",
    "result", "sampled_at", "reported_at", "tube", "site", "lab",   "household",
};

static const char *const state_names[RC_STATE_COUNT] = {
    "negative", "positive", "review", "invalid", "pending", "missing", "exempt",
};

const char *rc_kind_name(RcKind kind)
{
    return (kind >= 0 && kind < RC_KIND_COUNT) ? kind_names[kind] : "?";
}

const char *rc_role_name(RcRole role)
{
    return (role >= 0 && role < RC_ROLE_COUNT) ? role_names[role] : "extra";
}

const char *rc_state_name(RcState state)
{
    return (state >= 0 && state < RC_STATE_COUNT) ? state_names[state] : "unknown";
}

RcState rc_state_from_name(const char *name)
{
    for (int i = 0; i < RC_STATE_COUNT; i++)
        if (strcmp(name, state_names[i]) == 0)
            return (RcState)i;
    return RC_STATE_UNKNOWN;
}

gsize rc_utf8_cut(const char *s, gsize len, gsize max)
{
    if (len <= max)
        return len;
    gsize n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) /* s[n] continues a character */
        n--;
    return n;
}

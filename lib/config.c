/* config: defaults from DESIGN.md sections 1 and 2, overrides from a key file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(rc - config - error - quark, rc_config_error)

struct RcConfig {
    GPtrArray *aliases[RC_KIND_COUNT][RC_ROLE_COUNT]; /* char*, NULL-terminated */
    GPtrArray *vocab[RC_RESULT_STATES];               /* char*, NULL-terminated */
    GPtrArray *exempt;                                /* char*, NULL-terminated: phrases that exempt */
    GPtrArray *not_exempt; /* char*, NULL-terminated: phrases that negate or end one */
    char *path;            /* the file read last; NULL: the defaults only */
};

/* DESIGN.md section 1: default header aliases. Results take the roster's id,
 * name and phone aliases too. */
static const char *const roster_aliases[RC_ROLE_COUNT] = {
    [RC_ROLE_ID] =
        "证件号码;身份证号;身份证号码;身份证;证件号;公民身份号码;身份号;id;id_number;id_no;idnumber",
    [RC_ROLE_NAME] = "姓名;name",
    [RC_ROLE_BUILDING] = "楼号;楼栋;栋;幢;楼;building",
    [RC_ROLE_UNIT] = "单元;unit",
    [RC_ROLE_ROOM] = "室号;房号;房间;房间号;门牌号;room",
    [RC_ROLE_HOUSEHOLD] = "户号;户编号;household",
    [RC_ROLE_PHONE] = "手机号;手机号码;联系电话;联系方式;电话;电话号码;phone;mobile",
    [RC_ROLE_STATUS] = "状态;在住状态;人员状态;备注;status",
};

static const char *const results_aliases[RC_ROLE_COUNT] = {
    [RC_ROLE_ID] =
        "证件号码;身份证号;身份证号码;身份证;证件号;公民身份号码;身份号;id;id_number;id_no;idnumber",
    [RC_ROLE_NAME] = "姓名;name",
    [RC_ROLE_PHONE] = "手机号;手机号码;联系电话;联系方式;电话;电话号码;phone;mobile",
    [RC_ROLE_RESULT] = "检测结果;结果;核酸结果;采样结果;result",
    [RC_ROLE_SAMPLED_AT] = "采样时间;采集时间;sampled_at;sample_time",
    [RC_ROLE_REPORTED_AT] = "检测时间;报告时间;结果时间;reported_at",
    [RC_ROLE_TUBE] = "管号;试管编码;试管编号;样本编码;tube",
    [RC_ROLE_SITE] = "采样点;采样地点;site",
    [RC_ROLE_LAB] = "检测机构;检测公司;lab",
};

/* DESIGN.md section 2: result vocabulary, tried in the order review,
 * positive, negative, invalid, pending. Regexes, matched whole. */
static const char *const default_vocab[RC_RESULT_STATES] = {
    [RC_STATE_REVIEW] = "混管阳性;混采阳性;待复核;复核;可疑;可疑阳性;疑似;弱阳性;阳性待复核;review",
    [RC_STATE_POSITIVE] = "阳性;阳;检出;单采阳性;positive;pos;detected;\\+;\\(\\+\\)",
    [RC_STATE_NEGATIVE] = "阴性;阴;未检出;单采阴性;混采阴性;negative;neg;not detected;-;\\(-\\)",
    [RC_STATE_INVALID] = "无效;不合格;样本不合格;样本异常;invalid;rejected",
    [RC_STATE_PENDING] = ";待检测;检测中;未出结果;pending",
};

/* DESIGN.md section 2, Status. A place's one-character name: provinces'
 * and a few cities' short names, as 离沪 / 返沪 write them (离休, 离退,
 * 离异, 离婚, 离职 name no place, so they never match). */
#define PLACE_CHARS                                                                                          \
    "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川蜀贵黔云滇藏陕甘陇青宁新港澳台杭穗深汉蓉甬锡厦榕邕昆"

/* Phrases (regexes, unanchored, caseless) that say the person is not there:
 * away, in hospital, the home empty, deceased. */
static const char *const default_exempt =
    "外出;离开;离[" PLACE_CHARS "境市];外地;外省;出差;出国;出境;境外;国外;返乡;回老家;"
    "住院;空关;空置;空房;不在住;人户分离;搬离;搬走;迁出;"
    "已故;病故;去世;离世;身故;死亡;集中隔离;免检;"
    "away;exempt;abroad;deceased;moved out;in hospital;hospitali[sz]ed";

/* Phrases that negate or end an absence: tried first, so "居家不外出",
 * "外出已返回" and "已出院" exempt nobody. */
static const char *const default_not_exempt =
    "不外出;未外出;居家;在家;返回;回来;返[" PLACE_CHARS "];来[" PLACE_CHARS "];抵[" PLACE_CHARS "];"
    "出院;上门;returned;back home;at home";

static void list_add_split(GPtrArray *list, const char *semi)
{
    /* The array is kept NULL-terminated: drop the terminator, append, restore. */
    if (list->len > 0 && g_ptr_array_index(list, list->len - 1) == NULL)
        g_ptr_array_set_size(list, list->len - 1);
    g_auto(GStrv) parts = g_strsplit(semi, ";", -1);
    for (char **p = parts; *p; p++)
        g_ptr_array_add(list, g_strstrip(g_strdup(*p)));
    g_ptr_array_add(list, NULL);
}

/* list_add_split() without empty entries: an empty phrase would match every
 * status. */
static void phrases_add_split(GPtrArray *list, const char *semi)
{
    g_auto(GStrv) parts = g_strsplit(semi, ";", -1);
    if (list->len > 0 && g_ptr_array_index(list, list->len - 1) == NULL)
        g_ptr_array_set_size(list, list->len - 1);
    for (char **p = parts; *p; p++) {
        g_strstrip(*p);
        if (**p)
            g_ptr_array_add(list, g_strdup(*p));
    }
    g_ptr_array_add(list, NULL);
}

static GPtrArray *list_new(const char *semi)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(list, NULL);
    if (semi)
        list_add_split(list, semi);
    return list;
}

RcConfig *rc_config_new(void)
{
    RcConfig *cfg = g_new0(RcConfig, 1);
    for (int r = 0; r < RC_ROLE_COUNT; r++) {
        cfg->aliases[RC_KIND_ROSTER][r] = list_new(roster_aliases[r]);
        cfg->aliases[RC_KIND_RESULTS][r] = list_new(results_aliases[r]);
    }
    for (int s = 0; s < RC_RESULT_STATES; s++)
        cfg->vocab[s] = list_new(default_vocab[s]);
    cfg->exempt = list_new(NULL);
    phrases_add_split(cfg->exempt, default_exempt);
    cfg->not_exempt = list_new(NULL);
    phrases_add_split(cfg->not_exempt, default_not_exempt);
    return cfg;
}

void rc_config_free(RcConfig *cfg)
{
    if (!cfg)
        return;
    for (int k = 0; k < RC_KIND_COUNT; k++)
        for (int r = 0; r < RC_ROLE_COUNT; r++)
            g_ptr_array_unref(cfg->aliases[k][r]);
    for (int s = 0; s < RC_RESULT_STATES; s++)
        g_ptr_array_unref(cfg->vocab[s]);
    g_ptr_array_unref(cfg->exempt);
    g_ptr_array_unref(cfg->not_exempt);
    g_free(cfg->path);
    g_free(cfg);
}

/* S for a message: whole, or its first QUOTE_MAX bytes cut on a character
 * boundary and how long it was, so that a config file's line of megabytes
 * is never quoted whole (issue 13 item 12). Owned: g_free(). */
#define QUOTE_MAX 80
static char *quote(const char *s, gsize max)
{
    gsize n = strlen(s);
    if (n <= max)
        return g_strdup(s);
    const char *end;
    g_utf8_validate(s, (gssize)max, &end);
    return g_strdup_printf("%.*s... (%" G_GSIZE_FORMAT " bytes)", (int)(end - s), s, n);
}

static RcRole role_from_name(const char *name)
{
    for (int r = 0; r < RC_ROLE_COUNT; r++)
        if (strcmp(name, rc_role_name((RcRole)r)) == 0)
            return (RcRole)r;
    return RC_ROLE_NONE;
}

static gboolean load_group(RcConfig *cfg, GKeyFile *kf, const char *path, const char *group, GError **error)
{
    g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
    for (char **k = keys; k && *k; k++) {
        g_autofree char *val = g_key_file_get_string(kf, group, *k, NULL);
        if (!val)
            val = g_strdup("");
        if (strcmp(group, "roster") == 0 || strcmp(group, "results") == 0) {
            RcKind kind = strcmp(group, "roster") == 0 ? RC_KIND_ROSTER : RC_KIND_RESULTS;
            RcRole role = role_from_name(*k);
            if (role == RC_ROLE_NONE) {
                g_autofree char *q = quote(*k, QUOTE_MAX);
                g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_VALUE,
                            "%s: [%s]: unknown column role '%s'", path, group, q);
                return FALSE;
            }
            list_add_split(cfg->aliases[kind][role], val);
        } else if (strcmp(group, "vocabulary") == 0) {
            RcState st = rc_state_from_name(*k);
            if (st < 0 || st >= RC_RESULT_STATES) {
                g_autofree char *q = quote(*k, QUOTE_MAX);
                g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_VALUE,
                            "%s: [vocabulary]: unknown result state '%s'", path, q);
                return FALSE;
            }
            g_ptr_array_unref(cfg->vocab[st]);
            cfg->vocab[st] = list_new(val);
        } else if (strcmp(group, "exempt") == 0 && strcmp(*k, "pattern") == 0) {
            /* the one regex replaces every exempt phrase; empty: nobody */
            g_ptr_array_unref(cfg->exempt);
            cfg->exempt = list_new(NULL);
            g_strstrip(val);
            if (*val)
                g_ptr_array_insert(cfg->exempt, 0, g_strdup(val));
        } else if (strcmp(group, "exempt") == 0 && strcmp(*k, "phrases") == 0) {
            phrases_add_split(cfg->exempt, val);
        } else if (strcmp(group, "exempt") == 0 && strcmp(*k, "not") == 0) {
            phrases_add_split(cfg->not_exempt, val);
        } else {
            g_autofree char *q = quote(*k, QUOTE_MAX);
            g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_VALUE, "%s: [%s]: unknown key '%s'", path,
                        group, q);
            return FALSE;
        }
    }
    return TRUE;
}

/* Reads the whole of PATH, a regular file of at most RC_CONFIG_MAX bytes.
 * Opened without blocking (issue 13 item 12): a FIFO with no writer would
 * block open() for ever, so what is not a regular file is refused before
 * anything is read; the file is then read as usual (blocking again). */
static char *read_config(const char *path, gsize *len, GError **error)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_READ, "%s: %s", path, g_strerror(e));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const char *what = S_ISFIFO(st.st_mode)   ? "a FIFO"
                           : S_ISDIR(st.st_mode)  ? "a directory"
                           : S_ISCHR(st.st_mode)  ? "a character device"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not readable";
        g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_READ,
                    "%s: a config file must be a regular file, not %s", path, what);
        close(fd);
        return NULL;
    }
    if (st.st_size > RC_CONFIG_MAX) {
        g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_READ,
                    "%s: %lld bytes, more than a config file may hold (%d MiB)", path, (long long)st.st_size,
                    RC_CONFIG_MAX >> 20);
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    GString *buf = g_string_sized_new((gsize)st.st_size + 1);
    char chunk[65536];
    gboolean ok = TRUE;
    while (ok) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_READ, "%s: %s", path, g_strerror(e));
            ok = FALSE;
            break;
        }
        if (n == 0)
            break;
        if (buf->len + (gsize)n > RC_CONFIG_MAX) { /* grew while read */
            g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_READ,
                        "%s: more than a config file may hold (%d MiB)", path, RC_CONFIG_MAX >> 20);
            ok = FALSE;
            break;
        }
        g_string_append_len(buf, chunk, n);
    }
    close(fd);
    if (!ok) {
        g_string_free(buf, TRUE);
        return NULL;
    }
    *len = buf->len;
    return g_string_free(buf, FALSE);
}

gboolean rc_config_load(RcConfig *cfg, const char *path, GError **error)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) local = NULL;
    /* Lists are split on ';' ourselves so that regexes keep their commas. */
    g_key_file_set_list_separator(kf, '\x1f');
    gsize len;
    g_autofree char *text = read_config(path, &len, error);
    if (!text)
        return FALSE;
    if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &local)) {
        /* GLib's message quotes the line at fault, whatever its length */
        g_autofree char *q = quote(local->message, 4 * QUOTE_MAX);
        g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_READ, "%s: %s", path, q);
        return FALSE;
    }
    g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
    for (char **g = groups; *g; g++) {
        if (strcmp(*g, "roster") != 0 && strcmp(*g, "results") != 0 && strcmp(*g, "vocabulary") != 0 &&
            strcmp(*g, "exempt") != 0) {
            g_autofree char *q = quote(*g, QUOTE_MAX);
            g_set_error(error, RC_CONFIG_ERROR, RC_CONFIG_ERROR_VALUE,
                        "%s: unknown group [%s] (known: roster, results, vocabulary, exempt)", path, q);
            return FALSE;
        }
        if (!load_group(cfg, kf, path, *g, error))
            return FALSE;
    }
    g_free(cfg->path);
    cfg->path = g_strdup(path);
    return TRUE;
}

const char *rc_config_path(const RcConfig *cfg)
{
    return cfg->path;
}

const char *const *rc_config_aliases(const RcConfig *cfg, RcKind kind, RcRole role)
{
    return (const char *const *)cfg->aliases[kind][role]->pdata;
}

const char *const *rc_config_vocabulary(const RcConfig *cfg, RcState state)
{
    return (const char *const *)cfg->vocab[state]->pdata;
}

const char *const *rc_config_exempt(const RcConfig *cfg)
{
    return (const char *const *)cfg->exempt->pdata;
}

const char *const *rc_config_not_exempt(const RcConfig *cfg)
{
    return (const char *const *)cfg->not_exempt->pdata;
}

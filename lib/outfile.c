/* outfile: see outfile.h. Every output, in place or not, is written through
 * a descriptor we own (a duplicate for standard output) wrapped in a
 * fopencookie() stream, so that the first write error's errno is kept for
 * the message instead of being lost behind ferror(). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* fopencookie */
#endif
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STREAM_BUFFER ((size_t)1 << 20)
#define MAX_TEMPS     64
/* Room left in a file name for ".", ".XXXXXX" under NAME_MAX (255). */
#define MAX_BASE 200

G_DEFINE_QUARK(rc - outfile - error - quark, rc_outfile_error)

struct RcOutFile {
    char *path;        /* as the caller gave it */
    const char *shown; /* what messages call it */
    char *target;      /* absolute name rename replaces; NULL when in place */
    char *temp;        /* the temporary, NULL when a stream writes in place */
    int fd;            /* the stream's descriptor, or an in-place target's */
    int lock_fd;       /* the temporary, open for its flock() until renamed or removed */
    FILE *stream;
    char *buf;
    int werr; /* errno of the first failed write, flush, sync or close */
    int slot; /* registry slot of temp, -1 when not registered */
    gboolean in_place;
    gboolean by_name; /* rc_outfile_open_path() */
    gboolean done;    /* committed or aborted */
};

/* ---- the registry of live temporaries ----
 * Writers take the lock; a signal handler only reads. A slot's path is
 * complete before `used` is set and `used` is cleared before the path can
 * change, so the handler never sees half a name. */
static struct {
    volatile sig_atomic_t used;
    char path[PATH_MAX];
} temps[MAX_TEMPS];
G_LOCK_DEFINE_STATIC(temps);

static int temp_register(const char *path)
{
    size_t len = strlen(path);
    int slot = -1;
    /* Too long a name or a full table only costs the cleanup on a signal. */
    if (len >= PATH_MAX)
        return -1;
    G_LOCK(temps);
    for (int i = 0; i < MAX_TEMPS; i++) {
        if (!temps[i].used) {
            memcpy(temps[i].path, path, len + 1);
            atomic_signal_fence(memory_order_seq_cst);
            temps[i].used = 1;
            slot = i;
            break;
        }
    }
    G_UNLOCK(temps);
    return slot;
}

static void temp_unregister(RcOutFile *o)
{
    if (o->slot < 0)
        return;
    G_LOCK(temps);
    temps[o->slot].used = 0;
    atomic_signal_fence(memory_order_seq_cst);
    G_UNLOCK(temps);
    o->slot = -1;
}

void rc_outfile_remove_temps(void)
{
    for (int i = 0; i < MAX_TEMPS; i++) {
        if (temps[i].used) {
            atomic_signal_fence(memory_order_seq_cst);
            unlink(temps[i].path);
        }
    }
}

static void on_signal(int sig)
{
    int saved = errno;
    rc_outfile_remove_temps();
    /* SA_RESETHAND restored the default action and the signal is blocked
     * until we return: it is then delivered again and ends the process. */
    raise(sig);
    errno = saved;
}

/* SIGPIPE too: `rollcall ... | head` must not leave the other outputs'
 * temporaries behind when it dies of the closed pipe. */
static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

void rc_outfile_install_signal_handlers(void)
{
    static gsize installed;
    if (!g_once_init_enter(&installed))
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(handled_signals); i++)
        sigaddset(&sa.sa_mask, handled_signals[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(handled_signals); i++) {
        struct sigaction old;
        /* nohup and `cmd &` in a script hand us ignored signals: keep them so. */
        if (sigaction(handled_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(handled_signals[i], &sa, NULL);
    }
    /* A file size limit (ulimit -f) kills with SIGXFSZ by default, leaving the
     * temporary behind; ignored, the write fails with EFBIG like a full disk
     * and the output is an error (exit 3), cleaned up. */
    signal(SIGXFSZ, SIG_IGN);
    g_once_init_leave(&installed, 1);
}

/* ---- the stream ---- */

static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
    RcOutFile *o = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(o->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!o->werr)
                o->werr = w < 0 ? errno : EIO;
            return done > 0 ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

static int close_fd(RcOutFile *o)
{
    if (o->fd < 0)
        return 0;
    int r = close(o->fd);
    o->fd = -1;
    /* On Linux the descriptor is gone even after EINTR, and no error is lost. */
    if (r < 0 && errno != EINTR) {
        if (!o->werr)
            o->werr = errno;
        return -1;
    }
    return 0;
}

static int cookie_close(void *cookie)
{
    return close_fd(cookie);
}

static gboolean make_stream(RcOutFile *o, GError **error)
{
    cookie_io_functions_t io = {.read = NULL, .write = cookie_write, .seek = NULL, .close = cookie_close};
    o->stream = fopencookie(o, "w", io);
    if (!o->stream) {
        int e = errno;
        g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE, "%s: cannot open: %s", o->shown,
                    g_strerror(e));
        return FALSE;
    }
    o->buf = g_malloc(STREAM_BUFFER);
    setvbuf(o->stream, o->buf, _IOFBF, STREAM_BUFFER);
    return TRUE;
}

/* ---- opening ---- */

/* The descriptor a name for one of ours stands for ("-", /dev/stdout,
 * /dev/fd/N, /proc/self/fd/N), else -1. Those are duplicated rather than
 * reopened: reopening a redirected stdout would lose its O_APPEND and
 * offset and overwrite a log from its start. */
static int std_fd_of(const char *path)
{
    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *digits = NULL;
    if (g_str_has_prefix(path, "/dev/fd/"))
        digits = path + strlen("/dev/fd/");
    else if (g_str_has_prefix(path, "/proc/self/fd/"))
        digits = path + strlen("/proc/self/fd/");
    if (!digits || !g_ascii_isdigit(*digits))
        return -1;
    guint64 n;
    if (!g_ascii_string_to_unsigned(digits, 10, 0, INT_MAX, &n, NULL))
        return -1;
    return (int)n;
}

/* A name joined to the working directory when relative, without resolving
 * "..": the temporary and the rename must not depend on a later chdir. */
static char *absolute(const char *path)
{
    if (g_path_is_absolute(path))
        return g_strdup(path);
    g_autofree char *cwd = g_get_current_dir();
    return g_build_filename(cwd, path, NULL);
}

/* The temporary's name for BASE: ".BASE.XXXXXX", BASE cut at a character
 * boundary to leave room under NAME_MAX. Returns the length of BASE kept. */
static size_t temp_base_len(const char *base)
{
    size_t cut = strlen(base);
    if (cut > MAX_BASE) {
        cut = MAX_BASE;
        while (cut > 0 && ((unsigned char)base[cut] & 0xC0) == 0x80)
            cut--;
    }
    return cut;
}

/* When this process started: stale temporaries are those older than the
 * run. /proc/self's times are the process's start on Linux; elsewhere the
 * first call stands for it. */
static time_t run_start(void)
{
    static gsize once;
    static time_t start;
    if (g_once_init_enter(&once)) {
        struct stat st;
        start = stat("/proc/self", &st) == 0 ? st.st_mtime : time(NULL);
        g_once_init_leave(&once, 1);
    }
    return start;
}

/* Removes the temporaries of BASE in DIR that a run killed by SIGKILL (or a
 * power cut) left behind: ".BASE.XXXXXX", a regular file of this user's
 * last modified before this run started, that no live writer holds (every
 * writer keeps an exclusive flock() on its temporary until it commits or
 * aborts, so an overlapping run's temporary stays). Best effort: what
 * cannot be examined is left alone. */
static void remove_stale_temps(const char *dir, const char *base)
{
    size_t cut = temp_base_len(base);
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    time_t start = run_start();
    const char *name;
    while ((name = g_dir_read_name(d))) {
        size_t len = strlen(name);
        if (len != cut + 8 || name[0] != '.' || memcmp(name + 1, base, cut) != 0 || name[cut + 1] != '.')
            continue;
        gboolean suffix = TRUE;
        for (size_t i = cut + 2; i < len; i++)
            suffix = suffix && g_ascii_isalnum(name[i]);
        if (!suffix)
            continue;
        g_autofree char *path = g_build_filename(dir, name, NULL);
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_mtime < start &&
            flock(fd, LOCK_EX | LOCK_NB) == 0) {
            struct stat now;
            /* Still the file examined, not one put under its name since. */
            if (lstat(path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino)
                unlink(path);
        }
        close(fd);
    }
    g_dir_close(d);
}

/* Creates DIR/.BASE.XXXXXX with MODE and registers it. Returns the open
 * descriptor and sets *TEMP (owned), or -1 with errno set. The signals that
 * clean up are held off until the name is registered. */
static int make_temp(const char *dir, const char *base, guint mode, char **temp, int *slot)
{
    remove_stale_temps(dir, base);
    size_t cut = temp_base_len(base);
    char *tmpl =
        g_strdup_printf("%s%s.%.*s.XXXXXX", dir, g_str_has_suffix(dir, "/") ? "" : "/", (int)cut, base);
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < G_N_ELEMENTS(handled_signals); i++)
        sigaddset(&block, handled_signals[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);

    int fd = g_mkstemp_full(tmpl, O_WRONLY | O_CLOEXEC, 0600);
    int e = errno;
    /* Held until commit or abort: remove_stale_temps() leaves it alone. */
    if (fd >= 0)
        flock(fd, LOCK_EX | LOCK_NB);
    if (fd >= 0 && fchmod(fd, mode) != 0) {
        e = errno;
        unlink(tmpl);
        close(fd);
        fd = -1;
    }
    if (fd >= 0) {
        *slot = temp_register(tmpl);
        /* The caller holds the name before a held-off signal can end the
         * process: nothing is left only in a register at that moment. */
        *temp = tmpl;
    }

    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        g_free(tmpl);
        errno = e;
        return -1;
    }
    return fd;
}

/* Opens O for PATH: FALSE with ERROR set, O to be freed by the caller. */
static gboolean outfile_setup(RcOutFile *o, const char *path, guint mode, gboolean by_name, GError **error)
{
    o->path = g_strdup(path);
    o->shown = strcmp(path, "-") == 0 ? "standard output" : o->path;

    int std_fd = std_fd_of(path);
    struct stat st;
    gboolean absent = std_fd < 0 && lstat(path, &st) != 0;
    if (!absent && std_fd < 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode) && !S_ISFIFO(st.st_mode) &&
        !S_ISCHR(st.st_mode)) {
        g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE, "%s: cannot open: %s", o->shown,
                    S_ISDIR(st.st_mode) ? g_strerror(EISDIR)
                                        : "not a regular file, a FIFO or a character device");
        o->done = TRUE;
        return FALSE;
    }
    if (std_fd < 0 && (absent || S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
        /* Absent, a regular file or a symbolic link: write beside it, in
         * its own directory, and rename over it at commit. A link is
         * replaced, never followed: whoever can write to the output's
         * directory cannot point it at a file elsewhere. */
        o->target = absolute(path);
        g_autofree char *dir = g_path_get_dirname(o->target);
        g_autofree char *base = g_path_get_basename(o->target);
        int fd = make_temp(dir, base, mode, &o->temp, &o->slot);
        if (fd < 0) {
            int e = errno;
            g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE, "%s: cannot create: %s", o->shown,
                        g_strerror(e));
            o->done = TRUE;
            return FALSE;
        }
        /* The lock outlives the stream's descriptor until the rename. */
        if (by_name)
            o->lock_fd = fd; /* the caller's writer opens the file by name */
        else {
            o->fd = fd;
            o->lock_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        }
    } else {
        o->in_place = TRUE;
        if (std_fd >= 0) {
            /* Whatever stdio holds for it goes out before our bytes. */
            fflush(std_fd == 2 ? stderr : stdout);
            o->fd = fcntl(std_fd, F_DUPFD_CLOEXEC, 3);
        } else {
            /* A FIFO or a character device, written in place: opened
             * without following a link put there since, and checked to be
             * the same file afterwards. */
            o->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
            struct stat now;
            if (o->fd >= 0 &&
                (fstat(o->fd, &now) != 0 || now.st_dev != st.st_dev || now.st_ino != st.st_ino)) {
                close(o->fd);
                o->fd = -1;
                g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE,
                            "%s: cannot open: replaced by another file while being opened", o->shown);
                o->done = TRUE;
                return FALSE;
            }
        }
        if (o->fd < 0) {
            int e = errno;
            g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE, "%s: cannot open: %s", o->shown,
                        g_strerror(e));
            o->done = TRUE;
            return FALSE;
        }
        if (by_name) {
            /* The bytes go through $TMPDIR, private whatever MODE says. */
            g_autofree char *base = std_fd >= 0 ? g_strdup("rollcall-output") : g_path_get_basename(path);
            g_autofree char *dir = absolute(g_get_tmp_dir());
            int fd = make_temp(dir, base, 0600, &o->temp, &o->slot);
            if (fd < 0) {
                int e = errno;
                g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE,
                            "%s: cannot create a temporary file in %s: %s", o->shown, dir, g_strerror(e));
                return FALSE;
            }
            o->lock_fd = fd;
        }
    }
    if (!by_name && !make_stream(o, error)) {
        return FALSE;
    }
    return TRUE;
}

/* An explicit free, not g_autoptr: clang-analyzer does not follow the
 * cleanup attribute and reports every early return as a leak. */
static RcOutFile *outfile_new(const char *path, guint mode, gboolean by_name, GError **error)
{
    g_return_val_if_fail(path != NULL && *path != '\0', NULL);
    g_return_val_if_fail((mode & ~07777u) == 0, NULL);

    RcOutFile *o = g_new0(RcOutFile, 1);
    o->fd = -1;
    o->slot = -1;
    o->lock_fd = -1;
    o->by_name = by_name;
    if (!outfile_setup(o, path, mode, by_name, error)) {
        rc_outfile_free(o);
        return NULL;
    }
    return o;
}

RcOutFile *rc_outfile_open(const char *path, guint mode, GError **error)
{
    return outfile_new(path, mode, FALSE, error);
}

RcOutFile *rc_outfile_open_path(const char *path, guint mode, GError **error)
{
    return outfile_new(path, mode, TRUE, error);
}

FILE *rc_outfile_stream(RcOutFile *o)
{
    g_return_val_if_fail(o != NULL, NULL);
    return o->stream;
}

const char *rc_outfile_temp_path(const RcOutFile *o)
{
    g_return_val_if_fail(o != NULL, NULL);
    return o->temp;
}

gboolean rc_outfile_in_place(const RcOutFile *o)
{
    g_return_val_if_fail(o != NULL, FALSE);
    return o->in_place;
}

const char *rc_outfile_path(const RcOutFile *o)
{
    g_return_val_if_fail(o != NULL, NULL);
    return o->path;
}

/* ---- outputs that are inputs ---- */

/* What a name stands for, to compare: a regular file's device and inode,
 * or for a name that does not exist, its resolved directory and name. */
typedef struct {
    gboolean skip; /* standard stream, FIFO, device, directory */
    gboolean exists;
    dev_t dev;
    ino_t ino;
    char *resolved; /* when absent: owned */
} Ident;

static void ident_of(const char *path, Ident *id)
{
    memset(id, 0, sizeof *id);
    struct stat st;
    if (!path || std_fd_of(path) >= 0) {
        id->skip = TRUE;
    } else if (stat(path, &st) == 0) {
        id->exists = TRUE;
        id->skip = !S_ISREG(st.st_mode);
        id->dev = st.st_dev;
        id->ino = st.st_ino;
    } else {
        /* Absent, or a link to nothing (which the output would replace). */
        g_autofree char *dir = g_path_get_dirname(path);
        g_autofree char *base = g_path_get_basename(path);
        char *real = realpath(dir, NULL);
        id->resolved = g_build_filename(real ? real : dir, base, NULL);
        free(real);
    }
}

static gboolean ident_same(const Ident *a, const Ident *b)
{
    if (a->skip || b->skip || a->exists != b->exists)
        return FALSE;
    return a->exists ? a->dev == b->dev && a->ino == b->ino : strcmp(a->resolved, b->resolved) == 0;
}

gboolean rc_outfile_check_distinct(const char *const *outputs, gsize n_outputs, const char *const *inputs,
                                   gsize n_inputs, GError **error)
{
    Ident *out = g_new0(Ident, MAX(n_outputs, 1));
    Ident in;
    gboolean ok = TRUE;
    for (gsize i = 0; i < n_outputs && ok; i++) {
        ident_of(outputs[i], &out[i]);
        for (gsize k = 0; k < i && ok; k++) {
            if (ident_same(&out[i], &out[k])) {
                if (strcmp(outputs[i], outputs[k]) == 0)
                    g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_SAME, "%s: named for two outputs",
                                outputs[i]);
                else
                    g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_SAME,
                                "%s: is the same file as the output %s", outputs[i], outputs[k]);
                ok = FALSE;
            }
        }
        for (gsize k = 0; k < n_inputs && ok && out[i].exists; k++) {
            ident_of(inputs[k], &in);
            if (ident_same(&out[i], &in)) {
                g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_SAME,
                            "%s: is the same file as the input %s", outputs[i], inputs[k]);
                ok = FALSE;
            }
            g_free(in.resolved);
        }
    }
    for (gsize i = 0; i < n_outputs; i++)
        g_free(out[i].resolved);
    g_free(out);
    return ok;
}

/* ---- finishing ---- */

static void note_errno(RcOutFile *o, int e)
{
    if (!o->werr)
        o->werr = e ? e : EIO;
}

/* rc_outfile_open_path() on an in-place target: the finished temporary's
 * bytes go to the target's descriptor. */
static void copy_temp_to_target(RcOutFile *o)
{
    int in = open(o->temp, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        note_errno(o, errno);
        return;
    }
    g_autofree char *buf = g_malloc(STREAM_BUFFER);
    for (;;) {
        ssize_t n = read(in, buf, STREAM_BUFFER);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            note_errno(o, errno);
        if (n <= 0)
            break;
        if (cookie_write(o, buf, (size_t)n) != n)
            break;
    }
    close(in);
}

/* rc_outfile_open_path() on a regular target: the caller's writer closed
 * the temporary; make its bytes durable before the rename. */
static void sync_by_name(RcOutFile *o)
{
    int fd = open(o->temp, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        note_errno(o, errno);
        return;
    }
    if (fsync(fd) != 0)
        note_errno(o, errno);
    if (close(fd) != 0 && errno != EINTR)
        note_errno(o, errno);
}

/* After a rename, the directory entry is what must reach the disk; a
 * failure here loses nothing a reader can see, so it is not reported. */
static void sync_dir_of(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static void close_stream(RcOutFile *o)
{
    if (o->stream) {
        fclose(o->stream); /* closes o->fd through cookie_close */
        o->stream = NULL;
    }
    g_clear_pointer(&o->buf, g_free);
    close_fd(o);
}

/* The temporary's lock goes once it is renamed or removed. */
static void release_lock(RcOutFile *o)
{
    if (o->lock_fd >= 0) {
        close(o->lock_fd);
        o->lock_fd = -1;
    }
}

static void remove_temp(RcOutFile *o)
{
    if (o->temp)
        unlink(o->temp);
    temp_unregister(o);
    release_lock(o);
}

gboolean rc_outfile_commit(RcOutFile *o, GError **error)
{
    g_return_val_if_fail(o != NULL, FALSE);
    g_return_val_if_fail(!o->done, FALSE);
    o->done = TRUE;

    if (o->stream) {
        if (fflush(o->stream) != 0 || ferror(o->stream))
            note_errno(o, errno);
        if (!o->werr && !o->in_place && fsync(o->fd) != 0)
            note_errno(o, errno);
    } else if (o->in_place) {
        copy_temp_to_target(o);
    } else {
        sync_by_name(o);
    }
    close_stream(o);

    if (o->werr) {
        remove_temp(o);
        g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_WRITE, "%s: write failed: %s", o->shown,
                    g_strerror(o->werr));
        return FALSE;
    }
    if (!o->in_place) {
        if (rename(o->temp, o->target) != 0) {
            int e = errno;
            remove_temp(o);
            g_set_error(error, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_RENAME,
                        "%s: cannot rename temporary file into place: %s", o->shown, g_strerror(e));
            return FALSE;
        }
        temp_unregister(o);
        release_lock(o);
        sync_dir_of(o->target);
    } else {
        remove_temp(o);
    }
    return TRUE;
}

void rc_outfile_abort(RcOutFile *o)
{
    g_return_if_fail(o != NULL);
    if (o->done && o->fd < 0 && !o->stream && o->slot < 0 && o->lock_fd < 0)
        return;
    o->done = TRUE;
    close_stream(o);
    remove_temp(o);
}

void rc_outfile_free(RcOutFile *o)
{
    if (!o)
        return;
    rc_outfile_abort(o);
    g_free(o->path);
    g_free(o->target);
    g_free(o->temp);
    g_free(o);
}

/* Tests for lib/outfile.c: temporaries beside the target renamed into place
 * with the asked mode, aborts and write errors that leave the target as it
 * was and nothing behind, in-place targets (/dev/null, /dev/full, FIFOs,
 * standard output), the signal-time cleanup, a file size limit, two
 * writers racing for one target, symbolic links replaced and never
 * followed, kinds refused, and the temporaries a killed run left. Every test works in its own directory under
 * one private base directory, which is also $TMPDIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "outfile.h"

#define MIB (1 << 20)

static char base_dir[PATH_MAX];
static char tmp_dir[PATH_MAX]; /* $TMPDIR for the whole run */

/* ---- helpers ------------------------------------------------------------- */

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
        }
        if (d)
            g_dir_close(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* A fresh empty directory for one test (owned). */
static char *new_dir(void)
{
    char *tmpl = g_build_filename(base_dir, "t-XXXXXX", NULL);
    assert_non_null(g_mkdtemp(tmpl));
    return tmpl;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in DIR, sorted and joined with ',' (owned). Hidden ones too:
 * that is where a leftover temporary would show. */
static char *listing(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    assert_non_null(d);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(name));
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_str);
    g_ptr_array_add(names, NULL);
    char *joined = g_strjoinv(",", (char **)names->pdata);
    g_ptr_array_unref(names);
    return joined;
}

static void assert_listing(const char *dir, const char *expect)
{
    g_autofree char *got = listing(dir);
    assert_string_equal(got, expect);
}

/* Byte I of the test pattern for SEED: varied, so a lost or repeated block
 * shows. */
static char pattern_byte(gsize i, int seed)
{
    return (char)('a' + (i * 7 + i / 4093 + (gsize)seed) % 26);
}

static void write_pattern(FILE *f, gsize size, int seed)
{
    char chunk[8191]; /* odd size: writes straddle the stream's buffer */
    for (gsize done = 0; done < size;) {
        gsize n = MIN(sizeof chunk, size - done);
        for (gsize i = 0; i < n; i++)
            chunk[i] = pattern_byte(done + i, seed);
        fwrite(chunk, 1, n, f); /* errors are commit's to report */
        done += n;
    }
}

static void write_pattern_file(const char *path, gsize size, int seed)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    write_pattern(f, size, seed);
    assert_int_equal(fclose(f), 0);
}

static gboolean is_pattern(const char *data, gsize len, gsize size, int seed)
{
    if (len != size)
        return FALSE;
    for (gsize i = 0; i < len; i++)
        if (data[i] != pattern_byte(i, seed))
            return FALSE;
    return TRUE;
}

static void assert_file_pattern(const char *path, gsize size, int seed)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    assert_true(g_file_get_contents(path, &data, &len, NULL));
    assert_int_equal(len, size);
    assert_true(is_pattern(data, len, size, seed));
}

static void assert_file_text(const char *path, const char *text)
{
    g_autofree char *data = NULL;
    assert_true(g_file_get_contents(path, &data, NULL, NULL));
    assert_string_equal(data, text);
}

static void put_file(const char *path, const char *text, mode_t mode)
{
    assert_true(g_file_set_contents(path, text, -1, NULL));
    assert_int_equal(chmod(path, mode), 0);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static mode_t type_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & S_IFMT;
}

static gboolean exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Waits for child PID; returns its exit code, or 1000 + signal. */
static int wait_child(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        assert_int_equal(errno, EINTR);
    if (WIFSIGNALED(status))
        return 1000 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* ---- commit: mode, contents, nothing left behind ------------------------- */

typedef struct {
    guint mode;
    gsize size;
    const char *old; /* an existing target's contents, or NULL */
} CommitCase;

static const CommitCase commit_cases[] = {
    {0600, 10, NULL}, {0640, 3 * MIB + 17, NULL}, /* several stream buffers */
    {0644, 0, NULL},  {0400, 100, NULL},          {0600, MIB, "old contents\n"}, {0640, 5, "old contents\n"},
};

static void test_commit(void **state)
{
    (void)state;
    mode_t old_umask = umask(077); /* MODE is exact, umask notwithstanding */
    for (size_t c = 0; c < G_N_ELEMENTS(commit_cases); c++) {
        const CommitCase *k = &commit_cases[c];
        g_autofree char *dir = new_dir();
        g_autofree char *target = g_build_filename(dir, "out.csv", NULL);
        if (k->old)
            put_file(target, k->old, 0644);

        g_autoptr(GError) err = NULL;
        g_autoptr(RcOutFile) o = rc_outfile_open(target, k->mode, &err);
        assert_null(err);
        assert_non_null(o);
        assert_false(rc_outfile_in_place(o));
        assert_string_equal(rc_outfile_path(o), target);

        /* The temporary sits beside the target, hidden, already with MODE. */
        const char *temp = rc_outfile_temp_path(o);
        assert_non_null(temp);
        g_autofree char *temp_dir = g_path_get_dirname(temp);
        g_autofree char *temp_base = g_path_get_basename(temp);
        assert_string_equal(temp_dir, dir);
        assert_true(g_str_has_prefix(temp_base, ".out.csv."));
        assert_int_equal(mode_of(temp), k->mode);

        write_pattern(rc_outfile_stream(o), k->size, (int)c);
        /* A reader still sees the old target, or none. */
        if (k->old)
            assert_file_text(target, k->old);
        else
            assert_false(exists(target));

        assert_true(rc_outfile_commit(o, &err));
        assert_null(err);
        assert_null(rc_outfile_stream(o));
        assert_int_equal(mode_of(target), k->mode);
        assert_file_pattern(target, k->size, (int)c);
        assert_listing(dir, "out.csv");
    }
    umask(old_umask);
}

/* ---- abort and free without commit --------------------------------------- */

typedef enum { END_ABORT, END_FREE, END_ABORT_THEN_FREE } End;

typedef struct {
    End end;
    gsize size;
    const char *old;
    gboolean by_name;
} AbortCase;

static const AbortCase abort_cases[] = {
    {END_ABORT, 10, "old\n", FALSE},
    {END_FREE, 10, "old\n", FALSE},
    {END_ABORT_THEN_FREE, 2 * MIB + 1, "old\n", FALSE}, /* some bytes reached the temporary */
    {END_ABORT, 100, NULL, FALSE},
    {END_FREE, 2 * MIB, NULL, FALSE},
    {END_ABORT, 100, "old\n", TRUE},
    {END_FREE, 100, NULL, TRUE},
};

static void test_abort(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(abort_cases); c++) {
        const AbortCase *k = &abort_cases[c];
        g_autofree char *dir = new_dir();
        g_autofree char *target = g_build_filename(dir, "out.csv", NULL);
        if (k->old)
            put_file(target, k->old, 0644);

        RcOutFile *o =
            k->by_name ? rc_outfile_open_path(target, 0600, NULL) : rc_outfile_open(target, 0600, NULL);
        assert_non_null(o);
        if (k->by_name)
            write_pattern_file(rc_outfile_temp_path(o), k->size, 1);
        else
            write_pattern(rc_outfile_stream(o), k->size, 1);
        if (k->end != END_FREE)
            rc_outfile_abort(o);
        if (k->end == END_ABORT_THEN_FREE)
            rc_outfile_abort(o); /* a second abort is harmless */
        rc_outfile_free(o);

        if (k->old) {
            assert_file_text(target, k->old);
            assert_int_equal(mode_of(target), 0644);
            assert_listing(dir, "out.csv");
        } else {
            assert_listing(dir, "");
        }
    }
}

/* ---- errors at open -------------------------------------------------------- */

typedef struct {
    const char *path; /* under the test directory; "" is the directory itself */
    int code;
    const char *message; /* after "PATH: " */
} OpenErrorCase;

static const OpenErrorCase open_error_cases[] = {
    {"missing/out.csv", RC_OUTFILE_ERROR_CREATE, "cannot create: No such file or directory"},
    {"missing/deeper/out.csv", RC_OUTFILE_ERROR_CREATE, "cannot create: No such file or directory"},
    {"plain/out.csv", RC_OUTFILE_ERROR_CREATE, "cannot create: Not a directory"},
    {"", RC_OUTFILE_ERROR_CREATE, "cannot open: Is a directory"},
    {"sub", RC_OUTFILE_ERROR_CREATE, "cannot open: Is a directory"},
};

static void test_open_errors(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(open_error_cases); c++) {
        const OpenErrorCase *k = &open_error_cases[c];
        for (int by_name = 0; by_name < 2; by_name++) {
            g_autofree char *dir = new_dir();
            g_autofree char *plain = g_build_filename(dir, "plain", NULL);
            g_autofree char *sub = g_build_filename(dir, "sub", NULL);
            put_file(plain, "x", 0644);
            assert_int_equal(mkdir(sub, 0755), 0);
            g_autofree char *path = *k->path ? g_build_filename(dir, k->path, NULL) : g_strdup(dir);

            g_autoptr(GError) err = NULL;
            RcOutFile *o =
                by_name ? rc_outfile_open_path(path, 0600, &err) : rc_outfile_open(path, 0600, &err);
            assert_null(o);
            assert_non_null(err);
            assert_true(g_error_matches(err, RC_OUTFILE_ERROR, k->code));
            g_autofree char *expect = g_strdup_printf("%s: %s", path, k->message);
            assert_string_equal(err->message, expect);
            assert_listing(dir, "plain,sub");
            assert_listing(sub, "");
        }
    }
}

static void test_unwritable_dir(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root writes anywhere */
    g_autofree char *dir = new_dir();
    g_autofree char *target = g_build_filename(dir, "out.csv", NULL);
    put_file(target, "old\n", 0644);
    assert_int_equal(chmod(dir, 0555), 0);
    g_autoptr(GError) err = NULL;
    RcOutFile *o = rc_outfile_open(target, 0600, &err);
    assert_int_equal(chmod(dir, 0755), 0);
    assert_null(o);
    assert_true(g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE));
    g_autofree char *expect = g_strdup_printf("%s: cannot create: Permission denied", target);
    assert_string_equal(err->message, expect);
    assert_file_text(target, "old\n");
}

/* ---- in place: /dev/null, /dev/full -------------------------------------- */

typedef struct {
    gboolean by_name;
    gsize size;
} DevCase;

static const DevCase dev_cases[] = {
    {FALSE, 0}, {FALSE, 1}, {FALSE, 3 * MIB}, {TRUE, 1}, {TRUE, 3 * MIB},
};

static RcOutFile *open_either(const char *path, gboolean by_name, GError **err)
{
    return by_name ? rc_outfile_open_path(path, 0600, err) : rc_outfile_open(path, 0600, err);
}

static void write_either(RcOutFile *o, gboolean by_name, gsize size, int seed)
{
    if (by_name)
        write_pattern_file(rc_outfile_temp_path(o), size, seed);
    else
        write_pattern(rc_outfile_stream(o), size, seed);
}

/* An in-place target opened by name writes through $TMPDIR. */
static void assert_by_name_temp(RcOutFile *o, gboolean by_name)
{
    if (!by_name) {
        assert_null(rc_outfile_temp_path(o));
        assert_non_null(rc_outfile_stream(o));
        return;
    }
    assert_null(rc_outfile_stream(o));
    g_autofree char *temp_dir = g_path_get_dirname(rc_outfile_temp_path(o));
    assert_string_equal(temp_dir, tmp_dir);
    assert_int_equal(mode_of(rc_outfile_temp_path(o)), 0600);
}

static void test_dev_null(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(dev_cases); c++) {
        const DevCase *k = &dev_cases[c];
        g_autoptr(GError) err = NULL;
        g_autoptr(RcOutFile) o = open_either("/dev/null", k->by_name, &err);
        assert_non_null(o);
        assert_true(rc_outfile_in_place(o));
        assert_by_name_temp(o, k->by_name);
        write_either(o, k->by_name, k->size, 0);
        assert_true(rc_outfile_commit(o, &err));
        assert_null(err);
        assert_int_equal(type_of("/dev/null"), S_IFCHR);
        assert_listing(tmp_dir, "");
    }
}

static void test_dev_full(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(dev_cases); c++) {
        const DevCase *k = &dev_cases[c];
        if (k->size == 0)
            continue; /* nothing to write, nothing to fail */
        g_autoptr(GError) err = NULL;
        g_autoptr(RcOutFile) o = open_either("/dev/full", k->by_name, &err);
        assert_non_null(o);
        assert_true(rc_outfile_in_place(o));
        write_either(o, k->by_name, k->size, 0);
        assert_false(rc_outfile_commit(o, &err));
        assert_true(g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_WRITE));
        assert_string_equal(err->message, "/dev/full: write failed: No space left on device");
        assert_int_equal(type_of("/dev/full"), S_IFCHR);
        assert_listing(tmp_dir, "");
    }
}

/* ---- in place: a FIFO ---------------------------------------------------- */

typedef struct {
    const char *path;
    GByteArray *got;
} Reader;

static gpointer read_fifo(gpointer data)
{
    Reader *r = data;
    int fd = open(r->path, O_RDONLY);
    if (fd < 0)
        return NULL;
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        g_byte_array_append(r->got, (const guint8 *)buf, (guint)n);
    }
    close(fd);
    return NULL;
}

static void test_fifo(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(dev_cases); c++) {
        const DevCase *k = &dev_cases[c];
        g_autofree char *dir = new_dir();
        g_autofree char *fifo = g_build_filename(dir, "pipe", NULL);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        Reader r = {fifo, g_byte_array_new()};
        GThread *t = g_thread_new("reader", read_fifo, &r);

        g_autoptr(GError) err = NULL;
        RcOutFile *o = open_either(fifo, k->by_name, &err); /* waits for the reader */
        assert_non_null(o);
        assert_true(rc_outfile_in_place(o));
        assert_by_name_temp(o, k->by_name);
        write_either(o, k->by_name, k->size, (int)c);
        assert_true(rc_outfile_commit(o, &err));
        rc_outfile_free(o); /* the reader's EOF */
        g_thread_join(t);

        assert_true(is_pattern((const char *)r.got->data, r.got->len, k->size, (int)c));
        g_byte_array_unref(r.got);
        assert_int_equal(type_of(fifo), S_IFIFO);
        assert_listing(dir, "pipe");
        assert_listing(tmp_dir, "");
    }
}

/* ---- standard output: "-", /dev/stdout ----------------------------------- */

typedef struct {
    const char *path;
    gboolean by_name;
} StdoutCase;

static const StdoutCase stdout_cases[] = {
    {"-", FALSE}, {"/dev/stdout", FALSE}, {"/dev/fd/1", FALSE}, {"-", TRUE}, {"/dev/stdout", TRUE},
};

/* In a child whose stdout is a log opened for appending: what stdio held
 * comes first, and the log is appended to, not overwritten from its start. */
static void test_stdout(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(stdout_cases); c++) {
        const StdoutCase *k = &stdout_cases[c];
        g_autofree char *dir = new_dir();
        g_autofree char *log = g_build_filename(dir, "log", NULL);
        put_file(log, "line0\n", 0644);
        fflush(stdout);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            int fd = open(log, O_WRONLY | O_APPEND);
            if (fd < 0 || dup2(fd, 1) < 0)
                _exit(10);
            close(fd);
            printf("line1\n"); /* still in stdio's buffer */
            RcOutFile *o = open_either(k->path, k->by_name, NULL);
            if (!o || !rc_outfile_in_place(o))
                _exit(11);
            if (k->by_name) {
                FILE *f = fopen(rc_outfile_temp_path(o), "wb");
                if (!f || fputs("line2\n", f) < 0 || fclose(f) != 0)
                    _exit(12);
            } else {
                fputs("line2\n", rc_outfile_stream(o));
            }
            if (!rc_outfile_commit(o, NULL))
                _exit(13);
            rc_outfile_free(o);
            printf("line3\n"); /* stdout itself still works */
            fflush(stdout);
            _exit(0);
        }
        assert_int_equal(wait_child(pid), 0);
        assert_file_text(log, "line0\nline1\nline2\nline3\n");
        assert_listing(dir, "log");
        assert_listing(tmp_dir, "");
    }
}

/* ---- signal-time cleanup -------------------------------------------------- */

static void test_remove_temps(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *a_path = g_build_filename(dir, "a.csv", NULL);
    g_autofree char *b_path = g_build_filename(dir, "b.xlsx", NULL);
    g_autofree char *c_path = g_build_filename(dir, "c.csv", NULL);
    put_file(c_path, "old\n", 0644);
    RcOutFile *a = rc_outfile_open(a_path, 0600, NULL);
    RcOutFile *b = rc_outfile_open_path(b_path, 0600, NULL);
    RcOutFile *c = rc_outfile_open(c_path, 0600, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    write_pattern(rc_outfile_stream(a), 100, 0);
    write_pattern_file(rc_outfile_temp_path(b), 100, 0);
    assert_true(exists(rc_outfile_temp_path(a)));
    assert_true(exists(rc_outfile_temp_path(b)));
    assert_true(exists(rc_outfile_temp_path(c)));

    rc_outfile_remove_temps();
    assert_listing(dir, "c.csv");

    /* The objects notice at commit; the targets stay as they were. */
    g_autoptr(GError) err = NULL;
    assert_false(rc_outfile_commit(a, &err));
    assert_true(g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_RENAME));
    g_clear_error(&err);
    assert_false(rc_outfile_commit(b, &err));
    assert_true(g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_WRITE));
    rc_outfile_abort(c);
    rc_outfile_free(a);
    rc_outfile_free(b);
    rc_outfile_free(c);
    assert_listing(dir, "c.csv");
    assert_file_text(c_path, "old\n");

    /* Committed and aborted outputs have left the registry. */
    g_autofree char *d_path = g_build_filename(dir, "d.csv", NULL);
    RcOutFile *d = rc_outfile_open(d_path, 0600, NULL);
    assert_true(rc_outfile_commit(d, NULL));
    rc_outfile_free(d);
    rc_outfile_remove_temps();
    assert_listing(dir, "c.csv,d.csv");
}

/* More live outputs than registry slots still work; only the ones past the
 * table are left to their owners on a signal. */
static void test_registry_full(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    enum { N = 70 };
    RcOutFile *o[N];
    for (int i = 0; i < N; i++) {
        g_autofree char *name = g_strdup_printf("%s/out%02d.csv", dir, i);
        o[i] = rc_outfile_open(name, 0600, NULL);
        assert_non_null(o[i]);
    }
    rc_outfile_remove_temps();
    int left = 0;
    for (int i = 0; i < N; i++)
        left += exists(rc_outfile_temp_path(o[i]));
    assert_int_equal(left, N - 64);
    for (int i = 0; i < N; i++)
        rc_outfile_free(o[i]);
    assert_listing(dir, "");
}

typedef struct {
    int sig;
    gboolean ignored; /* inherited as ignored: stays ignored */
} SignalCase;

static const SignalCase signal_cases[] = {
    {SIGINT, FALSE}, {SIGTERM, FALSE}, {SIGHUP, FALSE}, {SIGPIPE, FALSE}, {SIGHUP, TRUE}, {SIGINT, TRUE},
};

static void test_signals(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(signal_cases); c++) {
        const SignalCase *k = &signal_cases[c];
        g_autofree char *dir = new_dir();
        g_autofree char *target = g_build_filename(dir, "out.csv", NULL);
        int fds[2], go[2];
        assert_int_equal(pipe(fds), 0);
        assert_int_equal(pipe(go), 0);
        fflush(stdout);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            close(go[1]);
            if (k->ignored)
                signal(k->sig, SIG_IGN);
            rc_outfile_install_signal_handlers();
            RcOutFile *o = rc_outfile_open(target, 0600, NULL);
            if (!o)
                _exit(10);
            write_pattern(rc_outfile_stream(o), 2 * MIB, 0);
            const char *temp = rc_outfile_temp_path(o);
            if (write(fds[1], temp, strlen(temp) + 1) < 0)
                _exit(11);
            close(fds[1]);
            char byte;
            while (read(go[0], &byte, 1) < 0 && errno == EINTR)
                ;
            /* Only reached when the signal was ignored. */
            _exit(rc_outfile_commit(o, NULL) ? 0 : 12);
        }
        close(fds[1]);
        close(go[0]);
        char temp[PATH_MAX];
        size_t got = 0;
        ssize_t n;
        while (got < sizeof temp && (n = read(fds[0], temp + got, sizeof temp - got)) > 0)
            got += (size_t)n;
        close(fds[0]);
        assert_true(got > 0 && temp[got - 1] == '\0');
        assert_true(exists(temp));

        assert_int_equal(kill(pid, k->sig), 0);
        if (k->ignored) {
            assert_int_equal(write(go[1], "x", 1), 1);
            assert_int_equal(wait_child(pid), 0);
            assert_file_pattern(target, 2 * MIB, 0);
            assert_listing(dir, "out.csv");
        } else {
            assert_int_equal(wait_child(pid), 1000 + k->sig);
            assert_false(exists(temp));
            assert_listing(dir, "");
        }
        close(go[1]);
    }
}

/* ---- by name (libxlsxwriter) --------------------------------------------- */

static void test_open_path(void **state)
{
    (void)state;
    for (int with_old = 0; with_old < 2; with_old++) {
        g_autofree char *dir = new_dir();
        g_autofree char *target = g_build_filename(dir, "book.xlsx", NULL);
        if (with_old)
            put_file(target, "old\n", 0644);
        g_autoptr(GError) err = NULL;
        g_autoptr(RcOutFile) o = rc_outfile_open_path(target, 0640, &err);
        assert_non_null(o);
        assert_false(rc_outfile_in_place(o));
        assert_null(rc_outfile_stream(o));
        const char *temp = rc_outfile_temp_path(o);
        g_autofree char *temp_dir = g_path_get_dirname(temp);
        assert_string_equal(temp_dir, dir);
        /* A writer that truncates and rewrites by name keeps the mode. */
        write_pattern_file(temp, 1000, 3);
        write_pattern_file(temp, 2 * MIB, 4);
        assert_int_equal(mode_of(temp), 0640);
        assert_true(rc_outfile_commit(o, &err));
        assert_null(err);
        assert_file_pattern(target, 2 * MIB, 4);
        assert_int_equal(mode_of(target), 0640);
        assert_listing(dir, "book.xlsx");
    }
}

/* ---- a file size limit: EFBIG stands for a full disk --------------------- */

static void test_fsize_limit(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *target = g_build_filename(dir, "out.csv", NULL);
    put_file(target, "old\n", 0644);
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {256 * 1024, 256 * 1024};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(10);
        GError *err = NULL;
        RcOutFile *o = rc_outfile_open(target, 0600, &err);
        if (!o)
            _exit(11);
        write_pattern(rc_outfile_stream(o), 2 * MIB, 0);
        if (rc_outfile_commit(o, &err))
            _exit(12);
        g_autofree char *expect = g_strdup_printf("%s: write failed: File too large", target);
        if (!g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_WRITE) ||
            strcmp(err->message, expect) != 0)
            _exit(13);
        rc_outfile_free(o);
        g_error_free(err);
        _exit(0);
    }
    assert_int_equal(wait_child(pid), 0);
    assert_file_text(target, "old\n");
    assert_int_equal(mode_of(target), 0644);
    assert_listing(dir, "out.csv");
}

/* The same limit against an in-place copy: the $TMPDIR temporary fits, the
 * target (stdout appended to a file near the limit) does not. */
static void test_fsize_limit_copy(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *target = g_build_filename(dir, "out.log", NULL);
    put_file(target, "", 0644);
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {256 * 1024, 256 * 1024};
        int fd = open(target, O_WRONLY | O_APPEND);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(10);
        char block[200 * 1024];
        memset(block, 'x', sizeof block);
        if (write(1, block, sizeof block) != (ssize_t)sizeof block)
            _exit(11);
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(12);
        GError *err = NULL;
        RcOutFile *o = rc_outfile_open_path("-", 0600, &err);
        if (!o)
            _exit(13);
        FILE *f = fopen(rc_outfile_temp_path(o), "wb");
        if (!f || fwrite(block, 1, sizeof block, f) != sizeof block || fclose(f) != 0)
            _exit(14);
        if (rc_outfile_commit(o, &err))
            _exit(15);
        if (!g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_WRITE) ||
            strcmp(err->message, "standard output: write failed: File too large") != 0)
            _exit(16);
        rc_outfile_free(o);
        g_error_free(err);
        _exit(0);
    }
    assert_int_equal(wait_child(pid), 0);
    assert_listing(tmp_dir, "");
}

/* ---- two writers, one target: the last rename wins, whole ---------------- */

static void test_two_writers(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *target = g_build_filename(dir, "out.csv", NULL);
    for (int round = 0; round < 3; round++) {
        pid_t pids[2];
        fflush(stdout);
        for (int w = 0; w < 2; w++) {
            pids[w] = fork();
            assert_true(pids[w] >= 0);
            if (pids[w] == 0) {
                RcOutFile *o = rc_outfile_open(target, 0600, NULL);
                if (!o)
                    _exit(10);
                write_pattern(rc_outfile_stream(o), 4 * MIB, w);
                _exit(rc_outfile_commit(o, NULL) ? 0 : 11);
            }
        }
        assert_int_equal(wait_child(pids[0]), 0);
        assert_int_equal(wait_child(pids[1]), 0);
        g_autofree char *data = NULL;
        gsize len = 0;
        assert_true(g_file_get_contents(target, &data, &len, NULL));
        assert_true(is_pattern(data, len, 4 * MIB, 0) || is_pattern(data, len, 4 * MIB, 1));
        assert_listing(dir, "out.csv");
    }
}

/* ---- outputs that are inputs or each other ------------------------------ */

typedef struct {
    const char *outputs[3]; /* relative to the test's directory; NULL: none */
    const char *inputs[2];
    const char *error; /* the message, names relative; NULL: accepted */
} DistinctCase;

static const DistinctCase distinct_cases[] = {
    {{"out.csv"}, {"roster.csv"}, NULL},
    {{"roster.csv"}, {"roster.csv"}, "roster.csv: is the same file as the input roster.csv"},
    {{"sub/../roster.csv"}, {"roster.csv"}, "sub/../roster.csv: is the same file as the input roster.csv"},
    {{"./roster.csv"},
     {"results.csv", "sub/../roster.csv"},
     "./roster.csv: is the same file as the input sub/../roster.csv"},
    {{"link.csv"}, {"roster.csv"}, "link.csv: is the same file as the input roster.csv"},
    {{"out.csv", "hard.csv"}, {"results.csv"}, "hard.csv: is the same file as the input results.csv"},
    {{"x.xlsx", "x.xlsx"}, {"roster.csv"}, "x.xlsx: named for two outputs"},
    {{"x.xlsx", "sub/../x.xlsx"}, {"roster.csv"}, "sub/../x.xlsx: is the same file as the output x.xlsx"},
    {{"roster.csv", "link.csv"}, {"results.csv"}, "link.csv: is the same file as the output roster.csv"},
    {{"x.csv", "y.csv", "sub/x.csv"}, {"roster.csv"}, NULL},
    {{"dangling.csv", "absent.csv"}, {"roster.csv"}, NULL}, /* the link is replaced, not followed */
    {{"-", "/dev/stdout"}, {"-"}, NULL},
    {{"/dev/null", "/dev/null"}, {"roster.csv"}, NULL},
    {{"out.csv", NULL, "sum.json"}, {NULL, "roster.csv"}, NULL},
};

static void test_check_distinct(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *cwd = g_get_current_dir();
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(g_mkdir("sub", 0700), 0);
    put_file("roster.csv", "r\n", 0600);
    put_file("results.csv", "s\n", 0600);
    assert_int_equal(symlink("roster.csv", "link.csv"), 0);
    assert_int_equal(link("results.csv", "hard.csv"), 0);
    assert_int_equal(symlink("absent.csv", "dangling.csv"), 0);
    for (size_t c = 0; c < G_N_ELEMENTS(distinct_cases); c++) {
        const DistinctCase *k = &distinct_cases[c];
        g_autoptr(GError) err = NULL;
        gboolean ok = rc_outfile_check_distinct(k->outputs, G_N_ELEMENTS(k->outputs), k->inputs,
                                                G_N_ELEMENTS(k->inputs), &err);
        if (k->error) {
            assert_false(ok);
            assert_true(g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_SAME));
            assert_string_equal(err->message, k->error);
        } else {
            assert_true(ok);
            assert_null(err);
        }
    }
    assert_int_equal(chdir(cwd), 0);
}

/* ---- names: links, relative paths, long names ---------------------------- */

/* A symbolic link at the output's name is replaced by the output, never
 * followed (issue 13 item 6): whoever can write to the output's directory
 * must not be able to point it at a file elsewhere. The temporary is made
 * in the link's directory; what the link named is left as it was. */
typedef struct {
    const char *what; /* what the link points at */
    gboolean by_name;
} LinkCase;

static const LinkCase link_cases[] = {
    {"file", FALSE},          {"file", TRUE},      {"other-dir-file", FALSE},
    {"other-dir-file", TRUE}, {"dangling", FALSE}, {"dangling", TRUE},
    {"dir", FALSE},           {"fifo", FALSE},     {"fifo", TRUE},
    {"dev-null", FALSE},
};

static void test_symlink(void **state)
{
    (void)state;
    for (size_t c = 0; c < G_N_ELEMENTS(link_cases); c++) {
        const LinkCase *k = &link_cases[c];
        g_autofree char *dir = new_dir();
        g_autofree char *other = new_dir();
        g_autofree char *link = g_build_filename(dir, "today.csv", NULL);
        g_autofree char *pointee = NULL;
        if (strcmp(k->what, "file") == 0) {
            pointee = g_build_filename(dir, "real.csv", NULL);
            put_file(pointee, "old\n", 0644);
        } else if (strcmp(k->what, "other-dir-file") == 0) {
            pointee = g_build_filename(other, "passwd", NULL);
            put_file(pointee, "old\n", 0644);
        } else if (strcmp(k->what, "dangling") == 0) {
            pointee = g_build_filename(other, "absent", NULL);
        } else if (strcmp(k->what, "dir") == 0) {
            pointee = g_strdup(other);
        } else if (strcmp(k->what, "fifo") == 0) {
            pointee = g_build_filename(other, "pipe", NULL);
            assert_int_equal(mkfifo(pointee, 0600), 0); /* no reader: following it would block */
        } else {
            pointee = g_strdup("/dev/null");
        }
        assert_int_equal(symlink(pointee, link), 0);
        g_autofree char *before = listing(other);

        g_autoptr(GError) err = NULL;
        RcOutFile *o = open_either(link, k->by_name, &err);
        assert_non_null(o);
        assert_false(rc_outfile_in_place(o));
        g_autofree char *temp_dir = g_path_get_dirname(rc_outfile_temp_path(o));
        assert_string_equal(temp_dir, dir);
        write_either(o, k->by_name, 100, (int)c);
        assert_true(rc_outfile_commit(o, &err));
        rc_outfile_free(o);

        assert_int_equal(type_of(link), S_IFREG);
        assert_file_pattern(link, 100, (int)c);
        assert_int_equal(mode_of(link), 0600);
        if (strcmp(k->what, "file") == 0) {
            assert_file_text(pointee, "old\n");
            assert_listing(dir, "real.csv,today.csv");
        } else {
            assert_listing(dir, "today.csv");
        }
        if (strcmp(k->what, "other-dir-file") == 0)
            assert_file_text(pointee, "old\n");
        g_autofree char *after = listing(other);
        assert_string_equal(after, before);
        remove_tree(other);
    }
}

/* Outputs rollcall cannot write safely in place or replace: refused. */
static void test_refused_kinds(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *sock = g_build_filename(dir, "sock", NULL);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    assert_true(strlen(sock) < sizeof sa.sun_path);
    strcpy(sa.sun_path, sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    for (int by_name = 0; by_name < 2; by_name++) {
        g_autoptr(GError) err = NULL;
        RcOutFile *o = open_either(sock, by_name, &err);
        assert_null(o);
        assert_true(g_error_matches(err, RC_OUTFILE_ERROR, RC_OUTFILE_ERROR_CREATE));
        g_autofree char *want =
            g_strdup_printf("%s: cannot open: not a regular file, a FIFO or a character device", sock);
        assert_string_equal(err->message, want);
        g_clear_error(&err);
        o = open_either(dir, by_name, &err);
        assert_null(o);
        g_autofree char *want_dir = g_strdup_printf("%s: cannot open: Is a directory", dir);
        assert_string_equal(err->message, want_dir);
    }
    close(fd);
    assert_listing(dir, "sock");
    assert_listing(tmp_dir, "");
}

/* Temporaries of the same target that a run killed by SIGKILL left: removed
 * when they are this user's regular files older than the run and no live
 * writer holds them; anything else that looks alike stays. */
typedef struct {
    const char *name;
    int age;         /* seconds before now the file was last modified; <0: after */
    gboolean locked; /* a live writer holds it */
    gboolean stays;
} StaleCase;

static const StaleCase stale_cases[] = {
    {".today.csv.Ab3xZ9", 3600, FALSE, FALSE}, {".today.csv.000000", 60, FALSE, FALSE},
    {".today.csv.Qq7Rr1", 3600, TRUE, TRUE},   /* an overlapping run's */
    {".today.csv.Nn2Mm4", -3600, FALSE, TRUE}, /* newer than this run */
    {".today.csv.Ab3xZ", 3600, FALSE, TRUE},   /* not mkstemp's shape */
    {".today.csv.Ab3xZ90", 3600, FALSE, TRUE}, {".today.csv.Ab-xZ9", 3600, FALSE, TRUE},
    {".today.csv.bak", 3600, FALSE, TRUE},     {"today.csv.Ab3xZ9", 3600, FALSE, TRUE},
    {".other.csv.Ab3xZ9", 3600, FALSE, TRUE}, /* another target's */
    {".today.csvx.Ab3xZ9", 3600, FALSE, TRUE},
};

static void test_stale_temps(void **state)
{
    (void)state;
    for (int by_name = 0; by_name < 2; by_name++) {
        g_autofree char *dir = new_dir();
        int locks[G_N_ELEMENTS(stale_cases)];
        GPtrArray *want = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(want, g_strdup("today.csv"));
        for (size_t c = 0; c < G_N_ELEMENTS(stale_cases); c++) {
            const StaleCase *k = &stale_cases[c];
            g_autofree char *p = g_build_filename(dir, k->name, NULL);
            put_file(p, "partial", 0600);
            struct timespec ts[2] = {{time(NULL) - k->age, 0}, {time(NULL) - k->age, 0}};
            assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
            locks[c] = -1;
            if (k->locked) {
                locks[c] = open(p, O_RDONLY);
                assert_int_equal(flock(locks[c], LOCK_EX), 0);
            }
            if (k->stays)
                g_ptr_array_add(want, g_strdup(k->name));
        }
        /* A link in the shape of a stale temporary: never followed. */
        g_autofree char *victim = g_build_filename(base_dir, "victim", NULL);
        put_file(victim, "keep\n", 0600);
        g_autofree char *trap = g_build_filename(dir, ".today.csv.Zz9Zz9", NULL);
        assert_int_equal(symlink(victim, trap), 0);
        g_ptr_array_add(want, g_strdup(".today.csv.Zz9Zz9"));

        g_autofree char *target = g_build_filename(dir, "today.csv", NULL);
        RcOutFile *o = open_either(target, by_name, NULL);
        assert_non_null(o);
        write_either(o, by_name, 10, 1);
        assert_true(rc_outfile_commit(o, NULL));
        rc_outfile_free(o);
        for (size_t c = 0; c < G_N_ELEMENTS(stale_cases); c++)
            if (locks[c] >= 0)
                close(locks[c]);
        g_ptr_array_sort(want, cmp_str);
        g_ptr_array_add(want, NULL);
        g_autofree char *expect = g_strjoinv(",", (char **)want->pdata);
        assert_listing(dir, expect);
        assert_file_text(victim, "keep\n");
        unlink(victim);
        g_ptr_array_unref(want);
    }
}

/* A live temporary is held: another writer of the same target, opened
 * while it is being written, does not take it for a stale one. */
static void test_live_temp_kept(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *target = g_build_filename(dir, "book.xlsx", NULL);
    for (int by_name = 0; by_name < 2; by_name++) {
        RcOutFile *first = open_either(target, by_name, NULL);
        assert_non_null(first);
        /* Make it look as old as a killed run's. */
        struct timespec ts[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
        assert_int_equal(utimensat(AT_FDCWD, rc_outfile_temp_path(first), ts, 0), 0);
        RcOutFile *second = open_either(target, by_name, NULL);
        assert_non_null(second);
        assert_true(exists(rc_outfile_temp_path(first)));
        write_either(first, by_name, 10, 1);
        write_either(second, by_name, 20, 2);
        assert_true(rc_outfile_commit(first, NULL));
        assert_true(rc_outfile_commit(second, NULL));
        rc_outfile_free(first);
        rc_outfile_free(second);
        assert_file_pattern(target, 20, 2);
        assert_listing(dir, "book.xlsx");
    }
}

static void test_relative_path(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    g_autofree char *cwd = g_get_current_dir();
    assert_int_equal(chdir(dir), 0);
    g_autoptr(RcOutFile) o = rc_outfile_open("out.csv", 0600, NULL);
    assert_int_equal(chdir("/"), 0); /* a later chdir does not move the output */
    assert_non_null(o);
    assert_true(g_path_is_absolute(rc_outfile_temp_path(o)));
    fputs("x\n", rc_outfile_stream(o));
    assert_true(rc_outfile_commit(o, NULL));
    assert_int_equal(chdir(cwd), 0);
    g_autofree char *target = g_build_filename(dir, "out.csv", NULL);
    assert_file_text(target, "x\n");
    assert_listing(dir, "out.csv");
}

static void test_long_name(void **state)
{
    (void)state;
    g_autofree char *dir = new_dir();
    /* 83 three-byte characters: 249 bytes, near NAME_MAX; the temporary's
     * name is cut at a character boundary to fit. */
    GString *name = g_string_new(NULL);
    for (int i = 0; i < 83; i++)
        g_string_append(name, "楼");
    g_autofree char *target = g_build_filename(dir, name->str, NULL);
    g_autoptr(RcOutFile) o = rc_outfile_open(target, 0600, NULL);
    assert_non_null(o);
    g_autofree char *temp_base = g_path_get_basename(rc_outfile_temp_path(o));
    assert_true(strlen(temp_base) <= 255);
    assert_true(g_utf8_validate(temp_base, -1, NULL));
    assert_true(rc_outfile_commit(o, NULL));
    assert_listing(dir, name->str);
    g_string_free(name, TRUE);
}

static void test_free_null(void **state)
{
    (void)state;
    rc_outfile_free(NULL);
    assert_true(RC_OUTFILE_ERROR != 0);
}

int main(void)
{
    const char *parent = g_getenv("TMPDIR");
    g_snprintf(base_dir, sizeof base_dir, "%s/rc-test-outfile-XXXXXX", parent && *parent ? parent : "/tmp");
    if (!g_mkdtemp(base_dir)) {
        perror(base_dir);
        return 1;
    }
    /* Before anything asks GLib for it: g_get_tmp_dir() keeps its first answer. */
    g_snprintf(tmp_dir, sizeof tmp_dir, "%s/tmp", base_dir);
    if (g_mkdir(tmp_dir, 0700) != 0 || !g_setenv("TMPDIR", tmp_dir, TRUE)) {
        perror(tmp_dir);
        return 1;
    }

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit),        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_open_errors),   cmocka_unit_test(test_unwritable_dir),
        cmocka_unit_test(test_dev_null),      cmocka_unit_test(test_dev_full),
        cmocka_unit_test(test_fifo),          cmocka_unit_test(test_stdout),
        cmocka_unit_test(test_remove_temps),  cmocka_unit_test(test_registry_full),
        cmocka_unit_test(test_signals),       cmocka_unit_test(test_open_path),
        cmocka_unit_test(test_fsize_limit),   cmocka_unit_test(test_fsize_limit_copy),
        cmocka_unit_test(test_two_writers),   cmocka_unit_test(test_symlink),
        cmocka_unit_test(test_refused_kinds), cmocka_unit_test(test_check_distinct),
        cmocka_unit_test(test_stale_temps),   cmocka_unit_test(test_live_temp_kept),
        cmocka_unit_test(test_relative_path), cmocka_unit_test(test_long_name),
        cmocka_unit_test(test_free_null),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_tree(base_dir);
    return failed;
}

/* xls: old Excel workbooks (BIFF8, in an OLE compound file) through
 * libfreexl, in a child process. libfreexl reads some crafted files out of
 * bounds (found by fuzzing 1.0.6), so the child opens the file and sends
 * the sheet list and the chosen sheet's rows through a pipe: whatever it
 * does to its own memory, the run gets an input error ("damaged .xls
 * file"), never a crash. An OLE file holding "EncryptedPackage" (an
 * encrypted .xlsx) is refused before any child starts. The only file of
 * the reader that includes freexl.h, poll.h and signal.h. */
#include "xlsx_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define XLS_FILE_CAP (G_GUINT64_CONSTANT(1) << 30)

/* ---- OLE compound files ---- */

static guint32 le32(const guint8 *p)
{
    return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* TRUE when the compound file on FD has a directory entry named
 * "EncryptedPackage": an encrypted .xlsx (MS-OFFCRYPTO). The directory's
 * sector chain is followed through the FAT, every step bounded by the
 * file's size. A file too damaged to walk says FALSE (freexl then fails). */
static gboolean ole_encrypted(int fd)
{
    struct stat st;
    guint8 h[512];
    if (fstat(fd, &st) != 0 || !xlsx_pread_all(fd, h, sizeof h, 0))
        return FALSE;
    guint shift = (guint)h[0x1E] | (guint)h[0x1F] << 8;
    if (shift != 9 && shift != 12)
        return FALSE;
    guint32 ssz = 1u << shift, per = ssz / 4;
    guint64 n_sectors = (guint64)st.st_size / ssz + 1;
    guint32 n_difat = le32(h + 0x48), difat_next = le32(h + 0x44);
    g_autofree guint8 *sec = g_malloc(ssz);
    g_autofree guint8 *fat = g_malloc(ssz);
    /* the FAT sector list: 109 in the header, the rest in the DIFAT chain */
    GArray *fat_secs = g_array_new(FALSE, FALSE, sizeof(guint32));
    for (int i = 0; i < 109; i++) {
        guint32 s = le32(h + 0x4C + 4 * i);
        if (s >= 0xFFFFFFFAu)
            break;
        g_array_append_val(fat_secs, s);
    }
    for (guint32 k = 0; k < n_difat && difat_next < 0xFFFFFFFAu && k < n_sectors; k++) {
        if (!xlsx_pread_all(fd, sec, ssz, ((guint64)difat_next + 1) * ssz))
            break;
        for (guint32 i = 0; i + 1 < per; i++) {
            guint32 s = le32(sec + 4 * i);
            if (s < 0xFFFFFFFAu)
                g_array_append_val(fat_secs, s);
        }
        difat_next = le32(sec + 4 * (per - 1));
    }
    static const char want[] = "EncryptedPackage";
    gboolean found = FALSE;
    guint32 s = le32(h + 0x30);
    guint32 cached = G_MAXUINT32;
    for (guint64 steps = 0; s < 0xFFFFFFFAu && steps < n_sectors && !found; steps++) {
        if (!xlsx_pread_all(fd, sec, ssz, ((guint64)s + 1) * ssz))
            break;
        for (guint32 e = 0; e + 128 <= ssz && !found; e += 128) {
            const guint8 *d = sec + e;
            guint nlen = (guint)d[64] | (guint)d[65] << 8;
            if (nlen != 2 * sizeof want) /* UTF-16 with its NUL */
                continue;
            found = TRUE;
            for (gsize i = 0; i + 1 < sizeof want; i++)
                if (d[2 * i] != (guint8)want[i] || d[2 * i + 1] != 0)
                    found = FALSE;
        }
        guint32 k = s / per;
        if (k >= fat_secs->len)
            break;
        if (k != cached) {
            if (!xlsx_pread_all(fd, fat, ssz, ((guint64)g_array_index(fat_secs, guint32, k) + 1) * ssz))
                break;
            cached = k;
        }
        s = le32(fat + 4 * (s % per));
    }
    /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): g_autofree frees sec and fat; the analyzer does not follow the cleanup attribute */
    g_array_unref(fat_secs);
    return found;
}

/* ---- .xls through libfreexl ---- */

static const char *freexl_reason(int rc)
{
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND:
        return "cannot be read";
    case FREEXL_INSUFFICIENT_MEMORY:
        return "out of memory";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "an OLE file without an Excel workbook in it";
    case FREEXL_BIFF_INVALID_BOF:
        return "not an Excel 97-2003 (BIFF8) workbook";
    case FREEXL_CRAFTED_FILE:
        return "damaged (or crafted) .xls file";
    default:
        return "damaged .xls file";
    }
}

static gboolean open_xls(RcXlsx *x, const char *spec, GError **error)
{
    struct stat st;
    if (stat(x->path, &st) == 0 && (guint64)st.st_size > XLS_FILE_CAP) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_TOO_LARGE, "an .xls file larger than 1 GiB is refused");
        return FALSE;
    }
    int rc = freexl_open(x->path, &x->xls);
    if (rc != FREEXL_OK) {
        xlsx_set_error(x, error, rc == FREEXL_FILE_NOT_FOUND ? RC_XLSX_ERROR_OPEN : RC_XLSX_ERROR_CORRUPT,
                       "%s (freexl %d)", freexl_reason(rc), rc);
        return FALSE;
    }
    unsigned int info = 0;
    if (freexl_get_info(x->xls, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_ENCRYPTED, "%s", xlsx_encrypted_msg);
        return FALSE;
    }
    if (freexl_get_info(x->xls, FREEXL_BIFF_DATEMODE, &info) == FREEXL_OK)
        x->date1904 = info == FREEXL_BIFF_DATEMODE_1904;
    unsigned int count = 0;
    /* Every .xls names at least one sheet (BOUNDSHEET records): without
     * one the file is damaged, not a workbook that chose to hold none. */
    if (freexl_get_info(x->xls, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK || count == 0) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: it names no worksheet");
        return FALSE;
    }
    count = MIN(count, XLSX_MAX_SHEETS);
    x->sheets = g_new0(Sheet, MAX(count, 1));
    for (unsigned int i = 0; i < count; i++) {
        const char *name = NULL;
        freexl_get_worksheet_name(x->xls, (unsigned short)i, &name);
        x->sheets[i].name = g_strdup(name ? name : "");
    }
    x->n_sheets = count;
    if (!xlsx_pick_sheet(x, spec, error))
        return FALSE;
    unsigned short cols = 0;
    unsigned int rows = 0;
    if (freexl_select_active_worksheet(x->xls, (unsigned short)x->current) != FREEXL_OK ||
        freexl_worksheet_dimensions(x->xls, &rows, &cols) != FREEXL_OK) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: sheet '%s' cannot be read",
                       x->sheets[x->current].name);
        return FALSE;
    }
    x->xls_rows = rows;
    x->xls_cols = cols;
    return TRUE;
}

static gboolean xls_next(RcXlsx *x, const RcXlsxRow **row, GError **error)
{
    char num[64];
    while (x->xls_next < x->xls_rows) {
        guint r = x->xls_next++;
        xlsx_row_reset(x);
        for (guint c = 0; c < x->xls_cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(x->xls, r, (unsigned short)c, &v) != FREEXL_OK) {
                xlsx_row_problem(x, ROW_UNREADABLE_CELL);
                continue;
            }
            switch (v.type) {
            case FREEXL_CELL_INT: {
                gsize n = (gsize)g_snprintf(num, sizeof num, "%d", v.value.int_value);
                xlsx_row_add(x, c, num, n);
                break;
            }
            case FREEXL_CELL_DOUBLE: {
                gsize n = xlsx_numfmt_general(v.value.double_value, num);
                xlsx_row_add(x, c, num, n);
                break;
            }
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
            case FREEXL_CELL_TIME:
                if (v.value.text_value)
                    xlsx_row_add(x, c, v.value.text_value, strlen(v.value.text_value));
                break;
            default:
                break;
            }
        }
        if (x->width == 0 && !x->oversize)
            continue; /* a row with no cell, as an .xlsx would not hold it */
        xlsx_row_finish(x, (guint64)r + 1);
        *row = &x->row;
        return TRUE;
    }
    *row = NULL;
    return TRUE;
}

/* ---- the child and its messages ---- */

/* Messages from the child: a type byte, a 32-bit length, the payload. */
enum {
    MSG_ERROR = 'E', /* u32 RcXlsxError, then the message */
    MSG_SHEET = 'S', /* u8 hidden, then the name */
    MSG_PICK = 'P',  /* u32 index of the sheet read */
    MSG_ROW = 'R',   /* u64 row, u8 row_problems index, u32 n, then n x (u32 len, bytes) */
    MSG_END = 'Z',
};

#define MSG_CAP        (RC_XLSX_ROW_CAP + 8 * RC_XLSX_MAX_COLUMNS + 64)
#define XLS_TIMEOUT_MS 120000

static gboolean xls_child_abort; /* tests: the child dies after the sheet list */

static gboolean write_all(int fd, const void *buf, gsize n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return FALSE;
        p += w;
        n -= (gsize)w;
    }
    return TRUE;
}

static void send_msg(int fd, char type, const void *data, gsize len)
{
    guint8 head[5] = {(guint8)type};
    guint32 l = (guint32)len;
    memcpy(head + 1, &l, 4);
    if (!write_all(fd, head, 5) || !write_all(fd, data, len))
        _exit(0); /* the parent has gone */
}

/* The child's end: its copy of X and what it allocated are freed first,
 * so that memcheck finds it clean (the process ends either way). */
static G_GNUC_NORETURN void xls_child_exit(RcXlsx *x, GByteArray *b, GError *err)
{
    if (x->xls)
        freexl_close(x->xls);
    x->xls = NULL;
    rc_xlsx_free(x);
    g_byte_array_unref(b);
    g_clear_error(&err);
    _exit(0);
}

static G_GNUC_NORETURN void xls_child(RcXlsx *x, const char *spec, int fd)
{
    GError *err = NULL;
    GByteArray *b = g_byte_array_new();
    if (!open_xls(x, spec, &err)) {
        guint32 code = (guint32)err->code;
        g_byte_array_append(b, (guint8 *)&code, 4);
        g_byte_array_append(b, (guint8 *)err->message, (guint)strlen(err->message));
        send_msg(fd, MSG_ERROR, b->data, b->len);
        xls_child_exit(x, b, err);
    }
    for (guint i = 0; i < x->n_sheets; i++) {
        g_byte_array_set_size(b, 0);
        guint8 hidden = (guint8)x->sheets[i].hidden;
        g_byte_array_append(b, &hidden, 1);
        g_byte_array_append(b, (guint8 *)x->sheets[i].name, (guint)strlen(x->sheets[i].name));
        send_msg(fd, MSG_SHEET, b->data, b->len);
    }
    if (xls_child_abort)
        abort();
    guint32 cur = x->current;
    send_msg(fd, MSG_PICK, &cur, 4);
    const RcXlsxRow *row;
    while (xls_next(x, &row, &err) && row) {
        g_byte_array_set_size(b, 0);
        guint64 number = row->number;
        guint8 over = ROW_WHOLE;
        while (over + 1 < ROW_PROBLEMS && xlsx_row_problems[over] != row->oversize)
            over++;
        guint32 n = row->n_cells;
        g_byte_array_append(b, (guint8 *)&number, 8);
        g_byte_array_append(b, &over, 1);
        g_byte_array_append(b, (guint8 *)&n, 4);
        for (guint i = 0; i < n; i++) {
            guint32 l = row->lens[i];
            g_byte_array_append(b, (guint8 *)&l, 4);
            g_byte_array_append(b, (const guint8 *)row->cells[i], l);
        }
        send_msg(fd, MSG_ROW, b->data, b->len);
    }
    send_msg(fd, MSG_END, NULL, 0);
    xls_child_exit(x, b, err);
}

static gboolean read_all(RcXlsx *x, void *buf, gsize n, GError **error)
{
    char *p = buf;
    while (n) {
        struct pollfd pfd = {x->xls_fd, POLLIN, 0};
        int pr = poll(&pfd, 1, XLS_TIMEOUT_MS);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                           "damaged .xls file: the .xls reader (libfreexl) gave no answer "
                           "for two minutes");
            return FALSE;
        }
        ssize_t r = read(x->xls_fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int status = 0;
            pid_t pid = x->xls_pid;
            x->xls_pid = 0;
            if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status))
                xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                               "damaged .xls file: the .xls reader (libfreexl) failed on it (signal %d)",
                               WTERMSIG(status));
            else
                xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                               "damaged .xls file: the .xls reader (libfreexl) failed on it");
            return FALSE;
        }
        p += r;
        n -= (gsize)r;
    }
    return TRUE;
}

/* The child's next message into x->msg; its type in *TYPE. */
static gboolean read_msg(RcXlsx *x, char *type, GError **error)
{
    guint8 head[5];
    guint32 len;
    if (!read_all(x, head, 5, error))
        return FALSE;
    memcpy(&len, head + 1, 4);
    if (len > MSG_CAP) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "damaged .xls file: the .xls reader (libfreexl) failed on it");
        return FALSE;
    }
    g_byte_array_set_size(x->msg, len);
    if (len && !read_all(x, x->msg->data, len, error))
        return FALSE;
    *type = (char)head[0];
    return TRUE;
}

static gboolean xls_start(RcXlsx *x, const char *spec, GError **error)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        int e = errno;
        xlsx_set_error(x, error, RC_XLSX_ERROR_OPEN, "cannot start the .xls reader: %s", g_strerror(e));
        return FALSE;
    }
    /* What stdio holds goes out now, or the child's copy of it could go
     * out again (memcheck's exit flushes it even after _exit). */
    fflush(NULL);
    /* no signal handler of the caller's may run in the child */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2};
        for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
            signal(sigs[i], SIG_DFL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        struct rlimit no_core = {0, 0}; /* a crash of libfreexl leaves no core file behind */
        setrlimit(RLIMIT_CORE, &no_core);
        close(fds[0]);
        xls_child(x, spec, fds[1]);
    }
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        xlsx_set_error(x, error, RC_XLSX_ERROR_OPEN, "cannot start the .xls reader: %s", g_strerror(e));
        return FALSE;
    }
    x->xls_pid = pid;
    x->xls_fd = fds[0];
    x->msg = g_byte_array_new();
    GArray *sheets = g_array_new(FALSE, TRUE, sizeof(Sheet));
    gboolean ok = FALSE;
    for (;;) {
        char type;
        if (!read_msg(x, &type, error))
            break;
        const guint8 *d = x->msg->data;
        guint len = x->msg->len;
        if (type == MSG_ERROR && len >= 4) {
            guint32 code;
            memcpy(&code, d, 4);
            g_set_error(error, RC_XLSX_ERROR, (int)code, "%.*s", (int)(len - 4), (const char *)d + 4);
            break;
        }
        if (type == MSG_SHEET && len >= 1) {
            Sheet sh = {g_strndup((const char *)d + 1, len - 1), NULL, NULL, d[0] != 0, FALSE};
            g_array_append_val(sheets, sh);
            continue;
        }
        if (type == MSG_PICK && len == 4) {
            guint32 cur;
            memcpy(&cur, d, 4);
            x->current = cur < sheets->len ? cur : 0;
            ok = TRUE;
            break;
        }
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "damaged .xls file: the .xls reader (libfreexl) failed on it");
        break;
    }
    x->n_sheets = sheets->len;
    x->sheets = (Sheet *)(void *)g_array_free(sheets, FALSE);
    return ok;
}

gboolean xls_next_row(RcXlsx *x, const RcXlsxRow **row, GError **error)
{
    char type;
    if (!read_msg(x, &type, error))
        return FALSE;
    const guint8 *d = x->msg->data;
    gsize len = x->msg->len;
    if (type == MSG_END) {
        *row = NULL;
        return TRUE;
    }
    if (type != MSG_ROW || len < 13) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "damaged .xls file: the .xls reader (libfreexl) failed on it");
        return FALSE;
    }
    guint64 number;
    guint32 n;
    memcpy(&number, d, 8);
    guint8 over = d[8];
    memcpy(&n, d + 9, 4);
    gsize at = 13;
    xlsx_row_reset(x);
    gboolean bad = over >= ROW_PROBLEMS || n > RC_XLSX_MAX_COLUMNS;
    for (guint32 i = 0; i < n && !bad; i++) {
        guint32 l;
        bad = at + 4 > len;
        if (bad)
            break;
        memcpy(&l, d + at, 4);
        at += 4;
        bad = l > len - at;
        if (!bad)
            xlsx_row_add(x, i, (const char *)d + at, l);
        at += l;
    }
    if (bad) { /* the child's memory is not trusted: a short message ends the read */
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "damaged .xls file: the .xls reader (libfreexl) failed on it");
        return FALSE;
    }
    if (over)
        x->oversize = xlsx_row_problems[over];
    xlsx_row_finish(x, number);
    *row = &x->row;
    return TRUE;
}

void xls_stop(RcXlsx *x)
{
    if (x->xls_fd >= 0)
        close(x->xls_fd);
    x->xls_fd = -1;
    if (x->xls_pid > 0) {
        kill(x->xls_pid, SIGKILL);
        waitpid(x->xls_pid, NULL, 0);
    }
    x->xls_pid = 0;
    if (x->msg)
        g_byte_array_unref(x->msg);
    x->msg = NULL;
}

gboolean xls_open(RcXlsx *x, const char *spec, GError **error)
{
    int fd = open(x->path, O_RDONLY | O_CLOEXEC);
    gboolean enc = fd >= 0 && ole_encrypted(fd);
    if (fd >= 0)
        close(fd);
    if (enc) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_ENCRYPTED, "%s", xlsx_encrypted_msg);
        return FALSE;
    }
    return xls_start(x, spec, error);
}

void rc_xlsx_set_xls_child_abort(gboolean on)
{
    xls_child_abort = on;
}

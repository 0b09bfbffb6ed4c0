/* outfile: output files a reader never sees half-written (DESIGN.md section
 * 4, "Behaviour for cron and humans"). A regular target is written to a
 * temporary file beside it (".NAME.XXXXXX", created with the caller's mode)
 * that rc_outfile_commit() fsyncs and renames into place; a failed write or
 * an abort removes the temporary and leaves the target as it was. A
 * symbolic link at the target's name is never followed: the output
 * replaces the link itself, with its temporary in the link's directory.
 * FIFOs and character devices (terminals, /dev/null, /dev/full) and "-"
 * for standard output, /dev/stdout, /dev/fd/N are written in place: never
 * renamed over, never unlinked. Anything else (a directory, a socket, a
 * block device) is refused.
 *
 * A writer holds an exclusive flock() on its temporary until the rename or
 * the removal. Opening a target removes the temporaries of that same
 * target that a killed run left: this user's, older than this process and
 * held by no one.
 *
 * Live temporaries are kept in a process-wide registry that a signal handler
 * can walk: rc_outfile_install_signal_handlers() makes SIGINT, SIGTERM,
 * SIGHUP and SIGPIPE remove them before the process dies of the signal.
 *
 * An RcOutFile is owned by its caller: rc_outfile_free(). Strings and the
 * stream it hands out are borrowed from it. */
#ifndef RC_OUTFILE_H
#define RC_OUTFILE_H

#include <stdio.h>

#include <glib.h>

#define RC_OUTFILE_ERROR rc_outfile_error_quark()
GQuark rc_outfile_error_quark(void);

typedef enum {
    RC_OUTFILE_ERROR_CREATE, /* the temporary (or an in-place target) could not be opened */
    RC_OUTFILE_ERROR_WRITE,  /* writing, flushing, syncing or closing failed */
    RC_OUTFILE_ERROR_RENAME, /* the finished temporary could not be renamed into place */
    RC_OUTFILE_ERROR_SAME,   /* an output is an input, or another output */
} RcOutFileError;

/* Default permission bits of new outputs (DESIGN.md section 4). */
#define RC_OUTFILE_MODE 0600

typedef struct RcOutFile RcOutFile;

/* Opens PATH for writing through a stream. "-" is standard output. MODE
 * (permission bits, e.g. RC_OUTFILE_MODE) is what the committed file gets,
 * umask notwithstanding; it does not apply to in-place targets. A symbolic
 * link at PATH is replaced by the output, whatever it points at. Errors
 * name PATH: "PATH: cannot create: No such file or directory", "PATH:
 * cannot open: Is a directory".
 * Owned: rc_outfile_free(). */
RcOutFile *rc_outfile_open(const char *path, guint mode, GError **error);

/* Opens PATH for a writer that takes a file name (libxlsxwriter): the caller
 * writes the file named rc_outfile_temp_path(), then commits, or aborts when
 * the writer failed (commit cannot see its errors, only its file). For
 * an in-place target that file is a temporary in $TMPDIR whose bytes commit
 * copies to the target (so a workbook can go to "-" or /dev/stdout).
 * rc_outfile_stream() is NULL. Owned: rc_outfile_free(). */
RcOutFile *rc_outfile_open_path(const char *path, guint mode, GError **error);

/* The stream to write to (1 MiB buffer), borrowed; NULL for
 * rc_outfile_open_path() and after commit or abort. Standard output gets a
 * stream of its own on a duplicate of descriptor 1 (stdout is flushed when it
 * is opened): do not interleave writes to stdout with it. */
FILE *rc_outfile_stream(RcOutFile *o);

/* The file being written (borrowed): the temporary beside the target, or
 * for rc_outfile_open_path() on an in-place target the one in $TMPDIR. NULL
 * when a stream writes the target in place. */
const char *rc_outfile_temp_path(const RcOutFile *o);

/* TRUE when the target is written in place, not replaced by a rename. */
gboolean rc_outfile_in_place(const RcOutFile *o);

/* The target as the caller named it (borrowed). */
const char *rc_outfile_path(const RcOutFile *o);

/* Finishes the output: flushes, checks for any write error since the open,
 * fsyncs a temporary, closes, renames it over the target. On failure the
 * temporary is removed, the target untouched, and the error says why
 * ("PATH: write failed: No space left on device"). Either way the object
 * can afterwards only be freed. */
gboolean rc_outfile_commit(RcOutFile *o, GError **error);

/* Gives up: closes the stream and removes the temporary; the target is
 * untouched (bytes already written to an in-place target stay written).
 * Afterwards the object can only be freed. */
void rc_outfile_abort(RcOutFile *o);

/* Frees O, aborting it first unless it was committed. NULL is a no-op. */
void rc_outfile_free(RcOutFile *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcOutFile, rc_outfile_free)

/* Refuses a set of outputs that would overwrite an input or each other
 * (the caller's exit 1): an output that is the same file as one of the
 * N_INPUTS INPUTS, or two of the N_OUTPUTS OUTPUTS that are the same file.
 * "The same" is the same device and inode after resolving links and
 * spellings ("./d/../d/roster.csv", a symbolic or hard link); outputs that
 * do not exist yet are the same when their resolved directory and name
 * are. NULL entries, "-" and names for standard streams are skipped, and
 * so are FIFOs and character devices (two outputs may both go to
 * /dev/null). The error names both files: "OUT: is the same file as the
 * input IN", "OUT: is the same file as the output OTHER", or "OUT: named
 * for two outputs". */
gboolean rc_outfile_check_distinct(const char *const *outputs, gsize n_outputs, const char *const *inputs,
                                   gsize n_inputs, GError **error);

/* Unlinks every live temporary, using only async-signal-safe calls: safe
 * in a signal handler. Objects whose temporary is gone fail at commit. */
void rc_outfile_remove_temps(void);

/* Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE that call
 * rc_outfile_remove_temps() and then die of the same signal (default
 * disposition re-raised, so the exit status shows it). A signal the process
 * inherited as ignored (nohup, background jobs) stays ignored. SIGXFSZ is
 * ignored: past a file size limit a write fails with EFBIG, an output error
 * like a full disk, instead of killing the process. Idempotent. */
void rc_outfile_install_signal_handlers(void);

#endif

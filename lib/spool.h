/* spool: the rows that leave a merge without deciding a state — unmatched
 * result rows and problem rows — kept in an unlinked temporary file in
 * $TMPDIR (g_get_tmp_dir(), the rule the workbook's temporaries follow) so
 * that memory never grows with them (DESIGN.md section 5). A row is
 * RC_SPOOL_FIELDS texts: where it came from, why, and its raw values.
 *
 * Writes are checked: a spool that cannot be written fails with an error,
 * never a short file. Readers are independent of each other and of the
 * writer; each sees the rows written up to the last rc_spool_flush().
 * A spool owns what it hands out. */
#ifndef RC_SPOOL_H
#define RC_SPOOL_H

#include <glib.h>

#define RC_SPOOL_ERROR rc_spool_error_quark()
GQuark rc_spool_error_quark(void);

typedef enum {
    RC_SPOOL_ERROR_CREATE, /* the temporary file could not be made */
    RC_SPOOL_ERROR_WRITE,  /* a write failed (disk full, file size limit) */
    RC_SPOOL_ERROR_READ,   /* a read failed, or the file ended inside a row */
} RcSpoolError;

/* A spooled row's fields. */
enum {
    RC_SPOOL_FILE,
    RC_SPOOL_LINE,
    RC_SPOOL_KIND,
    RC_SPOOL_REASON,
    RC_SPOOL_ID,
    RC_SPOOL_NAME,
    RC_SPOOL_PHONE,
    RC_SPOOL_RESULT,
    RC_SPOOL_SAMPLED_AT,
    RC_SPOOL_RAW,
    RC_SPOOL_FIELDS
};
extern const char *const rc_spool_columns[RC_SPOOL_FIELDS]; /* "file", "line", ... */

typedef struct RcSpool RcSpool;

/* An empty spool in $TMPDIR; NAME ("unmatched", "problems", static) is for
 * messages. Owned: rc_spool_free(). */
RcSpool *rc_spool_new(const char *name, GError **error);
void rc_spool_free(RcSpool *spool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcSpool, rc_spool_free)

/* Appends a row: FIELDS[i] holds LENS[i] bytes (no NUL needed). Returns
 * FALSE with ERROR (RC_SPOOL_ERROR_WRITE) when the bytes could not be
 * written; the spool then refuses every later write and flush. */
gboolean rc_spool_write(RcSpool *spool, const char *const fields[RC_SPOOL_FIELDS],
                        const guint lens[RC_SPOOL_FIELDS], GError **error);
/* Writes out what is buffered, so that readers see every row written. */
gboolean rc_spool_flush(RcSpool *spool, GError **error);
/* Rows written. */
guint64 rc_spool_rows(const RcSpool *spool);

/* A reader from the first row (of SPOOL, borrowed: keep it alive), with its
 * own position. Owned: rc_spool_reader_free(). */
typedef struct RcSpoolReader RcSpoolReader;
RcSpoolReader *rc_spool_reader_new(const RcSpool *spool);
void rc_spool_reader_free(RcSpoolReader *rd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcSpoolReader, rc_spool_reader_free)
/* Fills FIELDS (NUL-terminated, borrowed until the next call) with the next
 * row and returns TRUE; FALSE at the end (ERROR unset) or on a read error
 * (RC_SPOOL_ERROR_READ). */
gboolean rc_spool_reader_next(RcSpoolReader *rd, const char *fields[RC_SPOOL_FIELDS], GError **error);

/* The spool's own reader, for a single pass at a time: rc_spool_rewind()
 * flushes and starts it again at the first row, rc_spool_next() as
 * rc_spool_reader_next() with a read error taken as the end. */
void rc_spool_rewind(RcSpool *spool);
gboolean rc_spool_next(RcSpool *spool, const char *fields[RC_SPOOL_FIELDS]);

#endif

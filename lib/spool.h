/* spool: the rows that leave a merge without deciding a state — unmatched
 * result rows and problem rows — kept in an unlinked temporary file so that
 * memory never grows with them (DESIGN.md section 5). A row is
 * RC_SPOOL_FIELDS texts: where it came from, why, and its raw values.
 *
 * A spool owns what it hands out; fields read stay valid until the next
 * read. */
#ifndef RC_SPOOL_H
#define RC_SPOOL_H

#include <glib.h>

#define RC_SPOOL_ERROR rc_spool_error_quark()
GQuark rc_spool_error_quark(void);

typedef enum {
    RC_SPOOL_ERROR_CREATE, /* the temporary file could not be made */
} RcSpoolError;

/* A spooled row's fields. */
enum { RC_SPOOL_FILE, RC_SPOOL_LINE, RC_SPOOL_KIND, RC_SPOOL_REASON, RC_SPOOL_ID, RC_SPOOL_NAME,
       RC_SPOOL_PHONE, RC_SPOOL_RESULT, RC_SPOOL_SAMPLED_AT, RC_SPOOL_RAW, RC_SPOOL_FIELDS };
extern const char *const rc_spool_columns[RC_SPOOL_FIELDS]; /* "file", "line", ... */

typedef struct RcSpool RcSpool;

/* An empty spool; NAME ("unmatched", "problems", static) is for messages.
 * Owned: rc_spool_free(). */
RcSpool *rc_spool_new(const char *name, GError **error);
void rc_spool_free(RcSpool *spool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcSpool, rc_spool_free)

/* Appends a row: FIELDS[i] holds LENS[i] bytes (no NUL needed). */
void rc_spool_write(RcSpool *spool, const char *const fields[RC_SPOOL_FIELDS], const guint lens[RC_SPOOL_FIELDS]);

/* Rewinds SPOOL. Then each rc_spool_next fills FIELDS (borrowed until the
 * next call) and returns TRUE, FALSE at the end. */
void rc_spool_rewind(RcSpool *spool);
gboolean rc_spool_next(RcSpool *spool, const char *fields[RC_SPOOL_FIELDS]);
/* Rows written. */
guint64 rc_spool_rows(const RcSpool *spool);

#endif

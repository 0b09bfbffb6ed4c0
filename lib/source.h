/* source: bytes from a file or standard input, the encoding decided per file
 * (DESIGN.md section 1), handed on as UTF-8 in blocks. Streaming: memory is a
 * few blocks whatever the file's size. Line numbers in messages are physical
 * lines of the original file (LF, CRLF or a bare CR ends one).
 *
 * Detection: a BOM decides UTF-8 / UTF-16LE / UTF-16BE (the BOM is not passed
 * on). Without one, ASCII passes through undecided; the first non-ASCII bytes
 * decide: UTF-8 when they are valid UTF-8, else GB18030 (a superset of GBK
 * and GB2312). A forced encoding (--encoding) skips detection. Bytes invalid
 * in the decided encoding are an error naming file, line and byte offset. */
#ifndef RC_SOURCE_H
#define RC_SOURCE_H

#include <glib.h>

#define RC_SOURCE_ERROR rc_source_error_quark()
GQuark rc_source_error_quark(void);

typedef enum {
    RC_SOURCE_ERROR_OPEN,     /* missing, unreadable, a directory */
    RC_SOURCE_ERROR_READ,     /* I/O error while reading */
    RC_SOURCE_ERROR_ENCODING, /* unknown encoding name given to force */
    RC_SOURCE_ERROR_DECODE,   /* bytes invalid in the decided encoding */
} RcSourceError;

typedef struct RcSource RcSource;

/* Opens PATH ("-" is standard input). ENCODING NULL or "auto" detects;
 * otherwise any name iconv knows ("utf-8", "gbk", "utf-16le", ...).
 * Owned: rc_source_free(). Error messages start with the display name. */
RcSource *rc_source_open(const char *path, const char *encoding, GError **error);
void rc_source_free(RcSource *src);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(RcSource, rc_source_free)

/* The next block of UTF-8 text in *DATA / *LEN; *LEN == 0 at end of input.
 * The block is borrowed until the next call. A block never ends inside a
 * UTF-8 sequence. Returns FALSE and sets ERROR ("FILE:LINE: ...") on a read
 * or decode failure; the source is then finished. */
gboolean rc_source_read(RcSource *src, const char **data, gsize *len, GError **error);

/* The name used in messages: the path as given, "<stdin>" for "-". Borrowed. */
const char *rc_source_name(const RcSource *src);

/* The encoding in use, for `rollcall check` and the summary: "UTF-8",
 * "UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-16BE (BOM)", "GB18030", or the forced
 * name in upper case. A file of pure ASCII reads "UTF-8". Borrowed. */
const char *rc_source_encoding(const RcSource *src);
gboolean rc_source_encoding_forced(const RcSource *src);

/* Raw bytes read from the file so far. */
guint64 rc_source_bytes_read(const RcSource *src);

/* For tests: the size of each read() for sources opened afterwards, so that
 * a test can put a sequence across a block boundary. 0 restores the default
 * (64 KiB). Not thread-safe. */
void rc_source_set_block_size(gsize size);

#endif

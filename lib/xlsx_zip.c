/* xlsx_zip: a workbook's zip (minizip) and the caps on what it may cost.
 * A part is opened by name (stored or deflated, not encrypted), inflated
 * in blocks and fed to expat by one loop, xlsx_part_feed, which serves the
 * whole parts (relationships, workbook, styles, shared strings) and the
 * sheet streamed a row at a time alike. A part may inflate to at most
 * lim_part bytes, and past lim_floor to at most lim_ratio times the
 * compressed bytes read; both are checked on the zip's claims before and
 * on the bytes while inflating. No token may be longer than XLSX_TAG_CAP. */
#include "xlsx_internal.h"

#include <string.h>

#define CHUNK               (256u * 1024)
#define DEFAULT_PART_CAP    (G_GUINT64_CONSTANT(1) << 30)
#define DEFAULT_RATIO       100u
#define DEFAULT_RATIO_FLOOR (G_GUINT64_CONSTANT(10) << 20)

static guint64 lim_part = DEFAULT_PART_CAP;
static guint lim_ratio = DEFAULT_RATIO;
static guint64 lim_floor = DEFAULT_RATIO_FLOOR;

void rc_xlsx_set_limits(guint64 part_cap, guint ratio, guint64 ratio_floor)
{
    lim_part = part_cap ? part_cap : DEFAULT_PART_CAP;
    lim_ratio = ratio ? ratio : DEFAULT_RATIO;
    lim_floor = ratio_floor ? ratio_floor : DEFAULT_RATIO_FLOOR;
}

gboolean xlsx_zip_open(RcXlsx *x, GError **error)
{
    x->zip = unzOpen64(x->path);
    if (!x->zip) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "truncated or damaged zip: its table of contents (central directory) cannot be read");
        return FALSE;
    }
    return TRUE;
}

gboolean xlsx_part_open(RcXlsx *x, const char *name, gboolean *missing, GError **error)
{
    if (missing)
        *missing = FALSE;
    if (unzLocateFile(x->zip, name, 2) != UNZ_OK) {
        if (missing) {
            *missing = TRUE;
            return TRUE;
        }
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "part %s is missing from the workbook", name);
        return FALSE;
    }
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(x->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: cannot read the entry of part %s",
                       name);
        return FALSE;
    }
    if (info.flag & 1) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_ENCRYPTED, "%s", xlsx_encrypted_msg);
        return FALSE;
    }
    if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "part %s uses zip compression method %lu, not deflate", name,
                       (unsigned long)info.compression_method);
        return FALSE;
    }
    if (info.uncompressed_size > lim_part) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                       "part %s says it inflates to %" G_GUINT64_FORMAT
                       " bytes, past the cap of %" G_GUINT64_FORMAT,
                       name, (guint64)info.uncompressed_size, lim_part);
        return FALSE;
    }
    if (info.uncompressed_size > lim_floor && info.uncompressed_size / lim_ratio > info.compressed_size) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                       "part %s inflates to more than %u times its compressed size: refused (a zip bomb?)",
                       name, lim_ratio);
        return FALSE;
    }
    if (unzOpenCurrentFile(x->zip) != UNZ_OK) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: cannot open part %s", name);
        return FALSE;
    }
    x->part_name = name;
    x->part_zpos = unzGetCurrentFileZStreamPos64(x->zip);
    x->part_inflated = 0;
    x->part_open = TRUE;
    return TRUE;
}

/* Up to N inflated bytes of the open part into BUF; 0 at its end, -1 on
 * an error (damaged data, a cap). */
static int part_read(RcXlsx *x, void *buf, guint n, GError **error)
{
    int got = unzReadCurrentFile(x->zip, buf, n);
    if (got < 0) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: part %s does not inflate (error %d)",
                       x->part_name, got);
        return -1;
    }
    x->part_inflated += (guint)got;
    if (x->part_inflated > lim_part) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                       "part %s inflates past %" G_GUINT64_FORMAT " bytes: refused (a zip bomb?)",
                       x->part_name, lim_part);
        return -1;
    }
    /* The ratio counts the compressed bytes read so far, not the size the
     * zip's directory claims: a claim can be a lie. minizip reads ahead at
     * most 16 KiB, which only errs on the lenient side. */
    guint64 zread = unzGetCurrentFileZStreamPos64(x->zip) - x->part_zpos;
    if (x->part_inflated > lim_floor && x->part_inflated / lim_ratio > zread) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                       "part %s inflates to more than %u times its compressed size: refused (a zip bomb?)",
                       x->part_name, lim_ratio);
        return -1;
    }
    return got;
}

/* Debian 12's expat (2.5) scans a token again from its start each time a
 * block arrives, so one huge token costs time quadratic in its length (a
 * 1 GiB attribute: half an hour). After each block, the bytes expat holds
 * back (a token not yet complete: a tag, comment or processing
 * instruction; text is handed on as it comes) are what was fed less where
 * its last event began; past XLSX_TAG_CAP the part is refused, so that no
 * token is scanned more than a few times. */
static gboolean token_bounded(RcXlsx *x, XML_Parser p, GError **error)
{
    XML_Index at = XML_GetCurrentByteIndex(p);
    if (at < 0 || x->part_inflated - (guint64)at <= XLSX_TAG_CAP)
        return TRUE;
    xlsx_set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                   "part %s holds a tag longer than %u bytes, which no workbook part does: refused",
                   x->part_name, XLSX_TAG_CAP);
    return FALSE;
}

gboolean xlsx_part_feed(RcXlsx *x, XML_Parser p, GError **error)
{
    for (;;) {
        XML_ParsingStatus ps;
        XML_GetParsingStatus(p, &ps);
        if (ps.parsing == XML_FINISHED)
            return TRUE;
        enum XML_Status st;
        if (ps.parsing == XML_SUSPENDED) {
            st = XML_ResumeParser(p);
        } else {
            void *buf = XML_GetBuffer(p, CHUNK);
            if (!buf) {
                xlsx_set_error(x, error, RC_XLSX_ERROR_XML, "part %s: out of memory parsing XML",
                               x->part_name);
                return FALSE;
            }
            int n = part_read(x, buf, CHUNK, error);
            if (n < 0)
                return FALSE;
            st = XML_ParseBuffer(p, n, n == 0);
        }
        if (st == XML_STATUS_OK && !token_bounded(x, p, error))
            return FALSE;
        if (st == XML_STATUS_ERROR) {
            xlsx_xml_error(x, p, x->part_name, error);
            return FALSE;
        }
        if (st == XML_STATUS_SUSPENDED)
            return TRUE;
    }
}

gboolean xlsx_part_close(RcXlsx *x, GError **error)
{
    if (!x->part_open)
        return TRUE;
    x->part_open = FALSE;
    int rc = unzCloseCurrentFile(x->zip);
    if (rc == UNZ_CRCERROR) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: part %s fails its CRC check",
                       x->part_name);
        return FALSE;
    }
    return TRUE;
}

gboolean xlsx_parse_part(RcXlsx *x, const char *name, XML_Parser p, gboolean *missing, GError **error)
{
    if (!xlsx_part_open(x, name, missing, error))
        return FALSE;
    if (missing && *missing)
        return TRUE;
    return xlsx_part_feed(x, p, error) && xlsx_part_close(x, error);
}

/* xlsx: the workbook's parts found through its relationships
 * (_rels/.rels -> xl/workbook.xml -> xl/_rels/workbook.xml.rels), styles and
 * shared strings read whole, then the sheet inflated and parsed in blocks:
 * expat is suspended at the end of each <row> and resumed on the next call,
 * so a row costs no copy of the sheet and no queue. */
#include "xlsx.h"
#include "civil.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <freexl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unzip.h>

G_DEFINE_QUARK(rc-xlsx-error-quark, rc_xlsx_error)

#define CHUNK (256u * 1024)
#define DEFAULT_PART_CAP (G_GUINT64_CONSTANT(1) << 30)
#define DEFAULT_RATIO 100u
#define DEFAULT_RATIO_FLOOR (G_GUINT64_CONSTANT(10) << 20)
#define XLS_FILE_CAP (G_GUINT64_CONSTANT(1) << 30)
#define MAX_SHEETS 4096

static guint64 lim_part = DEFAULT_PART_CAP;
static guint lim_ratio = DEFAULT_RATIO;
static guint64 lim_floor = DEFAULT_RATIO_FLOOR;

void
rc_xlsx_set_limits(guint64 part_cap, guint ratio, guint64 ratio_floor)
{
    lim_part = part_cap ? part_cap : DEFAULT_PART_CAP;
    lim_ratio = ratio ? ratio : DEFAULT_RATIO;
    lim_floor = ratio_floor ? ratio_floor : DEFAULT_RATIO_FLOOR;
}

static const char encrypted_msg[] =
    "password-protected workbooks are not supported: save a copy without a password";

/* ---- number formats ---- */

typedef enum { NF_GENERAL, NF_DATE, NF_TIME, NF_DATETIME, NF_ZEROS } NfKind;

typedef struct {
    guint8 kind;  /* NfKind */
    guint8 width; /* NF_ZEROS: digits to pad to */
} NumFmt;

/* Built-in format ids that are dates or times: 14-22 everywhere, 45-47,
 * and the East Asian locales' 27-36 and 50-58 (zh-CN: yyyy"年"m"月"d"日",
 * h"时"mm"分" ...). */
static NumFmt
builtin_format(guint id)
{
    NumFmt nf = { NF_GENERAL, 0 };
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
        id == 57 || id == 58)
        nf.kind = NF_DATE;
    else if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 ||
             id == 56)
        nf.kind = NF_TIME;
    else if (id == 22)
        nf.kind = NF_DATETIME;
    return nf;
}

/* A custom format code's kind, from its first section: quoted text,
 * escapes and [colour] / [$-804] tags skipped; y or d make a date, h or s
 * (or an elapsed [h]) a time, m a month unless a time is there. Only zeros
 * ("000000"): pad to that width. */
static NumFmt
classify_code(const char *code)
{
    NumFmt nf = { NF_GENERAL, 0 };
    gboolean date = FALSE, time = FALSE, month = FALSE, only_zeros = TRUE;
    guint zeros = 0;
    if (!code)
        return nf;
    for (const char *p = code; *p && *p != ';'; p++) {
        char c = *p;
        if (c == '"') {
            only_zeros = FALSE;
            p++;
            while (*p && *p != '"')
                p++;
            if (!*p)
                break;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            only_zeros = FALSE;
            if (p[1])
                p++;
            continue;
        }
        if (c == '[') {
            const char *e = strchr(p, ']');
            if (!e)
                break;
            gboolean elapsed = e > p + 1;
            for (const char *q = p + 1; q < e; q++)
                if (!strchr("hHmMsS", *q))
                    elapsed = FALSE;
            if (elapsed) /* [h]:mm; a colour or locale tag changes nothing */
                time = TRUE;
            p = e;
            continue;
        }
        if (c == '0') {
            zeros++;
            continue;
        }
        only_zeros = FALSE;
        switch (g_ascii_tolower(c)) {
        case 'y':
        case 'd': date = TRUE; break;
        case 'h':
        case 's': time = TRUE; break;
        case 'm': month = TRUE; break;
        default: break;
        }
    }
    if (month && !time)
        date = TRUE;
    if (date && time)
        nf.kind = NF_DATETIME;
    else if (date)
        nf.kind = NF_DATE;
    else if (time)
        nf.kind = NF_TIME;
    else if (only_zeros && zeros > 0 && zeros <= 30) {
        nf.kind = NF_ZEROS;
        nf.width = (guint8)zeros;
    }
    return nf;
}

/* Shortest text that reads back as Excel shows V: at most 15 significant
 * digits, integers below 1e15 as plain digits, 1e15 and up in scientific
 * notation (their last digits are gone: an id there is mangled). */
static gsize
general_text(double v, char *out)
{
    char fmt[8];
    if (!isfinite(v))
        return (gsize)g_snprintf(out, 64, "%s", isnan(v) ? "NaN" : v > 0 ? "INF" : "-INF");
    if (v == 0)
        return (gsize)g_snprintf(out, 64, "0");
    if (fabs(v) < 1e15 && v == floor(v)) {
        g_ascii_formatd(out, 64, "%.0f", v);
        return strlen(out);
    }
    g_ascii_formatd(out, 64, "%.15G", v);
    double target = g_ascii_strtod(out, NULL);
    int lo = 1, hi = 15; /* the smallest precision that reads back as TARGET */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        char buf[64];
        g_snprintf(fmt, sizeof fmt, "%%.%dG", mid);
        g_ascii_formatd(buf, sizeof buf, fmt, v);
        if (g_ascii_strtod(buf, NULL) == target)
            hi = mid;
        else
            lo = mid + 1;
    }
    g_snprintf(fmt, sizeof fmt, "%%.%dG", lo);
    g_ascii_formatd(out, 64, fmt, v);
    return strlen(out);
}

/* An Excel serial day number as a date and time (1900 system: day 0 is
 * 1899-12-30 from day 61 on; days 1-59 count from 1899-12-31 and day 60 is
 * Excel's 1900-02-29, which did not exist: left as a number). */
static gsize
serial_text(double v, NfKind kind, gboolean date1904, char *out)
{
    if (!(v >= 0) || v >= 2958466.0)
        return general_text(v, out);
    if (date1904)
        v += 1462;
    gint64 secs = llround(v * 86400.0);
    gint64 days = secs / 86400, sod = secs % 86400;
    int hh = (int)(sod / 3600), mi = (int)(sod / 60 % 60), ss = (int)(sod % 60);
    if (kind == NF_TIME && days == 0)
        return (gsize)g_snprintf(out, 64, "%02d:%02d:%02d", hh, mi, ss);
    if (!date1904 && days == 60)
        return general_text(v, out);
    if (!date1904 && days < 60)
        days++;
    int y, m, d;
    rc_civil_from_days(days - 25569, &y, &m, &d);
    if (kind == NF_DATE && sod == 0)
        return (gsize)g_snprintf(out, 64, "%04d-%02d-%02d", y, m, d);
    return (gsize)g_snprintf(out, 64, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mi, ss);
}

static gsize
number_text(double v, NumFmt nf, gboolean date1904, char *out)
{
    switch ((NfKind)nf.kind) {
    case NF_DATE:
    case NF_TIME:
    case NF_DATETIME: return serial_text(v, (NfKind)nf.kind, date1904, out);
    case NF_ZEROS:
        if (v >= 0 && v < 1e15 && v == floor(v)) {
            char digits[32];
            g_ascii_formatd(digits, sizeof digits, "%.0f", v);
            gsize n = strlen(digits), w = MAX(n, nf.width);
            memset(out, '0', w - n);
            memcpy(out + (w - n), digits, n + 1);
            return w;
        }
        return general_text(v, out);
    case NF_GENERAL: break;
    }
    return general_text(v, out);
}

gsize
rc_xlsx_number_text(double v, const char *format_code, gboolean date1904, char out[64])
{
    return number_text(v, classify_code(format_code), date1904, out);
}

/* ---- the reader ---- */

typedef struct {
    char *name;
    char *part;      /* zip entry of a worksheet; NULL for other sheet types */
    char *rid;
    gboolean hidden;
    gboolean chart;  /* a chart or dialog sheet: nothing to read */
} Sheet;

typedef enum { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE } CellType;

typedef struct {
    guint col;
    guint len;
    gsize off;       /* in the row buffer */
} CellRef;

/* Every expat user-data struct starts with the reader, so that shared
 * handlers (the DTD refusal) find it: CTX_X(data). */
#define CTX_X(data) (*(RcXlsx **)(data))

struct RcXlsx {
    RcXlsx *self;        /* first, see CTX_X */
    char *path;
    RcXlsxFormat format;
    Sheet *sheets;
    guint n_sheets;
    guint current;
    gboolean date1904;

    /* styles: per cellXfs index, its number format */
    NumFmt *xf;
    guint n_xf;

    /* shared strings, back to back, each NUL-terminated */
    gboolean have_sst;
    char *sst;
    gsize sst_len, sst_cap;
    guint32 *sst_off;    /* 4 bytes a string: the part cap keeps the text under 4 GiB */
    guint n_sst, sst_off_cap;

    /* the zip and the part being inflated */
    unzFile zip;
    const char *part_name;
    guint64 part_csize, part_inflated;
    gboolean part_open;

    /* the sheet's parse */
    XML_Parser parser;
    gboolean suspended, sheet_done, row_ready;
    GError *error;       /* set by a handler; the parse is aborted */
    guint64 last_row;
    guint next_col;
    gboolean in_row, in_cell, in_is, in_rph, collect;
    CellType ctype;
    guint ccol;
    guint cstyle;
    GString *text;       /* the current cell's <v> or <is> text */

    /* the row being built and the row handed out */
    char *rbuf;
    gsize rlen, rcap;
    CellRef *refs;
    guint n_refs, refs_cap;
    guint width;         /* last non-empty column + 1 */
    const char *oversize;
    const char **cells;
    guint *lens;
    guint cells_cap;
    RcXlsxRow row;

    /* .xls: libfreexl runs in a child process (see xls_child) */
    const void *xls;     /* the child's handle */
    guint xls_rows;
    guint xls_cols;
    guint xls_next;
    pid_t xls_pid;       /* the child, until reaped */
    int xls_fd;          /* its messages; -1 when none */
    GByteArray *msg;
};

static const char empty[] = "";

/* ---- errors ---- */

static void
set_error(RcXlsx *x, GError **error, RcXlsxError code, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static void
set_error(RcXlsx *x, GError **error, RcXlsxError code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, RC_XLSX_ERROR, code, "%s: %s", x->path, msg);
}

/* From inside an expat handler: keep the first error, stop the parse. */
static void
handler_error(RcXlsx *x, XML_Parser p, RcXlsxError code, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static void
handler_error(RcXlsx *x, XML_Parser p, RcXlsxError code, const char *fmt, ...)
{
    if (!x->error) {
        va_list ap;
        va_start(ap, fmt);
        g_autofree char *msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        x->error = g_error_new(RC_XLSX_ERROR, code, "%s: %s", x->path, msg);
    }
    XML_StopParser(p, XML_FALSE);
}

/* The same, for a fault in a sheet row: "PATH:ROW: sheet 'NAME': ...", as
 * row problems are located. */
static void
sheet_error(RcXlsx *x, RcXlsxError code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
sheet_error(RcXlsx *x, RcXlsxError code, const char *fmt, ...)
{
    if (!x->error) {
        va_list ap;
        va_start(ap, fmt);
        g_autofree char *msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        x->error = g_error_new(RC_XLSX_ERROR, code, "%s:%" G_GUINT64_FORMAT ": sheet '%s': %s", x->path, x->last_row,
                               x->sheets[x->current].name, msg);
    }
    XML_StopParser(x->parser, XML_FALSE);
}

static void
xml_error(RcXlsx *x, XML_Parser p, const char *part, GError **error)
{
    if (x->error) {
        g_propagate_error(error, g_steal_pointer(&x->error));
        return;
    }
    set_error(x, error, RC_XLSX_ERROR_XML, "part %s is not well-formed XML (line %lu, column %lu: %s)", part,
              (unsigned long)XML_GetCurrentLineNumber(p), (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
              XML_ErrorString(XML_GetErrorCode(p)));
}

/* Billion laughs and external entities need a DTD; no part of a workbook
 * has one. */
static void XMLCALL
on_doctype(void *data, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int has_internal)
{
    RcXlsx *x = CTX_X(data);
    handler_error(x, x->parser, RC_XLSX_ERROR_XML, "part %s has a DTD, which no workbook part has",
                  x->part_name ? x->part_name : "?");
}

static XML_Parser
parser_new(RcXlsx *x)
{
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, x);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    x->parser = p;
    return p;
}

/* ---- zip parts ---- */

/* Makes NAME the part being read. *MISSING (when not NULL) gets TRUE and
 * the call succeeds when the zip has no such entry. */
static gboolean
part_open(RcXlsx *x, const char *name, gboolean *missing, GError **error)
{
    if (missing)
        *missing = FALSE;
    if (unzLocateFile(x->zip, name, 2) != UNZ_OK) {
        if (missing) {
            *missing = TRUE;
            return TRUE;
        }
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "part %s is missing from the workbook", name);
        return FALSE;
    }
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(x->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: cannot read the entry of part %s", name);
        return FALSE;
    }
    if (info.flag & 1) {
        set_error(x, error, RC_XLSX_ERROR_ENCRYPTED, "%s", encrypted_msg);
        return FALSE;
    }
    if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "part %s uses zip compression method %lu, not deflate", name,
                  (unsigned long)info.compression_method);
        return FALSE;
    }
    if (info.uncompressed_size > lim_part) {
        set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                  "part %s says it inflates to %" G_GUINT64_FORMAT " bytes, past the cap of %" G_GUINT64_FORMAT,
                  name, (guint64)info.uncompressed_size, lim_part);
        return FALSE;
    }
    if (info.uncompressed_size > lim_floor && info.uncompressed_size / lim_ratio > info.compressed_size) {
        set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                  "part %s inflates to more than %u times its compressed size: refused (a zip bomb?)", name,
                  lim_ratio);
        return FALSE;
    }
    if (unzOpenCurrentFile(x->zip) != UNZ_OK) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: cannot open part %s", name);
        return FALSE;
    }
    x->part_name = name;
    x->part_csize = info.compressed_size;
    x->part_inflated = 0;
    x->part_open = TRUE;
    return TRUE;
}

/* Up to N inflated bytes of the open part into BUF; 0 at its end, -1 on
 * an error (damaged data, a cap). */
static int
part_read(RcXlsx *x, void *buf, guint n, GError **error)
{
    int got = unzReadCurrentFile(x->zip, buf, n);
    if (got < 0) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: part %s does not inflate (error %d)",
                  x->part_name, got);
        return -1;
    }
    x->part_inflated += (guint)got;
    if (x->part_inflated > lim_part) {
        set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                  "part %s inflates past %" G_GUINT64_FORMAT " bytes: refused (a zip bomb?)", x->part_name,
                  lim_part);
        return -1;
    }
    if (x->part_inflated > lim_floor && x->part_inflated / lim_ratio > x->part_csize) {
        set_error(x, error, RC_XLSX_ERROR_TOO_LARGE,
                  "part %s inflates to more than %u times its compressed size: refused (a zip bomb?)",
                  x->part_name, lim_ratio);
        return -1;
    }
    return got;
}

static gboolean
part_close(RcXlsx *x, GError **error)
{
    if (!x->part_open)
        return TRUE;
    x->part_open = FALSE;
    int rc = unzCloseCurrentFile(x->zip);
    if (rc == UNZ_CRCERROR) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged zip: part %s fails its CRC check", x->part_name);
        return FALSE;
    }
    return TRUE;
}

/* Streams a whole part through P. */
static gboolean
parse_part(RcXlsx *x, const char *name, XML_Parser p, gboolean *missing, GError **error)
{
    if (!part_open(x, name, missing, error))
        return FALSE;
    if (missing && *missing)
        return TRUE;
    for (;;) {
        void *buf = XML_GetBuffer(p, CHUNK);
        if (!buf) {
            set_error(x, error, RC_XLSX_ERROR_XML, "part %s: out of memory parsing XML", name);
            return FALSE;
        }
        int n = part_read(x, buf, CHUNK, error);
        if (n < 0)
            return FALSE;
        if (XML_ParseBuffer(p, n, n == 0) != XML_STATUS_OK) {
            xml_error(x, p, name, error);
            return FALSE;
        }
        if (n == 0)
            break;
    }
    return part_close(x, error);
}

/* ---- small helpers for XML ---- */

/* The local part of an element or attribute name ("x:row" -> "row"). */
static inline const char *
local(const char *name)
{
    const char *c = strchr(name, ':');
    return c ? c + 1 : name;
}

static const char *
attr(const XML_Char **atts, const char *want)
{
    for (; atts[0]; atts += 2)
        if (strcmp(local(atts[0]), want) == 0)
            return atts[1];
    return NULL;
}

/* A relationship target resolved against the folder of the part that
 * names it: "worksheets/sheet1.xml" from xl/workbook.xml is
 * xl/worksheets/sheet1.xml; "/xl/..." is from the root. */
static char *
resolve(const char *base_part, const char *target)
{
    GPtrArray *seg = g_ptr_array_new_with_free_func(g_free);
    if (target[0] != '/') {
        g_auto(GStrv) b = g_strsplit(base_part, "/", -1);
        guint n = g_strv_length(b);
        for (guint i = 0; i + 1 < n; i++)
            if (*b[i])
                g_ptr_array_add(seg, g_strdup(b[i]));
    }
    g_auto(GStrv) t = g_strsplit(target, "/", -1);
    for (char **s = t; *s; s++) {
        if (!**s || strcmp(*s, ".") == 0)
            continue;
        if (strcmp(*s, "..") == 0) {
            if (seg->len)
                g_ptr_array_remove_index(seg, seg->len - 1);
            continue;
        }
        g_ptr_array_add(seg, g_strdup(*s));
    }
    g_ptr_array_add(seg, NULL);
    char *out = g_strjoinv("/", (char **)seg->pdata);
    g_ptr_array_unref(seg);
    return out;
}

/* Decodes OOXML's _xHHHH_ escapes (a control character or "_x005F_" for
 * an underscore) in place; returns the new length. */
static gsize
unescape(char *s, gsize n)
{
    if (!memchr(s, '_', n))
        return n;
    gsize w = 0;
    for (gsize i = 0; i < n;) {
        if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_' && g_ascii_isxdigit(s[i + 2]) &&
            g_ascii_isxdigit(s[i + 3]) && g_ascii_isxdigit(s[i + 4]) && g_ascii_isxdigit(s[i + 5])) {
            gunichar c = (gunichar)((g_ascii_xdigit_value(s[i + 2]) << 12) | (g_ascii_xdigit_value(s[i + 3]) << 8) |
                                    (g_ascii_xdigit_value(s[i + 4]) << 4) | g_ascii_xdigit_value(s[i + 5]));
            if (c != 0 && g_unichar_validate(c)) {
                w += (gsize)g_unichar_to_utf8(c, s + w); /* at most 3 bytes for 7 read */
                i += 7;
                continue;
            }
        }
        s[w++] = s[i++];
    }
    return w;
}

/* ---- relationships ---- */

typedef struct {
    RcXlsx *x;
    GHashTable *targets; /* Id -> target */
    GHashTable *types;   /* Id -> last segment of the Type URI */
    char *office;        /* root rels: the officeDocument target */
} Rels;

static void XMLCALL
rels_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    Rels *r = data;
    if (strcmp(local(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target"), *type = attr(atts, "Type");
    const char *mode = attr(atts, "TargetMode");
    if (!id || !target || (mode && strcmp(mode, "External") == 0))
        return;
    const char *slash = type ? strrchr(type, '/') : NULL;
    const char *kind = slash ? slash + 1 : type ? type : "";
    if (!g_hash_table_contains(r->targets, id)) {
        g_hash_table_insert(r->targets, g_strdup(id), g_strdup(target));
        g_hash_table_insert(r->types, g_strdup(id), g_strdup(kind));
    }
    if (strcmp(kind, "officeDocument") == 0 && !r->office)
        r->office = g_strdup(target);
}

static void
rels_clear(Rels *r)
{
    g_hash_table_unref(r->targets);
    g_hash_table_unref(r->types);
    g_free(r->office);
}

/* Reads the relationships of PART (its _rels/NAME.rels). A missing one is
 * no relationship at all. */
static gboolean
read_rels(RcXlsx *x, const char *part, Rels *r, GError **error)
{
    memset(r, 0, sizeof *r);
    r->x = x;
    r->targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    r->types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *slash = strrchr(part, '/');
    g_autofree char *name = slash ? g_strdup_printf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1)
                                  : g_strdup_printf("_rels/%s.rels", part);
    XML_Parser p = parser_new(x);
    XML_SetUserData(p, r);
    XML_SetStartElementHandler(p, rels_start);
    gboolean missing;
    gboolean ok = parse_part(x, name, p, &missing, error);
    XML_ParserFree(p);
    x->parser = NULL;
    return ok;
}

/* ---- workbook.xml ---- */

typedef struct {
    RcXlsx *x;
    GArray *sheets; /* Sheet */
} WbParse;

static void XMLCALL
wb_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    WbParse *w = data;
    const char *l = local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        w->x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(l, "sheet") == 0 && w->sheets->len < MAX_SHEETS) {
        const char *sname = attr(atts, "name"), *state = attr(atts, "state"), *rid = attr(atts, "id");
        Sheet s = { g_strdup(sname ? sname : ""), NULL, g_strdup(rid ? rid : ""),
                    state && strcmp(state, "visible") != 0, FALSE };
        g_array_append_val(w->sheets, s);
    }
}

/* ---- styles.xml ---- */

typedef struct {
    RcXlsx *x;
    GHashTable *custom; /* numFmtId -> NumFmt packed in a pointer */
    GArray *xf;         /* NumFmt per cellXfs entry */
    int in_cellxfs;
} StyleParse;

static void XMLCALL
st_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    StyleParse *s = data;
    const char *l = local(name);
    if (strcmp(l, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (id && code) {
            NumFmt nf = classify_code(code);
            guint key = (guint)g_ascii_strtoull(id, NULL, 10);
            g_hash_table_insert(s->custom, GUINT_TO_POINTER(key + 1),
                                GUINT_TO_POINTER(1u + nf.kind + ((guint)nf.width << 8)));
        }
    } else if (strcmp(l, "cellXfs") == 0) {
        s->in_cellxfs++;
    } else if (strcmp(l, "xf") == 0 && s->in_cellxfs && s->xf->len < 65536) {
        const char *id = attr(atts, "numFmtId");
        guint key = id ? (guint)g_ascii_strtoull(id, NULL, 10) : 0;
        NumFmt nf;
        gpointer v = g_hash_table_lookup(s->custom, GUINT_TO_POINTER(key + 1));
        if (v) {
            guint packed = GPOINTER_TO_UINT(v) - 1;
            nf.kind = (guint8)(packed & 0xff);
            nf.width = (guint8)(packed >> 8);
        } else {
            nf = builtin_format(key);
        }
        g_array_append_val(s->xf, nf);
    }
}

static void XMLCALL
st_end(void *data, const XML_Char *name)
{
    StyleParse *s = data;
    if (strcmp(local(name), "cellXfs") == 0 && s->in_cellxfs)
        s->in_cellxfs--;
}

/* ---- sharedStrings.xml ---- */

typedef struct {
    RcXlsx *x;
    GString *cur;
    gboolean in_si, in_t, in_rph;
} SstParse;

static void
sst_push(RcXlsx *x, const char *s, gsize n)
{
    if (x->n_sst + 1 >= x->sst_off_cap) {
        x->sst_off_cap = x->sst_off_cap ? x->sst_off_cap * 2 : 1024;
        x->sst_off = g_renew(guint32, x->sst_off, x->sst_off_cap);
    }
    if (x->sst_len + n + 1 > x->sst_cap) {
        while (x->sst_len + n + 1 > x->sst_cap)
            x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 64 * 1024;
        x->sst = g_realloc(x->sst, x->sst_cap);
    }
    x->sst_off[x->n_sst++] = (guint32)x->sst_len;
    memcpy(x->sst + x->sst_len, s, n);
    x->sst_len += n;
    x->sst[x->sst_len++] = '\0';
}

static void XMLCALL
sst_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    SstParse *s = data;
    const char *l = local(name);
    if (strcmp(l, "si") == 0) {
        s->in_si = TRUE;
        g_string_truncate(s->cur, 0);
    } else if (strcmp(l, "t") == 0) {
        s->in_t = s->in_si && !s->in_rph;
    } else if (strcmp(l, "rPh") == 0) {
        s->in_rph = TRUE;
    }
}

static void XMLCALL
sst_end(void *data, const XML_Char *name)
{
    SstParse *s = data;
    const char *l = local(name);
    if (strcmp(l, "t") == 0) {
        s->in_t = FALSE;
    } else if (strcmp(l, "rPh") == 0) {
        s->in_rph = FALSE;
    } else if (strcmp(l, "si") == 0 && s->in_si) {
        s->in_si = FALSE;
        gsize n = unescape(s->cur->str, s->cur->len);
        if (s->x->sst_len + n + 1 > G_MAXUINT32 || s->x->n_sst + 2 > G_MAXUINT32 / 2) {
            handler_error(s->x, s->x->parser, RC_XLSX_ERROR_TOO_LARGE, "more shared strings than can be held");
            return;
        }
        sst_push(s->x, s->cur->str, n);
    }
}

/* A string past the cell cap is kept to one byte more, so that the row
 * holding it is marked oversize. */
static void XMLCALL
sst_text(void *data, const XML_Char *t, int len)
{
    SstParse *s = data;
    if (s->in_t && s->cur->len <= RC_XLSX_CELL_CAP)
        g_string_append_len(s->cur, t, MIN((gsize)len, RC_XLSX_CELL_CAP + 1 - s->cur->len));
}

/* ---- the sheet ---- */

/* Why a row cannot be taken whole (RcXlsxRow.oversize): the table layer
 * makes it a problem row with this reason (translated in lib/labels.c).
 * The .xls child sends the index. */
enum { ROW_WHOLE, ROW_LONG_FIELD, ROW_LONG_RECORD, ROW_UNREADABLE_CELL, ROW_TWO_CELLS, ROW_PROBLEMS };
static const char *const row_problems[ROW_PROBLEMS] = {
    [ROW_WHOLE] = NULL,
    [ROW_LONG_FIELD] = "field longer than 64 KiB",
    [ROW_LONG_RECORD] = "record longer than 1 MiB",
    [ROW_UNREADABLE_CELL] = "a cell the .xls reader cannot read",
    [ROW_TWO_CELLS] = "two cells in one column",
};

/* The row's first problem stands. */
static void
row_problem(RcXlsx *x, int why)
{
    if (!x->oversize)
        x->oversize = row_problems[why];
}

static void
row_reset(RcXlsx *x)
{
    x->rlen = 0;
    x->n_refs = 0;
    x->width = 0;
    x->oversize = NULL;
}

/* Adds cell COL's text to the row being built (empty text adds nothing). */
static void
row_add(RcXlsx *x, guint col, const char *s, gsize n)
{
    if (n == 0)
        return;
    if (n > RC_XLSX_CELL_CAP) {
        row_problem(x, ROW_LONG_FIELD);
        n = RC_XLSX_CELL_CAP;
        while (n > 0 && (s[n] & 0xC0) == 0x80) /* cut at a character boundary */
            n--;
    }
    if (x->rlen + n + 1 > RC_XLSX_ROW_CAP) {
        x->oversize = row_problems[ROW_LONG_RECORD]; /* the row is cut here: this is what matters */
        return;
    }
    if (x->rlen + n + 1 > x->rcap) {
        while (x->rlen + n + 1 > x->rcap)
            x->rcap = x->rcap ? x->rcap * 2 : 4096;
        x->rbuf = g_realloc(x->rbuf, x->rcap);
    }
    if (x->n_refs == x->refs_cap) {
        x->refs_cap = x->refs_cap ? x->refs_cap * 2 : 64;
        x->refs = g_renew(CellRef, x->refs, x->refs_cap);
    }
    CellRef *r = &x->refs[x->n_refs++];
    r->col = col;
    r->len = (guint)n;
    r->off = x->rlen;
    memcpy(x->rbuf + x->rlen, s, n);
    x->rlen += n;
    x->rbuf[x->rlen++] = '\0';
    if (col + 1 > x->width)
        x->width = col + 1;
}

/* The row built so far becomes x->row. */
static void
row_finish(RcXlsx *x, guint64 number)
{
    guint w = x->width;
    if (w > x->cells_cap) {
        x->cells_cap = MAX(w, x->cells_cap * 2);
        x->cells = g_renew(const char *, x->cells, x->cells_cap);
        x->lens = g_renew(guint, x->lens, x->cells_cap);
    }
    for (guint i = 0; i < w; i++) {
        x->cells[i] = empty;
        x->lens[i] = 0;
    }
    for (guint i = 0; i < x->n_refs; i++) {
        const CellRef *r = &x->refs[i];
        if (x->cells[r->col] != empty)
            row_problem(x, ROW_TWO_CELLS); /* no value is dropped unsaid */
        x->cells[r->col] = x->rbuf + r->off;
        x->lens[r->col] = r->len;
    }
    x->row.number = number;
    x->row.n_cells = w;
    x->row.cells = x->cells;
    x->row.lens = x->lens;
    x->row.oversize = x->oversize;
}

/* "BC12" -> column 54 (0-based); -1 without letters; -2 past XFD. */
static int
ref_column(const char *r)
{
    guint col = 0, n = 0;
    for (; g_ascii_isalpha(*r); r++, n++) {
        col = col * 26 + (guint)(g_ascii_toupper(*r) - 'A' + 1);
        if (col > RC_XLSX_MAX_COLUMNS)
            return -2;
    }
    return n ? (int)col - 1 : -1;
}

static void XMLCALL
sh_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    RcXlsx *x = data;
    const char *l = local(name);
    switch (l[0]) {
    case 'c':
        if (l[1] != '\0' || !x->in_row)
            return;
        {
            const char *r = NULL, *t = NULL, *s = NULL;
            for (const XML_Char **a = atts; a[0]; a += 2) {
                const char *an = local(a[0]);
                if (an[0] == 'r' && !an[1])
                    r = a[1];
                else if (an[0] == 't' && !an[1])
                    t = a[1];
                else if (an[0] == 's' && !an[1])
                    s = a[1];
            }
            int col = r ? ref_column(r) : -1;
            if (col == -2 || (col == -1 && x->next_col >= RC_XLSX_MAX_COLUMNS)) {
                sheet_error(x, RC_XLSX_ERROR_CORRUPT, "a cell past the last column (XFD)");
                return;
            }
            x->ccol = col >= 0 ? (guint)col : x->next_col;
            x->ctype = CT_NUMBER;
            if (t) {
                if (strcmp(t, "s") == 0)
                    x->ctype = CT_SHARED;
                else if (strcmp(t, "inlineStr") == 0)
                    x->ctype = CT_INLINE;
                else if (strcmp(t, "str") == 0)
                    x->ctype = CT_STR;
                else if (strcmp(t, "b") == 0)
                    x->ctype = CT_BOOL;
                else if (strcmp(t, "e") == 0)
                    x->ctype = CT_ERROR;
                else if (strcmp(t, "d") == 0)
                    x->ctype = CT_DATE;
            }
            x->cstyle = s ? (guint)g_ascii_strtoull(s, NULL, 10) : 0;
            x->in_cell = TRUE;
            x->in_is = x->in_rph = x->collect = FALSE;
            g_string_truncate(x->text, 0);
        }
        return;
    case 'v':
        if (l[1] == '\0' && x->in_cell)
            x->collect = TRUE;
        return;
    case 't':
        if (l[1] == '\0' && x->in_is && !x->in_rph)
            x->collect = TRUE;
        return;
    case 'i':
        if (strcmp(l, "is") == 0 && x->in_cell)
            x->in_is = TRUE;
        return;
    case 'r':
        if (strcmp(l, "row") == 0) {
            const char *r = attr(atts, "r");
            guint64 n = r ? g_ascii_strtoull(r, NULL, 10) : 0;
            x->last_row = n ? n : x->last_row + 1;
            x->in_row = TRUE;
            x->next_col = 0;
            row_reset(x);
        } else if (strcmp(l, "rPh") == 0) {
            x->in_rph = TRUE;
        }
        return;
    default: return;
    }
}

/* TRUE when S is an integer Excel shows as written: an optional '-', then
 * 1 to 15 digits without a leading zero (or "0" alone). */
static inline gboolean
plain_integer(const char *s, gsize n)
{
    gsize i = s[0] == '-';
    if (n == i || n - i > 15 || (s[i] == '0' && n - i > 1) || (i && s[i] == '0'))
        return FALSE;
    for (; i < n; i++)
        if ((guchar)(s[i] - '0') > 9)
            return FALSE;
    return TRUE;
}

/* The text of the cell that just ended, into the row. */
static void
cell_finish(RcXlsx *x)
{
    GString *t = x->text;
    char num[64];
    switch (x->ctype) {
    case CT_SHARED: {
        if (t->len == 0)
            break;
        char *end;
        guint64 i = g_ascii_strtoull(t->str, &end, 10);
        if (*end || end == t->str || !x->have_sst || i >= x->n_sst) {
            if (!x->have_sst)
                sheet_error(x, RC_XLSX_ERROR_SHARED_STRING,
                            "a cell refers to shared string %s, but the workbook has no shared strings part", t->str);
            else
                sheet_error(x, RC_XLSX_ERROR_SHARED_STRING, "shared string index %s is out of range (the workbook has %u)",
                            t->str, x->n_sst);
            return;
        }
        gsize off = x->sst_off[i];
        gsize len = (i + 1 < x->n_sst ? x->sst_off[i + 1] : x->sst_len) - off - 1;
        row_add(x, x->ccol, x->sst + off, len);
        break;
    }
    case CT_INLINE:
    case CT_STR:
    case CT_ERROR: {
        gsize n = unescape(t->str, t->len);
        row_add(x, x->ccol, t->str, n);
        break;
    }
    case CT_BOOL:
        if (strcmp(t->str, "1") == 0)
            row_add(x, x->ccol, "TRUE", 4);
        else if (strcmp(t->str, "0") == 0)
            row_add(x, x->ccol, "FALSE", 5);
        else
            row_add(x, x->ccol, t->str, t->len);
        break;
    case CT_DATE: { /* ISO 8601: 2022-04-10T08:31:00[.000][Z] */
        char *s = t->str;
        gsize n = t->len;
        if (n && s[n - 1] == 'Z')
            n--;
        char *dot = memchr(s, '.', n);
        if (dot && memchr(s, 'T', n))
            n = (gsize)(dot - s);
        char *tee = memchr(s, 'T', n);
        if (tee)
            *tee = ' ';
        row_add(x, x->ccol, s, n);
        break;
    }
    case CT_NUMBER: {
        if (t->len == 0)
            break;
        NumFmt nf = x->cstyle < x->n_xf ? x->xf[x->cstyle] : (NumFmt){ NF_GENERAL, 0 };
        if (nf.kind == NF_GENERAL && plain_integer(t->str, t->len)) { /* most numbers: as written */
            row_add(x, x->ccol, t->str, t->len);
            break;
        }
        char *end;
        double v = g_ascii_strtod(t->str, &end);
        if (*end || end == t->str) {
            row_add(x, x->ccol, t->str, t->len);
            break;
        }
        gsize n = number_text(v, nf, x->date1904, num);
        row_add(x, x->ccol, num, n);
        break;
    }
    }
}

static void XMLCALL
sh_end(void *data, const XML_Char *name)
{
    RcXlsx *x = data;
    const char *l = local(name);
    switch (l[0]) {
    case 'v':
    case 't':
        if (l[1] == '\0')
            x->collect = FALSE;
        return;
    case 'c':
        if (l[1] == '\0' && x->in_cell) {
            x->in_cell = FALSE;
            x->collect = FALSE;
            cell_finish(x);
            x->next_col = x->ccol + 1;
        }
        return;
    case 'i':
        if (strcmp(l, "is") == 0)
            x->in_is = FALSE;
        return;
    case 'r':
        if (strcmp(l, "rPh") == 0) {
            x->in_rph = FALSE;
        } else if (strcmp(l, "row") == 0 && x->in_row) {
            x->in_row = FALSE;
            row_finish(x, x->last_row);
            x->row_ready = TRUE;
            XML_StopParser(x->parser, XML_TRUE);
        }
        return;
    default: return;
    }
}

static void XMLCALL
sh_text(void *data, const XML_Char *s, int len)
{
    RcXlsx *x = data;
    if (!x->collect)
        return;
    /* keep one byte past the cap, so that row_add sees the cell is too long */
    if (x->text->len <= RC_XLSX_CELL_CAP)
        g_string_append_len(x->text, s, MIN((gsize)len, RC_XLSX_CELL_CAP + 1 - x->text->len));
}

/* ---- OLE compound files ---- */

static guint32
le32(const guint8 *p)
{
    return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static gboolean
pread_all(int fd, void *buf, gsize n, guint64 off)
{
    gsize done = 0;
    while (done < n) {
        ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + done));
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            return FALSE;
        }
        done += (gsize)r;
    }
    return TRUE;
}

/* TRUE when the compound file on FD has a directory entry named
 * "EncryptedPackage": an encrypted .xlsx (MS-OFFCRYPTO). The directory's
 * sector chain is followed through the FAT, every step bounded by the
 * file's size. A file too damaged to walk says FALSE (freexl then fails). */
static gboolean
ole_encrypted(int fd)
{
    struct stat st;
    guint8 h[512];
    if (fstat(fd, &st) != 0 || !pread_all(fd, h, sizeof h, 0))
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
        if (!pread_all(fd, sec, ssz, ((guint64)difat_next + 1) * ssz))
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
        if (!pread_all(fd, sec, ssz, ((guint64)s + 1) * ssz))
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
            if (!pread_all(fd, fat, ssz, ((guint64)g_array_index(fat_secs, guint32, k) + 1) * ssz))
                break;
            cached = k;
        }
        s = le32(fat + 4 * (s % per));
    }
    /* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): g_autofree frees sec and fat; the analyzer does not follow the cleanup attribute */
    g_array_unref(fat_secs);
    return found;
}

/* ---- opening ---- */

RcXlsxFormat
rc_xlsx_sniff(const char *path)
{
    guint8 m[8];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return RC_XLSX_FORMAT_NONE;
    gboolean ok = pread_all(fd, m, sizeof m, 0);
    close(fd);
    if (!ok)
        return RC_XLSX_FORMAT_NONE;
    if (m[0] == 'P' && m[1] == 'K' && ((m[2] == 3 && m[3] == 4) || (m[2] == 5 && m[3] == 6)))
        return RC_XLSX_FORMAT_XLSX;
    static const guint8 ole[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    if (memcmp(m, ole, 8) == 0)
        return RC_XLSX_FORMAT_XLS;
    return RC_XLSX_FORMAT_NONE;
}

gboolean
rc_xlsx_path_is_workbook(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (g_ascii_strcasecmp(dot, ".xlsx") == 0 || g_ascii_strcasecmp(dot, ".xlsm") == 0);
}

static char *
sheet_list(const RcXlsx *x)
{
    GString *g = g_string_new(NULL);
    for (guint i = 0; i < x->n_sheets; i++)
        g_string_append_printf(g, "%s'%s'%s", i ? ", " : "", x->sheets[i].name,
                               x->sheets[i].hidden ? " (hidden)" : x->sheets[i].chart ? " (chart)" : "");
    return g_string_free(g, FALSE);
}

/* Picks the sheet SPEC names (see rc_xlsx_open). */
static gboolean
pick_sheet(RcXlsx *x, const char *spec, GError **error)
{
    if (!spec) {
        for (guint i = 0; i < x->n_sheets; i++)
            if (!x->sheets[i].hidden && !x->sheets[i].chart) {
                x->current = i;
                return TRUE;
            }
        g_autofree char *list = sheet_list(x);
        set_error(x, error, RC_XLSX_ERROR_NO_SHEET, "no visible worksheet (sheets: %s)",
                  x->n_sheets ? list : "none");
        return FALSE;
    }
    int found = -1;
    for (guint i = 0; i < x->n_sheets && found < 0; i++)
        if (strcmp(x->sheets[i].name, spec) == 0)
            found = (int)i;
    if (found < 0) {
        g_autofree char *want = g_utf8_casefold(spec, -1);
        for (guint i = 0; i < x->n_sheets && found < 0; i++) {
            g_autofree char *have = g_utf8_casefold(x->sheets[i].name, -1);
            if (strcmp(have, want) == 0)
                found = (int)i;
        }
    }
    if (found < 0 && *spec) {
        char *end;
        guint64 n = g_ascii_strtoull(spec, &end, 10);
        if (!*end && g_ascii_isdigit(*spec) && n >= 1 && n <= x->n_sheets)
            found = (int)n - 1;
    }
    if (found < 0) {
        g_autofree char *list = sheet_list(x);
        set_error(x, error, RC_XLSX_ERROR_NO_SHEET, "no sheet '%s' (sheets: %s)", spec, x->n_sheets ? list : "none");
        return FALSE;
    }
    if (x->sheets[found].chart) {
        set_error(x, error, RC_XLSX_ERROR_NO_SHEET, "sheet '%s' is a chart or dialog sheet, not a worksheet",
                  x->sheets[found].name);
        return FALSE;
    }
    x->current = (guint)found;
    return TRUE;
}

static gboolean
open_xlsx(RcXlsx *x, const char *spec, GError **error)
{
    x->zip = unzOpen64(x->path);
    if (!x->zip) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                  "truncated or damaged zip: its table of contents (central directory) cannot be read");
        return FALSE;
    }

    /* the workbook part, from the package's relationships */
    Rels root;
    if (!read_rels(x, "", &root, error)) {
        rels_clear(&root);
        return FALSE;
    }
    g_autofree char *wb_part = root.office ? resolve("", root.office) : g_strdup("xl/workbook.xml");
    rels_clear(&root);

    WbParse wb = { x, g_array_new(FALSE, TRUE, sizeof(Sheet)) };
    XML_Parser p = parser_new(x);
    XML_SetUserData(p, &wb);
    XML_SetStartElementHandler(p, wb_start);
    gboolean missing = FALSE;
    gboolean ok = parse_part(x, wb_part, p, &missing, error);
    XML_ParserFree(p);
    x->parser = NULL;
    x->n_sheets = wb.sheets->len;
    x->sheets = (Sheet *)(void *)g_array_free(wb.sheets, FALSE);
    if (!ok)
        return FALSE;
    if (missing) {
        set_error(x, error, RC_XLSX_ERROR_FORMAT, "a zip archive, but not an .xlsx workbook (no part %s)", wb_part);
        return FALSE;
    }

    /* the sheets' parts and the shared strings, from the workbook's relationships */
    Rels wr;
    if (!read_rels(x, wb_part, &wr, error)) {
        rels_clear(&wr);
        return FALSE;
    }
    for (guint i = 0; i < x->n_sheets; i++) {
        Sheet *s = &x->sheets[i];
        const char *target = g_hash_table_lookup(wr.targets, s->rid);
        const char *type = g_hash_table_lookup(wr.types, s->rid);
        if (type && strcmp(type, "worksheet") != 0)
            s->chart = TRUE;
        else if (target)
            s->part = resolve(wb_part, target);
    }
    char *sst_part = NULL, *styles_part = NULL;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, wr.types);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const char *target = g_hash_table_lookup(wr.targets, k);
        if (strcmp(v, "sharedStrings") == 0 && !sst_part)
            sst_part = resolve(wb_part, target);
        else if (strcmp(v, "styles") == 0 && !styles_part)
            styles_part = resolve(wb_part, target);
    }
    rels_clear(&wr);
    g_autofree char *sst_name = sst_part;
    g_autofree char *styles_name = styles_part;

    if (!pick_sheet(x, spec, error))
        return FALSE;
    if (!x->sheets[x->current].part) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "sheet '%s' has no part in the workbook's relationships",
                  x->sheets[x->current].name);
        return FALSE;
    }

    /* styles: which cells are dates */
    if (styles_name) {
        StyleParse sp = { x, g_hash_table_new(g_direct_hash, g_direct_equal), g_array_new(FALSE, FALSE, sizeof(NumFmt)), 0 };
        p = parser_new(x);
        XML_SetUserData(p, &sp);
        XML_SetElementHandler(p, st_start, st_end);
        ok = parse_part(x, styles_name, p, &missing, error);
        XML_ParserFree(p);
        x->parser = NULL;
        g_hash_table_unref(sp.custom);
        x->n_xf = sp.xf->len;
        x->xf = (NumFmt *)(void *)g_array_free(sp.xf, FALSE);
        if (!ok)
            return FALSE;
    }

    /* shared strings: named by the relationships, or at their usual place */
    gboolean sst_named = sst_name != NULL;
    if (!sst_name)
        sst_name = g_strdup("xl/sharedStrings.xml");
    SstParse sp = { x, g_string_new(NULL), FALSE, FALSE, FALSE };
    p = parser_new(x);
    XML_SetUserData(p, &sp);
    XML_SetElementHandler(p, sst_start, sst_end);
    XML_SetCharacterDataHandler(p, sst_text);
    ok = parse_part(x, sst_name, p, &missing, error);
    XML_ParserFree(p);
    x->parser = NULL;
    g_string_free(sp.cur, TRUE);
    if (!ok)
        return FALSE;
    if (missing && sst_named) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "part %s (the shared strings) is missing from the workbook",
                  sst_name);
        return FALSE;
    }
    x->have_sst = !missing;

    /* the sheet, ready to stream */
    const char *part = x->sheets[x->current].part;
    if (!part_open(x, part, &missing, error))
        return FALSE;
    if (missing) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "sheet '%s': part %s is missing from the workbook",
                  x->sheets[x->current].name, part);
        return FALSE;
    }
    p = parser_new(x);
    XML_SetElementHandler(p, sh_start, sh_end);
    XML_SetCharacterDataHandler(p, sh_text);
    x->text = g_string_sized_new(256);
    return TRUE;
}

static gboolean
sheet_next(RcXlsx *x, const RcXlsxRow **row, GError **error)
{
    XML_Parser p = x->parser;
    const char *part = x->sheets[x->current].part;
    x->row_ready = FALSE;
    while (!x->row_ready) {
        enum XML_Status st;
        XML_ParsingStatus ps;
        XML_GetParsingStatus(p, &ps);
        if (ps.parsing == XML_FINISHED) {
            x->sheet_done = TRUE;
            *row = NULL;
            return part_close(x, error);
        }
        if (x->suspended) {
            st = XML_ResumeParser(p);
        } else {
            void *buf = XML_GetBuffer(p, CHUNK);
            if (!buf) {
                set_error(x, error, RC_XLSX_ERROR_XML, "part %s: out of memory parsing XML", part);
                return FALSE;
            }
            int n = part_read(x, buf, CHUNK, error);
            if (n < 0)
                return FALSE;
            st = XML_ParseBuffer(p, n, n == 0);
        }
        if (st == XML_STATUS_ERROR) {
            xml_error(x, p, part, error);
            return FALSE;
        }
        x->suspended = st == XML_STATUS_SUSPENDED;
    }
    *row = &x->row;
    return TRUE;
}

/* ---- .xls through libfreexl ---- */

static const char *
freexl_reason(int rc)
{
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND: return "cannot be read";
    case FREEXL_INSUFFICIENT_MEMORY: return "out of memory";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND: return "an OLE file without an Excel workbook in it";
    case FREEXL_BIFF_INVALID_BOF: return "not an Excel 97-2003 (BIFF8) workbook";
    case FREEXL_CRAFTED_FILE: return "damaged (or crafted) .xls file";
    default: return "damaged .xls file";
    }
}

static gboolean
open_xls(RcXlsx *x, const char *spec, GError **error)
{
    struct stat st;
    if (stat(x->path, &st) == 0 && (guint64)st.st_size > XLS_FILE_CAP) {
        set_error(x, error, RC_XLSX_ERROR_TOO_LARGE, "an .xls file larger than 1 GiB is refused");
        return FALSE;
    }
    int rc = freexl_open(x->path, &x->xls);
    if (rc != FREEXL_OK) {
        set_error(x, error, rc == FREEXL_FILE_NOT_FOUND ? RC_XLSX_ERROR_OPEN : RC_XLSX_ERROR_CORRUPT, "%s (freexl %d)",
                  freexl_reason(rc), rc);
        return FALSE;
    }
    unsigned int info = 0;
    if (freexl_get_info(x->xls, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
        set_error(x, error, RC_XLSX_ERROR_ENCRYPTED, "%s", encrypted_msg);
        return FALSE;
    }
    if (freexl_get_info(x->xls, FREEXL_BIFF_DATEMODE, &info) == FREEXL_OK)
        x->date1904 = info == FREEXL_BIFF_DATEMODE_1904;
    unsigned int count = 0;
    freexl_get_info(x->xls, FREEXL_BIFF_SHEET_COUNT, &count);
    count = MIN(count, MAX_SHEETS);
    x->sheets = g_new0(Sheet, MAX(count, 1));
    for (unsigned int i = 0; i < count; i++) {
        const char *name = NULL;
        freexl_get_worksheet_name(x->xls, (unsigned short)i, &name);
        x->sheets[i].name = g_strdup(name ? name : "");
    }
    x->n_sheets = count;
    if (!pick_sheet(x, spec, error))
        return FALSE;
    unsigned short cols = 0;
    unsigned int rows = 0;
    if (freexl_select_active_worksheet(x->xls, (unsigned short)x->current) != FREEXL_OK ||
        freexl_worksheet_dimensions(x->xls, &rows, &cols) != FREEXL_OK) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "sheet '%s' cannot be read", x->sheets[x->current].name);
        return FALSE;
    }
    x->xls_rows = rows;
    x->xls_cols = cols;
    return TRUE;
}

static gboolean
xls_next(RcXlsx *x, const RcXlsxRow **row, GError **error)
{
    char num[64];
    while (x->xls_next < x->xls_rows) {
        guint r = x->xls_next++;
        row_reset(x);
        for (guint c = 0; c < x->xls_cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(x->xls, r, (unsigned short)c, &v) != FREEXL_OK) {
                row_problem(x, ROW_UNREADABLE_CELL);
                continue;
            }
            switch (v.type) {
            case FREEXL_CELL_INT: {
                gsize n = (gsize)g_snprintf(num, sizeof num, "%d", v.value.int_value);
                row_add(x, c, num, n);
                break;
            }
            case FREEXL_CELL_DOUBLE: {
                gsize n = general_text(v.value.double_value, num);
                row_add(x, c, num, n);
                break;
            }
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
            case FREEXL_CELL_TIME:
                if (v.value.text_value)
                    row_add(x, c, v.value.text_value, strlen(v.value.text_value));
                break;
            default: break;
            }
        }
        if (x->width == 0 && !x->oversize)
            continue; /* a row with no cell, as an .xlsx would not hold it */
        row_finish(x, (guint64)r + 1);
        *row = &x->row;
        return TRUE;
    }
    *row = NULL;
    return TRUE;
}

/* libfreexl reads crafted files out of bounds (found by fuzzing 1.0.6), so
 * it runs in a child process that sends the sheet's rows through a pipe:
 * whatever it does to its own memory, the run gets an input error, never a
 * crash. Messages: a type byte, a 32-bit length, the payload. */
enum {
    MSG_ERROR = 'E', /* u32 RcXlsxError, then the message */
    MSG_SHEET = 'S', /* u8 hidden, then the name */
    MSG_PICK = 'P',  /* u32 index of the sheet read */
    MSG_ROW = 'R',   /* u64 row, u8 row_problems index, u32 n, then n x (u32 len, bytes) */
    MSG_END = 'Z',
};

#define MSG_CAP (RC_XLSX_ROW_CAP + 8 * RC_XLSX_MAX_COLUMNS + 64)
#define XLS_TIMEOUT_MS 120000

static gboolean xls_child_abort; /* tests: the child dies after the sheet list */

static gboolean
write_all(int fd, const void *buf, gsize n)
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

static void
send_msg(int fd, char type, const void *data, gsize len)
{
    guint8 head[5] = { (guint8)type };
    guint32 l = (guint32)len;
    memcpy(head + 1, &l, 4);
    if (!write_all(fd, head, 5) || !write_all(fd, data, len))
        _exit(0); /* the parent has gone */
}

/* The child's end: its copy of X and what it allocated are freed first,
 * so that memcheck finds it clean (the process ends either way). */
static G_GNUC_NORETURN void
xls_child_exit(RcXlsx *x, GByteArray *b, GError *err)
{
    if (x->xls)
        freexl_close(x->xls);
    x->xls = NULL;
    rc_xlsx_free(x);
    g_byte_array_unref(b);
    g_clear_error(&err);
    _exit(0);
}

static G_GNUC_NORETURN void
xls_child(RcXlsx *x, const char *spec, int fd)
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
        while (over + 1 < ROW_PROBLEMS && row_problems[over] != row->oversize)
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

static gboolean
read_all(RcXlsx *x, void *buf, gsize n, GError **error)
{
    char *p = buf;
    while (n) {
        struct pollfd pfd = { x->xls_fd, POLLIN, 0 };
        int pr = poll(&pfd, 1, XLS_TIMEOUT_MS);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: the .xls reader (libfreexl) gave no answer "
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
                set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                          "damaged .xls file: the .xls reader (libfreexl) failed on it (signal %d)",
                          WTERMSIG(status));
            else
                set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: the .xls reader (libfreexl) failed on it");
            return FALSE;
        }
        p += r;
        n -= (gsize)r;
    }
    return TRUE;
}

/* The child's next message into x->msg; its type in *TYPE. */
static gboolean
read_msg(RcXlsx *x, char *type, GError **error)
{
    guint8 head[5];
    guint32 len;
    if (!read_all(x, head, 5, error))
        return FALSE;
    memcpy(&len, head + 1, 4);
    if (len > MSG_CAP) {
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: the .xls reader (libfreexl) failed on it");
        return FALSE;
    }
    g_byte_array_set_size(x->msg, len);
    if (len && !read_all(x, x->msg->data, len, error))
        return FALSE;
    *type = (char)head[0];
    return TRUE;
}

static gboolean
xls_start(RcXlsx *x, const char *spec, GError **error)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        int e = errno;
        set_error(x, error, RC_XLSX_ERROR_OPEN, "cannot start the .xls reader: %s", g_strerror(e));
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
        static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2 };
        for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++)
            signal(sigs[i], SIG_DFL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        struct rlimit no_core = { 0, 0 }; /* a crash of libfreexl leaves no core file behind */
        setrlimit(RLIMIT_CORE, &no_core);
        close(fds[0]);
        xls_child(x, spec, fds[1]);
    }
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        set_error(x, error, RC_XLSX_ERROR_OPEN, "cannot start the .xls reader: %s", g_strerror(e));
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
            Sheet sh = { g_strndup((const char *)d + 1, len - 1), NULL, NULL, d[0] != 0, FALSE };
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
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: the .xls reader (libfreexl) failed on it");
        break;
    }
    x->n_sheets = sheets->len;
    x->sheets = (Sheet *)(void *)g_array_free(sheets, FALSE);
    return ok;
}

static gboolean
xls_recv(RcXlsx *x, const RcXlsxRow **row, GError **error)
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
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: the .xls reader (libfreexl) failed on it");
        return FALSE;
    }
    guint64 number;
    guint32 n;
    memcpy(&number, d, 8);
    guint8 over = d[8];
    memcpy(&n, d + 9, 4);
    gsize at = 13;
    row_reset(x);
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
            row_add(x, i, (const char *)d + at, l);
        at += l;
    }
    if (bad) { /* the child's memory is not trusted: a short message ends the read */
        set_error(x, error, RC_XLSX_ERROR_CORRUPT, "damaged .xls file: the .xls reader (libfreexl) failed on it");
        return FALSE;
    }
    if (over)
        x->oversize = row_problems[over];
    row_finish(x, number);
    *row = &x->row;
    return TRUE;
}

static void
xls_stop(RcXlsx *x)
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

void
rc_xlsx_set_xls_child_abort(gboolean on)
{
    xls_child_abort = on;
}

/* ---- public ---- */

RcXlsx *
rc_xlsx_open(const char *path, const char *sheet, GError **error)
{
    g_autoptr(RcXlsx) x = g_new0(RcXlsx, 1);
    x->self = x;
    x->xls_fd = -1;
    x->path = g_strdup(path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        set_error(x, error, RC_XLSX_ERROR_OPEN, "%s", g_strerror(e));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        set_error(x, error, RC_XLSX_ERROR_OPEN, "is a directory");
        return NULL;
    }
    close(fd);
    x->format = rc_xlsx_sniff(path);
    if (x->format == RC_XLSX_FORMAT_NONE) {
        set_error(x, error, RC_XLSX_ERROR_FORMAT,
                  "not a workbook: an .xlsx file is a zip archive and an .xls an OLE compound file, and this is "
                  "neither");
        return NULL;
    }
    if (x->format == RC_XLSX_FORMAT_XLS) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        gboolean enc = fd >= 0 && ole_encrypted(fd);
        if (fd >= 0)
            close(fd);
        if (enc) {
            set_error(x, error, RC_XLSX_ERROR_ENCRYPTED, "%s", encrypted_msg);
            return NULL;
        }
        return xls_start(x, sheet, error) ? g_steal_pointer(&x) : NULL;
    }
    return open_xlsx(x, sheet, error) ? g_steal_pointer(&x) : NULL;
}

gboolean
rc_xlsx_next_row(RcXlsx *x, const RcXlsxRow **row, GError **error)
{
    *row = NULL;
    if (x->sheet_done)
        return TRUE;
    gboolean ok = x->format == RC_XLSX_FORMAT_XLS ? xls_recv(x, row, error) : sheet_next(x, row, error);
    if (!ok || !*row)
        x->sheet_done = TRUE;
    return ok;
}

void
rc_xlsx_free(RcXlsx *x)
{
    if (!x)
        return;
    if (x->parser)
        XML_ParserFree(x->parser);
    if (x->zip) {
        if (x->part_open)
            unzCloseCurrentFile(x->zip);
        unzClose(x->zip);
    }
    xls_stop(x);
    for (guint i = 0; i < x->n_sheets; i++) {
        g_free(x->sheets[i].name);
        g_free(x->sheets[i].part);
        g_free(x->sheets[i].rid);
    }
    g_free(x->sheets);
    g_free(x->xf);
    g_free(x->sst);
    g_free(x->sst_off);
    if (x->text)
        g_string_free(x->text, TRUE);
    g_free(x->rbuf);
    g_free(x->refs);
    g_free(x->cells);
    g_free(x->lens);
    g_clear_error(&x->error);
    g_free(x->path);
    g_free(x);
}

RcXlsxFormat
rc_xlsx_format(const RcXlsx *x)
{
    return x->format;
}

const char *
rc_xlsx_format_name(const RcXlsx *x)
{
    return x->format == RC_XLSX_FORMAT_XLS ? "xls" : "xlsx";
}

const char *
rc_xlsx_path(const RcXlsx *x)
{
    return x->path;
}

guint
rc_xlsx_n_sheets(const RcXlsx *x)
{
    return x->n_sheets;
}

const char *
rc_xlsx_sheet_name(const RcXlsx *x, guint i)
{
    return i < x->n_sheets ? x->sheets[i].name : NULL;
}

gboolean
rc_xlsx_sheet_hidden(const RcXlsx *x, guint i)
{
    return i < x->n_sheets && x->sheets[i].hidden;
}

guint
rc_xlsx_sheet_index(const RcXlsx *x)
{
    return x->current;
}

const char *
rc_xlsx_sheet(const RcXlsx *x)
{
    return x->n_sheets ? x->sheets[x->current].name : "";
}

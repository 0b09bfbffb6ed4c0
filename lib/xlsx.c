/* xlsx: the reader's public side and the .xlsx workbook itself. The
 * workbook's parts are found through its relationships (_rels/.rels ->
 * xl/workbook.xml -> xl/_rels/workbook.xml.rels); styles and shared
 * strings are read whole, then the sheet is inflated and parsed in blocks:
 * expat is suspended at the end of each <row> and resumed on the next
 * call, so a row costs no copy of the sheet and no queue. The rows built
 * here serve the .xls reader too (xls.c). The zip and its caps are in
 * xlsx_zip.c, number formats in xlsx_numfmt.c. */
#include "xlsx_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK(rc - xlsx - error - quark, rc_xlsx_error)

const char xlsx_encrypted_msg[] =
    "password-protected workbooks are not supported: save a copy without a password";

static const char empty[] = "";

/* ---- errors ---- */

void xlsx_set_error(RcXlsx *x, GError **error, RcXlsxError code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, RC_XLSX_ERROR, code, "%s: %s", x->path, msg);
}

/* From inside an expat handler: keep the first error, stop the parse. */
static void handler_error(RcXlsx *x, XML_Parser p, RcXlsxError code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void handler_error(RcXlsx *x, XML_Parser p, RcXlsxError code, const char *fmt, ...)
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
static void sheet_error(RcXlsx *x, RcXlsxError code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void sheet_error(RcXlsx *x, RcXlsxError code, const char *fmt, ...)
{
    if (!x->error) {
        va_list ap;
        va_start(ap, fmt);
        g_autofree char *msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        x->error = g_error_new(RC_XLSX_ERROR, code, "%s:%" G_GUINT64_FORMAT ": sheet '%s': %s", x->path,
                               x->last_row, x->sheets[x->current].name, msg);
    }
    XML_StopParser(x->parser, XML_FALSE);
}

void xlsx_xml_error(RcXlsx *x, XML_Parser p, const char *part, GError **error)
{
    if (x->error) {
        g_propagate_error(error, g_steal_pointer(&x->error));
        return;
    }
    xlsx_set_error(x, error, RC_XLSX_ERROR_XML, "part %s is not well-formed XML (line %lu, column %lu: %s)",
                   part, (unsigned long)XML_GetCurrentLineNumber(p),
                   (unsigned long)XML_GetCurrentColumnNumber(p) + 1, XML_ErrorString(XML_GetErrorCode(p)));
}

/* Billion laughs and external entities need a DTD; no part of a workbook
 * has one. */
static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
    RcXlsx *x = CTX_X(data);
    handler_error(x, x->parser, RC_XLSX_ERROR_XML, "part %s has a DTD, which no workbook part has",
                  x->part_name ? x->part_name : "?");
}

/* Every element passes here before the part's own handler: expat keeps
 * each open element, so a part nested deeper than any workbook nests (a
 * 169 KB file can hold enough to take gigabytes) is refused. */
static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    RcXlsx *x = CTX_X(data);
    if (++x->depth > XLSX_MAX_DEPTH) {
        handler_error(x, x->parser, RC_XLSX_ERROR_XML,
                      "part %s nests elements deeper than %d levels, which no workbook part does: refused",
                      x->part_name ? x->part_name : "?", XLSX_MAX_DEPTH);
        return;
    }
    if (x->on_start)
        x->on_start(data, name, atts);
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
    RcXlsx *x = CTX_X(data);
    x->depth--;
    if (x->on_end)
        x->on_end(data, name);
}

/* The parser of one part: START, END and TEXT (each may be NULL) get USER,
 * a struct that starts with the reader (see CTX_X). */
static XML_Parser parser_new(RcXlsx *x, void *user, XML_StartElementHandler start, XML_EndElementHandler end,
                             XML_CharacterDataHandler text)
{
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, user);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetElementHandler(p, on_start, on_end);
    if (text)
        XML_SetCharacterDataHandler(p, text);
    x->on_start = start;
    x->on_end = end;
    x->depth = 0;
    x->parser = p;
    return p;
}

/* ---- small helpers for XML ---- */

/* The local part of an element or attribute name ("x:row" -> "row"). */
static inline const char *local(const char *name)
{
    const char *c = strchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *want)
{
    for (; atts[0]; atts += 2)
        if (strcmp(local(atts[0]), want) == 0)
            return atts[1];
    return NULL;
}

/* A relationship target resolved against the folder of the part that
 * names it: "worksheets/sheet1.xml" from xl/workbook.xml is
 * xl/worksheets/sheet1.xml; "/xl/..." is from the root. */
static char *resolve(const char *base_part, const char *target)
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
static gsize unescape(char *s, gsize n)
{
    if (!memchr(s, '_', n))
        return n;
    gsize w = 0;
    for (gsize i = 0; i < n;) {
        if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_' && g_ascii_isxdigit(s[i + 2]) &&
            g_ascii_isxdigit(s[i + 3]) && g_ascii_isxdigit(s[i + 4]) && g_ascii_isxdigit(s[i + 5])) {
            gunichar c =
                (gunichar)((g_ascii_xdigit_value(s[i + 2]) << 12) | (g_ascii_xdigit_value(s[i + 3]) << 8) |
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

/* Caps on what a part's entries may cost (a sheet has at most 2 or 3
 * relationships, Excel allows some 250 custom number formats). */
#define MAX_RELS    100000
#define MAX_NUMFMTS 65536

typedef struct {
    RcXlsx *x;
    GHashTable *targets; /* Id -> target */
    GHashTable *types;   /* Id -> last segment of the Type URI */
    char *office;        /* root rels: the officeDocument target */
} Rels;

static void XMLCALL rels_start(void *data, const XML_Char *name, const XML_Char **atts)
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
    if (g_hash_table_size(r->targets) >= MAX_RELS) {
        handler_error(r->x, r->x->parser, RC_XLSX_ERROR_TOO_LARGE,
                      "part %s holds more than %d relationships, which no workbook does: refused",
                      r->x->part_name, MAX_RELS);
        return;
    }
    if (!g_hash_table_contains(r->targets, id)) {
        g_hash_table_insert(r->targets, g_strdup(id), g_strdup(target));
        g_hash_table_insert(r->types, g_strdup(id), g_strdup(kind));
    }
    if (strcmp(kind, "officeDocument") == 0 && !r->office)
        r->office = g_strdup(target);
}

static void rels_clear(Rels *r)
{
    g_hash_table_unref(r->targets);
    g_hash_table_unref(r->types);
    g_free(r->office);
}

/* Reads the relationships of PART (its _rels/NAME.rels). A missing one is
 * no relationship at all. */
static gboolean read_rels(RcXlsx *x, const char *part, Rels *r, GError **error)
{
    memset(r, 0, sizeof *r);
    r->x = x;
    r->targets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    r->types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *slash = strrchr(part, '/');
    g_autofree char *name = slash
                                ? g_strdup_printf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1)
                                : g_strdup_printf("_rels/%s.rels", part);
    XML_Parser p = parser_new(x, r, rels_start, NULL, NULL);
    gboolean missing;
    gboolean ok = xlsx_parse_part(x, name, p, &missing, error);
    XML_ParserFree(p);
    x->parser = NULL;
    return ok;
}

/* ---- workbook.xml ---- */

typedef struct {
    RcXlsx *x;
    GArray *sheets; /* Sheet */
} WbParse;

static void XMLCALL wb_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    WbParse *w = data;
    const char *l = local(name);
    if (strcmp(l, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        w->x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(l, "sheet") == 0 && w->sheets->len < XLSX_MAX_SHEETS) {
        const char *sname = attr(atts, "name"), *state = attr(atts, "state"), *rid = attr(atts, "id");
        Sheet s = {g_strdup(sname ? sname : ""), NULL, g_strdup(rid ? rid : ""),
                   state && strcmp(state, "visible") != 0, FALSE};
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

static void XMLCALL st_start(void *data, const XML_Char *name, const XML_Char **atts)
{
    StyleParse *s = data;
    const char *l = local(name);
    if (strcmp(l, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (id && code && g_hash_table_size(s->custom) >= MAX_NUMFMTS) {
            handler_error(s->x, s->x->parser, RC_XLSX_ERROR_TOO_LARGE,
                          "part %s holds more than %d number formats, which no workbook does: refused",
                          s->x->part_name, MAX_NUMFMTS);
        } else if (id && code) {
            NumFmt nf = xlsx_numfmt_classify(code);
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
            nf = xlsx_numfmt_builtin(key);
        }
        g_array_append_val(s->xf, nf);
    }
}

static void XMLCALL st_end(void *data, const XML_Char *name)
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

/* Appends a shared string. FALSE when memory runs out: the table is the
 * one thing of a workbook that is held whole, and a small file can inflate
 * to a large one, so its growth is asked for, never assumed. */
static gboolean sst_push(RcXlsx *x, const char *s, gsize n)
{
    if (x->n_sst + 1 >= x->sst_off_cap) {
        guint cap = x->sst_off_cap ? x->sst_off_cap * 2 : 1024;
        guint32 *off = g_try_renew(guint32, x->sst_off, cap);
        if (!off)
            return FALSE;
        x->sst_off = off;
        x->sst_off_cap = cap;
    }
    if (x->sst_len + n + 1 > x->sst_cap) {
        gsize cap = x->sst_cap ? x->sst_cap : 64 * 1024;
        while (x->sst_len + n + 1 > cap)
            cap *= 2;
        char *text = g_try_realloc(x->sst, cap);
        if (!text)
            return FALSE;
        x->sst = text;
        x->sst_cap = cap;
    }
    x->sst_off[x->n_sst++] = (guint32)x->sst_len;
    memcpy(x->sst + x->sst_len, s, n);
    x->sst_len += n;
    x->sst[x->sst_len++] = '\0';
    return TRUE;
}

static void XMLCALL sst_start(void *data, const XML_Char *name, const XML_Char **atts)
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

static void XMLCALL sst_end(void *data, const XML_Char *name)
{
    SstParse *s = data;
    const char *l = local(name);
    if (strcmp(l, "t") == 0) {
        s->in_t = FALSE;
    } else if (strcmp(l, "rPh") == 0) {
        s->in_rph = FALSE;
    } else if (strcmp(l, "si") == 0 && s->in_si) {
        s->in_si = FALSE;
        /* one byte past the cap is kept, so that the row is marked */
        gsize n = unescape(s->cur->str, s->cur->len);
        n = MIN(n, (gsize)RC_XLSX_CELL_CAP + 1);
        if (s->x->sst_len + n + 1 > G_MAXUINT32 || s->x->n_sst + 2 > G_MAXUINT32 / 2) {
            handler_error(s->x, s->x->parser, RC_XLSX_ERROR_TOO_LARGE,
                          "more shared strings than can be held");
            return;
        }
        if (!sst_push(s->x, s->cur->str, n))
            handler_error(s->x, s->x->parser, RC_XLSX_ERROR_TOO_LARGE,
                          "out of memory holding the shared strings (%u strings, %" G_GSIZE_FORMAT
                          " bytes so far): the workbook needs more memory than this run has",
                          s->x->n_sst, s->x->sst_len);
    }
}

/* Text is kept to XLSX_RAW_CELL_CAP bytes before decoding (see there). */
static void text_keep(GString *g, const XML_Char *t, int len)
{
    if (g->len < XLSX_RAW_CELL_CAP)
        g_string_append_len(g, t, (gssize)MIN((gsize)len, XLSX_RAW_CELL_CAP - g->len));
}

static void XMLCALL sst_text(void *data, const XML_Char *t, int len)
{
    SstParse *s = data;
    if (s->in_t)
        text_keep(s->cur, t, len);
}

/* ---- rows (the sheet's and the .xls reader's) ---- */

const char *const xlsx_row_problems[ROW_PROBLEMS] = {
    [ROW_WHOLE] = NULL,
    [ROW_LONG_FIELD] = rc_reason_encoded[RC_REASON_LONG_FIELD],
    [ROW_LONG_RECORD] = rc_reason_encoded[RC_REASON_LONG_RECORD],
    [ROW_UNREADABLE_CELL] = rc_reason_encoded[RC_REASON_XLS_CELL],
    [ROW_TWO_CELLS] = rc_reason_encoded[RC_REASON_TWO_CELLS],
};

/* The row's first problem stands. */
void xlsx_row_problem(RcXlsx *x, int why)
{
    if (!x->oversize)
        x->oversize = xlsx_row_problems[why];
}

void xlsx_row_reset(RcXlsx *x)
{
    x->rlen = 0;
    x->n_refs = 0;
    x->width = 0;
    x->oversize = NULL;
}

/* Adds cell COL's text to the row being built (empty text adds nothing). */
void xlsx_row_add(RcXlsx *x, guint col, const char *s, gsize n)
{
    if (n == 0)
        return;
    if (n > RC_XLSX_CELL_CAP) {
        xlsx_row_problem(x, ROW_LONG_FIELD);
        n = RC_XLSX_CELL_CAP;
        while (n > 0 && (s[n] & 0xC0) == 0x80) /* cut at a character boundary */
            n--;
    }
    if (x->rlen + n + 1 > RC_XLSX_ROW_CAP) {
        x->oversize = xlsx_row_problems[ROW_LONG_RECORD]; /* the row is cut here: this is what matters */
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
void xlsx_row_finish(RcXlsx *x, guint64 number)
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
            xlsx_row_problem(x, ROW_TWO_CELLS); /* no value is dropped unsaid */
        x->cells[r->col] = x->rbuf + r->off;
        x->lens[r->col] = r->len;
    }
    x->row.number = number;
    x->row.n_cells = w;
    x->row.cells = x->cells;
    x->row.lens = x->lens;
    x->row.oversize = x->oversize;
}

/* ---- the sheet ---- */

/* "BC12" -> column 54 (0-based); -1 without letters; -2 past XFD. */
static int ref_column(const char *r)
{
    guint col = 0, n = 0;
    for (; g_ascii_isalpha(*r); r++, n++) {
        col = col * 26 + (guint)(g_ascii_toupper(*r) - 'A' + 1);
        if (col > RC_XLSX_MAX_COLUMNS)
            return -2;
    }
    return n ? (int)col - 1 : -1;
}

static void XMLCALL sh_start(void *data, const XML_Char *name, const XML_Char **atts)
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
            xlsx_row_reset(x);
        } else if (strcmp(l, "rPh") == 0) {
            x->in_rph = TRUE;
        }
        return;
    default:
        return;
    }
}

/* TRUE when S is an integer Excel shows as written: an optional '-', then
 * 1 to 15 digits without a leading zero (or "0" alone). */
static inline gboolean plain_integer(const char *s, gsize n)
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
static void cell_finish(RcXlsx *x)
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
                            "a cell refers to shared string %s, but the workbook has no shared strings part",
                            t->str);
            else
                sheet_error(x, RC_XLSX_ERROR_SHARED_STRING,
                            "shared string index %s is out of range (the workbook has %u)", t->str, x->n_sst);
            return;
        }
        gsize off = x->sst_off[i];
        gsize len = (i + 1 < x->n_sst ? x->sst_off[i + 1] : x->sst_len) - off - 1;
        xlsx_row_add(x, x->ccol, x->sst + off, len);
        break;
    }
    case CT_INLINE:
    case CT_STR:
    case CT_ERROR: {
        gsize n = unescape(t->str, t->len);
        xlsx_row_add(x, x->ccol, t->str, n);
        break;
    }
    case CT_BOOL:
        if (strcmp(t->str, "1") == 0)
            xlsx_row_add(x, x->ccol, "TRUE", 4);
        else if (strcmp(t->str, "0") == 0)
            xlsx_row_add(x, x->ccol, "FALSE", 5);
        else
            xlsx_row_add(x, x->ccol, t->str, t->len);
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
        xlsx_row_add(x, x->ccol, s, n);
        break;
    }
    case CT_NUMBER: {
        if (t->len == 0)
            break;
        NumFmt nf = x->cstyle < x->n_xf ? x->xf[x->cstyle] : (NumFmt){NF_GENERAL, 0};
        if (nf.kind == NF_GENERAL && plain_integer(t->str, t->len)) { /* most numbers: as written */
            xlsx_row_add(x, x->ccol, t->str, t->len);
            break;
        }
        char *end;
        double v = g_ascii_strtod(t->str, &end);
        if (*end || end == t->str) {
            xlsx_row_add(x, x->ccol, t->str, t->len);
            break;
        }
        gsize n = xlsx_numfmt_text(v, nf, x->date1904, num);
        xlsx_row_add(x, x->ccol, num, n);
        break;
    }
    }
}

static void XMLCALL sh_end(void *data, const XML_Char *name)
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
            xlsx_row_finish(x, x->last_row);
            x->row_ready = TRUE;
            XML_StopParser(x->parser, XML_TRUE);
        }
        return;
    default:
        return;
    }
}

static void XMLCALL sh_text(void *data, const XML_Char *s, int len)
{
    RcXlsx *x = data;
    if (!x->collect)
        return;
    text_keep(x->text, s, len);
}

/* ---- opening ---- */

gboolean xlsx_pread_all(int fd, void *buf, gsize n, guint64 off)
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

RcXlsxFormat rc_xlsx_sniff(const char *path)
{
    guint8 m[8];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return RC_XLSX_FORMAT_NONE;
    gboolean ok = xlsx_pread_all(fd, m, sizeof m, 0);
    close(fd);
    if (!ok)
        return RC_XLSX_FORMAT_NONE;
    if (m[0] == 'P' && m[1] == 'K' && ((m[2] == 3 && m[3] == 4) || (m[2] == 5 && m[3] == 6)))
        return RC_XLSX_FORMAT_XLSX;
    static const guint8 ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (memcmp(m, ole, 8) == 0)
        return RC_XLSX_FORMAT_XLS;
    return RC_XLSX_FORMAT_NONE;
}

gboolean rc_xlsx_path_is_workbook(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (g_ascii_strcasecmp(dot, ".xlsx") == 0 || g_ascii_strcasecmp(dot, ".xlsm") == 0);
}

static char *sheet_list(const RcXlsx *x)
{
    GString *g = g_string_new(NULL);
    for (guint i = 0; i < x->n_sheets; i++)
        g_string_append_printf(g, "%s'%s'%s", i ? ", " : "", x->sheets[i].name,
                               x->sheets[i].hidden  ? " (hidden)"
                               : x->sheets[i].chart ? " (chart)"
                                                    : "");
    return g_string_free(g, FALSE);
}

/* Picks the sheet SPEC names (see rc_xlsx_open). */
gboolean xlsx_pick_sheet(RcXlsx *x, const char *spec, GError **error)
{
    if (!spec) {
        for (guint i = 0; i < x->n_sheets; i++)
            if (!x->sheets[i].hidden && !x->sheets[i].chart) {
                x->current = i;
                return TRUE;
            }
        g_autofree char *list = sheet_list(x);
        xlsx_set_error(x, error, RC_XLSX_ERROR_NO_SHEET, "no visible worksheet (sheets: %s)",
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
        xlsx_set_error(x, error, RC_XLSX_ERROR_NO_SHEET, "no sheet '%s' (sheets: %s)", spec,
                       x->n_sheets ? list : "none");
        return FALSE;
    }
    if (x->sheets[found].chart) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_NO_SHEET,
                       "sheet '%s' is a chart or dialog sheet, not a worksheet", x->sheets[found].name);
        return FALSE;
    }
    x->current = (guint)found;
    return TRUE;
}

/* The workbook part, from the package's relationships; owned. NULL on an
 * error. */
static char *find_workbook(RcXlsx *x, GError **error)
{
    Rels root;
    if (!read_rels(x, "", &root, error)) {
        rels_clear(&root);
        return NULL;
    }
    char *wb_part = root.office ? resolve("", root.office) : g_strdup("xl/workbook.xml");
    rels_clear(&root);
    return wb_part;
}

/* The sheet list and the date system, from WB_PART. */
static gboolean read_workbook(RcXlsx *x, const char *wb_part, GError **error)
{
    WbParse wb = {x, g_array_new(FALSE, TRUE, sizeof(Sheet))};
    XML_Parser p = parser_new(x, &wb, wb_start, NULL, NULL);
    gboolean missing = FALSE;
    gboolean ok = xlsx_parse_part(x, wb_part, p, &missing, error);
    XML_ParserFree(p);
    x->parser = NULL;
    x->n_sheets = wb.sheets->len;
    x->sheets = (Sheet *)(void *)g_array_free(wb.sheets, FALSE);
    if (!ok)
        return FALSE;
    if (missing) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_FORMAT,
                       "a zip archive, but not an .xlsx workbook (no part %s)", wb_part);
        return FALSE;
    }
    return TRUE;
}

/* Each sheet's part, and those of the shared strings and the styles into
 * *SST_PART and *STYLES_PART (owned; NULL when not named), from the
 * workbook's relationships. */
static gboolean read_workbook_rels(RcXlsx *x, const char *wb_part, char **sst_part, char **styles_part,
                                   GError **error)
{
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
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, wr.types);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const char *target = g_hash_table_lookup(wr.targets, k);
        if (strcmp(v, "sharedStrings") == 0 && !*sst_part)
            *sst_part = resolve(wb_part, target);
        else if (strcmp(v, "styles") == 0 && !*styles_part)
            *styles_part = resolve(wb_part, target);
    }
    rels_clear(&wr);
    return TRUE;
}

/* The sheet SPEC names, which must have a part. */
static gboolean choose_sheet(RcXlsx *x, const char *spec, GError **error)
{
    if (!xlsx_pick_sheet(x, spec, error))
        return FALSE;
    if (!x->sheets[x->current].part) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "sheet '%s' has no part in the workbook's relationships", x->sheets[x->current].name);
        return FALSE;
    }
    return TRUE;
}

/* Styles: which cells are dates. No styles part (PART NULL): none are. */
static gboolean read_styles(RcXlsx *x, const char *part, GError **error)
{
    if (!part)
        return TRUE;
    StyleParse sp = {x, g_hash_table_new(g_direct_hash, g_direct_equal),
                     g_array_new(FALSE, FALSE, sizeof(NumFmt)), 0};
    XML_Parser p = parser_new(x, &sp, st_start, st_end, NULL);
    gboolean missing;
    gboolean ok = xlsx_parse_part(x, part, p, &missing, error);
    XML_ParserFree(p);
    x->parser = NULL;
    g_hash_table_unref(sp.custom);
    x->n_xf = sp.xf->len;
    x->xf = (NumFmt *)(void *)g_array_free(sp.xf, FALSE);
    return ok;
}

/* Shared strings: at PART, named by the relationships (which must be
 * there), or when NULL at their usual place (which may be missing). */
static gboolean read_shared_strings(RcXlsx *x, const char *part, GError **error)
{
    const char *name = part ? part : "xl/sharedStrings.xml";
    SstParse sp = {x, g_string_new(NULL), FALSE, FALSE, FALSE};
    XML_Parser p = parser_new(x, &sp, sst_start, sst_end, sst_text);
    gboolean missing;
    gboolean ok = xlsx_parse_part(x, name, p, &missing, error);
    XML_ParserFree(p);
    x->parser = NULL;
    g_string_free(sp.cur, TRUE);
    if (!ok)
        return FALSE;
    if (missing && part) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "part %s (the shared strings) is missing from the workbook", name);
        return FALSE;
    }
    x->have_sst = !missing;
    return TRUE;
}

/* Sheet x->current, ready to stream. */
static gboolean sheet_begin(RcXlsx *x, GError **error)
{
    const char *part = x->sheets[x->current].part;
    gboolean missing;
    if (!xlsx_part_open(x, part, &missing, error))
        return FALSE;
    if (missing) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT, "sheet '%s': part %s is missing from the workbook",
                       x->sheets[x->current].name, part);
        return FALSE;
    }
    parser_new(x, x, sh_start, sh_end, sh_text);
    x->text = g_string_sized_new(256);
    return TRUE;
}

static gboolean open_xlsx(RcXlsx *x, const char *spec, GError **error)
{
    if (!xlsx_zip_open(x, error))
        return FALSE;
    g_autofree char *wb_part = find_workbook(x, error);
    if (!wb_part)
        return FALSE;
    g_autofree char *sst_part = NULL;
    g_autofree char *styles_part = NULL;
    return read_workbook(x, wb_part, error) &&
           read_workbook_rels(x, wb_part, &sst_part, &styles_part, error) && choose_sheet(x, spec, error) &&
           read_styles(x, styles_part, error) && read_shared_strings(x, sst_part, error) &&
           sheet_begin(x, error);
}

/* The sheet's next row: expat runs until a </row> suspends it. */
static gboolean sheet_next(RcXlsx *x, const RcXlsxRow **row, GError **error)
{
    x->row_ready = FALSE;
    if (!xlsx_part_feed(x, x->parser, error))
        return FALSE;
    if (x->row_ready) {
        *row = &x->row;
        return TRUE;
    }
    x->sheet_done = TRUE;
    *row = NULL;
    return xlsx_part_close(x, error);
}

/* ---- public ---- */

RcXlsx *rc_xlsx_open(const char *path, const char *sheet, GError **error)
{
    g_autoptr(RcXlsx) x = g_new0(RcXlsx, 1);
    x->self = x;
    x->xls_fd = -1;
    x->path = g_strdup(path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        xlsx_set_error(x, error, RC_XLSX_ERROR_OPEN, "%s", g_strerror(e));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        xlsx_set_error(x, error, RC_XLSX_ERROR_OPEN, "is a directory");
        return NULL;
    }
    close(fd);
    x->format = rc_xlsx_sniff(path);
    if (x->format == RC_XLSX_FORMAT_NONE) {
        xlsx_set_error(
            x, error, RC_XLSX_ERROR_FORMAT,
            "not a workbook: an .xlsx file is a zip archive and an .xls an OLE compound file, and this is "
            "neither");
        return NULL;
    }
    if (x->format == RC_XLSX_FORMAT_XLS)
        return xls_open(x, sheet, error) ? g_steal_pointer(&x) : NULL;
    return open_xlsx(x, sheet, error) ? g_steal_pointer(&x) : NULL;
}

gboolean rc_xlsx_next_row(RcXlsx *x, const RcXlsxRow **row, GError **error)
{
    *row = NULL;
    if (x->sheet_done)
        return TRUE;
    gboolean ok = x->format == RC_XLSX_FORMAT_XLS ? xls_next_row(x, row, error) : sheet_next(x, row, error);
    if (!ok || !*row)
        x->sheet_done = TRUE;
    return ok;
}

static void sheets_free(RcXlsx *x)
{
    for (guint i = 0; i < x->n_sheets; i++) {
        g_free(x->sheets[i].name);
        g_free(x->sheets[i].part);
        g_free(x->sheets[i].rid);
    }
    g_free(x->sheets);
    x->sheets = NULL;
    x->n_sheets = 0;
}

static gboolean select_sheet(RcXlsx *x, guint i, GError **error)
{
    x->row_ready = FALSE;
    if (x->format == RC_XLSX_FORMAT_XLS) { /* a new child, for that sheet */
        g_autofree char *spec = g_strdup_printf("%u", i + 1);
        xls_stop(x);
        sheets_free(x);
        x->xls_next = 0;
        return xls_open(x, spec, error);
    }
    if (x->parser)
        XML_ParserFree(x->parser);
    x->parser = NULL;
    if (x->part_open)
        unzCloseCurrentFile(x->zip);
    x->part_open = FALSE;
    if (x->text)
        g_string_free(x->text, TRUE);
    x->text = NULL;
    g_clear_error(&x->error);
    x->last_row = 0;
    x->next_col = 0;
    x->in_row = x->in_cell = x->in_is = x->in_rph = x->collect = FALSE;
    if (x->sheets[i].chart) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_NO_SHEET,
                       "sheet '%s' is a chart or dialog sheet, not a worksheet", x->sheets[i].name);
        return FALSE;
    }
    x->current = i;
    if (!x->sheets[i].part) {
        xlsx_set_error(x, error, RC_XLSX_ERROR_CORRUPT,
                       "sheet '%s' has no part in the workbook's relationships", x->sheets[i].name);
        return FALSE;
    }
    return sheet_begin(x, error);
}

gboolean rc_xlsx_find_sheet(RcXlsx *x, const char *spec, guint *index, GError **error)
{
    guint cur = x->current;
    gboolean ok = xlsx_pick_sheet(x, spec, error);
    *index = x->current;
    x->current = cur;
    return ok;
}

gboolean rc_xlsx_select(RcXlsx *x, guint i, GError **error)
{
    g_return_val_if_fail(i < x->n_sheets, FALSE);
    gboolean ok = select_sheet(x, i, error);
    x->sheet_done = !ok;
    return ok;
}

void rc_xlsx_free(RcXlsx *x)
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
    sheets_free(x);
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

RcXlsxFormat rc_xlsx_format(const RcXlsx *x)
{
    return x->format;
}

const char *rc_xlsx_format_name(const RcXlsx *x)
{
    return x->format == RC_XLSX_FORMAT_XLS ? "xls" : "xlsx";
}

const char *rc_xlsx_path(const RcXlsx *x)
{
    return x->path;
}

guint rc_xlsx_n_sheets(const RcXlsx *x)
{
    return x->n_sheets;
}

const char *rc_xlsx_sheet_name(const RcXlsx *x, guint i)
{
    return i < x->n_sheets ? x->sheets[i].name : NULL;
}

gboolean rc_xlsx_sheet_hidden(const RcXlsx *x, guint i)
{
    return i < x->n_sheets && x->sheets[i].hidden;
}

gboolean rc_xlsx_sheet_chart(const RcXlsx *x, guint i)
{
    return i < x->n_sheets && x->sheets[i].chart;
}

guint rc_xlsx_sheet_index(const RcXlsx *x)
{
    return x->current;
}

const char *rc_xlsx_sheet(const RcXlsx *x)
{
    return x->n_sheets ? x->sheets[x->current].name : "";
}

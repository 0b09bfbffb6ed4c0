/* out_xlsx: the workbook, one sheet at a time in constant-memory mode. */
#include "out_xlsx.h"
#include "out.h"
#include "place.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <unzip.h>
#include <xlsxwriter.h>

G_DEFINE_QUARK(rc - out - xlsx - error - quark, rc_out_xlsx_error)

#define MAX_WIDTH           50.0              /* widest fitted column, in characters */
#define MAX_CELL_CHARS      32000             /* below Excel's 32,767 characters per cell */
#define CHART_MAX_BUILDINGS 40                /* bars of at least 12 pixels on one page */
#define PAGE_PX             640.0             /* printable height of A4 landscape at 100%, in pixels */
#define VERIFY_BUFFER       ((size_t)1 << 18) /* inflated bytes per read when reading back */
#define ZIP64_ROWS          400000            /* more rows than this: sheet parts may pass 4 GiB */

/* Row colours: pale fills with dark text, so that they print legibly in
 * colour and in grey (DESIGN.md section 4: red positive; amber review,
 * invalid, pending; yellow missing; green negative; grey exempt; blue
 * unmatched). The tab colour is the stronger tone of the same hue. */
enum { TONE_UNMATCHED = RC_STATE_COUNT, TONE_PLAIN, TONE_COUNT };

static const struct {
    lxw_color_t fill, text, tab;
} tones[TONE_COUNT] = {
    [RC_STATE_NEGATIVE] = {0xC6EFCE, 0x005A1E, 0x3D9A50},
    [RC_STATE_POSITIVE] = {0xFFB8BE, 0x8B0009, 0xD0312D},
    [RC_STATE_REVIEW] = {0xFFDDA6, 0x7A4100, 0xE69A28},
    [RC_STATE_INVALID] = {0xFBC79B, 0x7A3300, 0xD9782B},
    [RC_STATE_PENDING] = {0xFFEBC8, 0x7A4100, 0xF0B860},
    [RC_STATE_MISSING] = {0xFFF59D, 0x5C4A00, 0xE8CF1F},
    [RC_STATE_EXEMPT] = {0xE3E3E3, 0x3A3A3A, 0x9A9A9A},
    [TONE_UNMATCHED] = {0xD6E6F7, 0x1A3E6B, 0x4A7FC1},
    [TONE_PLAIN] = {LXW_COLOR_WHITE, LXW_COLOR_BLACK, 0x808080},
};

#define BORDER_COLOR 0xBFBFBF
#define HEADER_FILL  0xDCE3EC

/* A worksheet as reading the workbook back checks it. */
typedef struct {
    const char *name; /* borrowed: a label or one of Ctx.names */
    guint32 rows;     /* rows written to it; 0: not counted */
} Part;

typedef struct {
    lxw_workbook *wb;
    const RcReport *r;
    RcLang lang;
    const char *building; /* filter, or NULL */
    guint lo, hi;         /* the span of r->order holding the building's residents */
    guint32 max_rows;
    lxw_error err;           /* the first libxlsxwriter error */
    char *err_where;         /* the sheet it happened in */
    int err_errno;           /* the system's error behind err, 0: none known */
    const char *tmpdir;      /* where libxlsxwriter keeps its temporary files */
    GArray *parts;           /* Part per worksheet, in workbook order */
    GPtrArray *names;        /* sheet names, alive until close */
    lxw_row_t breaks[2];     /* the summary's page break, alive until close */
    lxw_row_t *door_breaks;  /* the door list's, a building a page, alive until close */
    lxw_row_t *floor_breaks; /* the floor plan's, a building a page, alive until close */
    char *generated;         /* the report's time as people read it */
    lxw_format *header;
    lxw_format *cell[TONE_COUNT];
    lxw_format *date[TONE_COUNT];
    lxw_format *num[TONE_COUNT];
    lxw_format *title, *keyline, *heading, *note, *caption, *subcaption, *value, *count, *fact_count,
        *count_bold, *pct, *pct_bold, *total_label, *hot;
    lxw_format *state_head[RC_STATE_COUNT];
    GString *clean; /* a cell's text made safe for XML */
    GString *cell_buf, *label_buf;
} Ctx;

static void note_error(Ctx *c, lxw_error e, const char *where)
{
    if (e == LXW_NO_ERROR || c->err != LXW_NO_ERROR)
        return;
    c->err = e;
    c->err_where = g_strdup(where);
}

/* libxlsxwriter writes a constant-memory sheet's rows to a temporary file
 * and ignores the stream's errors (1.1.4 checks no fwrite or fflush to its
 * temporaries): a full $TMPDIR or a file size limit would give a sheet cut
 * short, and a workbook that still closes without an error. The stream is
 * the sheet's own (lxw_worksheet.optimize_tmpfile, public): look at it
 * here, while it is open. FLUSH pushes out what stdio holds, at a sheet's
 * end; otherwise only the error flag is read. Returns FALSE when it failed. */
static gboolean check_temp(Ctx *c, lxw_worksheet *ws, const char *where, gboolean flush)
{
    FILE *f = ws ? ws->optimize_tmpfile : NULL;
    if (!f || c->err != LXW_NO_ERROR)
        return c->err == LXW_NO_ERROR;
    if (!(flush && fflush(f) != 0) && !ferror(f))
        return TRUE;
    /* The error flag keeps no errno, and stdio may have dropped what it
     * failed to write: a byte written past the end of the (doomed) file
     * meets the cause again (EFBIG, ENOSPC...). */
    int e = EIO;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && pwrite(fileno(f), "\n", 1, st.st_size) < 0)
        e = errno;
    note_error(c, LXW_ERROR_CREATING_TMPFILE, where);
    c->err_errno = e;
    return FALSE;
}

/* ---- cell text: safe XML, capped length, display width ---- */

/* TEXT as a cell may hold it: valid UTF-8, no control characters that XML
 * 1.0 forbids (each becomes U+FFFD), at most MAX_CELL_CHARS characters.
 * Sets *WIDTH to its display width in characters, a wide (CJK) one counting
 * two, capped at MAX_WIDTH. Returns TEXT itself or c->clean. */
static const char *cell_text(Ctx *c, const char *text, double *width)
{
    const unsigned char *p = (const unsigned char *)text;
    gsize n = 0;
    while (p[n] >= 0x20 && p[n] < 0x80)
        n++;
    if (!p[n]) { /* printable ASCII: the common case */
        if (n > MAX_CELL_CHARS) {
            g_string_assign(c->clean, "");
            g_string_append_len(c->clean, text, MAX_CELL_CHARS);
            text = c->clean->str;
        }
        *width = MIN((double)n, MAX_WIDTH);
        return text;
    }
    g_autofree char *valid = g_utf8_validate(text, -1, NULL) ? NULL : g_utf8_make_valid(text, -1);
    const char *s = valid ? valid : text;
    g_string_truncate(c->clean, 0);
    double w = 0;
    gsize chars = 0;
    for (; *s && chars < MAX_CELL_CHARS; s = g_utf8_next_char(s), chars++) {
        gunichar ch = g_utf8_get_char(s);
        if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0xFFFE || ch == 0xFFFF) {
            g_string_append(c->clean, "\xEF\xBF\xBD");
            w += 1;
            continue;
        }
        g_string_append_len(c->clean, s, g_utf8_next_char(s) - s);
        if (w < MAX_WIDTH)
            w += g_unichar_iswide(ch) ? 2 : g_unichar_iszerowidth(ch) ? 0 : 1;
    }
    *width = MIN(w, MAX_WIDTH);
    return c->clean->str;
}

/* ---- sheets that continue on "NAME (2)" past the row limit ---- */

typedef struct {
    Ctx *c;
    const char *base; /* the sheet's name */
    guint part;       /* 1, 2, ... */
    lxw_worksheet *ws;
    const char *ws_name;
    lxw_row_t row; /* next row to write in this part */
    guint n_cols;
    const char *const *headers;
    double *width; /* fitted width per column, this part */
    guint64 rows;  /* data rows over every part */
    lxw_color_t tab;
    guint index; /* this part's place in c->parts */
} Sheet;

/* Page setup every sheet shares: A4 landscape, one page wide, header row
 * repeated, title and page numbers in the margins. */
static void page_setup(Ctx *c, lxw_worksheet *ws, gboolean table)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    if (table) {
        worksheet_freeze_panes(ws, 1, 0);
        note_error(c, worksheet_repeat_rows(ws, 0, 0), "print titles");
    }
    /* Header: the title (and building); footer: sheet, page of pages, time. */
    g_autoptr(GString) h = g_string_new("&L");
    g_string_append(h, rc_label(c->lang, RC_LABEL_TITLE));
    if (c->building) {
        g_string_append(h, " — ");
        for (const char *p = c->building; *p && h->len < 150; p = g_utf8_next_char(p)) {
            if (*p == '&')
                g_string_append_c(h, '&'); /* "&&" prints one '&' */
            g_string_append_len(h, p, g_utf8_next_char(p) - p);
        }
    }
    note_error(c, worksheet_set_header(ws, h->str), "page header");
    g_autofree char *f = g_strdup_printf("&L&A&C%s&R%s", rc_label(c->lang, RC_LABEL_FOOTER), c->generated);
    note_error(c, worksheet_set_footer(ws, f), "page footer");
}

static void sheet_write_header(Sheet *s)
{
    for (guint col = 0; col < s->n_cols; col++) {
        double w;
        const char *t = cell_text(s->c, s->headers[col], &w);
        note_error(s->c, worksheet_write_string(s->ws, 0, (lxw_col_t)col, t, s->c->header), s->ws_name);
        s->width[col] = MIN(w + 4, MAX_WIDTH); /* room for the filter button */
    }
    s->row = 1;
}

static void sheet_add_part(Sheet *s)
{
    Ctx *c = s->c;
    char *name = s->part == 1 ? g_strdup(s->base) : g_strdup_printf("%s (%u)", s->base, s->part);
    g_ptr_array_add(c->names, name);
    s->ws_name = name;
    s->ws = workbook_add_worksheet(c->wb, name);
    if (!s->ws) {
        note_error(c, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
        return;
    }
    s->index = c->parts->len;
    g_array_append_val(c->parts, ((Part){name, 0}));
    if (s->tab != LXW_COLOR_UNSET)
        worksheet_set_tab_color(s->ws, s->tab);
    page_setup(c, s->ws, TRUE);
    sheet_write_header(s);
}

static void sheet_open(Sheet *s, Ctx *c, RcLabel name, guint n_cols, const char *const *headers,
                       lxw_color_t tab)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->base = rc_label(c->lang, name);
    s->part = 1;
    s->n_cols = n_cols;
    s->headers = headers;
    s->width = g_new0(double, n_cols);
    s->tab = tab;
    sheet_add_part(s);
}

/* Widths fitted to what was written (libxlsxwriter writes <cols> when the
 * workbook closes, so this works after the rows in constant-memory mode),
 * and the autofilter over the written range. */
static void sheet_finish_part(Sheet *s)
{
    if (!s->ws)
        return;
    g_array_index(s->c->parts, Part, s->index).rows = s->row;
    check_temp(s->c, s->ws, s->ws_name, TRUE);
    for (guint col = 0; col < s->n_cols; col++)
        note_error(s->c,
                   worksheet_set_column(s->ws, (lxw_col_t)col, (lxw_col_t)col, MAX(s->width[col], 6), NULL),
                   s->ws_name);
    note_error(s->c, worksheet_autofilter(s->ws, 0, 0, s->row - 1, (lxw_col_t)(s->n_cols - 1)), s->ws_name);
}

/* The row to write the next data row in, continuing on a new part when this
 * one is full. Returns FALSE when there is no sheet to write to. */
static gboolean sheet_next_row(Sheet *s, lxw_row_t *row)
{
    if (!s->ws)
        return FALSE;
    /* A temporary that failed stops the sheet: the run fails anyway, and
     * a full disk should not cost the rest of a large workbook's time. */
    if ((s->row & 1023) == 0 && !check_temp(s->c, s->ws, s->ws_name, FALSE))
        return FALSE;
    if (s->row >= s->c->max_rows) {
        sheet_finish_part(s);
        s->part++;
        memset(s->width, 0, s->n_cols * sizeof *s->width);
        sheet_add_part(s);
        if (!s->ws)
            return FALSE;
    }
    *row = s->row++;
    s->rows++;
    return TRUE;
}

static void sheet_str(Sheet *s, lxw_row_t row, guint col, const char *text, lxw_format *f)
{
    double w;
    const char *t = cell_text(s->c, text ? text : "", &w);
    if (w + 2 > s->width[col])
        s->width[col] = MIN(w + 2, MAX_WIDTH);
    note_error(s->c, worksheet_write_string(s->ws, row, (lxw_col_t)col, t, f), s->ws_name);
}

static void sheet_num(Sheet *s, lxw_row_t row, guint col, double v, lxw_format *f)
{
    char buf[32];
    g_snprintf(buf, sizeof buf, "%.0f", v);
    double w = (double)strlen(buf) + 2;
    if (w > s->width[col])
        s->width[col] = w;
    note_error(s->c, worksheet_write_number(s->ws, row, (lxw_col_t)col, v, f), s->ws_name);
}

/* A date-time cell for T (naive local time); a text cell for times Excel
 * cannot show (before 1900), a blank one with F's fill for none. */
static void sheet_time(Sheet *s, lxw_row_t row, guint col, RcTime t, lxw_format *date_f, lxw_format *text_f)
{
    if (t == RC_TIME_NONE) {
        note_error(s->c, worksheet_write_blank(s->ws, row, (lxw_col_t)col, text_f), s->ws_name);
        return;
    }
    int y, mo, d, h, mi, sec;
    rc_time_parts(t, &y, &mo, &d, &h, &mi, &sec);
    if (y < 1900) {
        char buf[32];
        sheet_str(s, row, col, rc_time_format(t, FALSE, buf), text_f);
        return;
    }
    lxw_datetime dt = {y, mo, d, h, mi, sec};
    if (18 > s->width[col])
        s->width[col] = 18; /* "yyyy-mm-dd hh:mm" and padding */
    note_error(s->c, worksheet_write_datetime(s->ws, row, (lxw_col_t)col, &dt, date_f), s->ws_name);
}

/* Closes the sheet: an empty one says so (NOTE) in its first row. */
static void sheet_close(Sheet *s, RcLabel note)
{
    lxw_row_t row;
    if (s->rows == 0 && sheet_next_row(s, &row)) {
        sheet_str(s, row, 0, rc_label(s->c->lang, note), s->c->note);
        s->rows = 0;
    }
    sheet_finish_part(s);
    g_free(s->width);
    s->width = NULL;
}

/* ---- resident sheets ---- */

/* Sets c->lo, c->hi to the span of the report's order that a building's
 * workbook needs, so that a workbook per building of a whole district
 * costs its own residents, not the district's. The order sorts by building
 * first, in the order of r->buildings, each building's residents together:
 * the span starts after the residents of the buildings before it. */
static void scope_span(Ctx *c)
{
    const RcReport *r = c->r;
    c->lo = 0;
    c->hi = r->n_residents;
    if (!c->building)
        return;
    /* The building's own text first: two buildings may read alike once
     * masked (--mask), their texts are still two. */
    guint64 lo = 0;
    for (guint i = 0; i < r->n_buildings; i++) {
        if (r->buildings[i].building == c->building) {
            c->lo = (guint)lo;
            c->hi = (guint)(lo + r->buildings[i].residents);
            return;
        }
        lo += r->buildings[i].residents;
    }
    lo = 0;
    for (guint i = 0; i < r->n_buildings; i++) {
        if (strcmp(r->buildings[i].building, c->building) == 0) {
            c->lo = (guint)lo;
            c->hi = (guint)(lo + r->buildings[i].residents);
            return;
        }
        lo += r->buildings[i].residents;
    }
    c->hi = 0; /* no such building: no residents */
}

/* The resident sheets, in workbook order: name, states, tab colour. */
static const struct {
    RcLabel name;
    guint states;
    int tab; /* the tone of the tab; TONE_COUNT: none */
} resident_sheets[] = {
    {RC_LABEL_SHEET_ALL, (1u << RC_STATE_COUNT) - 1, TONE_COUNT},
    {RC_LABEL_SHEET_POSITIVE, 1u << RC_STATE_POSITIVE, RC_STATE_POSITIVE},
    {RC_LABEL_SHEET_ATTENTION, (1u << RC_STATE_REVIEW) | (1u << RC_STATE_INVALID) | (1u << RC_STATE_PENDING),
     RC_STATE_REVIEW},
    {RC_LABEL_SHEET_MISSING, 1u << RC_STATE_MISSING, RC_STATE_MISSING},
    {RC_LABEL_SHEET_NEGATIVE, 1u << RC_STATE_NEGATIVE, RC_STATE_NEGATIVE},
    {RC_LABEL_SHEET_EXEMPT, 1u << RC_STATE_EXEMPT, RC_STATE_EXEMPT},
};
#define N_RESIDENT_SHEETS G_N_ELEMENTS(resident_sheets)

/* The rows of an open resident sheet: the residents in STATES. */
static void fill_residents(Sheet *s, guint states)
{
    Ctx *c = s->c;
    const RcReport *r = c->r;
    for (guint i = c->lo; i < c->hi; i++) {
        const RcResident *res = &r->residents[r->order[i]];
        lxw_row_t row;
        if (!(states & (1u << res->state)))
            continue;
        if (!sheet_next_row(s, &row))
            break;
        lxw_format *f = c->cell[res->state], *df = c->date[res->state];
        for (guint col = 0; col < r->n_columns; col++) {
            switch (col) {
            case RC_COL_STATE:
                sheet_str(s, row, col, rc_label_state(c->lang, (RcState)res->state), f);
                break;
            case RC_COL_MATCH:
                sheet_str(s, row, col, rc_label_match(c->lang, (RcMatch)res->match), f);
                break;
            case RC_COL_FLAGS:
                sheet_str(s, row, col,
                          rc_label_flags(c->lang, rc_report_cell(r, res, col, c->cell_buf), c->label_buf), f);
                break;
            case RC_COL_SAMPLED_AT:
                sheet_time(s, row, col, res->sampled_at, df, f);
                break;
            default:
                /* ids and phones too: always text (DESIGN.md section 4) */
                sheet_str(s, row, col, rc_report_cell(r, res, col, c->cell_buf), f);
            }
        }
    }
}

/* A second writer of resident rows: a copy of the context with its own
 * scratch strings and first error, and the sheet it fills. */
typedef struct {
    Ctx c;
    Sheet *sheet;
    guint states;
} RowsJob;

static gpointer rows_job_run(gpointer data)
{
    RowsJob *j = data;
    j->sheet->c = &j->c;
    fill_residents(j->sheet, j->states);
    return NULL;
}

/* Should the All sheet be filled beside the others? Formatting the cells
 * is about half of a big workbook's time (deflating them when the workbook
 * closes, the other half, is libxlsxwriter's and stays in one thread), and
 * All holds as many rows as the state sheets together. Constant-memory
 * sheets are independent files, so two threads may each fill their own
 * once the sheets exist and every row format has its index. Not when a
 * sheet could continue on "NAME (2)" (it must be added right after its
 * sheet, in one thread), nor on one core, nor with the report's threads 1
 * (--threads 1). */
static gboolean rows_in_two_threads(const Ctx *c)
{
    if (c->r->opts.threads == 1)
        return FALSE;
    return g_get_num_processors() > 1 && (guint64)(c->hi - c->lo) + 1 < c->max_rows;
}

static lxw_color_t resident_tab(guint k)
{
    return resident_sheets[k].tab == TONE_COUNT ? LXW_COLOR_UNSET : tones[resident_sheets[k].tab].tab;
}

/* All, Positive, Attention, Missing, Negative, Exempt. */
static void write_resident_sheets(Ctx *c)
{
    const RcReport *r = c->r;
    g_autofree const char **headers = g_new0(const char *, r->n_columns + 1);
    for (guint col = 0; col < r->n_columns; col++) {
        const char *l = col < RC_COL_FIXED ? rc_label_column(c->lang, (RcColumn)col) : NULL;
        headers[col] = l ? l : r->columns[col];
    }
    /* A format gets its index on first use, through the workbook's table:
     * every row format gets it here, in a fixed order, so that rows only
     * read it and the workbook is the same however the rows are written. */
    for (int st = 0; st < RC_STATE_COUNT; st++) {
        lxw_format_get_xf_index(c->cell[st]);
        lxw_format_get_xf_index(c->date[st]);
    }
    Sheet sheets[N_RESIDENT_SHEETS];
    if (!rows_in_two_threads(c)) {
        /* Each sheet opened, filled and closed in turn: a continuation
         * "NAME (2)" lands right after its sheet. */
        for (guint k = 0; k < N_RESIDENT_SHEETS; k++) {
            sheet_open(&sheets[k], c, resident_sheets[k].name, r->n_columns, headers, resident_tab(k));
            fill_residents(&sheets[k], resident_sheets[k].states);
            sheet_close(&sheets[k], RC_LABEL_NONE);
        }
        return;
    }
    for (guint k = 0; k < N_RESIDENT_SHEETS; k++)
        sheet_open(&sheets[k], c, resident_sheets[k].name, r->n_columns, headers, resident_tab(k));
    lxw_error first_err = c->err;
    RowsJob job = {*c, &sheets[0], resident_sheets[0].states};
    job.c.err = LXW_NO_ERROR;
    job.c.err_where = NULL;
    job.c.clean = g_string_new(NULL);
    job.c.cell_buf = g_string_new(NULL);
    job.c.label_buf = g_string_new(NULL);
    GThread *t = g_thread_new("rc-xlsx-rows", rows_job_run, &job);
    for (guint k = 1; k < N_RESIDENT_SHEETS; k++)
        fill_residents(&sheets[k], resident_sheets[k].states);
    g_thread_join(t);
    sheets[0].c = c;
    /* All's rows come first: an error there is the one a single thread
     * would have met first, after any in opening the sheets. */
    if (job.c.err != LXW_NO_ERROR && first_err == LXW_NO_ERROR) {
        c->err = job.c.err;
        c->err_errno = job.c.err_errno;
        g_free(c->err_where);
        c->err_where = job.c.err_where;
    } else {
        g_free(job.c.err_where);
    }
    g_string_free(job.c.clean, TRUE);
    g_string_free(job.c.cell_buf, TRUE);
    g_string_free(job.c.label_buf, TRUE);
    for (guint k = 0; k < N_RESIDENT_SHEETS; k++)
        sheet_close(&sheets[k], RC_LABEL_NONE);
}

/* ---- a history (DESIGN.md section 6): History and Overdue ---- */

/* One row per resident (with OVERDUE_ONLY, per overdue resident): place
 * and name, then a narrow column per day holding the day's state as one
 * character filled by its colour, so the sheet reads as a picture; then
 * the history's columns. Frozen on the name and the dates. */
static void write_history(Ctx *c, RcLabel name, gboolean overdue_only)
{
    const RcReport *r = c->r;
    const RcDays *days = rc_history_days(r->history);
    guint nd = days->n_days;
    static const RcColumn lead[] = {RC_COL_BUILDING, RC_COL_UNIT, RC_COL_ROOM, RC_COL_NAME};
    guint nl = G_N_ELEMENTS(lead);
    guint n_cols = nl + r->n_history_columns;
    g_autofree const char **headers = g_new0(const char *, n_cols + 1);
    for (guint k = 0; k < nl; k++)
        headers[k] = rc_label_column(c->lang, lead[k]);
    for (guint d = 0; d < nd; d++)
        headers[nl + d] = r->history_columns[d] + 9; /* "day:YYYY-MM-DD" shown as "MM-DD" */
    for (guint k = nd; k < r->n_history_columns; k++)
        headers[nl + k] = rc_label(c->lang, (RcLabel)(RC_LABEL_LAST_NEGATIVE + (k - nd)));
    Sheet s;
    sheet_open(&s, c, name, n_cols, headers, overdue_only ? tones[RC_STATE_MISSING].tab : LXW_COLOR_UNSET);
    if (s.ws)
        worksheet_freeze_panes(s.ws, 1, (lxw_col_t)nl);
    for (guint i = c->lo; i < c->hi; i++) {
        const RcResident *res = &r->residents[r->order[i]];
        if (overdue_only && !rc_report_overdue(r, res))
            continue;
        lxw_row_t row;
        if (!sheet_next_row(&s, &row))
            break;
        lxw_format *f = c->cell[res->state];
        for (guint k = 0; k < nl; k++)
            sheet_str(&s, row, k, rc_report_cell(r, res, lead[k], c->cell_buf), f);
        for (guint d = 0; d < nd; d++) {
            RcState st = rc_report_day_state(r, res, d);
            sheet_str(&s, row, nl + d, rc_label_state_letter(c->lang, st), c->cell[st]);
        }
        RcHistorySummary sum;
        rc_history_summary(r->history, r->order[i], (res->flags & RC_RES_EXEMPT) != 0, &sum);
        guint col = nl + nd;
        sheet_time(&s, row, col + RC_HCOL_LAST_NEGATIVE, sum.last_negative, c->date[res->state], f);
        sheet_str(&s, row, col + RC_HCOL_HOURS_SINCE_NEGATIVE,
                  rc_report_history_cell(r, res, nd + RC_HCOL_HOURS_SINCE_NEGATIVE, c->cell_buf), f);
        sheet_num(&s, row, col + RC_HCOL_MISSED_IN_A_ROW, sum.missed_in_a_row, c->num[res->state]);
        sheet_num(&s, row, col + RC_HCOL_DAYS_TESTED, sum.days_tested, c->num[res->state]);
        if (r->opts.valid_hours)
            sheet_str(&s, row, col + RC_HCOL_OVERDUE,
                      rc_label(c->lang, rc_report_overdue(r, res) ? RC_LABEL_YES : RC_LABEL_NO), f);
    }
    sheet_close(&s, RC_LABEL_NONE);
}

/* ---- after the tally (DESIGN.md section 7): Door-to-door ---- */

static gboolean has_rooms(const Ctx *c)
{
    for (guint i = c->lo; i < c->hi; i++)
        if (c->r->residents[c->r->order[i]].room)
            return TRUE;
    return FALSE;
}

/* The door-knocking list: whom volunteers visit, by building, unit, floor
 * and room; printed A4 portrait, one page wide, each building from a new
 * page, the header on every page. */
static void write_door(Ctx *c)
{
    const RcReport *r = c->r;
    const char *headers[] = {
        rc_label_column(c->lang, RC_COL_BUILDING), rc_label_column(c->lang, RC_COL_UNIT),
        rc_label(c->lang, RC_LABEL_FLOOR),         rc_label_column(c->lang, RC_COL_ROOM),
        rc_label_column(c->lang, RC_COL_NAME),     rc_label_column(c->lang, RC_COL_PHONE),
        rc_label(c->lang, RC_LABEL_HOUSEHOLD),     rc_label(c->lang, RC_LABEL_STATUS),
        rc_label(c->lang, RC_LABEL_NOTE),          NULL,
    };
    guint n_cols = G_N_ELEMENTS(headers) - 1;
    Sheet s;
    sheet_open(&s, c, RC_LABEL_SHEET_DOOR, n_cols, headers, tones[RC_STATE_MISSING].tab);
    if (!s.ws) {
        sheet_close(&s, RC_LABEL_NONE); /* frees its widths */
        return;
    }
    worksheet_set_portrait(s.ws);
    guint n;
    g_autofree guint32 *list = rc_report_door_list(r, c->lo, c->hi, &n);
    guint n_breaks = 0;
    c->door_breaks = g_new0(lxw_row_t, 1024); /* Excel's most: 1,023 breaks */
    for (guint i = 0; i < n; i++) {
        const RcResident *res = &r->residents[list[i]];
        lxw_row_t row;
        if (!sheet_next_row(&s, &row))
            break;
        if (i && res->building != r->residents[list[i - 1]].building && n_breaks < 1023 && s.part == 1)
            c->door_breaks[n_breaks++] = row;
        lxw_format *f = c->cell[res->state];
        sheet_str(&s, row, 0, rc_report_cell(r, res, RC_COL_BUILDING, c->cell_buf), f);
        sheet_str(&s, row, 1, rc_report_cell(r, res, RC_COL_UNIT, c->cell_buf), f);
        const char *floor = rc_report_floor(r, res, c->cell_buf);
        sheet_str(&s, row, 2, floor[0] ? floor : rc_label(c->lang, RC_LABEL_FLOOR_UNKNOWN), f);
        sheet_str(&s, row, 3, rc_report_cell(r, res, RC_COL_ROOM, c->cell_buf), f);
        sheet_str(&s, row, 4, rc_report_cell(r, res, RC_COL_NAME, c->cell_buf), f);
        sheet_str(&s, row, 5, rc_report_cell(r, res, RC_COL_PHONE, c->cell_buf), f);
        sheet_str(&s, row, 6,
                  rc_label(c->lang, (RcLabel)(RC_LABEL_HOUSEHOLD_ALL + rc_report_household(r, res))), f);
        const char *status = rc_report_status(r, res);
        sheet_str(&s, row, 7,
                  r->opts.mask ? rc_norm_mask_numbers(status, strlen(status), c->cell_buf) : status, f);
        sheet_str(&s, row, 8, "", f);
        if (s.width[8] < 24)
            s.width[8] = 24; /* room to write by hand */
    }
    if (n_breaks)
        note_error(c, worksheet_set_h_pagebreaks(s.ws, c->door_breaks), "page break");
    sheet_close(&s, RC_LABEL_NONE);
}

/* ---- the floor plan (DESIGN.md section 7): Floors ---- */

#define PLAN_MAX_POS          40  /* positions per unit drawn; rooms past it are listed */
#define PLAN_MAX_SPAN         120 /* floors drawn top to bottom; a wider span draws only floors with rooms */
#define PLAN_UNPLACED_PER_ROW 8

/* A household in a building's block. */
typedef struct {
    guint32 unit, room; /* text numbers */
    int tone;           /* its fill */
    gboolean placed;
    RcFloor f;
    guint unit_k; /* index of its unit in the block */
} PlanHome;

static const char *building_label(Ctx *c, const char *b);

/* The fill of a household: red when one of it is positive, else its state's. */
static int home_tone(RcHouseholdState hs, gboolean positive)
{
    if (positive)
        return RC_STATE_POSITIVE;
    switch (hs) {
    case RC_HOUSEHOLD_ALL:
        return RC_STATE_NEGATIVE;
    case RC_HOUSEHOLD_PARTLY:
        return RC_STATE_REVIEW;
    case RC_HOUSEHOLD_NONE:
        return RC_STATE_MISSING;
    default:
        return RC_STATE_EXEMPT;
    }
}

static void plan_str(Ctx *c, lxw_worksheet *ws, lxw_row_t row, guint col, const char *text, lxw_format *f)
{
    double w;
    note_error(c, worksheet_write_string(ws, row, (lxw_col_t)col, cell_text(c, text, &w), f), "floors");
}

/* One building's block from ROW: its name and coverage, a legend, the
 * units over their positions, a row per floor (top first) with each room
 * in its position's column, then the rooms without a floor. Returns the
 * row after it. */
static lxw_row_t plan_block(Ctx *c, lxw_worksheet *ws, lxw_row_t row, const RcBuildingCount *bc,
                            GArray *homes, GArray *units, guint *max_col)
{
    const RcReport *r = c->r;
    g_autoptr(GString) t = g_string_new(NULL);
    g_string_printf(t, "%s    %s %.1f%%", building_label(c, bc->building),
                    rc_label(c->lang, RC_LABEL_COVERAGE), bc->coverage * 100.0);
    plan_str(c, ws, row++, 0, t->str, c->keyline);
    /* the legend: what each fill says */
    static const int legend[] = {RC_HOUSEHOLD_ALL, RC_HOUSEHOLD_PARTLY, RC_HOUSEHOLD_NONE,
                                 RC_HOUSEHOLD_EXEMPT, -1};
    for (guint k = 0; k < G_N_ELEMENTS(legend); k++)
        plan_str(c, ws, row, 1 + 2 * k,
                 legend[k] < 0 ? rc_label_state(c->lang, RC_STATE_POSITIVE)
                               : rc_label(c->lang, (RcLabel)(RC_LABEL_HOUSEHOLD_ALL + legend[k])),
                 c->cell[home_tone((RcHouseholdState)MAX(legend[k], 0), legend[k] < 0)]);
    row += 2;
    /* columns: per unit, its positions 01..max */
    guint nu = units->len;
    g_autofree guint *first_col = g_new0(guint, nu + 1);
    g_autofree int *max_pos = g_new0(int, nu);
    int top = G_MININT, bottom = G_MAXINT;
    for (guint i = 0; i < homes->len; i++) {
        PlanHome *h = &g_array_index(homes, PlanHome, i);
        if (h->placed && (h->f.pos < 1 || h->f.pos > PLAN_MAX_POS)) {
            h->placed = FALSE; /* listed under the block */
            h->f.floor = G_MININT;
        }
        if (!h->placed)
            continue;
        max_pos[h->unit_k] = MAX(max_pos[h->unit_k], h->f.pos);
        top = MAX(top, h->f.floor);
        bottom = MIN(bottom, h->f.floor);
    }
    guint col = 1;
    for (guint u = 0; u < nu; u++) {
        first_col[u] = col;
        col += (guint)max_pos[u];
    }
    first_col[nu] = col;
    *max_col = MAX(*max_col, col);
    if (top != G_MININT) {
        plan_str(c, ws, row, 0, rc_label_column(c->lang, RC_COL_UNIT), c->header);
        for (guint u = 0; u < nu; u++)
            for (int p = 1; p <= max_pos[u]; p++)
                plan_str(c, ws, row, first_col[u] + (guint)p - 1,
                         p == 1 ? rc_report_text(r, g_array_index(units, guint32, u)) : "", c->header);
        row++;
        plan_str(c, ws, row, 0, rc_label(c->lang, RC_LABEL_FLOOR), c->header);
        for (guint u = 0; u < nu; u++)
            for (int p = 1; p <= max_pos[u]; p++) {
                char pos[8];
                g_snprintf(pos, sizeof pos, "%02d", p);
                plan_str(c, ws, row, first_col[u] + (guint)p - 1, pos, c->header);
            }
        row++;
        /* floors top first; every floor of the span when it is a building's */
        gboolean every = top - bottom <= PLAN_MAX_SPAN;
        g_autofree gboolean *has = g_new0(gboolean, (gsize)(top - bottom) + 1);
        for (guint i = 0; i < homes->len; i++) {
            const PlanHome *h = &g_array_index(homes, PlanHome, i);
            if (h->placed)
                has[h->f.floor - bottom] = TRUE;
        }
        /* homes are in order of unit then room: a floor's rooms are found
         * by a pass per floor, bounded by the span */
        for (int fl = top; fl >= bottom; fl--) {
            if ((!every || fl == 0) && !has[fl - bottom])
                continue; /* no floor 0 between 1 and B1 unless a room says so */
            char name[16];
            if (fl < 0)
                g_snprintf(name, sizeof name, "B%d", -fl);
            else
                g_snprintf(name, sizeof name, "%d", fl);
            plan_str(c, ws, row, 0, name, c->header);
            for (guint u = 0; u < nu; u++)
                for (int p = 1; p <= max_pos[u]; p++)
                    note_error(c,
                               worksheet_write_blank(ws, row, (lxw_col_t)(first_col[u] + (guint)p - 1),
                                                     c->cell[TONE_PLAIN]),
                               "floors");
            /* a cell two households share (1203 and 1203室) shows both */
            for (guint i = 0; i < homes->len; i++) {
                const PlanHome *h = &g_array_index(homes, PlanHome, i);
                if (!h->placed || h->f.floor != fl)
                    continue;
                g_string_assign(t, rc_report_text(r, h->room));
                int tone = h->tone;
                for (guint k = i + 1; k < homes->len; k++) {
                    const PlanHome *o = &g_array_index(homes, PlanHome, k);
                    if (!o->placed || o->f.floor != fl || o->unit_k != h->unit_k || o->f.pos != h->f.pos)
                        continue;
                    g_string_append_printf(t, "/%s", rc_report_text(r, o->room));
                    g_array_index(homes, PlanHome, k).placed = FALSE; /* drawn here */
                    if (o->tone == RC_STATE_POSITIVE ||
                        (o->tone == RC_STATE_MISSING && tone != RC_STATE_POSITIVE))
                        tone = o->tone;
                }
                plan_str(c, ws, row, first_col[h->unit_k] + (guint)h->f.pos - 1, t->str, c->cell[tone]);
            }
            row++;
        }
    }
    /* rooms that give no floor, under the block */
    guint n_un = 0;
    for (guint i = 0; i < homes->len; i++) {
        const PlanHome *h = &g_array_index(homes, PlanHome, i);
        if (h->placed || h->f.floor != G_MININT)
            continue;
        if (n_un % PLAN_UNPLACED_PER_ROW == 0) {
            row++;
            if (n_un == 0)
                plan_str(c, ws, row, 0, rc_label(c->lang, RC_LABEL_FLOORS_UNPLACED), c->caption);
        }
        g_string_assign(t, rc_report_text(r, h->unit));
        if (t->len)
            g_string_append_c(t, ' ');
        g_string_append(t, rc_report_text(r, h->room));
        plan_str(c, ws, row, 1 + n_un % PLAN_UNPLACED_PER_ROW, t->str, c->cell[h->tone]);
        *max_col = MAX(*max_col, 2 + n_un % PLAN_UNPLACED_PER_ROW);
        n_un++;
    }
    return row + (n_un ? 1 : 0);
}

/* A block per building, one building to a printed page. */
static void write_floors(Ctx *c)
{
    const RcReport *r = c->r;
    const char *name = rc_label(c->lang, RC_LABEL_SHEET_FLOORS);
    lxw_worksheet *ws = workbook_add_worksheet(c->wb, name);
    if (!ws) {
        note_error(c, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
        return;
    }
    g_array_append_val(c->parts, ((Part){name, 0}));
    page_setup(c, ws, FALSE);
    worksheet_set_portrait(ws);
    worksheet_set_tab_color(ws, tones[RC_STATE_NEGATIVE].tab);
    c->floor_breaks = g_new0(lxw_row_t, 1024); /* Excel's most: 1,023 breaks */
    guint n_breaks = 0, max_col = 10;          /* the legend's */
    lxw_row_t row = 0;
    g_autoptr(GArray) homes = g_array_new(FALSE, FALSE, sizeof(PlanHome));
    g_autoptr(GArray) units = g_array_new(FALSE, FALSE, sizeof(guint32));
    guint i = c->lo;
    while (i < c->hi) {
        const RcResident *first = &r->residents[r->order[i]];
        g_array_set_size(homes, 0);
        g_array_set_size(units, 0);
        guint j = i;
        /* the building's households: same unit and room, together in the order */
        while (j < c->hi && r->residents[r->order[j]].building == first->building) {
            const RcResident *h = &r->residents[r->order[j]];
            gboolean positive = FALSE;
            guint k = j;
            while (k < c->hi && r->residents[r->order[k]].building == h->building &&
                   r->residents[r->order[k]].unit == h->unit && r->residents[r->order[k]].room == h->room &&
                   (h->room || k == j)) {
                positive |= r->residents[r->order[k]].state == RC_STATE_POSITIVE;
                k++;
            }
            if (h->room) {
                if (!units->len || g_array_index(units, guint32, units->len - 1) != h->unit)
                    g_array_append_val(units, h->unit);
                PlanHome ph = {h->unit, h->room,       home_tone(rc_report_household(r, h), positive),
                               FALSE,   {G_MININT, 0}, units->len - 1};
                const char *room = rc_report_text(r, h->room);
                ph.placed = rc_place_floor(room, strlen(room), &ph.f);
                if (!ph.placed)
                    ph.f.floor = G_MININT;
                g_array_append_val(homes, ph);
            }
            j = k;
        }
        if (homes->len) {
            const RcBuildingCount *bc = NULL;
            const char *bname = rc_report_text(r, first->building);
            for (guint b = 0; b < r->n_buildings && !bc; b++)
                if (strcmp(r->buildings[b].building, bname) == 0)
                    bc = &r->buildings[b];
            if (row && n_breaks < 1023)
                c->floor_breaks[n_breaks++] = row;
            if (bc)
                row = plan_block(c, ws, row, bc, homes, units, &max_col) + 1;
        }
        i = j;
    }
    if (row == 0)
        plan_str(c, ws, 0, 0, rc_label(c->lang, RC_LABEL_NONE), c->note);
    if (n_breaks)
        note_error(c, worksheet_set_h_pagebreaks(ws, c->floor_breaks), "page break");
    note_error(c, worksheet_set_column(ws, 0, 0, 10, NULL), "floors");
    if (max_col > 1)
        note_error(c, worksheet_set_column(ws, 1, (lxw_col_t)(max_col - 1), 7.5, NULL), "floors");
    check_temp(c, ws, name, TRUE);
}

/* ---- pooled tubes (DESIGN.md section 7): Tubes ---- */

/* Every row of each tube whose result is positive or review: the resident
 * it found, filled by the tube's result, or the row that found none (blue)
 * with its reason. One building's workbook: its residents' rows only. */
static void write_tubes(Ctx *c)
{
    const RcReport *r = c->r;
    const char *headers[RC_TCOL_COUNT + 1] = {NULL};
    for (int k = 0; k < RC_TCOL_COUNT; k++) {
        static const RcColumn as[RC_TCOL_COUNT] = {
            [RC_TCOL_BUILDING] = RC_COL_BUILDING, [RC_TCOL_UNIT] = RC_COL_UNIT,
            [RC_TCOL_ROOM] = RC_COL_ROOM,         [RC_TCOL_NAME] = RC_COL_NAME,
            [RC_TCOL_PHONE] = RC_COL_PHONE,       [RC_TCOL_STATE] = RC_COL_STATE,
            [RC_TCOL_STATUS] = RC_COL_STATUS,     [RC_TCOL_SOURCE] = RC_COL_SOURCE,
        };
        headers[k] = k == RC_TCOL_TUBE     ? rc_label(c->lang, RC_LABEL_TUBE)
                     : k == RC_TCOL_RESULT ? rc_label(c->lang, RC_LABEL_TUBE_RESULT)
                     : k == RC_TCOL_REASON ? rc_label_spool_column(c->lang, RC_SPOOL_REASON)
                                           : rc_label_column(c->lang, as[k]);
    }
    Sheet s;
    sheet_open(&s, c, RC_LABEL_SHEET_TUBES, RC_TCOL_COUNT, headers, tones[RC_STATE_POSITIVE].tab);
    g_autoptr(GError) err = NULL;
    g_autoptr(RcTubeList) tubes = rc_report_tubes(r, c->building, &err);
    if (err) {
        note_error(c, LXW_ERROR_CREATING_TMPFILE, "tubes");
        c->err_errno = EIO;
    }
    for (guint i = 0; i < tubes->n; i++) {
        const RcTubeRow *t = &tubes->rows[i];
        lxw_row_t row;
        if (!sheet_next_row(&s, &row))
            break;
        lxw_format *f = c->cell[t->resident >= 0 ? (int)t->tube_state : TONE_UNMATCHED];
        for (int k = 0; k < RC_TCOL_COUNT; k++) {
            const char *v = rc_report_tube_cell(r, t, (RcTubeColumn)k, c->lang == RC_LANG_ZH, c->cell_buf);
            if (k == RC_TCOL_RESULT && t->state != RC_STATE_UNKNOWN)
                v = rc_label_state(c->lang, t->state);
            else if (k == RC_TCOL_STATE && t->resident >= 0)
                v = rc_label_state(c->lang, (RcState)r->residents[t->resident].state);
            sheet_str(&s, row, (guint)k, v, f);
        }
    }
    sheet_close(&s, RC_LABEL_NONE);
}

/* ---- spooled rows: Unmatched and Problems ---- */

static void write_spool(Ctx *c, RcLabel name, RcSpool *spool, gboolean with_kind, int tone)
{
    int fields[RC_SPOOL_FIELDS];
    const char *headers[RC_SPOOL_FIELDS + 1] = {NULL};
    guint n = 0;
    for (int f = 0; f < RC_SPOOL_FIELDS; f++) {
        if (f == RC_SPOOL_KIND && !with_kind)
            continue;
        fields[n] = f;
        headers[n++] = rc_label_spool_column(c->lang, f);
    }
    Sheet s;
    sheet_open(&s, c, name, n, headers, tones[tone].tab);
    if (c->building) {
        /* One building's workbook: these rows live in the whole-area one. */
        lxw_row_t row;
        if (sheet_next_row(&s, &row))
            sheet_str(&s, row, 0, rc_label(c->lang, RC_LABEL_SEE_WHOLE), c->note);
        s.rows = 1;
        sheet_close(&s, RC_LABEL_NONE);
        return;
    }
    g_autoptr(RcSpoolText) text = rc_spool_text_new();
    const char *v[RC_SPOOL_FIELDS];
    lxw_format *f = c->cell[tone];
    rc_spool_rewind(spool);
    while (rc_spool_next(spool, v)) {
        lxw_row_t row;
        if (!sheet_next_row(&s, &row))
            break;
        rc_report_spool_row(c->r, c->lang == RC_LANG_ZH, v, text);
        for (guint col = 0; col < n; col++) {
            const char *t = v[fields[col]];
            switch (fields[col]) {
            case RC_SPOOL_LINE:
                sheet_num(&s, row, col, g_ascii_strtod(t, NULL), c->num[tone]);
                break;
            case RC_SPOOL_KIND:
                sheet_str(&s, row, col, rc_label_kind_name(c->lang, t), f);
                break;
            case RC_SPOOL_SAMPLED_AT: {
                /* An unmatched row's time is data: a date cell when it
                 * reads as one. A problem row keeps what it said. */
                RcTime tm;
                if (tone == TONE_UNMATCHED && *t && rc_norm_time(t, strlen(t), &tm, NULL))
                    sheet_time(&s, row, col, tm, c->date[tone], f);
                else
                    sheet_str(&s, row, col, t, f);
                break;
            }
            default:
                sheet_str(&s, row, col, t, f);
            }
        }
    }
    sheet_close(&s, RC_LABEL_NONE);
}

/* ---- the summary sheet ---- */

/* Summary table columns and the state each shows (-1: none). */
enum {
    SUM_BUILDING,
    SUM_RESIDENTS,
    SUM_EXEMPT,
    SUM_TESTED,
    SUM_POSITIVE,
    SUM_REVIEW,
    SUM_INVALID,
    SUM_PENDING,
    SUM_NEGATIVE,
    SUM_MISSING,
    SUM_COVERAGE,
    SUM_COLS
};
static const int sum_state[SUM_COLS] = {
    -1,
    -1,
    RC_STATE_EXEMPT,
    -1,
    RC_STATE_POSITIVE,
    RC_STATE_REVIEW,
    RC_STATE_INVALID,
    RC_STATE_PENDING,
    RC_STATE_NEGATIVE,
    RC_STATE_MISSING,
    -1,
};
/* Chart series, bottom of the stack first: the good news, then what needs
 * doing, then who is excused. */
static const RcState chart_order[] = {
    RC_STATE_NEGATIVE, RC_STATE_POSITIVE, RC_STATE_REVIEW, RC_STATE_INVALID,
    RC_STATE_PENDING,  RC_STATE_MISSING,  RC_STATE_EXEMPT,
};

typedef struct {
    Ctx *c;
    lxw_worksheet *ws;
    lxw_row_t row;
    double width[SUM_COLS];
} Summary;

static void sum_str(Summary *s, guint col, const char *text, lxw_format *f, gboolean fit)
{
    double w;
    const char *t = cell_text(s->c, text, &w);
    if (fit && w + 2 > s->width[col])
        s->width[col] = MIN(w + 2, MAX_WIDTH);
    note_error(s->c, worksheet_write_string(s->ws, s->row, (lxw_col_t)col, t, f), "summary");
}

static void sum_num(Summary *s, guint col, double v, lxw_format *f)
{
    char buf[40];
    g_snprintf(buf, sizeof buf, "%.0f", v);
    double w = (double)strlen(buf) * 1.35 + 2; /* with thousands separators */
    if (w > s->width[col])
        s->width[col] = w;
    note_error(s->c, worksheet_write_number(s->ws, s->row, (lxw_col_t)col, v, f), "summary");
}

static const char *building_label(Ctx *c, const char *b)
{
    return *b ? b : rc_label(c->lang, RC_LABEL_NO_BUILDING);
}

static void sum_count_row(Summary *s, const char *label, const RcBuildingCount *b, gboolean total)
{
    Ctx *c = s->c;
    sum_str(s, SUM_BUILDING, label, total ? c->total_label : c->cell[TONE_PLAIN], TRUE);
    lxw_format *f = total ? c->count_bold : c->count;
    for (guint col = SUM_RESIDENTS; col < SUM_COVERAGE; col++) {
        double v = col == SUM_RESIDENTS ? (double)b->residents
                   : col == SUM_TESTED  ? (double)b->tested
                                        : (double)b->states[sum_state[col]];
        sum_num(s, col, v, (col == SUM_POSITIVE && v > 0) ? c->hot : f);
    }
    note_error(c,
               worksheet_write_number(s->ws, s->row, SUM_COVERAGE, b->coverage, total ? c->pct_bold : c->pct),
               "summary");
    s->row++;
}

static void sum_fact(Summary *s, const char *caption, const char *value, lxw_format *cf)
{
    sum_str(s, SUM_BUILDING, caption, cf, TRUE);
    sum_str(s, SUM_RESIDENTS, value, s->c->value, FALSE); /* spills right */
    s->row++;
}

static void sum_fact_num(Summary *s, const char *caption, guint64 v, lxw_format *cf)
{
    sum_str(s, SUM_BUILDING, caption, cf, TRUE);
    sum_num(s, SUM_RESIDENTS, (double)v, s->c->fact_count);
    s->row++;
}

static double sum_width(const Summary *s, guint col)
{
    return MAX(s->width[col], col == 0 ? 12 : 8);
}

/* Issue 17 item 3: the table below as a line chart, a line per building
 * (and the total), the days along the bottom; at the current row. */
static void sum_days_chart(Summary *s, lxw_row_t head_row, guint n_lines, guint nd)
{
    Ctx *c = s->c;
    const char *name = rc_label(c->lang, RC_LABEL_SHEET_SUMMARY);
    if (n_lines == 0 || n_lines > CHART_MAX_BUILDINGS + 1 || nd < 2)
        return; /* one day draws no line; past 40 buildings the table says it */
    lxw_chart *chart = workbook_add_chart(c->wb, LXW_CHART_LINE);
    if (!chart) {
        note_error(c, LXW_ERROR_MEMORY_MALLOC_FAILED, "chart");
        return;
    }
    for (guint i = 0; i < n_lines; i++) {
        lxw_row_t row = head_row + 1 + i;
        lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(ser, name, head_row, 1, head_row, (lxw_col_t)nd);
        chart_series_set_values(ser, name, row, 1, row, (lxw_col_t)nd);
        chart_series_set_name_range(ser, name, row, 0);
        lxw_chart_marker marker = {.type = LXW_CHART_MARKER_CIRCLE, .size = 5};
        chart_series_set_marker_type(ser, marker.type);
        chart_series_set_marker_size(ser, marker.size);
        if (i + 1 == n_lines && n_lines > 1) { /* the total: thick and dark */
            lxw_chart_line line = {.color = 0x1F3864, .width = 2.5};
            chart_series_set_line(ser, &line);
        }
    }
    chart_title_set_name(chart, rc_label(c->lang, RC_LABEL_CHART_DAYS));
    chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
    chart_axis_set_min(chart->y_axis, 0);
    chart_axis_set_max(chart->y_axis, 1);
    chart_axis_set_num_format(chart->y_axis, "0%");
    lxw_chart_options opt = {
        .x_scale = 1.5,
        .y_scale = 1.0,
        .object_position = LXW_OBJECT_MOVE_DONT_SIZE,
        .description = (char *)rc_label(c->lang, RC_LABEL_CHART_DAYS),
    };
    note_error(c, worksheet_insert_chart_opt(s->ws, s->row, 0, chart, &opt), "chart");
    s->row += 288 / 20 + 2; /* the chart's height in default rows of 20 pixels */
}

/* DESIGN.md section 6: coverage per day per building, a small table with a
 * column per day (the days past the summary's own columns keep Excel's
 * default width, which a percentage fits). */
static void sum_days(Summary *s, const RcBuildingCount *rows, guint n_rows, const RcBuildingCount *total)
{
    Ctx *c = s->c;
    const RcReport *r = c->r;
    guint nd = rc_history_days(r->history)->n_days;
    sum_str(s, 0, rc_label(c->lang, RC_LABEL_DAY_COVERAGE), c->heading, TRUE);
    s->row++;
    lxw_row_t head_row = s->row;
    sum_str(s, 0, rc_label(c->lang, RC_LABEL_BUILDING), c->header, TRUE);
    for (guint d = 0; d < nd; d++)
        sum_str(s, 1 + d, r->history_columns[d] + 9, c->header, FALSE);
    s->row++;
    /* a one-building workbook: its building's row is its total */
    guint n = c->building ? n_rows : n_rows + 1;
    for (guint i = 0; i < n; i++) {
        const RcBuildingCount *b = i < n_rows ? &rows[i] : total;
        /* a one-building workbook's rows are that building's in the report */
        guint bi = r->n_buildings;
        for (guint k = 0; i < n_rows && k < r->n_buildings; k++)
            if (r->buildings[k].building == b->building)
                bi = k;
        sum_str(s, 0, i < n_rows ? building_label(c, b->building) : rc_label(c->lang, RC_LABEL_TOTAL),
                i < n_rows ? c->cell[TONE_PLAIN] : c->total_label, TRUE);
        for (guint d = 0; d < nd; d++)
            note_error(c,
                       worksheet_write_number(s->ws, s->row, (lxw_col_t)(1 + d),
                                              rc_report_building_day_coverage(r, bi, d),
                                              i < n_rows ? c->pct : c->pct_bold),
                       "summary");
        s->row++;
    }
    s->row++;
    sum_days_chart(s, head_row, n, nd);
}

/* The chart of states stacked per building, in the table's order, at the
 * current row; the rows it covers are left empty. */
static void sum_chart(Summary *s, const char *name, lxw_row_t head_row, lxw_row_t first_b, guint n_rows)
{
    Ctx *c = s->c;
    if (n_rows > CHART_MAX_BUILDINGS) {
        g_autofree char *msg = g_strdup_printf(rc_label(c->lang, RC_LABEL_CHART_OMITTED), n_rows);
        sum_str(s, 0, msg, c->note, FALSE);
        s->row += 2;
        return;
    }
    if (n_rows == 0)
        return;
    lxw_row_t last_b = first_b + n_rows - 1;
    lxw_chart *chart = workbook_add_chart(c->wb, LXW_CHART_BAR_STACKED);
    if (!chart) {
        note_error(c, LXW_ERROR_MEMORY_MALLOC_FAILED, "chart");
        return;
    }
    for (guint i = 0; i < G_N_ELEMENTS(chart_order); i++) {
        guint col = 0;
        for (guint k = 0; k < SUM_COLS; k++)
            if (sum_state[k] == (int)chart_order[i])
                col = k;
        lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(ser, name, first_b, SUM_BUILDING, last_b, SUM_BUILDING);
        chart_series_set_values(ser, name, first_b, (lxw_col_t)col, last_b, (lxw_col_t)col);
        chart_series_set_name_range(ser, name, head_row, (lxw_col_t)col);
        lxw_chart_fill fill = {.color = tones[chart_order[i]].fill};
        lxw_chart_line line = {.color = tones[chart_order[i]].text, .width = 0.75};
        chart_series_set_fill(ser, &fill);
        chart_series_set_line(ser, &line);
    }
    chart_title_set_name(chart, rc_label(c->lang, RC_LABEL_CHART_TITLE));
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_set_series_gap(chart, 40);
    /* A bar chart's y axis holds the categories: top to bottom as in the
     * table, the value axis kept at the bottom. */
    chart_axis_set_reverse(chart->y_axis);
    chart_axis_set_crossing_max(chart->y_axis);
    chart_axis_set_min(chart->x_axis, 0);
    chart_axis_set_interval_unit(chart->y_axis, 1); /* every building named */
    /* As wide as the table (Excel's character is 7 pixels in Calibri 11),
     * as tall as the buildings need. */
    double px = 0;
    for (guint col = 0; col < SUM_COLS; col++)
        px += sum_width(s, col) * 7 + 5;
    double bar = MIN(28.0, (PAGE_PX - 130.0) / n_rows);
    double width = MIN(MAX(px, 480.0), 1000.0), height = MAX(240.0, 130.0 + bar * n_rows);
    /* A chart that would not fit on the page below the table starts a page
     * of its own rather than be cut in two. Default rows are 20 pixels. */
    if (s->row * 20.0 + height > PAGE_PX) {
        c->breaks[0] = s->row;
        note_error(c, worksheet_set_h_pagebreaks(s->ws, c->breaks), "page break");
    }
    lxw_chart_options opt = {
        .x_scale = width / 480.0,
        .y_scale = height / 288.0,
        .object_position = LXW_OBJECT_MOVE_DONT_SIZE,
        .description = (char *)rc_label(c->lang, RC_LABEL_CHART_TITLE),
    };
    note_error(c, worksheet_insert_chart_opt(s->ws, s->row, 0, chart, &opt), "chart");
    s->row += (lxw_row_t)(height / 20.0) + 2; /* default rows are 20 pixels */
}

static const char *window_end(Ctx *c, RcTime t, char *buf)
{
    return t == RC_TIME_NONE ? rc_label(c->lang, RC_LABEL_WINDOW_OPEN) : rc_time_format(t, FALSE, buf);
}

static void write_summary(Ctx *c)
{
    const RcReport *r = c->r;
    Summary s = {c, NULL, 0, {0}};
    const char *name = rc_label(c->lang, RC_LABEL_SHEET_SUMMARY);
    s.ws = workbook_add_worksheet(c->wb, name);
    if (!s.ws) {
        note_error(c, LXW_ERROR_MEMORY_MALLOC_FAILED, name);
        return;
    }
    /* Its rows are not counted (rows without cells leave no trace). */
    g_array_append_val(c->parts, ((Part){name, 0}));
    page_setup(c, s.ws, FALSE);

    /* Which buildings, and their total. */
    const RcBuildingCount *rows = r->buildings;
    guint n_rows = r->n_buildings;
    RcBuildingCount none = {c->building ? c->building : "", 0, {0}, 0, 1.0};
    const RcBuildingCount *total = &r->total;
    if (c->building) {
        rows = &none;
        n_rows = 0;
        for (guint i = 0; i < r->n_buildings; i++)
            if (strcmp(r->buildings[i].building, c->building) == 0) {
                rows = &r->buildings[i];
                n_rows = 1;
            }
        total = rows;
    }

    /* Title, then the line an official reads first. */
    g_autoptr(GString) t = g_string_new(rc_label(c->lang, RC_LABEL_TITLE));
    if (c->building)
        g_string_append_printf(t, " — %s", building_label(c, c->building));
    sum_str(&s, 0, t->str, c->title, FALSE);
    s.row++;
    static const RcState key_states[] = {RC_STATE_POSITIVE, RC_STATE_REVIEW, RC_STATE_INVALID,
                                         RC_STATE_PENDING, RC_STATE_MISSING};
    g_string_truncate(t, 0);
    for (guint i = 0; i < G_N_ELEMENTS(key_states); i++)
        g_string_append_printf(t, "%s %" G_GUINT64_FORMAT "    ", rc_label_state(c->lang, key_states[i]),
                               total->states[key_states[i]]);
    g_string_append_printf(t, "%s %.1f%%", rc_label(c->lang, RC_LABEL_COVERAGE), total->coverage * 100.0);
    sum_str(&s, 0, t->str, c->keyline, FALSE);
    s.row += 2;

    /* Warnings (DESIGN.md section 3.5) under the headline, where nobody
     * reads the numbers without them. */
    guint n_warn = rc_report_n_warnings(r);
    if (n_warn) {
        sum_str(&s, 0, rc_label(c->lang, RC_LABEL_WARNINGS), c->heading, TRUE);
        s.row++;
        g_autoptr(GString) wfile = g_string_new(NULL);
        g_autoptr(GString) wtext = g_string_new(NULL);
        for (guint i = 0; i < n_warn; i++) {
            rc_report_warning(r, i, c->lang == RC_LANG_ZH, wfile, wtext);
            if (wfile->len)
                g_string_prepend(wtext, c->lang == RC_LANG_ZH ? "：" : ": ");
            g_string_prepend(wtext, wfile->str);
            sum_str(&s, 0, wtext->str, c->note, FALSE);
            s.row++;
        }
        s.row++;
    }

    /* The table: header, a row per building, totals. */
    lxw_row_t head_row = s.row;
    for (guint col = 0; col < SUM_COLS; col++) {
        const char *h = col == SUM_BUILDING    ? rc_label(c->lang, RC_LABEL_BUILDING)
                        : col == SUM_RESIDENTS ? rc_label(c->lang, RC_LABEL_RESIDENTS)
                        : col == SUM_TESTED    ? rc_label(c->lang, RC_LABEL_TESTED)
                        : col == SUM_COVERAGE  ? rc_label(c->lang, RC_LABEL_COVERAGE)
                                               : rc_label_state(c->lang, (RcState)sum_state[col]);
        sum_str(&s, col, h, sum_state[col] >= 0 ? c->state_head[sum_state[col]] : c->header, TRUE);
    }
    /* A long table's header is printed again on every page. */
    if (n_rows > 20)
        note_error(c, worksheet_repeat_rows(s.ws, head_row, head_row), "print titles");
    s.row++;
    lxw_row_t first_b = s.row;
    for (guint i = 0; i < n_rows; i++)
        sum_count_row(&s, building_label(c, rows[i].building), &rows[i], FALSE);
    sum_count_row(&s, rc_label(c->lang, RC_LABEL_TOTAL), total, TRUE);
    s.row++;
    sum_chart(&s, name, head_row, first_b, n_rows);
    if (r->history)
        sum_days(&s, rows, n_rows, total);
    /* Legend: each row colour with what it means. */
    sum_str(&s, 0, rc_label(c->lang, RC_LABEL_LEGEND), c->heading, TRUE);
    s.row++;
    static const RcState legend[] = {RC_STATE_POSITIVE, RC_STATE_REVIEW,   RC_STATE_INVALID, RC_STATE_PENDING,
                                     RC_STATE_MISSING,  RC_STATE_NEGATIVE, RC_STATE_EXEMPT};
    for (guint i = 0; i < G_N_ELEMENTS(legend); i++)
        sum_fact(&s, rc_label_state(c->lang, legend[i]), rc_label_state_meaning(c->lang, legend[i]),
                 c->cell[legend[i]]);
    sum_fact(&s, rc_label(c->lang, RC_LABEL_SHEET_UNMATCHED), rc_label(c->lang, RC_LABEL_LEGEND_UNMATCHED),
             c->cell[TONE_UNMATCHED]);
    s.row++;

    /* Run facts. */
    char b1[32];
    sum_str(&s, 0, rc_label(c->lang, RC_LABEL_FACTS), c->heading, TRUE);
    s.row++;
    if (c->building) {
        sum_str(&s, 0, rc_label(c->lang, RC_LABEL_FACTS_WHOLE), c->note, FALSE);
        s.row++;
    }
    g_autofree char *version = g_strdup_printf("rollcall %s", RC_VERSION);
    sum_fact(&s, rc_label(c->lang, RC_LABEL_VERSION), version, c->caption);
    sum_fact(&s, rc_label(c->lang, RC_LABEL_GENERATED_AT), c->generated, c->caption);
    sum_fact(&s, rc_label(c->lang, RC_LABEL_WINDOW_SINCE), window_end(c, r->opts.since, b1), c->caption);
    sum_fact(&s, rc_label(c->lang, RC_LABEL_WINDOW_UNTIL), window_end(c, r->opts.until, b1), c->caption);
    s.row++;

    /* Inputs: kind, rows, encoding, then the path, which spills right. */
    sum_str(&s, 0, rc_label(c->lang, RC_LABEL_INPUTS), c->heading, TRUE);
    s.row++;
    static const RcLabel in_heads[] = {RC_LABEL_INPUT_KIND, RC_LABEL_INPUT_ROWS, RC_LABEL_INPUT_ENCODING,
                                       RC_LABEL_INPUT_FILE};
    for (guint col = 0; col < G_N_ELEMENTS(in_heads); col++)
        sum_str(&s, col, rc_label(c->lang, in_heads[col]), c->subcaption, col == 0);
    s.row++;
    guint n_in;
    const RcInput *in = rc_report_inputs(r, &n_in);
    for (guint i = 0; i < n_in; i++) {
        sum_str(&s, 0, rc_label_kind(c->lang, in[i].kind), c->caption, TRUE);
        sum_num(&s, 1, (double)in[i].rows, c->fact_count);
        sum_str(&s, 2, in[i].encoding ? in[i].encoding : "", c->subcaption, FALSE);
        sum_str(&s, 3, in[i].path, c->value, FALSE);
        s.row++;
    }
    s.row++;

    /* Accounting (DESIGN.md section 3.4): every row is counted once. */
    const RcResultCounts *rc = rc_report_result_counts(r);
    const RcRosterCounts *ro = rc_report_roster_counts(r);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_RESULT_ROWS), rc->rows, c->caption);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_APPLIED), rc->applied, c->subcaption);
    if (rc->duplicate) /* DESIGN.md section 3.3: within applied, said when there are some */
        sum_fact_num(&s, rc_label(c->lang, RC_LABEL_DUPLICATE_ROWS), rc->duplicate, c->subcaption);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_OUT_OF_WINDOW), rc->out_of_window, c->subcaption);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_UNMATCHED_ROWS), rc->unmatched, c->subcaption);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_PROBLEM_ROWS), rc->problem, c->subcaption);
    if (rc->ignored)
        sum_fact_num(&s, rc_label(c->lang, RC_LABEL_IGNORED_ROWS), rc->ignored, c->subcaption);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_ROSTER_ROWS), ro->rows, c->caption);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_ROSTER_RESIDENTS), ro->residents, c->subcaption);
    sum_fact_num(&s, rc_label(c->lang, RC_LABEL_PROBLEM_ROWS), ro->problem, c->subcaption);
    if (ro->ignored)
        sum_fact_num(&s, rc_label(c->lang, RC_LABEL_IGNORED_ROWS), ro->ignored, c->subcaption);
    s.row++;

    /* Widths: the numbers' columns at least as wide as their headers. */
    double px = 0;
    for (guint col = 0; col < SUM_COLS; col++) {
        double w = MAX(s.width[col], col == 0 ? 12 : 8);
        note_error(c, worksheet_set_column(s.ws, (lxw_col_t)col, (lxw_col_t)col, w, NULL), "summary");
        px += w * 7 + 5; /* Excel's character width in Calibri 11, in pixels */
    }
    check_temp(c, s.ws, name, TRUE);
}

/* ---- formats ---- */

static lxw_format *add_format(Ctx *c, int tone, gboolean border)
{
    lxw_format *f = workbook_add_format(c->wb);
    if (tone != TONE_PLAIN) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, tones[tone].fill);
    }
    format_set_font_color(f, tones[tone].text);
    if (border) {
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, BORDER_COLOR);
    }
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_formats(Ctx *c)
{
    lxw_workbook *wb = c->wb;
    c->header = workbook_add_format(wb);
    format_set_bold(c->header);
    format_set_pattern(c->header, LXW_PATTERN_SOLID);
    format_set_bg_color(c->header, HEADER_FILL);
    format_set_border(c->header, LXW_BORDER_THIN);
    format_set_border_color(c->header, 0x8EA0B8);
    format_set_align(c->header, LXW_ALIGN_VERTICAL_CENTER);
    for (int t = 0; t < TONE_COUNT; t++) {
        c->cell[t] = add_format(c, t, TRUE);
        c->date[t] = add_format(c, t, TRUE);
        format_set_num_format(c->date[t], "yyyy-mm-dd hh:mm");
        format_set_align(c->date[t], LXW_ALIGN_LEFT);
        c->num[t] = add_format(c, t, TRUE);
        format_set_align(c->num[t], LXW_ALIGN_LEFT);
    }
    for (int st = 0; st < RC_STATE_COUNT; st++) {
        c->state_head[st] = add_format(c, st, TRUE);
        format_set_bold(c->state_head[st]);
        format_set_align(c->state_head[st], LXW_ALIGN_CENTER);
    }
    format_set_align(c->header, LXW_ALIGN_CENTER);
    c->title = workbook_add_format(wb);
    format_set_bold(c->title);
    format_set_font_size(c->title, 16);
    c->keyline = workbook_add_format(wb);
    format_set_bold(c->keyline);
    format_set_font_size(c->keyline, 12);
    format_set_font_color(c->keyline, 0x1F3864);
    c->heading = workbook_add_format(wb);
    format_set_bold(c->heading);
    format_set_font_size(c->heading, 12);
    format_set_bottom(c->heading, LXW_BORDER_THIN);
    c->note = workbook_add_format(wb);
    format_set_italic(c->note);
    format_set_font_color(c->note, 0x595959);
    c->caption = workbook_add_format(wb);
    format_set_bold(c->caption);
    c->subcaption = workbook_add_format(wb);
    format_set_indent(c->subcaption, 1);
    format_set_font_color(c->subcaption, 0x404040);
    c->value = workbook_add_format(wb);
    format_set_align(c->value, LXW_ALIGN_LEFT);
    c->count = add_format(c, TONE_PLAIN, TRUE);
    format_set_num_format(c->count, "#,##0");
    c->fact_count = workbook_add_format(wb);
    format_set_num_format(c->fact_count, "#,##0");
    c->count_bold = add_format(c, TONE_PLAIN, TRUE);
    format_set_num_format(c->count_bold, "#,##0");
    format_set_bold(c->count_bold);
    format_set_top(c->count_bold, LXW_BORDER_DOUBLE);
    c->hot = add_format(c, RC_STATE_POSITIVE, TRUE);
    format_set_num_format(c->hot, "#,##0");
    format_set_bold(c->hot);
    c->pct = add_format(c, TONE_PLAIN, TRUE);
    format_set_num_format(c->pct, "0.0%");
    c->pct_bold = add_format(c, TONE_PLAIN, TRUE);
    format_set_num_format(c->pct_bold, "0.0%");
    format_set_bold(c->pct_bold);
    format_set_top(c->pct_bold, LXW_BORDER_DOUBLE);
    c->total_label = add_format(c, TONE_PLAIN, TRUE);
    format_set_bold(c->total_label);
    format_set_top(c->total_label, LXW_BORDER_DOUBLE);
}

/* ---- reading the workbook back ---- */

/* What a sheet part's inflated bytes hold: its rows, and how it ends. */
typedef struct {
    guint64 rows;
    char tail[16]; /* the last bytes, NUL-terminated */
    gsize tail_len;
} PartScan;

static void scan_bytes(PartScan *p, const char *buf, gsize n)
{
    /* "<row " across a boundary: the tail holds the bytes before BUF. */
    static const char tag[] = "<row ";
    const gsize tl = sizeof tag - 1;
    char joint[2 * sizeof tag];
    gsize keep = MIN(p->tail_len, tl - 1), take = MIN(n, tl - 1);
    memcpy(joint, p->tail + p->tail_len - keep, keep);
    memcpy(joint + keep, buf, take);
    for (const char *h = joint; (h = memmem(h, keep + take - (gsize)(h - joint), tag, tl)) != NULL; h++)
        if (h < joint + keep) /* wholly inside BUF is counted below */
            p->rows++;
    for (const char *h = buf; (h = memmem(h, n - (gsize)(h - buf), tag, tl)) != NULL; h += tl)
        p->rows++;
    if (n >= sizeof p->tail - 1) {
        memcpy(p->tail, buf + n - (sizeof p->tail - 1), sizeof p->tail - 1);
        p->tail_len = sizeof p->tail - 1;
    } else {
        gsize drop = p->tail_len + n > sizeof p->tail - 1 ? p->tail_len + n - (sizeof p->tail - 1) : 0;
        memmove(p->tail, p->tail + drop, p->tail_len - drop);
        memcpy(p->tail + p->tail_len - drop, buf, n);
        p->tail_len = p->tail_len - drop + n;
    }
    p->tail[p->tail_len] = '\0';
}

/* Reads the closed workbook at PATH back: every part inflates with the
 * right CRC, and each sheet part ends with its closing tag and holds the
 * rows written to it (c->parts). libxlsxwriter copies every sheet
 * through temporary files without checking those writes (see check_temp):
 * this is where a copy cut short by a full $TMPDIR or a file size limit is
 * seen, instead of an exit 0 over a truncated workbook. */
static gboolean verify_workbook(const Ctx *c, const char *path, GError **error)
{
    unzFile z = unzOpen64(path);
    if (!z) {
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_WRITE,
                    "%s: cannot read the workbook back to check it", path);
        return FALSE;
    }
    char *buf = g_malloc(VERIFY_BUFFER); /* freed below: clang-analyzer misreads g_autofree here */
    g_autofree char *problem = NULL;
    guint parts = 0;
    for (int r = unzGoToFirstFile(z); r == UNZ_OK && !problem; r = unzGoToNextFile(z)) {
        char name[256];
        unz_file_info64 info;
        if (unzGetCurrentFileInfo64(z, &info, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK ||
            unzOpenCurrentFile(z) != UNZ_OK) {
            problem = g_strdup("a part cannot be read");
            break;
        }
        parts++;
        guint sheet = 0;
        gboolean is_sheet = sscanf(name, "xl/worksheets/sheet%u.xml", &sheet) == 1 && sheet >= 1 &&
                            g_str_has_suffix(name, ".xml") &&
                            strchr(name + strlen("xl/worksheets/"), '/') == NULL;
        PartScan scan = {0};
        int n;
        while ((n = unzReadCurrentFile(z, buf, VERIFY_BUFFER)) > 0)
            if (is_sheet)
                scan_bytes(&scan, buf, (gsize)n);
        int closed = unzCloseCurrentFile(z);
        if (n < 0 || closed != UNZ_OK) {
            problem = g_strdup_printf("part %s is damaged", name);
            continue;
        }
        if (!is_sheet)
            continue;
        const Part *part = sheet <= c->parts->len ? &g_array_index(c->parts, Part, sheet - 1) : NULL;
        const char *sheet_name = part ? part->name : name;
        if (!g_str_has_suffix(scan.tail, "</worksheet>"))
            problem = g_strdup_printf("sheet %s is cut short", sheet_name);
        else if (part && part->rows && scan.rows != part->rows)
            problem = g_strdup_printf("sheet %s holds %" G_GUINT64_FORMAT " of its %u rows", sheet_name,
                                      scan.rows, part->rows);
    }
    unzClose(z);
    g_free(buf);
    if (!problem && parts == 0)
        problem = g_strdup("it holds no parts");
    if (problem) {
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_WRITE,
                    "%s: the workbook came out damaged (%s): libxlsxwriter could not write its temporary "
                    "files in %s in full (file system full, or a file size limit?)",
                    path, problem, c->tmpdir);
        return FALSE;
    }
    return TRUE;
}

/* ---- the workbook ---- */

static guint32 row_limit(const RcXlsxOptions *o)
{
    guint64 n = o ? o->max_rows : 0;
    if (n == 0 || n > RC_XLSX_MAX_ROWS)
        n = RC_XLSX_MAX_ROWS;
    return (guint32)MAX(n, 2);
}

gboolean rc_out_xlsx_write(const RcReport *r, const char *path, const RcXlsxOptions *o, GError **error)
{
    Ctx c = {0};
    c.r = r;
    c.lang = o ? o->lang : RC_LANG_ZH;
    c.building = o ? o->building : NULL;
    c.max_rows = row_limit(o);
    c.names = g_ptr_array_new_with_free_func(g_free);
    c.parts = g_array_new(FALSE, TRUE, sizeof(Part));
    c.clean = g_string_new(NULL);
    c.cell_buf = g_string_new(NULL);
    c.label_buf = g_string_new(NULL);
    /* "2022-04-10T08:00:00Z" as "2022-04-10 08:00:00 UTC" */
    c.generated = strlen(r->generated_at) == 20
                      ? g_strdup_printf("%.10s %.8s UTC", r->generated_at, r->generated_at + 11)
                      : g_strdup(r->generated_at);

    /* Rows to write, roughly: big workbooks need ZIP64 (parts over 4 GiB). */
    guint64 rows = (r->history ? 4 : 2) * (guint64)r->n_residents + rc_spool_rows(rc_report_unmatched(r)) +
                   rc_spool_rows(rc_report_problems(r));
    g_autofree char *tmpdir = g_strdup(o && o->tmpdir ? o->tmpdir : g_get_tmp_dir());
    lxw_workbook_options wo = {
        .constant_memory = LXW_TRUE,
        .tmpdir = tmpdir,
        .use_zip64 = rows > ZIP64_ROWS ? LXW_TRUE : LXW_FALSE,
    };
    c.tmpdir = tmpdir;
    gboolean ok = TRUE;
    g_autofree char *title = NULL;
    /* libxlsxwriter reports a file it cannot create on stderr, and only
     * when it closes: find out first, and say it as a GError. */
    int fd = g_open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_CREATE, "%s: cannot create: %s", path,
                    g_strerror(e));
        ok = FALSE;
        goto cleanup;
    }
    close(fd);
    int e = !g_file_test(tmpdir, G_FILE_TEST_IS_DIR) ? ENOTDIR
            : g_access(tmpdir, W_OK | X_OK) != 0     ? errno
                                                     : 0;
    if (e) {
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_CREATE,
                    "%s: cannot write temporary files: %s", tmpdir, g_strerror(e));
        ok = FALSE;
        goto cleanup;
    }
    title = c.building ? g_strdup_printf("%s — %s", rc_label(c.lang, RC_LABEL_TITLE), c.building)
                       : g_strdup(rc_label(c.lang, RC_LABEL_TITLE));
    c.wb = workbook_new_opt(path, &wo);
    if (!c.wb) {
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_CREATE, "%s: cannot start the workbook",
                    path);
        ok = FALSE;
        goto cleanup;
    }
    /* The creation time is the run's clock, so that SOURCE_DATE_EPOCH makes
     * the workbook reproducible. */
    lxw_doc_properties props = {
        .title = title,
        .author = "rollcall",
        .comments = "rollcall " RC_VERSION,
        .created = (time_t)r->opts.now,
    };
    note_error(&c, workbook_set_properties(c.wb, &props), "properties");
    make_formats(&c);
    scope_span(&c);

    write_summary(&c);
    write_resident_sheets(&c);
    write_spool(&c, RC_LABEL_SHEET_UNMATCHED, rc_report_unmatched(r), FALSE, TONE_UNMATCHED);
    write_spool(&c, RC_LABEL_SHEET_PROBLEMS, rc_report_problems(r), TRUE, TONE_PLAIN);
    if (r->history) {
        write_history(&c, RC_LABEL_SHEET_HISTORY, FALSE);
        if (r->opts.valid_hours)
            write_history(&c, RC_LABEL_SHEET_OVERDUE, TRUE);
    }
    if (has_rooms(&c)) {
        write_door(&c);
        write_floors(&c);
    }
    if (rc_report_has_tubes(r))
        write_tubes(&c);

    lxw_error closed = workbook_close(c.wb);
    if (c.err != LXW_NO_ERROR && c.err_errno) {
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_WRITE,
                    "%s: cannot write the workbook (%s): a temporary file in %s: %s", path, c.err_where,
                    tmpdir, g_strerror(c.err_errno));
        ok = FALSE;
    } else if (c.err != LXW_NO_ERROR) {
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_WRITE,
                    "%s: cannot write the workbook (%s): %s", path, c.err_where, lxw_strerror(c.err));
        ok = FALSE;
    } else if (closed != LXW_NO_ERROR) {
        g_set_error(error, RC_OUT_XLSX_ERROR, RC_OUT_XLSX_ERROR_WRITE, "%s: cannot write the workbook: %s",
                    path, lxw_strerror(closed));
        ok = FALSE;
    } else {
        ok = verify_workbook(&c, path, error);
    }

cleanup:
    g_ptr_array_unref(c.names);
    g_array_unref(c.parts);
    g_string_free(c.clean, TRUE);
    g_string_free(c.cell_buf, TRUE);
    g_string_free(c.label_buf, TRUE);
    g_free(c.err_where);
    g_free(c.generated);
    g_free(c.door_breaks);
    g_free(c.floor_breaks);
    return ok;
}

/* ---- file names for --split-by building ---- */

/* The length of NAME's device stem when it is a reserved DOS device name,
 * else 0. The stem is what comes before the first dot, trailing spaces
 * dropped: Windows reads "CON.xlsx" and "con .txt" as the console too. */
static gsize reserved_dos_stem(const char *name)
{
    static const char *const plain[] = {"CON", "PRN", "AUX", "NUL"};
    gsize stem = strcspn(name, ".");
    while (stem > 0 && name[stem - 1] == ' ')
        stem--;
    for (gsize i = 0; i < G_N_ELEMENTS(plain); i++)
        if (stem == 3 && g_ascii_strncasecmp(name, plain[i], 3) == 0)
            return stem;
    if (stem == 4 && (g_ascii_strncasecmp(name, "COM", 3) == 0 || g_ascii_strncasecmp(name, "LPT", 3) == 0) &&
        name[3] >= '1' && name[3] <= '9')
        return stem;
    return 0;
}

#define SAFE_NAME_MAX 100 /* bytes: room for " (NNN)" and ".xlsx" under 255 */

char *rc_out_xlsx_safe_name(const char *building)
{
    g_autofree char *valid = g_utf8_make_valid(building ? building : "", -1);
    GString *g = g_string_new(NULL);
    const char *p = valid;
    while (*p == ' ' || *p == '\t')
        p++;
    for (; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        gsize len = (gsize)(g_utf8_next_char(p) - p);
        if (g->len + len > SAFE_NAME_MAX)
            break;
        if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) ||
            (ch < 0x80 && strchr("/\\:*?\"<>|", (int)ch)))
            g_string_append_c(g, '_');
        else
            g_string_append_len(g, p, (gssize)len);
    }
    while (g->len && (g->str[g->len - 1] == '.' || g->str[g->len - 1] == ' '))
        g_string_truncate(g, g->len - 1);
    if (!g->len)
        g_string_assign(g, "_");
    gsize stem = reserved_dos_stem(g->str);
    if (stem)
        g_string_insert_c(g, (gssize)stem, '_');
    return g_string_free(g, FALSE);
}

/* What a case-insensitive file system compares NAME as: decomposed (macOS),
 * upper-cased (Windows' table: ı and I, ſ and S are one letter there), then
 * case-folded. Owned. */
static char *name_key(const char *name)
{
    g_autofree char *nfd = g_utf8_normalize(name, -1, G_NORMALIZE_DEFAULT);
    g_autofree char *up = g_utf8_strup(nfd ? nfd : name, -1);
    return g_utf8_casefold(up, -1);
}

GStrv rc_out_xlsx_unique_names(const char *const *buildings, guint n)
{
    char **out = g_new0(char *, n + 1);
    /* Case-folded names taken, by the first building that has each. */
    g_autoptr(GHashTable) taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean *dup = g_new0(gboolean, MAX(n, 1));
    for (guint i = 0; i < n; i++) {
        out[i] = rc_out_xlsx_safe_name(buildings[i]);
        char *key = name_key(out[i]);
        if (g_hash_table_contains(taken, key)) {
            dup[i] = TRUE;
            g_free(key);
        } else {
            g_hash_table_add(taken, key);
        }
    }
    for (guint i = 0; i < n; i++) {
        if (!dup[i])
            continue;
        for (guint k = 2;; k++) {
            char *cand = g_strdup_printf("%s (%u)", out[i], k);
            char *key = name_key(cand);
            if (!g_hash_table_contains(taken, key)) {
                g_hash_table_add(taken, key);
                g_free(out[i]);
                out[i] = cand;
                break;
            }
            g_free(key);
            g_free(cand);
        }
    }
    g_free(dup);
    return out;
}

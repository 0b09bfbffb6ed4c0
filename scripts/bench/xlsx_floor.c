/* xlsx_floor: the floor for rollcall's workbook (scripts/bench/bench-workbook.sh).
 *
 *     xlsx_floor RESIDENTS.tsv OUT.xlsx
 *
 * Reads the residents TSV that `rollcall merge ... -o residents.tsv` wrote
 * (no quoting: a line is a row, a tab separates fields) and writes the cells
 * of rollcall's resident sheets with libxlsxwriter in constant-memory mode
 * and nothing else: every row to "全部" (All) and to its state's sheet
 * (阳性 Positive; 待复核 Attention for review, invalid, pending; 未检测
 * Missing; 阴性 Negative; 免检 Exempt), the header row on each, strings as
 * strings, sampled_at as a date-time cell, the state and match words as
 * rollcall's Chinese labels, one string format and one date format per state.
 * No summary, no Unmatched or Problems sheets (a few thousand rows), no
 * widths, filters or page setup, no flag labels: the cost of those is small
 * and it is rollcall's to pay.
 *
 * With a history (rollcall merge --days ... -o residents.tsv: columns
 * day:YYYY-MM-DD and last_negative .. overdue after the resident columns),
 * the resident sheets take the resident columns only, and a sheet 历史
 * (History) takes building, unit, room, name, each day's state as its one
 * Chinese character filled by the state's colour, then the history
 * columns — the cells of rollcall's History sheet.
 *
 *     xlsx_floor RESIDENTS.tsv OUT.xlsx [SHEET=FILE.tsv ...]
 *
 * Each SHEET=FILE.tsv after them is one more sheet of FILE's rows, strings
 * with one format (the door-knocking list, the pooled tubes).
 *
 * One pass: each line is written as it is read (constant-memory sheets take
 * their rows in order, each sheet on its own). The time spent reading and
 * splitting lines is printed on stderr so that it can be subtracted.
 *
 * Build: cc -O2 -o xlsx_floor xlsx_floor.c $(pkg-config --cflags --libs xlsxwriter) */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#define MAX_COLS 256
#define MAX_ROWS 1048576u

enum { NEGATIVE, POSITIVE, REVIEW, INVALID, PENDING, MISSING, EXEMPT, N_STATES };
static const char *const state_word[N_STATES] = {"negative", "positive", "review", "invalid",
                                                 "pending",  "missing",  "exempt"};
static const char *const state_label[N_STATES] = {"阴性",     "阳性",   "待复核", "无效",
                                                  "待出结果", "未检测", "免检"};
static const lxw_color_t state_fill[N_STATES] = {0xC6EFCE, 0xFFB8BE, 0xFFDDA6, 0xFBC79B,
                                                 0xFFEBC8, 0xFFF59D, 0xE3E3E3};

enum { S_ALL, S_POSITIVE, S_ATTENTION, S_MISSING, S_NEGATIVE, S_EXEMPT, N_SHEETS };
static const char *const sheet_name[N_SHEETS] = {"全部", "阳性", "待复核", "未检测", "阴性", "免检"};
static const int sheet_of_state[N_STATES] = {S_NEGATIVE,  S_POSITIVE, S_ATTENTION, S_ATTENTION,
                                             S_ATTENTION, S_MISSING,  S_EXEMPT};

static const char *const match_word[] = {"id", "name+phone", "name+id-typo", "name+masked-id"};
static const char *const match_label[] = {"证件号", "姓名+电话", "姓名+证件号笔误", "姓名+脱敏证件号"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Splits LINE on tabs in place (the newline dropped); returns the count. */
static int split(char *line, char **f)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    f[n++] = line;
    for (char *p = line; (p = strchr(p, '\t')) && n < MAX_COLS; p++) {
        *p = '\0';
        f[n++] = p + 1;
    }
    return n;
}

static int find(const char *const *words, int n, const char *w)
{
    for (int i = 0; i < n; i++)
        if (strcmp(words[i], w) == 0)
            return i;
    return -1;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* "YYYY-MM-DD HH:MM" (what rollcall writes): the fields, or 0. */
static int parse_time(const char *s, lxw_datetime *dt)
{
    if (strlen(s) != 16 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':')
        return 0;
    *dt = (lxw_datetime){digits(s, 4),      digits(s + 5, 2),  digits(s + 8, 2),
                         digits(s + 11, 2), digits(s + 14, 2), 0};
    return dt->year >= 1900 && dt->month > 0 && dt->day > 0 && dt->hour >= 0 && dt->min >= 0;
}

static const char day_letter[N_STATES][4] = {"阴", "阳", "复", "废", "待", "缺", "免"};
static const char *const history_col[] = {"last_negative", "hours_since_negative", "missed_in_a_row",
                                          "days_tested", "overdue"};
static const char *const lead_col[] = {"building", "unit", "room", "name"};

/* A column of the history (day:..., or one of history_col)? */
static int is_history(const char *name)
{
    return strncmp(name, "day:", 4) == 0 || find(history_col, 5, name) >= 0;
}

/* One more sheet NAME of FILE's rows, strings in format F; its reading time
 * added to *READING. */
static int plain_sheet(lxw_workbook *wb, const char *name, const char *file, lxw_format *f, lxw_format *head,
                       double *reading, unsigned long *rows)
{
    double r0 = now();
    FILE *in = fopen(file, "r");
    if (!in) {
        perror(file);
        return 0;
    }
    lxw_worksheet *w = workbook_add_worksheet(wb, name);
    size_t cap = 0;
    char *line = NULL;
    char *fl[MAX_COLS];
    lxw_row_t row = 0;
    int ok = 1;
    for (;;) {
        r0 = now();
        ssize_t len = getline(&line, &cap, in);
        *reading += now() - r0;
        if (len < 0)
            break;
        int n = split(line, fl);
        for (int col = 0; col < n && ok; col++)
            ok = worksheet_write_string(w, row, (lxw_col_t)col, fl[col], row ? f : head) == LXW_NO_ERROR;
        row++;
    }
    *rows += row;
    fclose(in);
    free(line);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: xlsx_floor RESIDENTS.tsv OUT.xlsx [SHEET=FILE.tsv ...]\n");
        return 1;
    }
    double t0 = now(), reading = 0, r0 = now();
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 0;
    char *line = NULL;
    char *f[MAX_COLS];
    if (getline(&line, &cap, in) < 0) {
        fprintf(stderr, "xlsx_floor: %s: empty\n", argv[1]);
        return 1;
    }
    int n_cols = split(line, f);
    int c_state = find((const char *const *)f, n_cols, "state");
    int c_match = find((const char *const *)f, n_cols, "match");
    int c_time = find((const char *const *)f, n_cols, "sampled_at");
    if (c_state < 0) {
        fprintf(stderr, "xlsx_floor: %s: no state column\n", argv[1]);
        return 1;
    }
    /* a history: the resident sheets' columns, and History's */
    int res_cols[MAX_COLS], n_res = 0, hist_cols[MAX_COLS], n_hist = 0, hist_day[MAX_COLS];
    for (int col = 0; col < n_cols; col++)
        if (!is_history(f[col]))
            res_cols[n_res++] = col;
    for (int k = 0; k < 4; k++) {
        int col = find((const char *const *)f, n_cols, lead_col[k]);
        if (col >= 0) {
            hist_day[n_hist] = 0;
            hist_cols[n_hist++] = col;
        }
    }
    int history = 0;
    for (int col = 0; col < n_cols; col++)
        if (is_history(f[col])) {
            history = 1;
            hist_day[n_hist] = strncmp(f[col], "day:", 4) == 0;
            hist_cols[n_hist++] = col;
        }
    reading += now() - r0;

    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(argv[2], &wo);
    if (!wb) {
        fprintf(stderr, "xlsx_floor: %s: cannot start the workbook\n", argv[2]);
        return 1;
    }
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    lxw_format *cell[N_STATES], *date[N_STATES];
    for (int s = 0; s < N_STATES; s++) {
        cell[s] = workbook_add_format(wb);
        format_set_pattern(cell[s], LXW_PATTERN_SOLID);
        format_set_bg_color(cell[s], state_fill[s]);
        date[s] = workbook_add_format(wb);
        format_set_pattern(date[s], LXW_PATTERN_SOLID);
        format_set_bg_color(date[s], state_fill[s]);
        format_set_num_format(date[s], "yyyy-mm-dd hh:mm");
    }
    lxw_format *plain = workbook_add_format(wb);
    lxw_worksheet *ws[N_SHEETS];
    lxw_row_t next[N_SHEETS];
    for (int k = 0; k < N_SHEETS; k++) {
        ws[k] = workbook_add_worksheet(wb, sheet_name[k]);
        for (int c = 0; c < n_res; c++)
            worksheet_write_string(ws[k], 0, (lxw_col_t)c, f[res_cols[c]], head);
        next[k] = 1;
    }
    lxw_worksheet *hs = NULL;
    if (history) {
        hs = workbook_add_worksheet(wb, "历史");
        for (int c = 0; c < n_hist; c++)
            worksheet_write_string(hs, 0, (lxw_col_t)c, f[hist_cols[c]], head);
    }

    lxw_error err = LXW_NO_ERROR;
    unsigned long lineno = 1;
    for (;;) {
        r0 = now();
        ssize_t len = getline(&line, &cap, in);
        if (len < 0) {
            reading += now() - r0;
            break;
        }
        int n = split(line, f);
        lineno++;
        int st = n > c_state ? find(state_word, N_STATES, f[c_state]) : -1;
        if (st < 0) {
            fprintf(stderr, "xlsx_floor: %s:%lu: no known state\n", argv[1], lineno);
            return 1;
        }
        lxw_datetime dt;
        int has_time = c_time >= 0 && c_time < n && parse_time(f[c_time], &dt);
        const char *state_text = state_label[st];
        int m = c_match >= 0 && c_match < n ? find(match_word, 4, f[c_match]) : -1;
        reading += now() - r0;
        const int sheets[2] = {S_ALL, sheet_of_state[st]};
        for (int k = 0; k < 2; k++) {
            lxw_worksheet *w = ws[sheets[k]];
            lxw_row_t row = next[sheets[k]]++;
            if (row >= MAX_ROWS) {
                fprintf(stderr, "xlsx_floor: more rows than a sheet holds\n");
                return 1;
            }
            for (int c = 0; c < n_res && res_cols[c] < n; c++) {
                int col = res_cols[c];
                lxw_error e;
                if (col == c_time && has_time)
                    e = worksheet_write_datetime(w, row, (lxw_col_t)c, &dt, date[st]);
                else if (col == c_state)
                    e = worksheet_write_string(w, row, (lxw_col_t)c, state_text, cell[st]);
                else if (col == c_match && m >= 0)
                    e = worksheet_write_string(w, row, (lxw_col_t)c, match_label[m], cell[st]);
                else
                    e = worksheet_write_string(w, row, (lxw_col_t)c, f[col], cell[st]);
                if (e != LXW_NO_ERROR && err == LXW_NO_ERROR)
                    err = e;
            }
        }
        for (int c = 0; hs && c < n_hist && hist_cols[c] < n; c++) {
            lxw_error e;
            const char *v = f[hist_cols[c]];
            if (hist_day[c]) {
                int ds = find(state_word, N_STATES, v);
                e = worksheet_write_string(hs, (lxw_row_t)(lineno - 1), (lxw_col_t)c, ds >= 0 ? day_letter[ds] : v,
                                           cell[ds >= 0 ? ds : st]);
            } else
                e = worksheet_write_string(hs, (lxw_row_t)(lineno - 1), (lxw_col_t)c, v, cell[st]);
            if (e != LXW_NO_ERROR && err == LXW_NO_ERROR)
                err = e;
        }
    }
    fclose(in);
    free(line);
    unsigned long extra = 0;
    for (int a = 3; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq) {
            fprintf(stderr, "xlsx_floor: %s: give SHEET=FILE.tsv\n", argv[a]);
            return 1;
        }
        *eq = '\0';
        if (!plain_sheet(wb, argv[a], eq + 1, plain, head, &reading, &extra))
            return 1;
    }
    double t1 = now();
    lxw_error closed = workbook_close(wb);
    double t2 = now();
    if (err != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
        fprintf(stderr, "xlsx_floor: %s: %s\n", argv[2], lxw_strerror(err != LXW_NO_ERROR ? err : closed));
        return 1;
    }
    fprintf(stderr,
            "xlsx_floor: %lu rows%s, %lu rows of other sheets: reading %.3f s, writing cells %.3f s, workbook_close (zip: copy + "
            "deflate) %.3f s, "
            "total %.3f s\n",
            lineno - 1, history ? " (and History)" : "", extra, reading, t1 - t0 - reading, t2 - t1, t2 - t0);
    return 0;
}

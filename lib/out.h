/* out: the writers for pipelines — CSV and TSV rows of residents, CSV of
 * spooled (unmatched, problem) rows, JSON rows and the summary JSON. Each
 * reads only the report and writes to a stdio stream; write errors are left
 * in the stream's error flag for the caller's commit to find. */
#ifndef RC_OUT_H
#define RC_OUT_H

#include <stdio.h>

#include "report.h"

/* Bit per RcState; 0 means every state. */
#define RC_STATE_BIT(s) (1u << (s))

/* Residents in output order, one row each, header row first. SEP is ',' for
 * RFC 4180 CSV (quoted where needed) or '\t' for TSV (tabs and line breaks
 * inside a value become spaces). ONLY filters by state (0: all). */
void rc_out_residents_csv(const RcReport *r, FILE *fp, char sep, guint only);

/* The same rows as a JSON array of objects (extras under "extra"). */
void rc_out_residents_json(const RcReport *r, FILE *fp, guint only);

/* A spool (unmatched or problems) as CSV with rc_spool_columns. */
void rc_out_spool_csv(const RcReport *r, RcSpool *spool, FILE *fp);

/* DESIGN.md section 7: the door-knocking list as CSV, columns building,
 * unit, floor, room, name, phone, household, status, note (empty, for the
 * volunteer); a room that gives no floor says "unknown". */
void rc_out_door_csv(const RcReport *r, FILE *fp);

/* DESIGN.md section 7: the notice for building B (an index into
 * r->buildings) to paste into its messaging group: a title line with the
 * date and the coverage, then a line per household still to test with its
 * unit, room and the names of those who did not test, masked (王*芳, 李*);
 * never an id or a phone. In Chinese, or English when EN. */
void rc_out_notice(const RcReport *r, guint b, gboolean en, FILE *fp);

/* DESIGN.md section 7: the hot tubes' rows (rc_report_tubes) as CSV with
 * rc_report_tube_columns. */
void rc_out_tubes_csv(const RcReport *r, const RcTubeList *tubes, FILE *fp);

/* The summary JSON (counts by state and building, accounting, inputs). */
void rc_out_summary_json(const RcReport *r, FILE *fp);

#endif

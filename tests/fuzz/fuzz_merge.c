/* libFuzzer: a whole merge. The input is split at its first "\n==\n" into a
 * roster and a results file; the accounting must always add up and every
 * writer must run to the end. */
#include <string.h>

#include "fuzz_common.h"
#include "merge.h"
#include "out.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static RcConfig *cfg;
    if (!cfg)
        cfg = rc_config_new();
    const uint8_t *sep = memmem(data, len, "\n==\n", 4);
    size_t rlen = sep ? (size_t)(sep - data) + 1 : len;
    const uint8_t *res = sep ? sep + 4 : data + len;
    FuzzFile roster, results;
    fuzz_file_open(&roster, data, rlen);
    fuzz_file_open(&results, res, (size_t)(data + len - res));

    RcMergeOptions opts = {RC_TIME_NONE, RC_TIME_NONE, NULL, NULL, NULL, NULL, 0, NULL};
    if (len && data[0] & 1) {
        opts.since = 1649548800; /* 2022-04-10 */
        opts.until = opts.since + 86400;
    }
    RcMerge *m = rc_merge_new(cfg, &opts, NULL);
    GError *err = NULL;
    if (rc_merge_add_roster(m, roster.path, &err) && rc_merge_add_results(m, results.path, &err)) {
        rc_merge_finish(m);
        const RcResultCounts *rc = rc_merge_result_counts(m);
        const RcRosterCounts *ro = rc_merge_roster_counts(m);
        if (rc->rows != rc->applied + rc->out_of_window + rc->unmatched + rc->problem + rc->ignored ||
            ro->rows != ro->residents + ro->problem + ro->ignored || rc->duplicate > rc->applied)
            abort();
        RcReportOptions rop = {len && (data[0] & 2), 0, opts.since, opts.until, 0, RC_TIME_NONE, 0};
        RcReport *rep = rc_report_new(m, &rop);
        FILE *null = fopen("/dev/null", "w");
        rc_out_residents_csv(rep, null, ',', 0);
        rc_out_residents_json(rep, null, 0);
        rc_out_spool_csv(rep, rc_merge_unmatched(m), null);
        rc_out_spool_csv(rep, rc_merge_problems(m), null);
        rc_out_summary_json(rep, null);
        fclose(null);
        guint64 sum = 0;
        for (int s = 0; s < RC_STATE_COUNT; s++)
            sum += rep->total.states[s];
        if (sum != ro->residents)
            abort();
        rc_report_free(rep);
    }
    g_clear_error(&err);
    rc_merge_free(m);
    fuzz_file_close(&roster);
    fuzz_file_close(&results);
    return 0;
}

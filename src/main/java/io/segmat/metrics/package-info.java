/**
 * What operators watch: segmat's own meters, Spring Batch's observations, the Prometheus
 * scrape and health of {@code serve} on a management port of its own, and the Pushgateway
 * push of a short-lived command.
 * <p>
 * Nothing here starts unless asked: {@link io.segmat.metrics.Metrics} gives the
 * properties that turn it on, for {@code serve} and for a command run with
 * {@code SEGMAT_PUSHGATEWAY_URL}; without them the actuator's and Micrometer's
 * auto-configurations are left out of the context altogether.
 * <p>
 * Per run, {@link io.segmat.metrics.RunMetrics} listens to every Batch job: a refresh's
 * segments by mode and status, members entered and left, evaluation times (read back from
 * segment_evaluation, one query per run), an import's rows by outcome (from its tally),
 * and the manual refreshes refused. What the database holds, each segment's members and
 * staleness, the overdue and INVALID segments, the last successful refresh and the runs
 * stuck STARTED, {@link io.segmat.metrics.SegmentGauges} reads with one query per scrape
 * or push. It reads the refresh's tables and Batch's; no other package calls into it.
 */
package io.segmat.metrics;

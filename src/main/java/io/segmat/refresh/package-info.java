/**
 * The refresh: re-evaluates segments and rewrites each one's membership, count and
 * sample.
 * <p>
 * A scheduled run ({@link io.segmat.refresh.RefreshLauncher}, one at a time under an
 * advisory lock) goes plan → partition → evaluate → publish:
 * {@link io.segmat.refresh.RefreshPlanner} decides which segments are due from their
 * stored dependencies; {@link io.segmat.refresh.SegmentPartitions} lays the plan out as
 * partitions of a Spring Batch step; {@link io.segmat.refresh.SegmentEvaluator} evaluates
 * a segment, with {@link io.segmat.refresh.MembershipRewrite} (and its
 * {@link io.segmat.refresh.IncrementalCandidates}) rewriting the membership; and
 * {@link io.segmat.refresh.SamplePublisher} publishes count and sample on their
 * {@link io.segmat.refresh.SampleCadence}. A user's manual refresh
 * ({@link io.segmat.refresh.ManualRefresh}) evaluates one segment now, within SendGrid's
 * quotas. {@link io.segmat.refresh.RefreshHealth} reads how well the runs keep up, for
 * {@code segmat status}, without taking a lock or writing.
 * <p>
 * It is the one writer of segment_member (but for a segment's deletion), of the change
 * feed in segment_change ({@link io.segmat.refresh.ChangeFeedWriter}, in the same
 * transaction) and of segment_evaluation ({@link io.segmat.refresh.EvaluationLog}), and
 * writes in segment what an evaluation found: validity, the revision, watermark and
 * instant evaluated, count, sample and when the next sample is due, for a query that
 * reads the clock until when time alone cannot change its answer
 * ({@link io.segmat.refresh.NextClockCrossing}, which lets the planner skip it), and the
 * stored dependencies of a query the planner had to compile. Other packages read these;
 * the CLI's reports read segment_evaluation directly.
 */
package io.segmat.refresh;

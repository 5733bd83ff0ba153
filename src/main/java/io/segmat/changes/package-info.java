/**
 * The membership change feed: who entered and who left each segment, and when.
 * <p>
 * The refresh writes it (its {@code ChangeFeedWriter}, in each evaluation's transaction);
 * this package reads and serves it. {@link io.segmat.changes.ChangeFeed} reads a
 * segment's changes after a cursor, expanding a first materialization's single 'initial'
 * row into its members; {@link io.segmat.changes.ChangeRetention} prunes expired changes
 * as the refresh job's last step; {@code changeDeliveryJob}
 * ({@link io.segmat.changes.ChangeDeliveryLauncher}) pushes the feed to a webhook, at
 * least once, with a per-destination, per-segment cursor that moves only on a 2xx. Its
 * settings are {@link io.segmat.changes.ChangeSettings}.
 * <p>
 * Cursors are per segment because only within a segment do changes commit in the order of
 * their numbers (the segment's row lock serializes its evaluations); across segments,
 * parallel evaluations commit out of order, and a global cursor could skip a change that
 * commits late.
 */
package io.segmat.changes;

package io.segmat.changes;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Prunes changes older than SEGMAT_CHANGES_RETENTION, as the refresh job's last step. The
 * step's transaction is one batch: the tasklet deletes a few thousand rows and asks to be
 * called again, so no lock is held for long and the refresh's next run is never kept
 * waiting. What goes is always a prefix of each segment's feed (everything up to one
 * seq), and the last seq pruned of each segment is recorded in the same transaction, so a
 * reader whose cursor is before it is told (410) rather than shown a gap.
 */
@Component
public class ChangeRetention implements Tasklet {

	private static final int BATCH = 5000;

	private static final String HORIZON = "changes.pruneThroughSeq";

	// The rows arrive in about time order; recorded_at has a BRIN index, which reads
	// only the block ranges that hold expired rows. Written as max(seq) over the table,
	// the planner took the primary key backwards from the newest change and filtered:
	// every retained change was read, the whole retention's worth on each run (149 ms
	// for 400,000 retained rows with none expired; 1.9 ms this way). OFFSET 0 keeps
	// the aggregate off that path.
	static final String NEWEST_EXPIRED = """
			SELECT coalesce(max(seq), 0) FROM (SELECT seq FROM segment_change WHERE recorded_at < ? OFFSET 0) expired
			""";

	private static final String PRUNE = """
			WITH gone AS (
			    DELETE FROM segment_change c
			    WHERE c.seq IN (SELECT seq FROM segment_change WHERE seq <= ? ORDER BY seq LIMIT ?)
			    RETURNING c.segment_key, c.seq),
			marked AS (
			    INSERT INTO segment_change_pruned (segment_key, through_seq)
			    SELECT segment_key, max(seq) FROM gone GROUP BY segment_key
			    ON CONFLICT (segment_key) DO UPDATE
			        SET through_seq = greatest(segment_change_pruned.through_seq, excluded.through_seq))
			SELECT count(*) FROM gone
			""";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration retention;

	ChangeRetention(JdbcClient jdbc, Clock clock, ChangeSettings settings) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.retention = settings.retention();
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		// The horizon is found once per run, not once per batch: finding it reads the
		// expired rows.
		ExecutionContext context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
		if (!context.containsKey(HORIZON)) {
			context.putLong(HORIZON,
					this.jdbc.sql(NEWEST_EXPIRED)
						.param(Timestamp.from(this.clock.instant().minus(this.retention)))
						.query(Long.class)
						.single());
		}
		long pruned = this.jdbc.sql(PRUNE).params(context.getLong(HORIZON), BATCH).query(Long.class).single();
		contribution.incrementWriteCount(pruned);
		return (pruned == BATCH) ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
	}

}

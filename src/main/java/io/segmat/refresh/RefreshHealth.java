package io.segmat.refresh;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.segmat.db.AdvisoryLock;
import io.segmat.query.FieldCatalog;
import io.segmat.refresh.RefreshStatus.InvalidSegment;
import io.segmat.refresh.RefreshStatus.LastRun;
import io.segmat.refresh.RefreshStatus.OverdueSegment;
import io.segmat.refresh.RefreshStatus.Reason;
import io.segmat.refresh.RefreshStatus.ReasonCode;
import io.segmat.refresh.RefreshStatus.Staleness;
import io.segmat.refresh.RefreshStatus.StuckRun;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the refresh's health from Spring Batch's metadata, the segments' bookkeeping and
 * the advisory locks, without taking any lock or writing anything: a check must never
 * turn a run away.
 */
@Component
public class RefreshHealth {

	private static final Set<String> FAILED = Set.of("FAILED", "STOPPED", "ABANDONED", "UNKNOWN");

	/**
	 * The jobs that run under a session lock held for the whole execution: a running
	 * execution of one whose lock nobody holds belongs to a process that died.
	 */
	private static final Map<String, AdvisoryLock> RUN_LOCKS = Map.of(SegmentRefreshJobConfiguration.JOB_NAME,
			AdvisoryLock.REFRESH, ManualRefreshJobConfiguration.JOB_NAME, AdvisoryLock.MANUAL_REFRESH);

	private final JdbcClient jdbc;

	private final RefreshPlanner planner;

	private final Clock clock;

	private final Duration evaluationInterval;

	RefreshHealth(JdbcClient jdbc, RefreshPlanner planner, Clock clock, RefreshSettings settings) {
		this.jdbc = jdbc;
		this.planner = planner;
		this.clock = clock;
		this.evaluationInterval = settings.evaluationInterval();
	}

	/**
	 * @param stuckAfter a run still running after this long counts as stuck, whether or
	 * not its lock is held
	 * @param grace how long past its due time a segment may wait for the next scheduled
	 * run before it counts as overdue: at least the schedule's period
	 */
	public RefreshStatus check(Duration stuckAfter, Duration grace) {
		Instant now = this.clock.instant();
		List<Reason> reasons = new ArrayList<>();
		Optional<LastRun> last = lastRun();
		last.filter((run) -> FAILED.contains(run.status()))
			.ifPresent((run) -> reasons.add(new Reason(ReasonCode.LAST_RUN_FAILED,
					"the last refresh, execution " + run.executionId() + " for slot " + run.slot() + ", ended "
							+ run.status() + "; run that slot again (segmat restart " + run.executionId() + ")")));
		List<StuckRun> stuck = stuckRuns(now, stuckAfter);
		stuck.forEach((run) -> reasons.add(new Reason(ReasonCode.STUCK_RUN,
				run.job() + " execution " + run.executionId() + " is " + run.status() + " but " + run.why()
						+ "; segmat recover " + run.executionId()
						+ (SegmentRefreshJobConfiguration.JOB_NAME.equals(run.job())
								? " (the next refresh also recovers it)" : ""))));
		List<SegmentState> segments = segments();
		FieldCatalog fields = FieldCatalog.load(this.jdbc);
		RefreshPlanner.ChangeMarks marks = this.planner.changeMarks();
		List<OverdueSegment> overdue = new ArrayList<>();
		List<InvalidSegment> invalid = new ArrayList<>();
		for (SegmentState segment : segments) {
			if ("INVALID".equals(segment.row().queryValidation())) {
				invalid.add(new InvalidSegment(segment.row().id(), segment.row().name(), segment.errorMessage()));
				continue;
			}
			overdue(segment, fields, now, marks).filter((o) -> o.dueSince().plus(grace).isBefore(now))
				.ifPresent(overdue::add);
		}
		if (!overdue.isEmpty()) {
			reasons.add(new Reason(ReasonCode.OVERDUE_SEGMENTS,
					overdue.size() + " segment(s) overdue by more than " + grace.toMinutes() + " minutes: "
							+ overdue.stream().map(OverdueSegment::name).collect(Collectors.joining(", "))));
		}
		if (!invalid.isEmpty()) {
			reasons.add(new Reason(ReasonCode.INVALID_SEGMENTS,
					invalid.size() + " segment(s) INVALID: "
							+ invalid.stream().map(InvalidSegment::name).collect(Collectors.joining(", "))
							+ "; fix their query_dsl"));
		}
		Staleness worst = segments.stream()
			.filter((segment) -> !"INVALID".equals(segment.row().queryValidation()))
			.map((segment) -> staleness(segment, now))
			.max(Comparator.comparing(Staleness::staleness))
			.orElse(null);
		return new RefreshStatus(now, segments.size(), last.orElse(null), stuck, overdue, invalid, worst,
				List.copyOf(reasons));
	}

	private Optional<LastRun> lastRun() {
		return this.jdbc.sql("""
				SELECT e.job_execution_id, e.status, e.exit_code, e.start_time, e.end_time,
				       (SELECT p.parameter_value FROM batch_job_execution_params p
				        WHERE p.job_execution_id = e.job_execution_id AND p.parameter_name = 'slot') AS slot
				FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
				WHERE i.job_name = ?
				ORDER BY e.job_execution_id DESC LIMIT 1
				""")
			.param(SegmentRefreshJobConfiguration.JOB_NAME)
			.query((rs, n) -> new LastRun(rs.getLong("job_execution_id"), rs.getString("slot"), rs.getString("status"),
					rs.getString("exit_code"), instant(rs.getTimestamp("start_time")),
					instant(rs.getTimestamp("end_time"))))
			.optional();
	}

	/**
	 * Read in three steps, so that a run that ends, or starts, between them is never
	 * taken for a dead one: a live run holds its lock from before its execution exists
	 * until after its end is committed. So an execution running before the lock was seen
	 * free, and still running after, has no process behind it.
	 */
	private List<StuckRun> stuckRuns(Instant now, Duration stuckAfter) {
		List<RunningExecution> running = running();
		Set<String> unlocked = RUN_LOCKS.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().isHeld(this.jdbc))
			.map(Map.Entry::getKey)
			.collect(Collectors.toSet());
		Set<Long> stillRunning = running().stream().map(RunningExecution::id).collect(Collectors.toSet());
		List<StuckRun> stuck = new ArrayList<>();
		for (RunningExecution execution : running) {
			String why = null;
			if (unlocked.contains(execution.job()) && stillRunning.contains(execution.id())) {
				why = "no process holds its lock: the process that ran it is gone";
			}
			else if (execution.started() != null && execution.started().plus(stuckAfter).isBefore(now)) {
				why = "it started " + Duration.between(execution.started(), now).toMinutes() + " minutes ago";
			}
			if (why != null) {
				stuck.add(new StuckRun(execution.id(), execution.job(), execution.status(), execution.started(),
						execution.lastUpdated(), why));
			}
		}
		return stuck;
	}

	private List<RunningExecution> running() {
		return this.jdbc.sql("""
				SELECT e.job_execution_id, i.job_name, e.status, e.start_time, e.last_updated
				FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
				WHERE e.status IN ('STARTING', 'STARTED', 'STOPPING')
				ORDER BY e.job_execution_id
				""")
			.query((rs, n) -> new RunningExecution(rs.getLong(1), rs.getString(2), rs.getString(3),
					instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))))
			.list();
	}

	/**
	 * When the segment became due, if it is: the earliest of its query's change (never
	 * evaluated since), the evaluation interval after its last evaluation when its inputs
	 * may have changed, and its next sample.
	 */
	private Optional<OverdueSegment> overdue(SegmentState segment, FieldCatalog fields, Instant now,
			RefreshPlanner.ChangeMarks marks) {
		RefreshPlanner.SegmentRow row = segment.row();
		List<OverdueSegment> dues = new ArrayList<>();
		if (row.queryChanged()) {
			dues.add(new OverdueSegment(row.id(), row.name(), segment.updatedAt(),
					(row.evaluatedRevision() == null) ? "never evaluated" : "its query changed"));
		}
		else if (row.evaluatedAt() != null && RefreshPlanner.mayHaveChanged(row, fields, marks, now)) {
			Instant due = row.evaluatedAt().toInstant().plus(this.evaluationInterval);
			String why = "its inputs changed";
			// Due by time passing alone: not before its clock's recorded crossing.
			if (row.clockStableUntil() != null && !RefreshPlanner.dataMayHaveChanged(row, fields, marks)) {
				why = "its clock passed " + row.clockStableUntil().toInstant();
				if (row.clockStableUntil().toInstant().isAfter(due)) {
					due = row.clockStableUntil().toInstant();
				}
			}
			dues.add(new OverdueSegment(row.id(), row.name(), due,
					why + " and it was last evaluated at " + row.evaluatedAt().toInstant()));
		}
		if (row.nextSampleUpdate() != null) {
			dues.add(new OverdueSegment(row.id(), row.name(), row.nextSampleUpdate().toInstant(),
					"its count and sample were due"));
		}
		return dues.stream().min(Comparator.comparing(OverdueSegment::dueSince));
	}

	private static Staleness staleness(SegmentState segment, Instant now) {
		Instant evaluated = instant(segment.row().evaluatedAt());
		Instant since = (evaluated != null) ? evaluated : segment.createdAt();
		Duration staleness = Duration.between(since, now);
		return new Staleness(segment.row().id(), segment.row().name(), evaluated,
				staleness.isNegative() ? Duration.ZERO : staleness);
	}

	private List<SegmentState> segments() {
		return this.jdbc.sql("""
				SELECT id, name, query_dsl, parent_list_id, query_validation, query_revision, evaluated_revision,
				       evaluated_seq, evaluated_at, next_sample_update, dependencies::text AS dependencies,
				       dependencies_revision, clock_stable_until, error_message, created_at, updated_at
				FROM segment ORDER BY segment_key
				""")
			.query((rs, n) -> new SegmentState(new RefreshPlanner.SegmentRow(rs.getObject("id", UUID.class),
					rs.getString("name"), rs.getString("query_dsl"), rs.getObject("parent_list_id", UUID.class),
					rs.getString("query_validation"), rs.getInt("query_revision"),
					rs.getObject("evaluated_revision", Integer.class), rs.getObject("evaluated_seq", Long.class),
					rs.getTimestamp("evaluated_at"), rs.getTimestamp("next_sample_update"),
					rs.getString("dependencies"), rs.getObject("dependencies_revision", Integer.class),
					rs.getTimestamp("clock_stable_until")), rs.getString("error_message"),
					instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at"))))
			.list();
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private record RunningExecution(long id, String job, String status, Instant started, Instant lastUpdated) {
	}

	private record SegmentState(RefreshPlanner.SegmentRow row, String errorMessage, Instant createdAt,
			Instant updatedAt) {
	}

}

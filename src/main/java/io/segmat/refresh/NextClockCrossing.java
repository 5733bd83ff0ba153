package io.segmat.refresh;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.segmat.query.ClockHorizon;
import io.segmat.query.ClockHorizon.DistanceQuery;
import io.segmat.query.CompiledQuery;
import io.segmat.query.ContactSelection;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryException;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Until when a segment that reads the clock keeps the answer it had at its evaluation if
 * no contact or event changes: the instant before its moving bounds reach the nearest
 * value ahead of them (Materialize's temporal filters retract a row exactly then). The
 * planner skips the segment until that instant, without compiling its query.
 * <p>
 * The instant is only taken once proven: the query compiled at it, compared with the
 * query compiled at the evaluation, names no contact that a bound swept past in between.
 * Bounds never decrease as time passes, so none can be swept past at any instant before
 * it either.
 */
@Component
class NextClockCrossing {

	/**
	 * Kept short of the nearest value: {@link CompiledQuery#crossedSince} widens the
	 * swept range by a second on each side.
	 */
	private static final Duration MARGIN = Duration.ofSeconds(2);

	/** However far the nearest value, the segment is looked at again within this. */
	private static final Duration LONGEST = Duration.ofDays(366);

	/**
	 * A bound that moves faster than the clock at times (a truncated date jumps) reaches
	 * the value sooner than the distance says: each failed proof halves the distance.
	 */
	private static final int ATTEMPTS = 4;

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final TransactionTemplate savepoint;

	/**
	 * The planner looks at a segment again no sooner than this after its evaluation: an
	 * instant closer than that would skip nothing, and is not worth proving.
	 */
	private final Duration shortest;

	NextClockCrossing(JdbcClient jdbc, QueryCompiler compiler, PlatformTransactionManager transactionManager,
			RefreshSettings settings) {
		this.jdbc = jdbc;
		this.compiler = compiler;
		this.shortest = settings.evaluationInterval();
		this.savepoint = new TransactionTemplate(transactionManager);
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
	}

	/**
	 * The latest instant up to which the segment's {@code query}, compiled at
	 * {@code asOf}, answers the same while nothing it reads changes; empty when unknown
	 * or when the query does not read the clock. Runs in the caller's transaction, behind
	 * a savepoint: a failure here only costs the skip.
	 */
	Optional<Instant> stableUntil(LockedSegment segment, CompiledQuery query, FieldCatalog fields, Instant asOf) {
		if (!query.dependencies().clock()) {
			return Optional.empty();
		}
		// Closer than the interval, a value ahead leaves nothing to skip
		Optional<DistanceQuery> near = ClockHorizon.nearestValueAhead(query, this.shortest.plus(MARGIN));
		if (near.isEmpty()) {
			return Optional.empty();
		}
		try {
			return Optional
				.ofNullable(this.savepoint.execute((status) -> proven(segment, query, fields, asOf, near.get())));
		}
		catch (DataAccessException | QueryException ex) {
			return Optional.empty();
		}
	}

	private Instant proven(LockedSegment segment, CompiledQuery query, FieldCatalog fields, Instant asOf,
			DistanceQuery near) {
		// Dense values (an event every few seconds in a 30-day window) end here, after
		// one probe of the interval ahead: the unbounded distance would read every value
		// ahead that its index does not return in order.
		if (seconds(near).isPresent()) {
			return null;
		}
		// Either form exists exactly when the query's bounds are all recorded
		Optional<Double> seconds = seconds(ClockHorizon.nearestValueAhead(query).orElseThrow());
		Duration ahead = seconds.map((s) -> Duration.ofMillis((long) (s * 1000)).minus(MARGIN))
			.filter((d) -> d.compareTo(LONGEST) < 0)
			.orElse(LONGEST);
		for (int attempt = 0; attempt < ATTEMPTS && ahead.compareTo(this.shortest) > 0; attempt++) {
			Instant candidate = asOf.plus(ahead).truncatedTo(ChronoUnit.MILLIS);
			CompiledQuery later = this.compiler.compile(segment.queryDsl(), fields, segment.parentListId(), candidate);
			Optional<ContactSelection> crossed = later.crossedSince(query);
			if (crossed.isEmpty()) {
				return null;
			}
			boolean any = this.jdbc.sql("SELECT EXISTS (" + crossed.get().sql() + ")")
				.params(crossed.get().parameters())
				.query(Boolean.class)
				.single();
			if (!any) {
				return candidate;
			}
			ahead = ahead.dividedBy(2);
		}
		return null;
	}

	private Optional<Double> seconds(DistanceQuery distance) {
		return this.jdbc.sql(distance.sql()).params(distance.parameters()).query((rs, n) -> {
			double value = rs.getDouble("seconds");
			return rs.wasNull() ? Optional.<Double>empty() : Optional.of(value);
		}).list().get(0);
	}

}

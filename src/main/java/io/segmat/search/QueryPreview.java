package io.segmat.search;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.segmat.InvalidInputException;
import io.segmat.NotFoundException;
import io.segmat.contacts.ContactJson;
import io.segmat.query.CompiledQuery;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.refresh.RefreshSettings;
import io.segmat.segments.Segments;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The dry run of a query: evaluated as of now, as the next refresh would evaluate it,
 * with nothing saved. For a segment's new query it answers the count it would give and
 * who would enter and leave its current membership, with a sample of each; for a query
 * alone, its count and a sample. It runs read-only under the refresh's statement timeout,
 * and takes no lock a refresh would wait for.
 */
@Service
public class QueryPreview {

	/** The most contacts shown of those who would enter, and of those who would leave. */
	public static final int CHANGE_SAMPLE = 10;

	/** The most contacts shown of a query's result, as a segment's sample. */
	public static final int SAMPLE = 50;

	// The refresh's own difference (MembershipRewrite), read instead of written. A
	// contact deleted since the last evaluation is still a member until the next one:
	// it counts as leaving, but has no contact to show.
	private static final String SEGMENT_DIFF = """
			WITH delta AS MATERIALIZED (
			    SELECT coalesce(f.contact_key, m.contact_key) AS contact_key, f.contact_key IS NULL AS gone
			    FROM (%s) f
			    FULL JOIN (SELECT contact_key FROM segment_member WHERE segment_key = ?) m ON m.contact_key = f.contact_key
			    WHERE f.contact_key IS NULL OR m.contact_key IS NULL)
			SELECT (SELECT count(*) FROM segment_member WHERE segment_key = ?) AS current_count,
			       (SELECT count(*) FROM delta WHERE NOT gone) AS entered_count,
			       (SELECT count(*) FROM delta WHERE gone) AS left_count,
			       %s AS entered_sample,
			       %s AS left_sample
			""";

	private static final String ENTERED_SAMPLE = ContactJson
		.arrayOf("SELECT contact_key FROM delta WHERE NOT gone ORDER BY contact_key LIMIT " + CHANGE_SAMPLE);

	private static final String LEFT_SAMPLE = ContactJson
		.arrayOf("SELECT contact_key FROM delta WHERE gone ORDER BY contact_key LIMIT " + CHANGE_SAMPLE);

	private static final String QUERY = """
			WITH found AS MATERIALIZED (%s)
			SELECT (SELECT count(*) FROM found) AS contacts_count, %s AS contacts_sample
			""";

	private static final String QUERY_SAMPLE = ContactJson
		.arrayOf("SELECT contact_key FROM found ORDER BY contact_key LIMIT " + SAMPLE);

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final Clock clock;

	private final ReadOnlyEvaluation evaluation;

	private final Duration timeout;

	QueryPreview(JdbcClient jdbc, QueryCompiler compiler, Clock clock, PlatformTransactionManager transactionManager,
			RefreshSettings settings) {
		this.jdbc = jdbc;
		this.compiler = compiler;
		this.clock = clock;
		this.evaluation = new ReadOnlyEvaluation(jdbc, transactionManager);
		this.timeout = settings.statementTimeout();
	}

	/**
	 * What the segment's membership would become with {@code queryDsl} (under its parent
	 * list) evaluated now.
	 * @throws NotFoundException for an unknown segment
	 * @throws io.segmat.query.QueryException when the query is refused
	 * @throws EvaluationTimeoutException past the refresh's statement timeout
	 */
	public SegmentPreview segment(UUID segmentId, String queryDsl) {
		required(queryDsl);
		Instant asOf = this.clock.instant();
		return this.evaluation.run(this.timeout, "the preview", () -> {
			Current current = this.jdbc
				.sql("SELECT segment_key, parent_list_id, evaluated_at FROM segment WHERE id = ?")
				.param(segmentId)
				.query((rs, n) -> new Current(rs.getInt("segment_key"), rs.getObject("parent_list_id", UUID.class),
						rs.getTimestamp("evaluated_at")))
				.optional()
				.orElseThrow(() -> new NotFoundException(Segments.NOT_FOUND));
			CompiledQuery query = this.compiler.compile(queryDsl, FieldCatalog.load(this.jdbc), current.parentListId(),
					asOf);
			return this.jdbc.sql(SEGMENT_DIFF.formatted(query.sql(), ENTERED_SAMPLE, LEFT_SAMPLE))
				.params(query.parameters())
				.param(current.key())
				.param(current.key())
				.query((rs, n) -> {
					long currentCount = rs.getLong("current_count");
					long entered = rs.getLong("entered_count");
					long left = rs.getLong("left_count");
					return new SegmentPreview(segmentId.toString(), timestamp(asOf), currentCount + entered - left,
							currentCount, timestamp(current.evaluatedAt()), entered, left,
							rs.getString("entered_sample"), rs.getString("left_sample"));
				})
				.single();
		});
	}

	/**
	 * What {@code queryDsl} (under {@code parentListId}, which may be null) selects now.
	 */
	public Preview query(String queryDsl, UUID parentListId) {
		required(queryDsl);
		Instant asOf = this.clock.instant();
		return this.evaluation.run(this.timeout, "the preview", () -> {
			if (parentListId != null && !this.jdbc.sql("SELECT EXISTS (SELECT 1 FROM contact_list WHERE id = ?)")
				.param(parentListId)
				.query(Boolean.class)
				.single()) {
				throw new InvalidInputException("parent_list_id", "list " + parentListId + " does not exist");
			}
			CompiledQuery query = this.compiler.compile(queryDsl, FieldCatalog.load(this.jdbc), parentListId, asOf);
			return this.jdbc.sql(QUERY.formatted(query.sql(), QUERY_SAMPLE))
				.params(query.parameters())
				.query((rs, n) -> new Preview(timestamp(asOf), rs.getLong("contacts_count"),
						rs.getString("contacts_sample")))
				.single();
		});
	}

	private static void required(String queryDsl) {
		if (queryDsl == null || queryDsl.isBlank()) {
			throw new InvalidInputException("query_dsl", "query_dsl is required");
		}
	}

	private static String timestamp(Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.SECONDS).toString() : null;
	}

	private static String timestamp(Timestamp timestamp) {
		return (timestamp != null) ? timestamp(timestamp.toInstant()) : null;
	}

	private record Current(int key, UUID parentListId, Timestamp evaluatedAt) {
	}

	/**
	 * A segment's dry run.
	 *
	 * @param contactsCount the count the new query gives
	 * @param currentCount the members now
	 * @param currentEvaluatedAt when the current membership was evaluated; null before
	 * the first evaluation, when every member of the new query enters
	 * @param enteredSample up to {@link #CHANGE_SAMPLE} of those who would enter, the
	 * first added first
	 * @param leftSample up to {@link #CHANGE_SAMPLE} of those who would leave
	 */
	public record SegmentPreview(@JsonProperty("segment_id") String segmentId, @JsonProperty("as_of") String asOf,
			@JsonProperty("contacts_count") long contactsCount, @JsonProperty("current_count") long currentCount,
			@JsonProperty("current_evaluated_at") @JsonInclude(JsonInclude.Include.ALWAYS) String currentEvaluatedAt,
			@JsonProperty("entered_count") long enteredCount, @JsonProperty("left_count") long leftCount,
			@JsonProperty("entered_sample") @JsonRawValue String enteredSample,
			@JsonProperty("left_sample") @JsonRawValue String leftSample) {
	}

	/**
	 * A query's dry run.
	 *
	 * @param contactsSample up to {@link #SAMPLE} of its contacts, the first added first
	 */
	public record Preview(@JsonProperty("as_of") String asOf, @JsonProperty("contacts_count") long contactsCount,
			@JsonProperty("contacts_sample") @JsonRawValue String contactsSample) {
	}

}

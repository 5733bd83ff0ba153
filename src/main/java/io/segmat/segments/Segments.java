package io.segmat.segments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.InvalidInputException.FieldError;
import io.segmat.Names;
import io.segmat.NotFoundException;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryDependencies;
import io.segmat.query.QueryException;
import io.segmat.query.StoredDependencies;
import io.segmat.refresh.ManualRefresh;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The segment lifecycle with SendGrid's rules (README, HTTP API). */
@Service
public class Segments {

	static final int MAX_NAME_LENGTH = 100;

	public static final String NOT_FOUND = "Segment does not exist.";

	private static final String SELECT = """
			SELECT id, name, query_dsl, contacts_count, contacts_sample::text AS contacts_sample, created_at, updated_at,
			       sample_updated_at, next_sample_update, parent_list_id, query_version, query_validation, error_message,
			       last_refreshed_at, refresh_time_zone
			FROM segment
			""";

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final Clock clock;

	private final int maxSegments;

	private final ManualRefresh manualRefresh;

	Segments(JdbcClient jdbc, QueryCompiler compiler, Clock clock, ManualRefresh manualRefresh,
			@Value("${segmat.segments.max-segments:200}") int maxSegments) {
		this.jdbc = jdbc;
		this.manualRefresh = manualRefresh;
		this.compiler = compiler;
		this.clock = clock;
		this.maxSegments = maxSegments;
	}

	@Transactional
	public Segment create(String name, String queryDsl, List<String> parentListIds) {
		// One creator at a time, so the name and count checks hold when the row lands.
		this.jdbc.sql("LOCK TABLE segment IN SHARE ROW EXCLUSIVE MODE").update();
		List<FieldError> errors = new ArrayList<>();
		checkName(name, null, errors);
		// The parent list is resolved first because it is one of the query's
		// dependencies; its errors keep their place.
		List<FieldError> parentErrors = new ArrayList<>();
		UUID parent = checkParentList(parentListIds, parentErrors);
		QueryDependencies dependencies = checkQuery(queryDsl, parent, errors);
		errors.addAll(parentErrors);
		long existing = this.jdbc.sql("SELECT count(*) FROM segment").query(Long.class).single();
		if (existing >= this.maxSegments) {
			errors.add(new FieldError(null,
					"segment limit reached: an account may have at most " + this.maxSegments + " segments"));
		}
		if (!errors.isEmpty()) {
			throw new InvalidInputException(errors);
		}
		UUID id = UUID.randomUUID();
		Timestamp now = Timestamp.from(now());
		// The dependencies belong to the first revision of the query, so a refresh need
		// not parse it to plan.
		this.jdbc.sql("""
				INSERT INTO segment (id, name, query_dsl, parent_list_id, created_at, updated_at, query_revision,
				    dependencies, dependencies_revision)
				VALUES (?, ?, ?, ?, ?, ?, 1, ?::jsonb, 1)
				""").params(id, name, queryDsl, parent, now, now, StoredDependencies.toJson(dependencies)).update();
		return get(id);
	}

	/** The whole segment, with its sample and its manual refresh quota for today. */
	public Segment get(UUID id) {
		return find(id).orElseThrow(() -> new NotFoundException(NOT_FOUND));
	}

	public Optional<Segment> find(UUID id) {
		return this.jdbc.sql(SELECT + " WHERE id = ?").param(id).query((rs, n) -> {
			Segment segment = segment(rs, n);
			int used = this.manualRefresh.refreshesUsed(id, rs.getString("refresh_time_zone"));
			return new Segment(segment.id(), segment.name(), segment.queryDsl(), segment.contactsCount(),
					segment.contactsSample(), segment.createdAt(), segment.updatedAt(), segment.sampleUpdatedAt(),
					segment.nextSampleUpdate(), segment.parentListIds(), segment.queryVersion(), segment.status(), used,
					ManualRefresh.MAX_REFRESHES, segment.lastRefreshedAt());
		}).optional();
	}

	/**
	 * Summaries, filtered as SendGrid's list: {@code ids} alone decides when given;
	 * otherwise {@code parent_list_ids} and {@code no_parent_list_id} each add the
	 * segments they match (both together: those with one of the lists as parent and those
	 * without a parent); neither: all.
	 */
	public List<Segment> list(List<UUID> ids, List<UUID> parentListIds, boolean noParentListId) {
		String[] parents = array(parentListIds);
		return this.jdbc.sql(SELECT + """
				WHERE CASE WHEN CAST(:ids AS uuid[]) IS NOT NULL THEN id = ANY(CAST(:ids AS uuid[]))
				      ELSE (CAST(:parents AS uuid[]) IS NULL AND NOT :noParent)
				           OR parent_list_id = ANY(CAST(:parents AS uuid[]))
				           OR (:noParent AND parent_list_id IS NULL) END
				ORDER BY created_at, name
				""")
			.param("ids", array(ids))
			.param("parents", parents)
			.param("noParent", noParentListId)
			.query(Segments::segment)
			.list()
			.stream()
			.map(Segment::summary)
			.toList();
	}

	/**
	 * Renames and/or changes the query. A new query makes the segment due at once and
	 * clears its sample; a rename alone leaves membership, count and sample as they are.
	 */
	@Transactional
	public Segment update(UUID id, String name, String queryDsl, List<String> parentListIds) {
		Segment current = this.jdbc.sql(SELECT + " WHERE id = ? FOR UPDATE")
			.param(id)
			.query(Segments::segment)
			.optional()
			.orElseThrow(() -> new NotFoundException(NOT_FOUND));
		List<FieldError> errors = new ArrayList<>();
		if (name != null) {
			this.jdbc.sql("LOCK TABLE segment IN SHARE ROW EXCLUSIVE MODE").update();
			checkName(name, id, errors);
		}
		UUID parent = (current.parentListIds() != null) ? UUID.fromString(current.parentListIds().get(0)) : null;
		QueryDependencies dependencies = (queryDsl != null) ? checkQuery(queryDsl, parent, errors) : null;
		if (parentListIds != null
				&& !parentListIds.equals(current.parentListIds() != null ? current.parentListIds() : List.of())) {
			errors.add(new FieldError("parent_list_ids",
					"parent_list_ids cannot be changed after the segment is created"));
		}
		if (!errors.isEmpty()) {
			throw new InvalidInputException(errors);
		}
		Timestamp now = Timestamp.from(now());
		if (name != null) {
			this.jdbc.sql("UPDATE segment SET name = ?, updated_at = ? WHERE id = ?").params(name, now, id).update();
		}
		if (queryDsl != null && !queryDsl.equals(current.queryDsl())) {
			this.jdbc.sql("""
					UPDATE segment SET query_dsl = ?, query_revision = query_revision + 1, updated_at = ?,
					    query_validation = 'VALID', error_message = NULL,
					    contacts_sample = '[]'::jsonb, next_sample_update = NULL, sample_interval_hours = NULL,
					    dependencies = ?::jsonb, dependencies_revision = query_revision + 1
					WHERE id = ?
					""").params(queryDsl, now, StoredDependencies.toJson(dependencies), id).update();
		}
		return get(id);
	}

	/**
	 * Deletes the segment; contacts are never touched. Its membership is unreachable at
	 * once (every reader finds a segment by its row) and its partition of segment_member
	 * goes with the refresh job's next cleanup (io.segmat.refresh.OrphanPartitions):
	 * dropping it here would take an ACCESS EXCLUSIVE lock on segment_member, queued
	 * behind any long reader, an export, and blocking every reader after it.
	 */
	@Transactional
	public void delete(UUID id) {
		// The row lock first: a refresh evaluating this segment finishes, or finds it
		// gone.
		Integer key = this.jdbc.sql("SELECT segment_key FROM segment WHERE id = ? FOR UPDATE")
			.param(id)
			.query(Integer.class)
			.optional()
			.orElseThrow(() -> new NotFoundException(NOT_FOUND));
		this.jdbc.sql("DELETE FROM segment WHERE segment_key = ?").param(key).update();
	}

	private void checkName(String name, UUID self, List<FieldError> errors) {
		Optional<String> problem = Names.problem("name", name, MAX_NAME_LENGTH);
		if (problem.isPresent()) {
			errors.add(new FieldError("name", problem.get()));
			return;
		}
		boolean taken = this.jdbc.sql("SELECT count(*) > 0 FROM segment WHERE name = ? AND id IS DISTINCT FROM ?")
			.params(name, self)
			.query(Boolean.class)
			.single();
		if (taken) {
			errors.add(new FieldError("name", "a segment named '" + name + "' already exists"));
		}
	}

	/**
	 * What the query depends on, parent list included as an evaluation sees it, or null
	 * (with the reasons in {@code errors}) when it is refused.
	 */
	private QueryDependencies checkQuery(String queryDsl, UUID parentListId, List<FieldError> errors) {
		if (queryDsl == null || queryDsl.isBlank()) {
			errors.add(new FieldError("query_dsl", "query_dsl is required"));
			return null;
		}
		try {
			return this.compiler.validate(queryDsl, FieldCatalog.load(this.jdbc), parentListId).dependencies();
		}
		catch (QueryException ex) {
			ex.errors().forEach((error) -> errors.add(new FieldError("query_dsl", error.message())));
			return null;
		}
	}

	private UUID checkParentList(List<String> parentListIds, List<FieldError> errors) {
		if (parentListIds == null || parentListIds.isEmpty()) {
			return null;
		}
		if (parentListIds.size() > 1) {
			errors.add(new FieldError("parent_list_ids",
					"at most one parent list id is allowed, not " + parentListIds.size()));
			return null;
		}
		UUID id;
		try {
			id = UUID.fromString(parentListIds.get(0));
		}
		catch (IllegalArgumentException ex) {
			errors.add(new FieldError("parent_list_ids", "'" + parentListIds.get(0) + "' is not a list id"));
			return null;
		}
		boolean exists = this.jdbc.sql("SELECT count(*) > 0 FROM contact_list WHERE id = ?")
			.param(id)
			.query(Boolean.class)
			.single();
		if (!exists) {
			errors.add(new FieldError("parent_list_ids", "list " + id + " does not exist"));
			return null;
		}
		return id;
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static String[] array(List<UUID> ids) {
		return (ids == null || ids.isEmpty()) ? null : ids.stream().map(UUID::toString).toArray(String[]::new);
	}

	static String timestamp(Timestamp value) {
		return (value != null) ? value.toInstant().truncatedTo(ChronoUnit.SECONDS).toString() : null;
	}

	private static Segment segment(ResultSet rs, int row) throws SQLException {
		UUID parent = rs.getObject("parent_list_id", UUID.class);
		return new Segment(rs.getString("id"), rs.getString("name"), rs.getString("query_dsl"),
				rs.getLong("contacts_count"), rs.getString("contacts_sample"), timestamp(rs.getTimestamp("created_at")),
				timestamp(rs.getTimestamp("updated_at")), timestamp(rs.getTimestamp("sample_updated_at")),
				timestamp(rs.getTimestamp("next_sample_update")), (parent != null) ? List.of(parent.toString()) : null,
				rs.getString("query_version"),
				new Segment.Status(rs.getString("query_validation"), rs.getString("error_message")), null, null,
				timestamp(rs.getTimestamp("last_refreshed_at")));
	}

}

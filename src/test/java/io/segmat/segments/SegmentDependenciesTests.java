package io.segmat.segments;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.segmat.query.QueryDependencies;
import io.segmat.query.StoredDependencies;
import io.segmat.testsupport.SpringTestSupport;
import io.segmat.testsupport.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A segment's query is stored with what it depends on, so that a refresh need not parse
 * it to plan.
 */
class SegmentDependenciesTests extends SpringTestSupport {

	@Autowired
	private Segments segments;

	@Autowired
	private JdbcClient jdbc;

	private TestData data;

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
		this.data = new TestData(this.jdbc);
	}

	@Test
	void createStoresTheDependenciesOfTheFirstRevisionParentListIncluded() {
		// given a custom field, a list named in the query and a parent list
		String plan = this.data.field("plan", "Text");
		UUID vip = this.data.list("vip");
		UUID newsletter = this.data.list("newsletter");

		// when a segment reading both, events and the clock is created
		Segment segment = this.segments.create("openers", """
				SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id
				WHERE c.plan = 'gold' AND c.country = 'UK' AND array_contains(c.list_ids, ['%s'])
				  AND e.timestamp > timestampadd(day, -7, CURRENT_TIMESTAMP)""".formatted(vip),
				List.of(newsletter.toString()));

		// then its row holds them for query revision 1
		Stored stored = stored(segment);
		assertThat(stored.revision()).isEqualTo(1).isEqualTo(stored.queryRevision());
		assertThat(stored.dependencies()).hasValueSatisfying((deps) -> {
			assertThat(deps.contactColumns()).contains("country", plan);
			assertThat(deps.listIds()).containsExactlyInAnyOrder(vip, newsletter);
			assertThat(deps.events()).isTrue();
			assertThat(deps.clock()).isTrue();
		});
	}

	@Test
	void aNewQueryStoresItsOwnDependenciesWithTheNewRevision() {
		// given a segment over contacts only
		Segment segment = this.segments.create("uk",
				"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'", null);

		// when its query changes to one reading events
		this.segments.update(UUID.fromString(segment.id()), null, """
				SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id
				WHERE e.event_type = 'open'""", null);

		// then the stored dependencies are the new query's, for the new revision
		Stored stored = stored(segment);
		assertThat(stored.queryRevision()).isEqualTo(2);
		assertThat(stored.revision()).isEqualTo(2);
		assertThat(stored.dependencies()).hasValueSatisfying((deps) -> assertThat(deps.events()).isTrue());
	}

	@Test
	void aRenameOrTheSameQueryAgainLeavesThemAsTheyWere() {
		// given a segment
		String query = "SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'";
		Segment segment = this.segments.create("uk", query, null);
		String before = this.jdbc.sql("SELECT dependencies::text FROM segment WHERE id = ?")
			.param(UUID.fromString(segment.id()))
			.query(String.class)
			.single();

		// when it is renamed and given its own query again
		this.segments.update(UUID.fromString(segment.id()), "britain", query, null);

		// then revision and dependencies are unchanged
		Stored stored = stored(segment);
		assertThat(stored.queryRevision()).isEqualTo(1);
		assertThat(stored.revision()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT dependencies::text FROM segment WHERE id = ?")
			.param(UUID.fromString(segment.id()))
			.query(String.class)
			.single()).isEqualTo(before);
	}

	private Stored stored(Segment segment) {
		Map<String, Object> row = this.jdbc.sql(
				"SELECT query_revision, dependencies_revision, dependencies::text AS dependencies FROM segment WHERE id = ?")
			.param(UUID.fromString(segment.id()))
			.query()
			.singleRow();
		return new Stored((Integer) row.get("query_revision"), (Integer) row.get("dependencies_revision"),
				StoredDependencies.fromJson((String) row.get("dependencies")));
	}

	private record Stored(int queryRevision, Integer revision, Optional<QueryDependencies> dependencies) {
	}

}

package io.segmat.refresh;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import io.segmat.segments.Segment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh job and segments that fail: a deleted field, a statement timeout or a
 * database error makes its segment invalid while the others complete.
 */
class SegmentRefreshJobFailureTests extends SegmentRefreshJobTestSupport {

	@Test
	void aSegmentWhoseFieldWasDeletedBecomesInvalidAndTheOthersContinue() {
		String plan = this.data.field("plan", "Text");
		this.data.customField("ada@example.com", plan, "\"gold\"");
		Segment gold = this.segments.create("gold",
				"SELECT contact_id, updated_at FROM contact_data WHERE plan = 'gold'", null);
		Segment uk = inCountry("uk", "UK");
		refresh(T0);
		assertThat(this.data.members(id(gold))).containsExactly("ada@example.com");

		this.jdbc.sql("DELETE FROM custom_field WHERE id = ?").param(plan).update();
		this.data.update("bob@example.com", "country", "UK");
		RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));

		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS);
		assertThat(run.failedSegments()).singleElement().asString().startsWith("gold: ").contains("plan");
		assertThat(this.jobRepository.getJobExecution(run.executionId()).getExitStatus().getExitCode())
			.isEqualTo(RefreshOutcomeListener.COMPLETED_WITH_FAILED_SEGMENTS);
		Segment invalid = this.segments.get(id(gold));
		assertThat(invalid.status().queryValidation()).isEqualTo("INVALID");
		assertThat(invalid.status().errorMessage()).contains("plan");
		assertThat(this.data.members(id(uk))).hasSize(3);
	}

	@Test
	void aStatementTimeoutIsolatesItsSegment() throws Exception {
		this.data.event("bob@example.com", "click", T0.minus(Duration.ofDays(1)));
		Segment clicked = this.segments.create("clicked", "SELECT c.contact_id, c.updated_at FROM contact_data c "
				+ "JOIN event_data e ON c.contact_id = e.contact_id WHERE e.event_type = 'click'", null);
		Segment uk = inCountry("uk", "UK");
		RefreshRun run;
		try (Connection blocker = database.dataSource().getConnection();
				Statement statement = blocker.createStatement()) {
			// given another transaction creating the very table the evaluation must load
			// the membership into, and not finishing
			blocker.setAutoCommit(false);
			int key = this.jdbc.sql("SELECT segment_key FROM segment WHERE name = 'clicked'")
				.query(Integer.class)
				.single();
			statement.execute("CREATE TABLE segment_member_" + key + " (segment_key integer, contact_key bigint)");

			run = refresh(T0);

			blocker.rollback();
		}
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS);
		assertThat(run.failedSegments()).singleElement()
			.asString()
			.startsWith("clicked: ")
			.contains("statement timeout");
		assertThat(this.segments.get(id(clicked)).status().queryValidation()).isEqualTo("INVALID");
		assertThat(this.data.members(id(clicked))).isEmpty();
		assertThat(this.segments.get(id(uk)).contactsCount()).isEqualTo(2);
		assertThat(this.data.members(id(uk))).containsExactly("ada@example.com", "cy@mail.test");
	}

	@Test
	void aDatabaseErrorMakesTheSegmentInvalidWithoutShowingPostgresWords() {
		Segment uk = inCountry("uk", "UK");
		Segment us = inCountry("us", "US");
		// given a database that refuses one segment's rows (its change feed's)
		this.jdbc
			.sql("ALTER TABLE segment_change ADD CONSTRAINT refuse_uk CHECK (segment_key <> "
					+ this.jdbc.sql("SELECT segment_key FROM segment WHERE name = 'uk'").query(Integer.class).single()
					+ ")")
			.update();
		RefreshRun run;
		try {
			run = refresh(T0);
		}
		finally {
			this.jdbc.sql("ALTER TABLE segment_change DROP CONSTRAINT refuse_uk").update();
		}

		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED_WITH_FAILED_SEGMENTS);
		Segment invalid = this.segments.get(id(uk));
		assertThat(invalid.status().queryValidation()).isEqualTo("INVALID");
		assertThat(invalid.status().errorMessage()).contains("SQLSTATE 23514").doesNotContain("refuse_uk");
		assertThat(evaluation(uk)).containsEntry("status", "FAILED");
		assertThat((String) evaluation(uk).get("error_message")).contains("refuse_uk");
		assertThat(this.data.members(id(uk))).isEmpty();
		assertThat(this.data.members(id(us))).containsExactly("bob@example.com");
	}

}

package io.segmat.refresh;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.SegmatApplication;
import io.segmat.segments.Segment;
import io.segmat.segments.Segments;
import io.segmat.testsupport.TestData;
import io.segmat.testsupport.TestDatabase;
import io.segmat.testsupport.TestScopeExecutions;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The configuration, database and data shared by the refresh job test classes, so that
 * they share one cached Spring context; the statement timeout is short enough for a
 * blocked evaluation to time out in a test. Each test starts on empty tables with three
 * contacts: ada and cy in the UK, bob in the US.
 */
@SpringBootTest(classes = SegmatApplication.class, properties = "segmat.refresh.statement-timeout=1500ms")
@SpringBatchTest
abstract class SegmentRefreshJobTestSupport implements TestScopeExecutions {

	static final TestDatabase database = TestDatabase.create();

	static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		database.register(registry);
	}

	@Autowired
	RefreshLauncher launcher;

	@Autowired
	Segments segments;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JobRepository jobRepository;

	TestData data;

	@BeforeEach
	void emptyDatabase() {
		database.truncateAll();
		this.data = new TestData(this.jdbc);
		this.data.contact("ada@example.com", "Ada", "UK");
		this.data.contact("bob@example.com", "Bob", "US");
		this.data.contact("cy@mail.test", "Cy", "UK");
	}

	/** A segment of the contacts in one country, as most of these tests use. */
	Segment inCountry(String name, String country) {
		return this.segments.create(name,
				"SELECT contact_id, updated_at FROM contact_data WHERE country = '" + country + "'", null);
	}

	RefreshRun refresh(Instant asOf) {
		return this.launcher.launch(asOf.toString(), asOf.toString(), 2);
	}

	static UUID id(Segment segment) {
		return UUID.fromString(segment.id());
	}

	Map<String, Object> evaluation(Segment segment) {
		return this.jdbc.sql("SELECT * FROM segment_evaluation WHERE segment_id = ? ORDER BY id DESC LIMIT 1")
			.param(id(segment))
			.query()
			.singleRow();
	}

	long evaluationCount(Segment segment) {
		return this.jdbc.sql("SELECT count(*) FROM segment_evaluation WHERE segment_id = ?")
			.param(id(segment))
			.query(Long.class)
			.single();
	}

	long readCount(long executionId, String stepName) {
		return this.jdbc.sql("SELECT read_count FROM batch_step_execution WHERE job_execution_id = ? AND step_name = ?")
			.params(executionId, stepName)
			.query(Long.class)
			.single();
	}

	List<String> stepNames(long executionId) {
		return this.jdbc.sql("SELECT step_name FROM batch_step_execution WHERE job_execution_id = ?")
			.param(executionId)
			.query(String.class)
			.list();
	}

}

package io.segmat.refresh;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.segmat.segments.Segment;
import io.segmat.testsupport.Await;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * segment_member's partitions (V9): a first materialization loads and attaches a
 * partition of its own without holding up readers, a deleted segment's membership is
 * unreachable at once and its partition goes with the next refresh, never blocking a
 * reader.
 */
class MemberPartitionTests extends SegmentRefreshJobTestSupport {

	@Test
	void aFirstMaterializationAttachesAPartitionOfItsOwn() {
		Segment uk = inCountry("uk", "UK");
		Segment nobody = inCountry("nobody", "NZ");

		RefreshRun run = refresh(T0);

		// then each segment, the empty one too, has its partition, checked so that the
		// attach needed no scan, and its primary key
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.data.members(id(uk))).containsExactly("ada@example.com", "cy@mail.test");
		assertThat(partitions()).containsExactlyInAnyOrder(partition(uk), partition(nobody));
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM pg_constraint WHERE conrelid = CAST(? AS regclass) AND contype IN ('c', 'p')
				""").param(partition(uk)).query(Long.class).single()).isEqualTo(2);
		assertThat(evaluation(uk)).containsEntry("entered", 2L).containsEntry("status", "COMPLETED");

		// and a later change lands in the partitions as a difference
		this.data.contact("dee@example.com", "Dee", "UK");
		assertThat(refresh(T0.plus(Duration.ofHours(1))).outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.data.members(id(uk))).containsExactly("ada@example.com", "cy@mail.test", "dee@example.com");
		assertThat(evaluation(uk)).containsEntry("entered", 1L);
	}

	@Test
	void aReaderInAnOpenTransactionNeitherWaitsForALoadNorHoldsItUp() throws Exception {
		Segment uk = inCountry("uk", "UK");
		refresh(T0);
		Segment us = inCountry("us", "US");
		try (Connection reader = database.dataSource().getConnection()) {
			// given a reader of the memberships, its transaction open and its locks held
			reader.setAutoCommit(false);
			assertThat(count(reader, uk)).isEqualTo(2);
			assertThat(count(reader, us)).isZero();

			// when another segment is loaded and attached meanwhile
			RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));

			// then the load completed beside the open reader (the statement timeout would
			// have failed it had it waited), and the reader sees the new membership whole
			assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
			assertThat(evaluation(us)).containsEntry("status", "COMPLETED").containsEntry("entered", 1L);
			assertThat(count(reader, us)).isEqualTo(1);
			assertThat(count(reader, uk)).isEqualTo(2);
			reader.commit();
		}
	}

	@Test
	void readersGoOnWhileALoadWaitsToAttach() throws Exception {
		Segment uk = inCountry("uk", "UK");
		refresh(T0);
		Segment us = inCountry("us", "US");
		CompletableFuture<RefreshRun> loading;
		try (Connection holder = database.dataSource().getConnection();
				Connection reader = database.dataSource().getConnection()) {
			// given a load stopped at its attach, its table loaded and indexed (another
			// session holds the one lock the attach needs)
			holder.setAutoCommit(false);
			execute(holder, "LOCK TABLE segment_member IN SHARE UPDATE EXCLUSIVE MODE");
			loading = CompletableFuture.supplyAsync(
					() -> this.launcher.launch(T0.plusSeconds(3600).toString(), T0.plusSeconds(3600).toString(), 1));
			awaitWaitingOnSegmentMember();

			// when a reader reads both memberships meanwhile
			reader.setAutoCommit(false);
			long ukMembers = count(reader, uk);
			long usMembers = count(reader, us);

			// then it was answered, with the memberships as they were, and is waiting on
			// nothing
			assertThat(ukMembers).isEqualTo(2);
			assertThat(usMembers).isZero();
			assertThat(waitEventType(reader)).isNotEqualTo("Lock");
			holder.rollback();
			RefreshRun run = loading.get(60, TimeUnit.SECONDS);
			assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
			assertThat(count(reader, us)).isEqualTo(1);
			reader.commit();
		}
		assertThat(this.data.members(id(us))).containsExactly("bob@example.com");
	}

	@Test
	void aDeletedSegmentIsUnreachableAtOnceAndItsPartitionGoesWithTheNextRefresh() {
		Segment uk = inCountry("uk", "UK");
		Segment us = inCountry("us", "US");
		refresh(T0);
		String ukPartition = partition(uk);

		this.segments.delete(id(uk));

		// then the segment and its membership are gone for every reader, contacts stay
		assertThat(this.segments.find(id(uk))).isEmpty();
		assertThat(this.data.members(id(uk))).isEmpty();
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(3);
		// and the partition is left for the refresh job, which removes it
		assertThat(partitions()).contains(ukPartition);
		RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));
		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(this.jobRepository.getJobExecution(run.executionId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(partitions()).containsExactly(partition(us));
		assertThat(table(ukPartition)).isFalse();
		assertThat(this.data.members(id(us))).containsExactly("bob@example.com");
	}

	@Test
	void removingADeletedSegmentsPartitionWaitsForAnOpenReaderWithoutBlockingIt() throws Exception {
		Segment uk = inCountry("uk", "UK");
		Segment us = inCountry("us", "US");
		refresh(T0);
		String ukPartition = partition(uk);
		try (Connection reader = database.dataSource().getConnection()) {
			// given a reader (an export, say) in an open transaction over the memberships
			reader.setAutoCommit(false);
			assertThat(count(reader, us)).isEqualTo(1);

			// when a segment is deleted and the refresh's cleanup begins
			this.segments.delete(id(uk));
			CompletableFuture<RefreshRun> cleaning = CompletableFuture.supplyAsync(
					() -> this.launcher.launch(T0.plusSeconds(3600).toString(), T0.plusSeconds(3600).toString(), 1));
			awaitDetachWaitingForReaders();

			// then the reader goes on, waiting for nothing, and the cleanup finishes once
			// it is done
			assertThat(count(reader, us)).isEqualTo(1);
			assertThat(waitEventType(reader)).isNotEqualTo("Lock");
			reader.commit();
			RefreshRun run = cleaning.get(60, TimeUnit.SECONDS);
			assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		}
		assertThat(table(ukPartition)).isFalse();
		assertThat(partitions()).containsExactly(partition(us));
	}

	@Test
	void aDetachLeftPendingIsFinishedByTheNextRefresh() throws Exception {
		Segment uk = inCountry("uk", "UK");
		refresh(T0);
		String ukPartition = partition(uk);
		this.segments.delete(id(uk));
		// given a detach interrupted while it waited for a reader: the state a kill or
		// a timeout leaves, "detach pending"
		try (Connection reader = database.dataSource().getConnection();
				Connection detacher = database.dataSource().getConnection()) {
			reader.setAutoCommit(false);
			assertThat(count(reader, uk)).isZero();
			execute(detacher, "SET statement_timeout = '300ms'");
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> execute(detacher,
					"ALTER TABLE segment_member DETACH PARTITION " + ukPartition + " CONCURRENTLY"));
			execute(detacher, "RESET statement_timeout");
			reader.commit();
		}
		assertThat(this.jdbc.sql("SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = CAST(? AS regclass)")
			.param(ukPartition)
			.query(Boolean.class)
			.single()).isTrue();

		RefreshRun run = refresh(T0.plus(Duration.ofHours(1)));

		assertThat(run.outcome()).isEqualTo(RefreshRun.Outcome.COMPLETED);
		assertThat(table(ukPartition)).isFalse();
		assertThat(partitions()).isEmpty();
	}

	private List<String> partitions() {
		return this.jdbc.sql("""
				SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'segment_member'::regclass
				""").query(String.class).list();
	}

	private String partition(Segment segment) {
		return "segment_member_" + this.jdbc.sql("SELECT segment_key FROM segment WHERE id = ?")
			.param(id(segment))
			.query(Integer.class)
			.single();
	}

	private boolean table(String name) {
		return this.jdbc.sql("SELECT to_regclass(?) IS NOT NULL").param(name).query(Boolean.class).single();
	}

	/** The segment's members as a reader of segment_member counts them, by its id. */
	private static long count(Connection reader, Segment segment) throws SQLException {
		try (var statement = reader.prepareStatement("""
				SELECT count(*) FROM segment s JOIN segment_member m ON m.segment_key = s.segment_key WHERE s.id = ?
				""")) {
			statement.setObject(1, id(segment));
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	private String waitEventType(Connection connection) throws SQLException {
		int pid;
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
			rs.next();
			pid = rs.getInt(1);
		}
		// the connection is idle in its transaction now (waiting on its Client); a
		// blocked statement would show Lock here
		return this.jdbc.sql("SELECT coalesce(wait_event_type, '') FROM pg_stat_activity WHERE pid = ?")
			.param(pid)
			.query(String.class)
			.single();
	}

	private void awaitWaitingOnSegmentMember() throws Exception {
		await("""
				SELECT count(*) > 0 FROM pg_locks WHERE NOT granted AND relation = 'segment_member'::regclass
				""", "the load to wait on segment_member");
	}

	private void awaitDetachWaitingForReaders() throws Exception {
		await("""
				SELECT count(*) > 0 FROM pg_stat_activity
				WHERE query LIKE 'ALTER TABLE segment_member DETACH PARTITION%' AND wait_event_type = 'Lock'
				""", "the detach to wait for the reader");
	}

	private void await(String condition, String what) throws Exception {
		Await.until(what, Duration.ofSeconds(60), () -> this.jdbc.sql(condition).query(Boolean.class).single());
	}

	private static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}

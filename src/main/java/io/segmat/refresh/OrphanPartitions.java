package io.segmat.refresh;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Removes the partitions of segment_member whose segment was deleted, at the start of the
 * refresh job's last step (pruneChangesStep). A deleted segment's membership is
 * unreachable from the moment its row is gone; its partition goes here, without ever
 * blocking a reader: DETACH PARTITION CONCURRENTLY takes only a SHARE UPDATE EXCLUSIVE
 * lock on segment_member and waits for the readers that started before it (an export,
 * say) to finish, then the detached table is dropped alone. A plain DROP would take
 * ACCESS EXCLUSIVE on segment_member and stop every reader queued behind it.
 * <p>
 * DETACH ... CONCURRENTLY runs outside any transaction, so the work is done over a
 * connection of its own in autocommit, not in the step's transaction; the step's
 * execution context records that it was done, so the step's repeated calls (a batch of
 * changes pruned each) do it once. A detach interrupted by a kill or by its lock timeout
 * leaves the partition "detach pending", which the next run finishes with DETACH ...
 * FINALIZE; a kill between detach and drop leaves a plain table, which the next run
 * drops.
 */
@Component
class OrphanPartitions {

	private static final String DONE = "orphanPartitions.done";

	private static final Logger logger = LoggerFactory.getLogger(OrphanPartitions.class);

	// By name, the convention of MemberPartition: segment_member_<segment_key>. A
	// table not yet committed by a first load is invisible here.
	private static final String ORPHANS = """
			SELECT c.relname AS name, coalesce(i.inhdetachpending, false) AS pending, i.inhrelid IS NOT NULL AS attached
			FROM pg_class c
			LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = 'segment_member'::regclass
			WHERE c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'segment_member'::regclass)
			  AND c.relkind = 'r' AND c.relname ~ '%s'
			  AND (i.inhrelid IS NOT NULL OR NOT c.relispartition)
			  AND NOT EXISTS (SELECT 1 FROM segment s WHERE %s = c.relname)
			ORDER BY pending DESC, c.relname
			""".formatted(MemberPartition.namePattern(), MemberPartition.nameSql("s.segment_key"));

	private static final String LOCK_TIMEOUT = "10s";

	private final DataSource dataSource;

	OrphanPartitions(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Removes the orphans once per step execution, then hands over to {@code next}, the
	 * step's own work.
	 */
	Tasklet before(Tasklet next) {
		return (contribution, chunkContext) -> {
			ExecutionContext context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
			if (!context.containsKey(DONE)) {
				removeAll();
				context.putString(DONE, "yes");
			}
			return next.execute(contribution, chunkContext);
		};
	}

	/** Removes every partition whose segment is gone, as far as it can this time. */
	void removeAll() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(true);
			JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			List<Orphan> orphans = jdbc.sql(ORPHANS)
				.query((rs, n) -> new Orphan(rs.getString("name"), rs.getBoolean("attached"), rs.getBoolean("pending")))
				.list();
			for (Orphan orphan : orphans) {
				if (remove(connection, orphan)) {
					logger.info("Deleted segment's partition {} removed", orphan.name());
				}
			}
		}
	}

	/** Whether the orphan is gone; when not, the next run tries again. */
	private boolean remove(Connection connection, Orphan orphan) {
		String table = MemberPartition.quote(orphan.name());
		try (Statement statement = connection.createStatement()) {
			// Bounded (the detach's wait for older readers is a lock wait too), so that a
			// long reader costs this run the one partition, not its time; reset before
			// the connection goes back to the pool.
			statement.execute("SET lock_timeout = '" + LOCK_TIMEOUT + "'");
			if (orphan.attached()) {
				statement.execute("ALTER TABLE segment_member DETACH PARTITION " + table
						+ (orphan.pending() ? " FINALIZE" : " CONCURRENTLY"));
			}
			statement.execute("DROP TABLE " + table);
			statement.execute("RESET lock_timeout");
			return true;
		}
		catch (SQLException ex) {
			resetLockTimeout(connection);
			logger.warn("Deleted segment's partition {} not removed yet ({}); the next refresh tries again",
					orphan.name(), ex.getSQLState());
			return false;
		}
	}

	private static void resetLockTimeout(Connection connection) {
		try (Statement statement = connection.createStatement()) {
			statement.execute("RESET lock_timeout");
		}
		catch (SQLException ex) {
			// the pool validates the connection before its next use
		}
	}

	private record Orphan(String name, boolean attached, boolean pending) {
	}

}

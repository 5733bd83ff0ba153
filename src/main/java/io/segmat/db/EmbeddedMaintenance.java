package io.segmat.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What autovacuum would have done, done by the command that stops the embedded server.
 * <p>
 * That server lives only as long as a command, and a refresh that cron starts lasts
 * seconds. Autovacuum first visits a database a naptime (a minute) after the server
 * starts, so a home's tables were never analyzed nor vacuumed: the planner guessed
 * without statistics (a refresh scanned every contact for the few changed since its last
 * run), and dead rows piled up. So before the server stops, the server's own activity
 * counters (kept across a clean shutdown) say which tables autovacuum would vacuum or
 * analyze now, by its own thresholds, and they are vacuumed or analyzed. Most commands
 * find none; a command that changed many rows pays what autovacuum would have paid after
 * it. A server that lives longer ({@code segmat serve}) has autovacuum too, which then
 * finds less to do.
 */
final class EmbeddedMaintenance {

	// autovacuum's tests (PostgreSQL's manual, "The Autovacuum Daemon") with the server's
	// settings; per-table storage parameters are not read: segmat sets none. Partitioned
	// parents have no rows of their own and autovacuum skips them too; a TOAST table is
	// vacuumed with its table. The server itself names the table, quoted, and returns
	// only the tables due, in the order of their names, the same from one command to the
	// next.
	private static final String DUE = """
			SELECT name, to_vacuum, to_analyze FROM (
			SELECT format('%I.%I', n.nspname, c.relname) AS name,
			       s.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
			           + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0)
			       OR s.n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float8
			           + current_setting('autovacuum_vacuum_insert_scale_factor')::float8 * greatest(c.reltuples, 0)
			       OR age(c.relfrozenxid) > current_setting('autovacuum_freeze_max_age')::float8 AS to_vacuum,
			       s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
			           + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0) AS to_analyze
			FROM pg_stat_all_tables s
			JOIN pg_class c ON c.oid = s.relid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p' AND n.nspname <> 'pg_toast'
			) t WHERE to_vacuum OR to_analyze
			ORDER BY name
			""";

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedMaintenance.class);

	private static final String OTHER_SESSIONS = """
			SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
			""";

	private EmbeddedMaintenance() {
	}

	/**
	 * Vacuums and analyzes the tables that autovacuum would, in every schema of the
	 * database at {@code url}. Never throws: a table it cannot lock at once is skipped,
	 * and a server it cannot reach is left to stop.
	 */
	static void run(String url, String user, String password) {
		Properties properties = new Properties();
		if (user != null) {
			properties.setProperty("user", user);
		}
		if (password != null) {
			properties.setProperty("password", password);
		}
		// a server that stopped answering must not hold the command's exit for long
		properties.setProperty("connectTimeout", "5");
		properties.setProperty("ApplicationName", "segmat maintenance");
		long start = System.nanoTime();
		int vacuumed = 0;
		int analyzed = 0;
		Connection connection;
		try {
			connection = DriverManager.getConnection(url, properties);
		}
		catch (SQLException ex) {
			// Unreachable (a test stopped it, or it died): nothing to maintain.
			return;
		}
		try (connection; Statement statement = connection.createStatement()) {
			awaitOtherSessionsEnded(statement);
			for (Due table : due(statement)) {
				try {
					statement.execute(table.sql());
					vacuumed += table.vacuum() ? 1 : 0;
					analyzed += table.analyze() ? 1 : 0;
				}
				catch (SQLException ex) {
					// Dropped meanwhile, or the server is stopping: the counters still
					// say so to the next command.
					logger.warn("Not done before stopping the embedded server: {}; the next command tries again",
							table.sql());
				}
			}
		}
		catch (SQLException ex) {
			// Said, not thrown: the command's own work is done, but a query the server
			// refuses must not go unseen.
			logger.warn("Could not find the tables due for maintenance before stopping the embedded server; "
					+ "the next command tries again");
		}
		if (vacuumed + analyzed > 0) {
			// A command that changed many rows ends a while after its report: say why.
			logger.info("Before stopping the embedded server, as autovacuum would have: vacuumed {} tables and "
					+ "analyzed {}, in {} ms", vacuumed, analyzed, (System.nanoTime() - start) / 1_000_000);
		}
	}

	/**
	 * A session adds its counts to the server's as it exits, after its client has closed
	 * the connection: the command's pool has just closed, and its last writes would
	 * otherwise be counted only by the next command's maintenance.
	 */
	private static void awaitOtherSessionsEnded(Statement statement) throws SQLException {
		for (int attempt = 0; attempt < 100; attempt++) {
			try (ResultSet rows = statement.executeQuery(OTHER_SESSIONS)) {
				rows.next();
				if (rows.getLong(1) == 0) {
					return;
				}
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static List<Due> due(Statement statement) throws SQLException {
		List<Due> due = new ArrayList<>();
		try (ResultSet rows = statement.executeQuery(DUE)) {
			while (rows.next()) {
				due.add(new Due(rows.getString("name"), rows.getBoolean("to_vacuum"), rows.getBoolean("to_analyze")));
			}
		}
		return due;
	}

	/**
	 * A table autovacuum would visit now.
	 *
	 * @param name its name, schema-qualified and quoted by the server
	 * @param vacuum whether to vacuum it
	 * @param analyze whether to analyze it
	 */
	private record Due(String name, boolean vacuum, boolean analyze) {

		String sql() {
			return this.vacuum ? "VACUUM (SKIP_LOCKED, ANALYZE " + this.analyze + ") " + this.name
					: "ANALYZE (SKIP_LOCKED) " + this.name;
		}

	}

}

package io.segmat.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.segmat.db.Database;
import io.segmat.db.DatabaseSettings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Reads an embedded home between commands, as the next command would find it: its server
 * started for one query and stopped.
 */
public final class EmbeddedHomes {

	private EmbeddedHomes() {
	}

	/** The rows of {@code sql} over the home's database. */
	public static List<Map<String, Object>> rows(Path home, String sql) {
		try (Database database = Database.open(new DatabaseSettings(null, null, null, home), Duration.ofMinutes(1),
				(notice) -> {
				})) {
			SingleConnectionDataSource dataSource = new SingleConnectionDataSource(database.url(), database.user(),
					database.password(), true);
			try {
				return JdbcClient.create(dataSource).sql(sql).query().listOfRows();
			}
			finally {
				dataSource.destroy();
			}
		}
	}

}

package io.segmat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.segmat.db.Database;
import io.segmat.db.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command over the embedded home, as cron starts it: its server stops with the command,
 * long before autovacuum would visit, so the command analyzes what it changed.
 */
class EmbeddedHomeMaintenanceTests {

	@TempDir
	Path home;

	@TempDir
	Path dir;

	@Test
	void anImportOverTheEmbeddedHomeLeavesTheNextCommandStatisticsOfItsContacts() throws Exception {
		// given a file of 300 contacts
		Path file = Files.writeString(this.dir.resolve("contacts.csv"), "email\n"
				+ IntStream.rangeClosed(1, 300).mapToObj((i) -> "c" + i + "@x.io").collect(Collectors.joining("\n")));

		// when it is imported into the embedded home, whose server stops with the command
		StringWriter err = new StringWriter();
		int exit = SegmatCommand.execute(new String[] { "contacts", "import", file.toString() },
				Map.of(DatabaseSettings.HOME_VARIABLE, this.home.toString()), new PrintWriter(new StringWriter(), true),
				new PrintWriter(err, true));

		// then the next start of the server finds contact analyzed, with its row count
		assertThat(exit).as(err.toString()).isZero();
		try (Database database = Database.open(new DatabaseSettings(null, null, null, this.home), Duration.ZERO,
				(notice) -> {
				})) {
			SingleConnectionDataSource dataSource = new SingleConnectionDataSource(database.url(), database.user(),
					null, true);
			try {
				JdbcClient jdbc = JdbcClient.create(dataSource);
				assertThat(jdbc.sql("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'contact'")
					.query(Long.class)
					.single()).isOne();
				assertThat(jdbc.sql("SELECT reltuples::bigint FROM pg_class WHERE relname = 'contact'")
					.query(Long.class)
					.single()).isEqualTo(300);
			}
			finally {
				dataSource.destroy();
			}
		}
	}

}

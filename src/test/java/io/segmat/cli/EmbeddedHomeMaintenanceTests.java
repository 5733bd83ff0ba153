package io.segmat.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.segmat.db.DatabaseSettings;
import io.segmat.testsupport.EmbeddedHomes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
		Map<String, Object> contact = EmbeddedHomes.rows(this.home, """
				SELECT s.analyze_count, c.reltuples::bigint AS reltuples
				FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'contact'
				""").get(0);
		assertThat(contact.get("analyze_count")).isEqualTo(1L);
		assertThat(contact.get("reltuples")).isEqualTo(300L);
	}

}

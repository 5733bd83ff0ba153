package io.segmat.db;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import io.segmat.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-query check that lets a command over an up-to-date schema skip Flyway: it turns
 * Flyway off only when the history holds exactly the jar's migrations, and leaves every
 * other state to Flyway's migrate and validation.
 */
class SchemaCheckTests {

	static final List<String> LOCATIONS = List.of("classpath:db/migration");

	@Test
	void anUpToDateSchemaTurnsFlywayOff() {
		// given a database every migration in the jar was applied to, by Flyway itself
		TestDatabase database = TestDatabase.create();

		// when a command's context checks it
		StandardEnvironment environment = check(database);

		// then Flyway does not start: the checksums agree with Flyway's own
		assertThat(environment.getProperty("spring.flyway.enabled", Boolean.class)).isFalse();
	}

	@Test
	void aSchemaMissingTheNewestMigrationLeavesFlywayOn() {
		// given a database migrated up to the migration before the newest
		TestDatabase database = emptied(TestDatabase.create());
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations(LOCATIONS.get(0))
			.target(versions().get(versions().size() - 2))
			.load()
			.migrate();

		// when
		StandardEnvironment environment = check(database);

		// then
		assertThat(environment.getProperty("spring.flyway.enabled")).isNull();
	}

	@Test
	void anEmptyDatabaseLeavesFlywayOn() {
		// given a database Flyway never saw: no history table
		TestDatabase database = emptied(TestDatabase.create());

		// when
		StandardEnvironment environment = check(database);

		// then
		assertThat(environment.getProperty("spring.flyway.enabled")).isNull();
	}

	@Test
	void aNewerMigrationInTheHistoryLeavesFlywayOn() {
		// given a database a newer segmat migrated further than this jar knows
		TestDatabase database = TestDatabase.create();
		recordMigration(database, "9999", true);

		// when
		StandardEnvironment environment = check(database);

		// then Flyway runs, and its validation says what is wrong
		assertThat(environment.getProperty("spring.flyway.enabled")).isNull();
	}

	@Test
	void aFailedMigrationLeavesFlywayOn() {
		// given a database where the newest migration is recorded as failed
		TestDatabase database = TestDatabase.create();
		JdbcClient.create(database.dataSource())
			.sql("UPDATE flyway_schema_history SET success = false WHERE version = :version")
			.param("version", versions().get(versions().size() - 1))
			.update();

		// when
		StandardEnvironment environment = check(database);

		// then
		assertThat(environment.getProperty("spring.flyway.enabled")).isNull();
	}

	@Test
	void aChangedMigrationLeavesFlywayOn() {
		// given a database where a migration was applied from another text than the jar's
		TestDatabase database = TestDatabase.create();
		JdbcClient.create(database.dataSource())
			.sql("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'")
			.update();

		// when
		StandardEnvironment environment = check(database);

		// then Flyway runs, and its validation reports the checksum mismatch
		assertThat(environment.getProperty("spring.flyway.enabled")).isNull();
	}

	/** The versions of the jar's migrations, oldest first. */
	static List<String> versions() {
		return SchemaCheck.migrations(LOCATIONS).keySet().stream().sorted(SchemaCheckTests::compareVersions).toList();
	}

	private static int compareVersions(String a, String b) {
		String[] left = a.split("\\.", -1);
		String[] right = b.split("\\.", -1);
		for (int i = 0; i < Math.max(left.length, right.length); i++) {
			BigInteger l = (i < left.length) ? new BigInteger(left[i]) : BigInteger.ZERO;
			BigInteger r = (i < right.length) ? new BigInteger(right[i]) : BigInteger.ZERO;
			if (l.compareTo(r) != 0) {
				return l.compareTo(r);
			}
		}
		return 0;
	}

	static TestDatabase emptied(TestDatabase database) {
		JdbcClient.create(database.dataSource()).sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public").update();
		return database;
	}

	static void recordMigration(TestDatabase database, String version, boolean success) {
		JdbcClient.create(database.dataSource())
			.sql("""
					INSERT INTO flyway_schema_history
					    (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
					SELECT max(installed_rank) + 1, :version, 'from a newer segmat', 'SQL', 'V' || :version || '__x.sql',
					    42, current_user, 1, :success
					FROM flyway_schema_history
					""")
			.param("version", version)
			.param("success", success)
			.update();
	}

	private static StandardEnvironment check(TestDatabase database) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("command", Map.of("spring.datasource.url", database.jdbcUrl(),
					"spring.datasource.username", TestDatabase.user(), "spring.flyway.locations", LOCATIONS.get(0))));
		new SchemaCheck().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
				new SpringApplication(), new String[0], environment));
		return environment;
	}

}

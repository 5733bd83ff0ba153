package io.segmat.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * Whether the schema is already what the migrations in the jar make it, found with one
 * query of Flyway's history, so that a command over an up-to-date database does not start
 * Flyway at all: building Flyway, scanning and validating the migrations cost a small
 * command most of its start-up. When the history holds exactly the versioned migrations
 * the jar carries, each applied successfully with the same checksum, Flyway is switched
 * off for this context ({@code spring.flyway.enabled=false}); anything else (a missing or
 * newer migration, a failed one, a changed file, a repeatable or baseline row, settings
 * this check does not read) leaves Flyway's full migrate and validation to run, with its
 * own messages, as before.
 * <p>
 * It reads the same {@code spring.flyway.*} and {@code spring.datasource.*} properties
 * Flyway's auto-configuration reads, so the history it looks at is Flyway's.
 */
public final class SchemaCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	/**
	 * Flyway's default versioned migration file name: V1__x.sql, V1.2__x.sql,
	 * V1_2__x.sql.
	 */
	private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.*\\.sql");

	/** Settings under which the file names or the history mean something else. */
	private static final List<String> UNREAD_SETTINGS = List.of("spring.flyway.url", "spring.flyway.user",
			"spring.flyway.target", "spring.flyway.baseline-version", "spring.flyway.sql-migration-prefix",
			"spring.flyway.sql-migration-separator", "spring.flyway.sql-migration-suffixes", "spring.flyway.encoding",
			"spring.flyway.out-of-order", "spring.flyway.ignore-migration-patterns", "spring.flyway.cherry-pick");

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if (!environment.getProperty("spring.flyway.enabled", Boolean.class, true)
				|| UNREAD_SETTINGS.stream().anyMatch(environment::containsProperty)) {
			return;
		}
		String url = environment.getProperty("spring.datasource.url");
		List<String> locations = Binder.get(environment)
			.bind("spring.flyway.locations", String[].class)
			.map(Arrays::asList)
			.orElse(List.of("classpath:db/migration"));
		if (url == null || !locations.stream().allMatch((location) -> location.startsWith("classpath:"))) {
			return;
		}
		Map<String, Integer> migrations = migrations(locations);
		if (migrations == null) {
			return;
		}
		String table = quoted(environment.getProperty("spring.flyway.table", "flyway_schema_history"));
		String schema = schema(environment);
		if (schema != null) {
			table = quoted(schema) + "." + table;
		}
		Properties connection = new Properties();
		Binder.get(environment)
			.bind("spring.datasource.hikari.data-source-properties", Properties.class)
			.ifBound(connection::putAll);
		putIfSet(connection, "user", environment.getProperty("spring.datasource.username"));
		putIfSet(connection, "password", environment.getProperty("spring.datasource.password"));
		if (isCurrent(url, connection, table, migrations)) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("segmatSchemaCurrent", Map.of("spring.flyway.enabled", false)));
		}
	}

	/**
	 * Whether the history table holds exactly {@code migrations} (version to checksum),
	 * all successful.
	 * @throws CannotGetJdbcConnectionException when the database cannot be reached, as
	 * Flyway would have failed
	 */
	static boolean isCurrent(String url, Properties connection, String table, Map<String, Integer> migrations) {
		Map<String, Integer> applied = new HashMap<>();
		try (Connection c = DriverManager.getConnection(url, connection)) {
			try (Statement statement = c.createStatement();
					ResultSet rows = statement.executeQuery(
							"SELECT version, checksum, type, success FROM " + table + " ORDER BY installed_rank")) {
				while (rows.next()) {
					String version = rows.getString(1);
					String type = rows.getString(3);
					if ("SCHEMA".equals(type)) {
						// Flyway's record that it created the schema: no migration
						continue;
					}
					int checksum = rows.getInt(2);
					if (!rows.getBoolean(4) || !"SQL".equals(type) || version == null || rows.wasNull()) {
						return false;
					}
					applied.put(canonical(version), checksum);
				}
			}
			catch (SQLException ex) {
				// no history yet, or not readable as this check expects it: Flyway
				// decides
				return false;
			}
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("cannot connect to the database", ex);
		}
		return applied.equals(migrations);
	}

	/**
	 * The versioned migrations under {@code locations}, version to Flyway's checksum;
	 * null when a file there is not one (a repeatable migration, a callback), which this
	 * check leaves to Flyway.
	 */
	static Map<String, Integer> migrations(List<String> locations) {
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(
				SchemaCheck.class.getClassLoader());
		Map<String, Integer> migrations = new HashMap<>();
		try {
			for (String location : locations) {
				String path = location.substring("classpath:".length());
				for (Resource resource : resolver.getResources("classpath*:" + path + "/**/*")) {
					String name = resource.getFilename();
					if (name == null || !resource.isReadable()) {
						continue;
					}
					Matcher versioned = VERSIONED.matcher(name);
					if (!versioned.matches()
							|| migrations.put(canonical(versioned.group(1)), checksum(resource)) != null) {
						return null;
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the migrations in the jar", ex);
		}
		return migrations;
	}

	/**
	 * Flyway's checksum of a migration: CRC-32 over its lines in UTF-8, line ends left
	 * out, a byte-order mark dropped (Flyway's ChecksumCalculator).
	 */
	static int checksum(Resource resource) throws IOException {
		CRC32 crc = new CRC32();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("\uFEFF")) {
					line = line.substring(1);
				}
				crc.update(line.getBytes(StandardCharsets.UTF_8));
			}
		}
		return (int) crc.getValue();
	}

	/** 1.02_3 and 1.2.3 are one version to Flyway. */
	private static String canonical(String version) {
		List<String> parts = new ArrayList<>();
		for (String part : version.split("[._]", -1)) {
			parts.add(new BigInteger(part).toString());
		}
		while (parts.size() > 1 && "0".equals(parts.get(parts.size() - 1))) {
			parts.remove(parts.size() - 1);
		}
		return String.join(".", parts);
	}

	/**
	 * The schema Flyway keeps its history in: its default schema, else the first it
	 * manages.
	 */
	private static String schema(ConfigurableEnvironment environment) {
		String defaultSchema = environment.getProperty("spring.flyway.default-schema");
		if (defaultSchema != null && !defaultSchema.isBlank()) {
			return defaultSchema;
		}
		return Binder.get(environment)
			.bind("spring.flyway.schemas", String[].class)
			.map((schemas) -> (schemas.length > 0) ? schemas[0] : null)
			.orElse(null);
	}

	private static String quoted(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	private static void putIfSet(Properties properties, String key, String value) {
		if (value != null) {
			properties.setProperty(key, value);
		}
	}

}

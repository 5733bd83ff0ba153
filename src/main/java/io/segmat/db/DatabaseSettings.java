package io.segmat.db;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where segmat's data lives: an existing PostgreSQL given by URL, or, with no URL, the
 * embedded server whose data sits under {@code home}; and the PostgreSQL schema in it
 * that holds one account's data.
 */
public record DatabaseSettings(String url, String user, String password, Path home, String schema) {

	public static final String URL_VARIABLE = "SEGMAT_DB_URL";

	public static final String USER_VARIABLE = "SEGMAT_DB_USER";

	public static final String PASSWORD_VARIABLE = "SEGMAT_DB_PASSWORD";

	public static final String HOME_VARIABLE = "SEGMAT_HOME";

	public static final String SCHEMA_VARIABLE = "SEGMAT_DB_SCHEMA";

	public static final String DEFAULT_SCHEMA = "public";

	/**
	 * The Spring property every connection's schema and Flyway's come from
	 * (application.properties).
	 */
	public static final String SCHEMA_PROPERTY = "segmat.db.schema";

	/**
	 * A plain lower-case identifier: the driver sends it unquoted as the session's
	 * search_path, where PostgreSQL would fold upper case and split on a comma; pg_ is
	 * PostgreSQL's own prefix.
	 */
	private static final Pattern SCHEMA_NAME = Pattern.compile("(?!pg_)[a-z_][a-z0-9_]{0,62}");

	public DatabaseSettings {
		schema = checkSchema(schema, "--db-schema");
	}

	public DatabaseSettings(String url, String user, String password, Path home) {
		this(url, user, password, home, DEFAULT_SCHEMA);
	}

	/** Options win over the environment; the home defaults to {@code ./.segmat}. */
	public static DatabaseSettings resolve(String url, String user, String password, Map<String, String> env) {
		return resolve(url, user, password, null, env);
	}

	/**
	 * Options win over the environment; the home defaults to {@code ./.segmat}, the
	 * schema to {@code public}.
	 */
	public static DatabaseSettings resolve(String url, String user, String password, String schema,
			Map<String, String> env) {
		String chosen = firstSet(schema, null);
		String option = "--db-schema";
		if (chosen == null) {
			chosen = firstSet(env.get(SCHEMA_VARIABLE), DEFAULT_SCHEMA);
			option = SCHEMA_VARIABLE;
		}
		return new DatabaseSettings(firstSet(url, env.get(URL_VARIABLE)), firstSet(user, env.get(USER_VARIABLE)),
				firstSet(password, env.get(PASSWORD_VARIABLE)),
				Path.of(firstSet(env.get(HOME_VARIABLE), ".segmat")).toAbsolutePath(), checkSchema(chosen, option));
	}

	/**
	 * The schema name if it is one segmat accepts.
	 * @param source the option or variable that gave it, named in the error
	 * @throws IllegalArgumentException naming {@code source} when it is not
	 */
	public static String checkSchema(String name, String source) {
		if (name == null || !SCHEMA_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(source + " '" + name + "' is not a schema name segmat accepts: "
					+ "1 to 63 of a-z, 0-9 and _, not starting with a digit or pg_");
		}
		return name;
	}

	/** Whether segmat accepts the name as an account's schema. */
	public static boolean isSchemaName(String name) {
		return name != null && SCHEMA_NAME.matcher(name).matches();
	}

	public boolean embedded() {
		return this.url == null;
	}

	/** The same database, another account. */
	public DatabaseSettings withSchema(String other) {
		return new DatabaseSettings(this.url, this.user, this.password, this.home, other);
	}

	private static String firstSet(String first, String second) {
		return (first != null && !first.isBlank()) ? first : ((second != null && !second.isBlank()) ? second : null);
	}

}

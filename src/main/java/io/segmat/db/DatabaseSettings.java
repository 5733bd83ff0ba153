package io.segmat.db;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where segmat's data lives: an existing PostgreSQL given by URL, or, with no URL, the
 * embedded server whose data sits under {@code home}.
 */
public record DatabaseSettings(String url, String user, String password, Path home) {

	public static final String URL_VARIABLE = "SEGMAT_DB_URL";

	public static final String USER_VARIABLE = "SEGMAT_DB_USER";

	public static final String PASSWORD_VARIABLE = "SEGMAT_DB_PASSWORD";

	public static final String HOME_VARIABLE = "SEGMAT_HOME";

	/** Options win over the environment; the home defaults to {@code ./.segmat}. */
	public static DatabaseSettings resolve(String url, String user, String password, Map<String, String> env) {
		return new DatabaseSettings(firstSet(url, env.get(URL_VARIABLE)), firstSet(user, env.get(USER_VARIABLE)),
				firstSet(password, env.get(PASSWORD_VARIABLE)),
				Path.of(firstSet(env.get(HOME_VARIABLE), ".segmat")).toAbsolutePath());
	}

	public boolean embedded() {
		return this.url == null;
	}

	private static String firstSet(String first, String second) {
		return (first != null && !first.isBlank()) ? first : ((second != null && !second.isBlank()) ? second : null);
	}

}

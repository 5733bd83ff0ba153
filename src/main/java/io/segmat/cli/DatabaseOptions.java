package io.segmat.cli;

import java.util.Map;

import io.segmat.db.DatabaseSettings;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Which database to use; given once on the top command or on any subcommand. */
final class DatabaseOptions {

	@Option(names = "--db-url", scope = ScopeType.INHERIT, paramLabel = "URL",
			description = "JDBC URL of an existing PostgreSQL 14+ (default: $SEGMAT_DB_URL, else the embedded server)")
	String url;

	@Option(names = "--db-user", scope = ScopeType.INHERIT, paramLabel = "USER",
			description = "database user (default: $SEGMAT_DB_USER)")
	String user;

	@Option(names = "--db-password", scope = ScopeType.INHERIT, paramLabel = "PASSWORD",
			description = "database password (default: $SEGMAT_DB_PASSWORD)")
	String password;

	@Option(names = "--db-schema", scope = ScopeType.INHERIT, paramLabel = "SCHEMA",
			description = "the PostgreSQL schema holding this account's data (default: $SEGMAT_DB_SCHEMA, else public)")
	String schema;

	DatabaseSettings settings(Map<String, String> env) {
		return DatabaseSettings.resolve(this.url, this.user, this.password, this.schema, env);
	}

}

package io.segmat.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import picocli.CommandLine.Command;

/**
 * Brings the schema up to date, which every command also does first, and says where it
 * stands.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply the database migrations.")
final class MigrateCommand extends DatabaseCommand {

	@Override
	boolean migratesInFull() {
		return true;
	}

	@Override
	int run(CommandContext context) {
		var info = context.bean(Flyway.class).info();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("schema_version", info.current() != null ? info.current().getVersion().toString() : null);
		result.put("applied", info.applied().length);
		result.put("pending", info.pending().length);
		Json.print(context.out(), result);
		return ExitCodes.OK;
	}

}

package io.segmat.cli;

import io.segmat.demo.DemoLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segmat demo}: loads the demo data set once and says what is there. */
@Command(name = "demo", mixinStandardHelpOptions = true,
		description = { "Load the demo data set (custom fields, lists, contacts and 90 days of email events)",
				"and print what was loaded. Running it again leaves the data as it is." })
final class DemoCommand extends DatabaseCommand {

	@Option(names = "--contacts", paramLabel = "N", defaultValue = "" + DemoLoader.DEFAULT_CONTACTS,
			description = "how many demo contacts (default: ${DEFAULT-VALUE})")
	int contacts;

	@Override
	int run(CommandContext context) {
		if (this.contacts < 1) {
			throw new ExitException(ExitCodes.USAGE, "--contacts must be at least 1");
		}
		var loaded = context.bean(DemoLoader.class)
			.load(root().databaseSettings().home().resolve("demo"), this.contacts);
		Json.print(context.out(), loaded);
		if (!loaded.completed()) {
			throw new ExitException(ExitCodes.JOB_FAILED,
					"loading the demo data failed; run the same command again to resume it");
		}
		if (loaded.alreadyLoaded()) {
			context.err().println("the demo data is already loaded; nothing was imported");
			context.err().flush();
		}
		return ExitCodes.OK;
	}

}

package io.segmat.cli;

import java.nio.file.Path;

import io.segmat.events.EventImportReport;
import io.segmat.events.EventImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code segmat events import}. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Email events.",
		subcommands = { EventsCommand.Import.class })
final class EventsCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE, "events needs a subcommand: import");
	}

	@Command(name = "import", mixinStandardHelpOptions = true, description = {
			"Load SendGrid Event Webhook events (a JSON array or one event a line); a Spring Batch job.",
			"Events of unknown emails are counted and skipped; an sg_event_id already loaded is not loaded again.",
			"Invalid events are skipped and reported with their line and field; the others are loaded." },
			exitCodeListHeading = "%nExit codes:%n",
			exitCodeList = { "0:the job completed (unknown emails and repeated events are not errors)",
					"1:the job failed", "2:the file cannot be read",
					"3:the job completed, but some events were invalid (listed in the report)" })
	static final class Import extends DatabaseCommand {

		@Parameters(paramLabel = "FILE", description = "Event Webhook JSON")
		Path file;

		@Override
		int run(CommandContext context) {
			EventImportReport report = context.bean(EventImporter.class).importFile(this.file);
			Json.print(context.out(), report);
			if (!report.completed()) {
				throw new ExitException(ExitCodes.JOB_FAILED,
						"the events import failed (job execution " + report.jobExecutionId() + "): " + report.failure()
								+ "; run the same command again to resume it");
			}
			if (report.invalid() > 0) {
				context.err().println(report.invalid() + " of " + report.read() + " events invalid");
				context.err().flush();
			}
			return report.completedWithErrors() ? ExitCodes.ROWS_SKIPPED : ExitCodes.OK;
		}

	}

}

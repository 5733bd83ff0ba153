package io.segmat.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.contacts.ContactDeleter;
import io.segmat.contacts.ContactImporter;
import io.segmat.contacts.ImportReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** {@code segmat contacts import|delete}. */
@Command(name = "contacts", mixinStandardHelpOptions = true, description = "Contacts.",
		subcommands = { ContactsCommand.Import.class, ContactsCommand.Delete.class })
final class ContactsCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE, "contacts needs a subcommand: import or delete");
	}

	@Command(name = "import", mixinStandardHelpOptions = true, description = {
			"Upsert contacts from a CSV or NDJSON file (a Spring Batch job).",
			"Rows with problems are skipped and reported with their line and field; the others are imported.",
			"Running it again after a failure or crash resumes the same job; running it again after success changes nothing." },
			exitCodeListHeading = "%nExit codes:%n",
			exitCodeList = { "0:the job completed and imported every row", "1:the job failed",
					"2:the file cannot be read or the list does not exist",
					"3:the job completed, but some rows were skipped (listed in the report)" })
	static final class Import extends DatabaseCommand {

		@Parameters(paramLabel = "FILE", description = "contacts as CSV (header row of field names) or NDJSON")
		Path file;

		@Option(names = "--list-id", paramLabel = "ID", description = "also add every imported contact to this list")
		UUID listId;

		@Override
		int run(CommandContext context) {
			ImportReport report = context.bean(ContactImporter.class).importFile(this.file, this.listId);
			Json.print(context.out(), report);
			if (!report.completed()) {
				throw new ExitException(ExitCodes.JOB_FAILED,
						"the contacts import failed (job execution " + report.jobExecutionId() + "): "
								+ report.failure() + "; run the same command again to resume it");
			}
			if (report.skipped() > 0) {
				context.err().println(report.skipped() + " of " + report.read() + " rows skipped");
				context.err().flush();
			}
			return report.completedWithErrors() ? ExitCodes.ROWS_SKIPPED : ExitCodes.OK;
		}

	}

	@Command(name = "delete", mixinStandardHelpOptions = true,
			description = "Delete contacts by id, by email, or all of them.")
	static final class Delete extends DatabaseCommand {

		@ArgGroup(exclusive = true, multiplicity = "1")
		Target target;

		static final class Target {

			@Option(names = "--ids", split = ",", paramLabel = "ID", description = "contact ids, comma-separated")
			List<String> ids;

			@Option(names = "--emails", split = ",", paramLabel = "EMAIL", description = "emails, comma-separated")
			List<String> emails;

			@Option(names = "--all", description = "every contact")
			boolean all;

		}

		@Override
		int run(CommandContext context) {
			ContactDeleter deleter = context.bean(ContactDeleter.class);
			JobExecution execution;
			if (this.target.ids != null) {
				execution = deleter.deleteByIds(uuids(this.target.ids));
			}
			else if (this.target.emails != null) {
				execution = deleter.deleteByEmails(this.target.emails);
			}
			else {
				execution = deleter.deleteAll();
			}
			if (execution.getStatus() != BatchStatus.COMPLETED) {
				throw new ExitException(ExitCodes.JOB_FAILED, "contact deletion ended " + execution.getStatus()
						+ " (execution " + execution.getId() + "); nothing was deleted");
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("deleted", ContactDeleter.deleted(execution));
			result.put("job_execution_id", execution.getId());
			Json.print(context.out(), result);
			return ExitCodes.OK;
		}

		private static List<UUID> uuids(List<String> values) {
			List<UUID> ids = new ArrayList<>();
			for (String value : values) {
				try {
					ids.add(UUID.fromString(value.trim()));
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidInputException("ids", "'" + value + "' is not a contact id");
				}
			}
			return ids;
		}

	}

}

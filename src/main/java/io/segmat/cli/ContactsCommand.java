package io.segmat.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.contacts.ContactDeleter;
import io.segmat.contacts.ContactExport;
import io.segmat.contacts.ContactExporter;
import io.segmat.contacts.ExportRequest;
import io.segmat.contacts.ContactImporter;
import io.segmat.contacts.ImportReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** {@code segmat contacts import|delete|export}. */
@Command(name = "contacts", mixinStandardHelpOptions = true, description = "Contacts.",
		subcommands = { ContactsCommand.Import.class, ContactsCommand.Delete.class, ContactsCommand.Export.class })
final class ContactsCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE, "contacts needs a subcommand: import, delete or export");
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

	@Command(name = "export", mixinStandardHelpOptions = true, description = {
			"Export the contacts of segments and lists (or all of them) to a file, as SendGrid's export does",
			"(the contactExportJob). A contact in several of them is written once.",
			"Past --max-file-size the export goes on in another file: OUTPUT's name without its extension,",
			"then -1, -2, ... and .csv or .json (contacts-1.csv, contacts-2.csv); a single file is OUTPUT itself." },
			exitCodeListHeading = "%nExit codes:%n",
			exitCodeList = { "0:the export is written", "1:the job failed; nothing is left behind",
					"2:bad usage, a list or segment that does not exist, or an output folder that does not" })
	static final class Export extends DatabaseCommand {

		@Option(names = "--segment-id", paramLabel = "ID", description = "a segment's members (repeatable)")
		List<UUID> segmentIds = new ArrayList<>();

		@Option(names = "--list-id", paramLabel = "ID", description = "a list's contacts (repeatable)")
		List<UUID> listIds = new ArrayList<>();

		@Option(names = "--all", description = "every contact")
		boolean all;

		@Option(names = "--format", defaultValue = "csv",
				description = "csv (with a header) or json (one object a line) (default: ${DEFAULT-VALUE})")
		ExportRequest.FileType format;

		@Option(names = "--output", required = true, paramLabel = "FILE", description = "where to write")
		Path output;

		@Option(names = "--max-file-size", paramLabel = "MB", defaultValue = "5000",
				description = "the largest a file may grow, in MB of 1,048,576 bytes (default: ${DEFAULT-VALUE})")
		int maxFileSize;

		@Option(names = "--escape-formulas", negatable = true, defaultValue = "true", fallbackValue = "true",
				description = { "csv: prefix a cell starting with = + - @ tab or CR with ' so that spreadsheets",
						"show it as text rather than run it as a formula (default: on)" })
		boolean escapeFormulas;

		@Override
		int run(CommandContext context) {
			if (this.all == (!this.segmentIds.isEmpty() || !this.listIds.isEmpty())) {
				throw new ExitException(ExitCodes.USAGE,
						this.all ? "give either --all or --segment-id/--list-id, not both"
								: "give at least one --segment-id or --list-id, or --all");
			}
			if (this.maxFileSize < 1) {
				throw new ExitException(ExitCodes.USAGE, "--max-file-size must be at least 1 (MB)");
			}
			ContactExport export = context.bean(ContactExporter.class)
				.exportTo(new ExportRequest(this.listIds, this.segmentIds, this.format,
						this.maxFileSize * ExportRequest.BYTES_PER_MB, this.escapeFormulas), this.output);
			if (!export.ready()) {
				throw new ExitException(ExitCodes.JOB_FAILED, "the contacts export failed (job execution "
						+ export.jobExecutionId() + "): " + export.message());
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("contact_count", export.contactCount());
			result.put("files", (export.fileCount() == 1) ? List.of(this.output.toAbsolutePath().normalize().toString())
					: export.files().stream().map(Path::toString).toList());
			result.put("job_execution_id", export.jobExecutionId());
			Json.print(context.out(), result);
			return ExitCodes.OK;
		}

	}

}

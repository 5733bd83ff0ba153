package io.segmat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.segmat.refresh.ManualRefresh;
import io.segmat.search.QueryPreview;
import io.segmat.segments.SegmentMembers;
import io.segmat.segments.Segments;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** {@code segmat segments create|list|get|update|delete|members|changes}. */
@Command(name = "segments", mixinStandardHelpOptions = true, description = "Segments, as SendGrid's Segments 2.0 API.",
		subcommands = { SegmentsCommand.Create.class, SegmentsCommand.ListSegments.class, SegmentsCommand.Get.class,
				SegmentsCommand.Update.class, SegmentsCommand.Delete.class, SegmentsCommand.Refresh.class,
				SegmentsCommand.Members.class, SegmentChangesCommand.class })
final class SegmentsCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE,
				"segments needs a subcommand: create, list, get, update, delete, refresh, members or changes");
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "Create a segment; it is first evaluated by the next refresh.")
	static final class Create extends DatabaseCommand implements CompilesQueries {

		@Option(names = "--name", required = true, description = "1-100 characters, unique")
		String name;

		@ArgGroup(exclusive = true, multiplicity = "1")
		QueryDslSource query;

		@Option(names = "--parent-list-id", paramLabel = "ID",
				description = "restrict the segment to this list's members")
		String parentListId;

		@Override
		int run(CommandContext context) {
			Json.print(context.out(),
					context.bean(Segments.class)
						.create(this.name, this.query.read(System.in),
								(this.parentListId != null) ? List.of(this.parentListId) : null));
			return ExitCodes.OK;
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List segment summaries.")
	static final class ListSegments extends DatabaseCommand {

		@Option(names = "--ids", split = ",", paramLabel = "ID", description = "only these segments")
		List<UUID> ids;

		@Option(names = "--parent-list-ids", split = ",", paramLabel = "ID",
				description = "only segments of these lists")
		List<UUID> parentListIds;

		@Option(names = "--no-parent-list-id", description = "only segments without a parent list")
		boolean noParentListId;

		@Override
		int run(CommandContext context) {
			Json.print(context.out(), Map.of("results",
					context.bean(Segments.class).list(this.ids, this.parentListIds, this.noParentListId)));
			return ExitCodes.OK;
		}

	}

	@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a segment with its count and sample.")
	static final class Get extends DatabaseCommand {

		@Parameters(paramLabel = "ID")
		UUID id;

		@Option(names = "--no-sample", description = "leave out contacts_sample")
		boolean noSample;

		@Override
		int run(CommandContext context) {
			var segment = context.bean(Segments.class).get(this.id);
			Json.print(context.out(), this.noSample ? segment.withoutSample() : segment);
			return ExitCodes.OK;
		}

	}

	@Command(name = "update", mixinStandardHelpOptions = true,
			description = "Rename a segment or change its query (which makes it due at once and clears its sample).")
	static final class Update extends DatabaseCommand implements CompilesQueries {

		@Parameters(paramLabel = "ID")
		UUID id;

		@Option(names = "--name", description = "the new name")
		String name;

		@ArgGroup(exclusive = true, multiplicity = "0..1")
		QueryDslSource query;

		@Option(names = "--dry-run", description = { "save nothing: print the count the new query would give now,",
				"how many would enter and leave, and up to " + QueryPreview.CHANGE_SAMPLE + " of each" })
		boolean dryRun;

		@Override
		int run(CommandContext context) {
			if (this.dryRun) {
				return QueryPreviewCommand.dryRun(context, this.id, this.name, this.query);
			}
			Json.print(context.out(), context.bean(Segments.class)
				.update(this.id, this.name, (this.query != null) ? this.query.read(System.in) : null, null));
			return ExitCodes.OK;
		}

	}

	@Command(name = "delete", mixinStandardHelpOptions = true,
			description = "Delete a segment and its membership; contacts are not touched.")
	static final class Delete extends DatabaseCommand {

		@Parameters(paramLabel = "ID")
		UUID id;

		@Override
		int run(CommandContext context) {
			context.bean(Segments.class).delete(this.id);
			Json.print(context.out(), Map.of("deleted", this.id));
			return ExitCodes.OK;
		}

	}

	@Command(name = "refresh", mixinStandardHelpOptions = true,
			description = { "Refresh one segment now: evaluate it and publish its count and sample.",
					"Limits: 2 per segment per day (from midnight in --time-zone), 1 per segment per hour,",
					"10 per day over all segments (UTC day). Over a limit: exit 4." })
	static final class Refresh extends DatabaseCommand implements CompilesQueries {

		@Parameters(paramLabel = "ID")
		UUID id;

		@Option(names = "--time-zone", required = true, paramLabel = "ZONE",
				description = "your IANA time zone, e.g. America/Chicago: the daily quota resets at its midnight")
		String timeZone;

		@Option(names = "--as-of", paramLabel = "T", description = "the refresh's clock (default: now)")
		java.time.Instant asOf;

		@Override
		int run(CommandContext context) {
			var execution = context.bean(ManualRefresh.class).refresh(this.id, this.timeZone, this.asOf);
			Map<String, Object> result = new java.util.LinkedHashMap<>();
			result.put("job_id", String.valueOf(execution.getId()));
			result.put("segment", context.bean(Segments.class).get(this.id).withoutSample());
			Json.print(context.out(), result);
			return ExitCodes.OK;
		}

	}

	@Command(name = "members", mixinStandardHelpOptions = true,
			description = "Print the whole current membership, one contact a line.")
	static final class Members extends DatabaseCommand {

		@Parameters(paramLabel = "ID")
		UUID id;

		@Option(names = "--format", defaultValue = "csv", description = "csv or ndjson (default: ${DEFAULT-VALUE})")
		Format format;

		// Negatable, true by default: picocli's recipe is fallbackValue "true" with it.
		@Option(names = "--escape-formulas", negatable = true, defaultValue = "true", fallbackValue = "true",
				description = { "csv: prefix a cell starting with = + - @ tab or CR with ' so that spreadsheets",
						"show it as text rather than run it as a formula (default: on)" })
		boolean escapeFormulas;

		@Override
		int run(CommandContext context) {
			PrintWriter out = context.out();
			SafeCsv csv = (this.format == Format.csv)
					? new SafeCsv(out, this.escapeFormulas, "contact_id", "email", "first_name", "last_name") : null;
			context.bean(SegmentMembers.class).forEach(this.id, (member) -> {
				if (csv != null) {
					csv.print(member.contactId(), member.email(), member.firstName(), member.lastName());
				}
				else {
					ObjectNode line = Json.MAPPER.createObjectNode();
					line.put("contact_id", member.contactId());
					line.put("email", member.email());
					line.put("first_name", member.firstName());
					line.put("last_name", member.lastName());
					out.println(Json.MAPPER.writer()
						.without(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
						.writeValueAsString(line));
				}
			});
			if (csv != null) {
				csv.flush();
			}
			out.flush();
			return ExitCodes.OK;
		}

		enum Format {

			csv, ndjson

		}

	}

}

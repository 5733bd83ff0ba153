package io.segmat.cli;

import java.io.PrintWriter;
import java.util.UUID;

import io.segmat.changes.Change;
import io.segmat.changes.ChangeFeed;
import io.segmat.changes.CursorExpiredException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ObjectNode;

/** {@code segmat segments changes}: a segment's change feed after a cursor. */
@Command(name = "changes", mixinStandardHelpOptions = true,
		description = { "Print who entered and who left the segment after --since (from the oldest retained change",
				"without it), one change a line; the cursor to continue from goes to stderr as 'next_cursor: C'.",
				"A cursor older than the retained changes: exit 2." })
final class SegmentChangesCommand extends DatabaseCommand {

	@Parameters(paramLabel = "ID")
	UUID id;

	@Option(names = "--since", paramLabel = "CURSOR", description = "the next_cursor a previous read printed")
	String since;

	@Option(names = "--limit", paramLabel = "N", description = "at most this many changes (default: all)")
	Long limit;

	@Option(names = "--format", defaultValue = "ndjson", description = "ndjson or csv (default: ${DEFAULT-VALUE})")
	Format format;

	@Option(names = "--escape-formulas", negatable = true, defaultValue = "true", fallbackValue = "true",
			description = "csv: prefix a cell starting with = + - @ tab or CR with ' (default: on)")
	boolean escapeFormulas;

	@Override
	int run(CommandContext context) {
		if (this.limit != null && this.limit < 1) {
			throw new ExitException(ExitCodes.USAGE, "--limit must be at least 1");
		}
		PrintWriter out = context.out();
		SafeCsv csv = (this.format == Format.csv)
				? new SafeCsv(out, this.escapeFormulas, "contact_id", "email", "change", "at", "evaluation_id") : null;
		ChangeFeed feed = context.bean(ChangeFeed.class);
		String cursor = this.since;
		long left = (this.limit != null) ? this.limit : Long.MAX_VALUE;
		try {
			while (true) {
				int wanted = (int) Math.min(left, ChangeFeed.MAX_LIMIT);
				ChangeFeed.Page page = feed.read(this.id, cursor, wanted);
				for (Change change : page.changes()) {
					if (csv != null) {
						csv.print(change.contactId(), change.email(), change.change(), change.at(),
								Long.toString(change.evaluationId()));
					}
					else {
						out.println(Json.MAPPER.writer()
							.without(SerializationFeature.INDENT_OUTPUT)
							.writeValueAsString(ndjson(change)));
					}
				}
				cursor = page.nextCursor();
				left -= page.changes().size();
				if (page.changes().size() < wanted || left == 0) {
					break;
				}
			}
		}
		catch (CursorExpiredException ex) {
			throw new ExitException(ExitCodes.USAGE, ex.getMessage());
		}
		if (csv != null) {
			csv.flush();
		}
		out.flush();
		context.err().println("next_cursor: " + cursor);
		context.err().flush();
		return ExitCodes.OK;
	}

	private static ObjectNode ndjson(Change change) {
		ObjectNode line = Json.MAPPER.createObjectNode();
		line.put("contact_id", change.contactId());
		line.put("email", change.email());
		line.put("change", change.change());
		line.put("at", change.at());
		line.put("evaluation_id", change.evaluationId());
		return line;
	}

	enum Format {

		csv, ndjson

	}

}

package io.segmat.cli;

import java.util.UUID;

import io.segmat.search.QueryPreview;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segmat query preview} and {@code segmat segments update ID --dry-run}: a query
 * evaluated as of now, with nothing saved ({@link QueryPreview}).
 */
@Command(name = "preview", mixinStandardHelpOptions = true,
		description = {
				"Evaluate a query now without saving anything: its count and up to " + QueryPreview.SAMPLE
						+ " of its contacts.",
				"For a segment's new query, see segments update ID --query-dsl Q --dry-run." })
final class QueryPreviewCommand extends DatabaseCommand implements CompilesQueries {

	@ArgGroup(exclusive = true, multiplicity = "1")
	QueryDslSource query;

	@Option(names = "--parent-list-id", paramLabel = "ID", description = "as the segment's parent list")
	UUID parentListId;

	@Override
	int run(CommandContext context) {
		Json.print(context.out(),
				context.bean(QueryPreview.class).query(this.query.read(System.in), this.parentListId));
		return ExitCodes.OK;
	}

	/**
	 * {@code segments update ID --dry-run}: the new query against the current membership.
	 * A dry run is about the query; a rename has nothing to preview.
	 */
	static int dryRun(CommandContext context, UUID segmentId, String name, QueryDslSource query) {
		if (name != null || query == null) {
			throw new ExitException(ExitCodes.USAGE,
					"--dry-run previews a new query: give --query-dsl or --query-dsl-file, and no --name");
		}
		Json.print(context.out(), context.bean(QueryPreview.class).segment(segmentId, query.read(System.in)));
		return ExitCodes.OK;
	}

}

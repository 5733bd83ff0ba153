package io.segmat.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.segmat.query.Explanation;
import io.segmat.query.QueryCompiler;
import io.segmat.query.QueryExplainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code segmat query explain}: what a query_dsl becomes, and how PostgreSQL will run it;
 * {@code segmat query preview}: what it selects now ({@link QueryPreviewCommand}).
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Work with query_dsl.",
		subcommands = { QueryCommand.Explain.class, QueryPreviewCommand.class })
final class QueryCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE, "query needs a subcommand: explain or preview");
	}

	@Command(name = "explain", mixinStandardHelpOptions = true,
			description = "Print the normalized query, the compiled SQL with its parameters, the dependencies and PostgreSQL's plan.")
	static final class Explain extends DatabaseCommand implements CompilesQueries {

		@ArgGroup(exclusive = true, multiplicity = "1")
		QueryDslSource query;

		@Option(names = "--parent-list-id", paramLabel = "ID", description = "as the segment's parent list")
		UUID parentListId;

		@Option(names = "--as-of", paramLabel = "T", description = "what CURRENT_TIMESTAMP means (default: now)")
		Instant asOf;

		@Override
		int run(CommandContext context) {
			Instant at = (this.asOf != null) ? this.asOf : context.bean(Clock.class).instant();
			Explanation explanation = new QueryExplainer(context.bean(JdbcClient.class),
					context.bean(QueryCompiler.class))
				.explain(this.query.read(System.in), this.parentListId, at);
			var out = context.out();
			out.println("-- normalized query");
			out.println(Printable.lines(explanation.normalizedQuery()));
			out.println();
			out.println("-- compiled SQL (as of " + at + ")");
			out.println(Printable.lines(explanation.sql()));
			out.println();
			out.println("-- parameters");
			for (int i = 0; i < explanation.parameters().size(); i++) {
				Object value = explanation.parameters().get(i);
				out.println("$" + (i + 1) + " = " + Printable
					.of((value instanceof Object[] array) ? java.util.Arrays.toString(array) : String.valueOf(value)));
			}
			out.println();
			out.println("-- dependencies");
			Map<String, Object> dependencies = new LinkedHashMap<>();
			dependencies.put("contact_columns", explanation.dependencies().contactColumns());
			dependencies.put("list_ids", explanation.dependencies().listIds());
			dependencies.put("any_list", explanation.dependencies().anyList());
			dependencies.put("events", explanation.dependencies().events());
			dependencies.put("clock", explanation.dependencies().clock());
			out.println(Json.MAPPER.writeValueAsString(dependencies));
			out.println();
			out.println("-- plan");
			out.println(Printable.lines(explanation.plan()));
			out.flush();
			return ExitCodes.OK;
		}

	}

}

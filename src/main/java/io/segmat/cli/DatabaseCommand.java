package io.segmat.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.segmat.metrics.Metrics;
import io.segmat.query.QueryWarmUp;

import org.springframework.boot.WebApplicationType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the database: it opens it, runs, and closes it again. */
abstract class DatabaseCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public final Integer call() {
		return execute(root());
	}

	/** Opens the database and the context over the account, runs, closes them. */
	int execute(SegmatCommand root) {
		warmUpQueries();
		Map<String, Object> properties = new HashMap<>(properties());
		// Metrics start only when asked for: a job-running command with a Pushgateway.
		properties.putAll(Metrics.forCommand(this.spec.qualifiedName(" ").replaceFirst("^segmat ", ""), root.env()));
		try (CommandContext context = CommandContext.open(root, webApplicationType(), properties, !migratesInFull())) {
			return run(context);
		}
	}

	abstract int run(CommandContext context);

	final void warmUpQueries() {
		if (this instanceof CompilesQueries) {
			QueryWarmUp.startInBackground();
		}
	}

	WebApplicationType webApplicationType() {
		return WebApplicationType.NONE;
	}

	/**
	 * Whether the command runs Flyway's migrate and validation even over an up-to-date
	 * schema.
	 */
	boolean migratesInFull() {
		return false;
	}

	Map<String, Object> properties() {
		return Map.of();
	}

	SegmatCommand root() {
		return (SegmatCommand) this.spec.root().userObject();
	}

}

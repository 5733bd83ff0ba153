package io.segmat.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.segmat.changes.ChangeDeliveryLauncher;
import io.segmat.changes.DeliveryRun;
import picocli.CommandLine.Command;

/** {@code segmat changes deliver}. */
@Command(name = "changes", mixinStandardHelpOptions = true, description = "The membership change feed's webhook.",
		subcommands = { ChangesCommand.Deliver.class })
final class ChangesCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE, "changes needs a subcommand: deliver");
	}

	@Command(name = "deliver", mixinStandardHelpOptions = true,
			description = { "Post the changes not yet delivered to SEGMAT_CHANGES_WEBHOOK_URL (changeDeliveryJob).",
					"A receiver that keeps failing: exit 1, the changes wait for the next run." })
	static final class Deliver extends DatabaseCommand {

		@Override
		int run(CommandContext context) {
			DeliveryRun run = context.bean(ChangeDeliveryLauncher.class).deliver();
			switch (run.outcome()) {
				case NOT_CONFIGURED -> throw new ExitException(ExitCodes.USAGE, run.message());
				case LOCKED -> throw new ExitException(ExitCodes.LOCKED, run.message());
				default -> {
				}
			}
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("delivered", run.delivered());
			report.put("job_execution_id", run.executionId());
			Json.print(context.out(), report);
			context.err().println(Printable.lines(run.message()));
			context.err().flush();
			return (run.outcome() == DeliveryRun.Outcome.COMPLETED) ? ExitCodes.OK : ExitCodes.JOB_FAILED;
		}

	}

}

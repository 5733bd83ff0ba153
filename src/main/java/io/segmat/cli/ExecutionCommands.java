package io.segmat.cli;

import io.segmat.refresh.RefreshLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;

/** The operator commands on one job execution: recover, restart, stop, abandon. */
final class ExecutionCommands {

	private ExecutionCommands() {
	}

	abstract static class OnExecution extends DatabaseCommand {

		@Parameters(paramLabel = "ID", description = "the job execution id (see `segmat runs`)")
		long id;

		@Override
		final int run(CommandContext context) {
			JobExecution execution;
			try {
				execution = context.bean(JobRepository.class).getJobExecution(this.id);
			}
			catch (EmptyResultDataAccessException ex) {
				// Batch 6 answers an unknown id with this rather than null.
				execution = null;
			}
			if (execution == null) {
				throw new IllegalArgumentException("no job execution " + this.id);
			}
			return apply(context, execution);
		}

		abstract int apply(CommandContext context, JobExecution execution);

		static int said(CommandContext context, String message) {
			context.err().println(Printable.of(message));
			context.err().flush();
			return ExitCodes.OK;
		}

	}

	@Command(name = "recover", mixinStandardHelpOptions = true,
			description = "Mark an execution left STARTED by a killed process as FAILED, so its slot can be restarted.")
	static final class Recover extends OnExecution {

		@Override
		int apply(CommandContext context, JobExecution execution) {
			JobExecution recovered = context.bean(JobOperator.class).recover(execution);
			return said(context, "execution " + this.id + " is now " + recovered.getStatus());
		}

	}

	@Command(name = "restart", mixinStandardHelpOptions = true,
			description = "Restart a FAILED or STOPPED execution; only its unfinished work runs.")
	static final class Restart extends OnExecution {

		@Override
		int apply(CommandContext context, JobExecution execution) {
			if (RunCommand.REFRESH_JOB.equals(execution.getJobInstance().getJobName())) {
				// Through the launcher: the lock, and the slot's original parameters.
				return RefreshReport.print(context, context.bean(RefreshLauncher.class)
					.launch(execution.getJobParameters().getString("slot"), null, null));
			}
			try {
				JobExecution restarted = context.bean(JobOperator.class).restart(execution);
				return said(context, "execution " + restarted.getId() + " ended " + restarted.getStatus());
			}
			catch (Exception ex) {
				throw new IllegalArgumentException("cannot restart execution " + this.id + ": " + ex.getMessage());
			}
		}

	}

	@Command(name = "stop", mixinStandardHelpOptions = true,
			description = "Ask a running execution to stop at its next step boundary.")
	static final class Stop extends OnExecution {

		@Override
		int apply(CommandContext context, JobExecution execution) {
			try {
				context.bean(JobOperator.class).stop(execution);
			}
			catch (Exception ex) {
				throw new IllegalArgumentException("cannot stop execution " + this.id + ": " + ex.getMessage());
			}
			return said(context, "execution " + this.id + " asked to stop");
		}

	}

	@Command(name = "abandon", mixinStandardHelpOptions = true,
			description = "Give up a stopped or failed execution for good: its slot will not be restarted.")
	static final class Abandon extends OnExecution {

		@Override
		int apply(CommandContext context, JobExecution execution) {
			try {
				JobExecution abandoned = context.bean(JobOperator.class).abandon(execution);
				return said(context, "execution " + this.id + " is now " + abandoned.getStatus());
			}
			catch (Exception ex) {
				throw new IllegalArgumentException("cannot abandon execution " + this.id + ": " + ex.getMessage());
			}
		}

	}

}

package io.segmat.cli;

import java.util.List;
import java.util.Properties;

import io.segmat.refresh.RefreshLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.converter.DefaultJobParametersConverter;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;

/**
 * {@code segmat run JOB name=value[,type[,identifying]] ...}: any job, with Spring
 * Batch's parameter syntax.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
		description = { "Start a job by name with Spring Batch's parameter syntax, e.g.",
				"  segmat run segmentRefreshJob slot=2026-11-28T21:45:00Z",
				"  segmat run contactImportJob file=/data/contacts.csv,java.lang.String" })
final class RunCommand extends DatabaseCommand implements CompilesQueries {

	static final String REFRESH_JOB = "segmentRefreshJob";

	@Parameters(index = "0", paramLabel = "JOB", description = "segmentRefreshJob, contactImportJob or eventImportJob")
	String jobName;

	@Parameters(index = "1..*", paramLabel = "PARAM", description = "name=value[,type[,identifying]]")
	List<String> parameters = List.of();

	@Override
	int run(CommandContext context) {
		Properties properties = new Properties();
		for (String parameter : this.parameters) {
			int eq = parameter.indexOf('=');
			if (eq <= 0) {
				throw new IllegalArgumentException(
						"parameter '" + parameter + "' is not name=value[,type[,identifying]]");
			}
			properties.setProperty(parameter.substring(0, eq), parameter.substring(eq + 1));
		}
		JobParameters jobParameters;
		try {
			jobParameters = new DefaultJobParametersConverter().getJobParameters(properties);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("cannot read the job parameters: " + ex.getMessage());
		}
		if (REFRESH_JOB.equals(this.jobName)) {
			// Through the launcher, so the run takes the lock and recovers crashed runs
			// like `refresh` does.
			Long threads = jobParameters.getLong("threads");
			return RefreshReport.print(context,
					context.bean(RefreshLauncher.class)
						.launch(required(jobParameters, "slot"), jobParameters.getString("asOf"),
								(threads != null) ? threads.intValue() : null));
		}
		Job job = findJob(context);
		try {
			JobExecution execution = context.bean(JobOperator.class).start(job, jobParameters);
			context.err()
				.println(Printable
					.of(this.jobName + " execution " + execution.getId() + " ended " + execution.getStatus()));
			return (execution.getStatus() == BatchStatus.COMPLETED) ? ExitCodes.OK : ExitCodes.JOB_FAILED;
		}
		catch (org.springframework.batch.core.job.parameters.InvalidJobParametersException ex) {
			throw new IllegalArgumentException(ex.getMessage());
		}
		catch (org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException ex) {
			context.err()
				.println(Printable.of(this.jobName) + " with these parameters already completed; nothing to do");
			return ExitCodes.OK;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	private static String required(JobParameters parameters, String name) {
		String value = parameters.getString(name);
		if (value == null) {
			throw new IllegalArgumentException(
					"the parameter '" + name + "' is required, e.g. " + name + "=2026-11-28T21:45:00Z");
		}
		return value;
	}

	private Job findJob(CommandContext context) {
		if (!context.context().containsBean(this.jobName)
				|| !(context.context().getBean(this.jobName) instanceof Job job)) {
			throw new IllegalArgumentException("no job named '" + this.jobName + "'; jobs: "
					+ String.join(", ", context.context().getBeanNamesForType(Job.class)));
		}
		return job;
	}

}

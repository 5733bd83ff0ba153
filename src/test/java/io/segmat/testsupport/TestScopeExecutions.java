package io.segmat.testsupport;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.MetaDataInstanceFactory;

/**
 * The executions {@code @SpringBatchTest} registers on a test's thread for the job and
 * step scopes, with ids no execution in the database can have. By default they are
 * MetaDataInstanceFactory's, job execution 123 and step execution 1234: Batch's scopes
 * tell executions apart by id, so a job run on the test thread whose execution got id 123
 * from the database took the test's registration for its own, found no job parameters,
 * and failed to build its job-scoped beans. That happened whenever the classes sharing a
 * database had launched 122 jobs before, which depended on the order the suite ran them.
 */
public interface TestScopeExecutions {

	long NO_SUCH_EXECUTION = -1L;

	default JobExecution getJobExecution() {
		return MetaDataInstanceFactory.createJobExecution("testScope", NO_SUCH_EXECUTION, NO_SUCH_EXECUTION);
	}

	default StepExecution getStepExecution() {
		return MetaDataInstanceFactory.createStepExecution(getJobExecution(), "testScope", NO_SUCH_EXECUTION);
	}

}

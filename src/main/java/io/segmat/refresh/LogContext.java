package io.segmat.refresh;

import java.util.UUID;

import org.slf4j.MDC;

/**
 * Names the job execution and the segment a log line is about, in the logging context of
 * the thread evaluating it, so that a structured log line carries both
 * ({@code SEGMAT_LOG_FORMAT=json}). Closed when the segment's work ends, so that a worker
 * thread's next segment starts clean.
 */
final class LogContext implements AutoCloseable {

	static final String JOB_EXECUTION_ID = "job_execution_id";

	static final String SEGMENT_ID = "segment_id";

	private LogContext() {
	}

	static LogContext of(Long jobExecutionId, UUID segmentId) {
		if (jobExecutionId != null) {
			MDC.put(JOB_EXECUTION_ID, jobExecutionId.toString());
		}
		MDC.put(SEGMENT_ID, segmentId.toString());
		return new LogContext();
	}

	@Override
	public void close() {
		MDC.remove(JOB_EXECUTION_ID);
		MDC.remove(SEGMENT_ID);
	}

}

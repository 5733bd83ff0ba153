package io.segmat.ingest;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which refused launches of an import are tried again (the launch at the same instant
 * itself: ContactImportLaunchTests).
 */
class FileJobRunnerTests {

	@Test
	void aSerializationFailureAndADeadlockAreTriedAgain() {
		// given the two refusals the database asks to retry, wrapped as Spring wraps them
		SQLException serialization = new SQLException("could not serialize access", "40001");
		SQLException deadlock = new SQLException("deadlock detected", "40P01");

		// then both are retried
		assertThat(FileJobRunner.retryable(new CannotAcquireLockException("INSERT", serialization))).isTrue();
		assertThat(FileJobRunner.retryable(new DeadlockLoserDataAccessException("INSERT", deadlock))).isTrue();
	}

	@Test
	void anotherConcurrencyFailureIsPassedOn() {
		// given a run updated by another process (Batch's version check), and a lock
		// wait that timed out: trying again would not cure either
		OptimisticLockingFailureException version = new OptimisticLockingFailureException("version 2 expected");
		CannotAcquireLockException timeout = new CannotAcquireLockException("UPDATE",
				new SQLException("canceling statement due to lock timeout", "55P03"));

		// then neither is retried
		assertThat(FileJobRunner.retryable(version)).isFalse();
		assertThat(FileJobRunner.retryable(timeout)).isFalse();
	}

}

package io.segmat.ingest;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which refused launches are tried again (launches at the same instant themselves:
 * ContactImportLaunchTests, ContactExportJobTests).
 */
class LaunchRetryTests {

	@Test
	void aSerializationFailureAndADeadlockAreTriedAgain() {
		// given the two refusals the database asks to retry, wrapped as Spring wraps them
		SQLException serialization = new SQLException("could not serialize access", "40001");
		SQLException deadlock = new SQLException("deadlock detected", "40P01");

		// then both are retried
		assertThat(LaunchRetry.retryable(new CannotAcquireLockException("INSERT", serialization))).isTrue();
		assertThat(LaunchRetry.retryable(new DeadlockLoserDataAccessException("INSERT", deadlock))).isTrue();
	}

	@Test
	void anotherConcurrencyFailureIsPassedOn() {
		// given a run updated by another process (Batch's version check), and a lock
		// wait that timed out: trying again would not cure either
		OptimisticLockingFailureException version = new OptimisticLockingFailureException("version 2 expected");
		CannotAcquireLockException timeout = new CannotAcquireLockException("UPDATE",
				new SQLException("canceling statement due to lock timeout", "55P03"));

		// then neither is retried
		assertThat(LaunchRetry.retryable(version)).isFalse();
		assertThat(LaunchRetry.retryable(timeout)).isFalse();
	}

}

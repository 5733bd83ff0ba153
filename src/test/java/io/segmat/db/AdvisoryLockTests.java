package io.segmat.db;

import java.sql.Connection;
import java.util.Arrays;

import javax.sql.DataSource;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdvisoryLockTests {

	private static final DataSource dataSource = TestDatabase.create().dataSource();

	@Test
	void everyLockHasItsOwnKey() {
		assertThat(Arrays.stream(AdvisoryLock.values()).map(AdvisoryLock::key)).doesNotHaveDuplicates();
	}

	@Test
	void aSessionLockKeepsOtherSessionsOutUntilReleased() throws Exception {
		try (Connection holder = dataSource.getConnection(); Connection other = dataSource.getConnection()) {
			// given
			assertThat(AdvisoryLock.REFRESH.tryLock(holder)).isTrue();

			// when, then
			assertThat(AdvisoryLock.REFRESH.tryLock(other)).isFalse();
			AdvisoryLock.MANUAL_REFRESH.lock(other);
			assertThat(AdvisoryLock.MANUAL_REFRESH.tryLock(holder)).isFalse();
			AdvisoryLock.REFRESH.unlock(holder);
			assertThat(AdvisoryLock.REFRESH.tryLock(other)).isTrue();
		}
	}

}

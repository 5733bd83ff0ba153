package io.segmat.db;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseFailuresTests {

	@Test
	void postgresqlsOwnTextIsReplacedByItsSqlState() {
		// given a refusal whose text quotes another row's value, wrapped as Spring wraps
		// it
		PSQLException refusal = new PSQLException(new ServerErrorMessage(
				"SERROR\0C23505\0Mduplicate key value violates unique constraint \"contact_email_key\"\0"
						+ "DKey (email)=(someone.else@example.com) already exists.\0"));
		Throwable wrapped = new IllegalStateException("step failed",
				new DataIntegrityViolationException("INSERT INTO contact ...", refusal));

		// when
		String told = DatabaseFailures.describe(wrapped).orElseThrow();

		// then
		assertThat(told).contains("SQLSTATE 23505").doesNotContain("someone.else").doesNotContain("contact_email_key");
	}

	@Test
	void anOperatorsOwnRaiseIsToldInItsWordsAlone() {
		PSQLException raised = new PSQLException(new ServerErrorMessage(
				"SERROR\0CP0001\0Mcontacts are read-only today\0WPL/pgSQL function refuse() line 1 at RAISE\0"));

		String told = DatabaseFailures.describe(raised).orElseThrow();

		assertThat(told).isEqualTo("the database refused it: contacts are read-only today");
	}

	@Test
	void aFailureWithoutTheDatabaseIsNotDescribedHere() {
		assertThat(DatabaseFailures.describe(new IllegalStateException("disk full"))).isEmpty();
	}

}

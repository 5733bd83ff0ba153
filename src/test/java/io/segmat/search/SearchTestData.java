package io.segmat.search;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.segmat.testsupport.TestData;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The contacts the search and dry-run tests read: 70 contacts in three countries, every
 * third on a list, every fifth with a plan, and a way to hold a table locked from another
 * connection, so that a statement waits past its timeout without any sleep.
 */
final class SearchTestData {

	static final String[] COUNTRIES = { "UK", "US", "FR" };

	private SearchTestData() {
	}

	/** Loads the contacts; answers the list's id and the plan field's id. */
	static Loaded load(JdbcClient jdbc) {
		TestData data = new TestData(jdbc);
		UUID list = data.list("newsletter");
		String plan = data.field("plan", "Text");
		for (int i = 0; i < 70; i++) {
			String email = ((i % 2 == 0) ? "ann" : "bob") + i + "@example.com";
			data.contact(email, (i % 2 == 0) ? "Ann" : "Bob", COUNTRIES[i % 3]);
			if (i % 3 == 0) {
				data.addToList(email, list);
			}
			if (i % 5 == 0) {
				data.customField(email, plan, "\"gold\"");
			}
		}
		return new Loaded(list, plan);
	}

	/** The ids of the contacts a hand-written WHERE over {@code contact c} selects. */
	static List<String> ids(JdbcClient jdbc, String where, Object... parameters) {
		return jdbc.sql("SELECT c.id::text FROM contact c WHERE " + where + " ORDER BY c.contact_key")
			.params(parameters)
			.query(String.class)
			.list();
	}

	/**
	 * Holds {@code table} locked against every reader until closed: a statement that
	 * reads it waits, and so runs past any statement timeout.
	 */
	static AutoCloseable lock(DataSource dataSource, String table) throws SQLException {
		Connection connection = dataSource.getConnection();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
		}
		return () -> {
			connection.rollback();
			connection.close();
		};
	}

	record Loaded(UUID listId, String planFieldId) {
	}

}

package io.segmat.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Properties;
import java.util.Set;

import org.postgresql.Driver;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that cannot be reached (stopped, restarting, refusing connections, or
 * no connection to be had within the pool's wait) from every other failure: the first is
 * worth trying again shortly (the API's 503, the command line's exit 75), the others are
 * not.
 */
public final class Unreachable {

	/**
	 * Besides class 08 (connection exceptions): 57P01..57P03, the server is shutting
	 * down, crashed, or not yet accepting connections; 53300, too many connections.
	 */
	private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300");

	private Unreachable() {
	}

	/**
	 * Whether {@code failure}, or anything in its cause chain, says the database cannot
	 * be reached. Spring, Batch and segmat's own code wrap the driver's exception in
	 * layers of their own, so the whole chain is read; the innermost SQL state, where
	 * there is one, decides, because Spring's resource-failure types also cover what
	 * retrying does not cure.
	 */
	public static boolean database(Throwable failure) {
		String innermostState = null;
		boolean resourceFailure = false;
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
			if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
				return true;
			}
			// A statement failed on a dead connection inside a transaction: the rollback
			// fails too, with the pool's "connection is closed" of no SQL state, and
			// carries the statement's failure aside, not as its cause.
			if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
					&& database(rollback.getApplicationException())) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null) {
				innermostState = sql.getSQLState();
			}
			// Hikari's "connection is not available" has no state of its own when the
			// pool had nothing to give within its wait
			resourceFailure |= t instanceof SQLTransientConnectionException
					|| t instanceof DataAccessResourceFailureException
					|| t instanceof TransientDataAccessResourceException;
		}
		return (innermostState != null) ? connectionState(innermostState) : resourceFailure;
	}

	/**
	 * Where the database is, as {@code host:port}, for a message; the URL as given when
	 * it is not PostgreSQL's.
	 */
	public static String address(String jdbcUrl) {
		Properties parsed = Driver.parseURL(jdbcUrl, null);
		if (parsed == null) {
			return jdbcUrl;
		}
		String[] hosts = parsed.getProperty("PGHOST", "localhost").split(",", -1);
		String[] ports = parsed.getProperty("PGPORT", "5432").split(",", -1);
		StringBuilder address = new StringBuilder();
		for (int i = 0; i < hosts.length; i++) {
			if (i > 0) {
				address.append(", ");
			}
			address.append(hosts[i]).append(':').append(ports[Math.min(i, ports.length - 1)]);
		}
		return address.toString();
	}

	private static boolean connectionState(String state) {
		return state.startsWith("08") || STATES.contains(state);
	}

}

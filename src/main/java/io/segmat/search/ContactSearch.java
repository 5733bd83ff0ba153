package io.segmat.search;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.segmat.InvalidInputException;
import io.segmat.InvalidInputException.FieldError;
import io.segmat.contacts.ContactJson;
import io.segmat.ingest.Storable;
import io.segmat.query.CompiledQuery;
import io.segmat.query.ContactColumn;
import io.segmat.query.FieldCatalog;
import io.segmat.query.QueryCompiler;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * SendGrid's contact search: a condition in the segment language, evaluated now, and the
 * lookup of contacts by email. Both read only, under {@code segmat.search.timeout}
 * ({@code SEGMAT_SEARCH_TIMEOUT}, default 20 s, as SendGrid's own limit).
 */
@Service
public class ContactSearch {

	/** SendGrid returns the first 50 contacts a search finds. */
	public static final int RESULT_LIMIT = 50;

	/** SendGrid's cap on one lookup by email. */
	public static final int MAX_EMAILS = 100;

	/** The import's rule, so that every address segmat stores can be looked up. */
	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

	// One statement, one snapshot: the count and the first contacts agree.
	private static final String SEARCH = """
			WITH found AS MATERIALIZED (%s)
			SELECT (SELECT count(*) FROM found) AS contact_count, %s AS result
			""";

	// By primary email first, then by an alternate one (through their index, V12); an
	// address on two contacts gives the one that has it as its primary email, else the
	// oldest.
	static final String BY_EMAILS = """
			WITH searched AS (SELECT DISTINCT e AS email FROM unnest(CAST(? AS text[])) e),
			hits AS (
			    SELECT s.email, c.contact_key, 0 AS rank FROM searched s JOIN contact c ON c.email = s.email
			    UNION ALL
			    SELECT s.email, c.contact_key, 1 AS rank FROM contact c JOIN searched s ON s.email = ANY (c.alternate_emails)
			    WHERE c.alternate_emails && ARRAY(SELECT email FROM searched)),
			best AS (SELECT DISTINCT ON (email) email, contact_key FROM hits ORDER BY email, rank, contact_key)
			SELECT b.email, jsonb_strip_nulls(%s)::text AS contact
			FROM best b JOIN contact c ON c.contact_key = b.contact_key
			"""
		.formatted(ContactJson.OBJECT);

	private final JdbcClient jdbc;

	private final QueryCompiler compiler;

	private final Clock clock;

	private final ReadOnlyEvaluation evaluation;

	private final Duration timeout;

	ContactSearch(JdbcClient jdbc, QueryCompiler compiler, Clock clock, PlatformTransactionManager transactionManager,
			@Value("${segmat.search.timeout:20s}") Duration timeout) {
		this.jdbc = jdbc;
		this.compiler = compiler;
		this.clock = clock;
		this.evaluation = new ReadOnlyEvaluation(jdbc, transactionManager);
		this.timeout = timeout;
	}

	/**
	 * The contacts that satisfy {@code condition} now: how many, and the first
	 * {@link #RESULT_LIMIT} in the order they were added.
	 * @throws io.segmat.query.QueryException when the condition is refused
	 * @throws EvaluationTimeoutException past the search timeout
	 */
	public Result search(String condition) {
		Instant asOf = this.clock.instant();
		return this.evaluation.run(this.timeout, "the search", () -> {
			CompiledQuery query = this.compiler.compileCondition(condition, FieldCatalog.load(this.jdbc), asOf);
			String sql = SEARCH.formatted(query.sql(),
					ContactJson.arrayOf("SELECT contact_key FROM found ORDER BY contact_key LIMIT " + RESULT_LIMIT));
			return this.jdbc.sql(sql)
				.params(query.parameters())
				.query((rs, n) -> new Result(rs.getLong("contact_count"), rs.getString("result")))
				.single();
		});
	}

	/**
	 * The contact of each address, as its primary email or one of its alternates, in any
	 * case; empty strings are skipped. The map keeps the order of the request, keyed by
	 * the lower-cased address, with null for an address no contact has.
	 * @throws InvalidInputException naming each invalid address by its index
	 */
	public Map<String, String> byEmails(List<String> emails) {
		Set<String> searched = checked(emails);
		Map<String, String> found = new LinkedHashMap<>();
		searched.forEach((email) -> found.put(email, null));
		this.evaluation.run(this.timeout, "the search", () -> {
			this.jdbc.sql(BY_EMAILS).param(searched.toArray(String[]::new)).query((rs) -> {
				found.put(rs.getString("email"), rs.getString("contact"));
			});
			return null;
		});
		return found;
	}

	private static Set<String> checked(List<String> emails) {
		if (emails == null) {
			throw new InvalidInputException("emails",
					"emails is required: an array of 1 to " + MAX_EMAILS + " email addresses");
		}
		List<FieldError> errors = new ArrayList<>();
		Set<String> searched = new LinkedHashSet<>();
		for (int i = 0; i < emails.size(); i++) {
			String field = "emails[" + i + "]";
			String email = emails.get(i).trim().toLowerCase(Locale.ROOT);
			if (email.isEmpty()) {
				continue;
			}
			String problem = Storable.textProblem(email);
			if (problem != null) {
				errors.add(new FieldError(field, field + " " + problem));
			}
			else if (email.length() > ContactColumn.EMAIL_MAX_LENGTH) {
				errors.add(new FieldError(field,
						field + " is longer than " + ContactColumn.EMAIL_MAX_LENGTH + " characters"));
			}
			else if (!EMAIL.matcher(email).matches()) {
				String shown = (email.length() > 100) ? email.substring(0, 100) + "..." : email;
				errors.add(new FieldError(field, field + " is not a valid email: '" + Storable.printable(shown) + "'"));
			}
			else {
				searched.add(email);
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidInputException(errors);
		}
		if (searched.isEmpty() || searched.size() > MAX_EMAILS) {
			throw new InvalidInputException("emails",
					"emails must hold 1 to " + MAX_EMAILS + " email addresses, not " + searched.size());
		}
		return searched;
	}

	/**
	 * A search's answer.
	 *
	 * @param contactCount how many contacts satisfy the condition
	 * @param contacts the first of them, a JSON array of API contact objects
	 */
	public record Result(long contactCount, String contacts) {
	}

}

package io.segmat.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.segmat.testsupport.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token-level mutations of valid queries (a fixed seed, so runs repeat): every one is
 * either refused with our own message or compiles to SQL that PostgreSQL plans and runs
 * without error.
 */
// Slow: 600 random mutations, most of them refused by the parser; `make test-fast` leaves
// it out.
@Tag("slow")
class MutatedQueryTests {

	private static final List<String> SEEDS = List.of(
			"SELECT contact_id, updated_at FROM contact_data WHERE lower(first_name) = 'ada' AND country = 'UK'",
			"SELECT contact_id, updated_at FROM contact_data WHERE postal_code IN ('02139', '10001') OR age BETWEEN 30 AND 39",
			"SELECT contact_id, updated_at FROM contact_data WHERE NOT array_contains(list_ids, ['11111111-1111-1111-1111-111111111111'])",
			"SELECT contact_id, updated_at FROM contact_data WHERE signup_date > timestampadd(day, -30, CURRENT_TIMESTAMP)",
			"SELECT c.contact_id, c.updated_at FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id WHERE ( e.event_type = 'open' OR e.event_type = 'click' ) AND e.timestamp > NOW() - INTERVAL 30 DAY",
			"SELECT contact_id, updated_at FROM contact_data WHERE contact_id NOT IN ( SELECT contact_id FROM event_data WHERE event_type = 'open' AND DATA:payload.url IS NULL )",
			"SELECT c.contact_id, c.updated_at, MAX(e.timestamp) AS last_open FROM contact_data c JOIN event_data e ON c.contact_id = e.contact_id GROUP BY c.contact_id HAVING last_open < NOW() AND COUNT(*) >= 2",
			"SELECT contact_id, updated_at FROM contact_data c WHERE EXISTS ( SELECT 1 FROM event_data e WHERE e.contact_id = c.contact_id AND e.url LIKE '%x%' )",
			"SELECT contact_id, updated_at FROM contact_data WHERE coalesce(age, 0) + length(email) > 3 AND date_trunc(month, signup_date) < TIMESTAMP '2026-01-01' OR upper(plan) IN ('GOLD') AND NOT email ILIKE 'a%'");

	private static final String[] INSERTS = { "(", ")", ",", "AND", "OR", "NOT", "=", "<", "IN", "NULL", "'x'", "1",
			"-", "*", "/", "e.timestamp", "c.email", "NOW()", "INTERVAL 1 DAY", "[", "]", "'2024-01-01'", "age",
			"signup_date", "list_ids", "SELECT", "event_data", "contact_id", "DATA:payload.url", "IS", "LIKE",
			"BETWEEN", "COUNT(*)", "EXISTS", "ARRAY['a']", "TIMESTAMP '2020-01-01'", "coalesce(", "lower(", "%",
			"email_domains", "updated_at" };

	private final FieldCatalog fields = new FieldCatalog(
			List.of(new CatalogField("e1_T", "plan", FieldType.TEXT), new CatalogField("e2_N", "age", FieldType.NUMBER),
					new CatalogField("e4_D", "signup_date", FieldType.DATE)));

	@Test
	void mutatedQueriesAreRefusedCleanlyOrRunOnPostgres() throws SQLException {
		// given a database and a compiler
		QueryCompiler compiler = new QueryCompiler();
		Random random = new Random(20261128);
		int compiled = 0;
		try (Connection connection = TestDatabase.create().dataSource().getConnection()) {
			for (int i = 0; i < 600; i++) {
				// when a mutated query is compiled
				String query = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
				CompiledQuery result;
				try {
					result = compiler.compile(query, this.fields, null, Instant.parse("2026-06-01T00:00:00Z"));
				}
				catch (QueryException refused) {
					// then a refusal is ours and says where
					assertThat(refused.getMessage()).as(query)
						.containsPattern("at line \\d+, column \\d+")
						.doesNotContain("does not support");
					continue;
				}
				// or the SQL it compiled to runs
				compiled++;
				try (PreparedStatement statement = connection.prepareStatement(result.sql())) {
					for (int p = 0; p < result.parameters().size(); p++) {
						statement.setObject(p + 1, result.parameters().get(p));
					}
					statement.executeQuery().close();
				}
			}
		}
		assertThat(compiled).isPositive();
	}

	private static String mutate(String seed, Random random) {
		List<String> tokens = new ArrayList<>(Arrays.asList(seed.split(" ")));
		int mutations = 1 + random.nextInt(2);
		for (int m = 0; m < mutations; m++) {
			int at = random.nextInt(tokens.size());
			switch (random.nextInt(4)) {
				case 0 -> tokens.remove(at);
				case 1 -> tokens.add(at, INSERTS[random.nextInt(INSERTS.length)]);
				case 2 -> tokens.set(at, INSERTS[random.nextInt(INSERTS.length)]);
				default -> tokens.add(at, tokens.get(random.nextInt(tokens.size())));
			}
			if (tokens.isEmpty()) {
				tokens.add("SELECT");
			}
		}
		return String.join(" ", tokens);
	}

}

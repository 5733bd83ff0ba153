package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The loader writes rows the way the compiler contract says segmat stores them. */
class DifferentialDatabaseTests {

	private static DifferentialDatabase db;

	@BeforeAll
	static void open() {
		db = new DifferentialDatabase();
	}

	@AfterAll
	static void close() {
		db.close();
	}

	private static final OracleData.Contact ANN = new OracleData.Contact(
			UUID.fromString("00000000-0000-0000-0000-00000000000a"), "ann0@example.com", "Ann", null, "US", null, null,
			null, List.of("alt.ann@Mail.Test"), Instant.parse("2026-01-02T03:04:05Z"),
			Instant.parse("2026-02-02T03:04:05Z"),
			Map.of("e1_T", "gold", "e3_N", new BigDecimal("12.50"), "e4_D", Instant.parse("2026-05-01T00:00:00Z")),
			Set.of(OracleData.LISTS.get(0)));

	private static final OracleData.Event OPEN = new OracleData.Event(0, "ev0", "open",
			Instant.parse("2026-05-30T12:00:00Z"), OracleData.SINGLESENDS.get(0), null, "spring");

	@Test
	void contactsFollowTheStorageConventions() {
		db.load(new OracleData(List.of(ANN), List.of(OPEN)));

		assertThat(db.strings("SELECT email || ' ' || email_domains::text || ' ' || (alternate_emails IS NOT NULL)"
				+ " || ' ' || (first_name IS NULL) || ' ' || (last_name IS NULL) FROM contact"))
			.containsExactly("ann0@example.com {example.com,mail.test} true false true");
		assertThat(db.strings("SELECT custom_fields::text FROM contact"))
			.containsExactly("{\"e1_T\": \"gold\", \"e3_N\": 12.50, \"e4_D\": 1777593600}");
		assertThat(db.strings("SELECT to_timestamp((custom_fields->>'e4_D')::double precision) = "
				+ "TIMESTAMPTZ '2026-05-01T00:00:00Z' FROM contact"))
			.containsExactly("t");
		assertThat(db.strings("SELECT lm.list_id::text FROM list_member lm JOIN contact c USING (contact_key)"))
			.containsExactly(OracleData.LISTS.get(0).toString());
	}

	@Test
	void eventsCarryTheWebhookPayloadWithUniqueArgs() {
		db.load(new OracleData(List.of(ANN), List.of(OPEN)));

		assertThat(db.strings("SELECT e.event_type || ' ' || e.event_source || ' ' || e.singlesend_id || ' '"
				+ " || (e.data #>> '{payload,unique_args,singlesend_id}') || ' '"
				+ " || (e.data #>> '{payload,unique_args,campaign}') || ' ' || (e.data #>> '{payload,url}' IS NULL)"
				+ " FROM email_event e JOIN contact c USING (contact_key)"))
			.containsExactly("open mail " + OPEN.singlesendId() + " " + OPEN.singlesendId() + " spring true");
	}

	@Test
	void reloadingReplacesThePreviousTry() {
		db.load(new OracleData(List.of(ANN), List.of(OPEN)));
		db.load(new OracleData(List.of(), List.of()));

		assertThat(db.strings("SELECT count(*) FROM contact")).containsExactly("0");
		assertThat(db.strings("SELECT count(*) FROM email_event")).containsExactly("0");
		assertThat(db.strings("SELECT count(*) FROM custom_field")).containsExactly("5");
	}

}

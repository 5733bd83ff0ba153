package io.segmat.api;

import java.time.Duration;
import java.time.Instant;

import io.segmat.refresh.RefreshLauncher;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SendGrid's manual refresh quotas over HTTP, with the server's clock moved by the test.
 */
class ManualRefreshLimitsTests extends ApiTestSupport {

	@Autowired
	private RefreshLauncher launcher;

	@Test
	void perSegmentDayStartsAtMidnightInTheUsersTimeZone() {
		// 09:30Z is 22:30 in Auckland (NZDT, +13) and 01:30 in Los Angeles (PST, -8) on 2
		// March.
		String auckland = segment("auckland");
		String angeles = segment("angeles");
		this.clock.set(Instant.parse("2026-03-02T09:30:00Z"));
		assertThat(refresh(auckland, "Pacific/Auckland").status()).isEqualTo(202);
		assertThat(refresh(angeles, "America/Los_Angeles").status()).isEqualTo(202);
		this.clock.set(Instant.parse("2026-03-02T10:30:00Z"));
		assertThat(refresh(auckland, "Pacific/Auckland").status()).isEqualTo(202);
		assertThat(refresh(angeles, "America/Los_Angeles").status()).isEqualTo(202);

		// 11:30Z: past midnight in Auckland (a new day there), still 2 March in Los
		// Angeles.
		this.clock.set(Instant.parse("2026-03-02T11:30:00Z"));
		assertThat(refresh(auckland, "Pacific/Auckland").status()).isEqualTo(202);
		Answer refused = refresh(angeles, "America/Los_Angeles");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(message(refused)).contains("2 manual refreshes per segment per day (America/Los_Angeles)")
			.contains("resets at 2026-03-03T08:00:00Z");
		assertThat(refreshesUsed(auckland)).isEqualTo(1);

		this.clock.set(Instant.parse("2026-03-02T12:30:00Z"));
		assertThat(refresh(auckland, "Pacific/Auckland").status()).isEqualTo(202);
		this.clock.set(Instant.parse("2026-03-02T13:30:00Z"));
		Answer aucklandRefused = refresh(auckland, "Pacific/Auckland");
		assertThat(aucklandRefused.status()).isEqualTo(429);
		assertThat(message(aucklandRefused)).contains("per segment per day (Pacific/Auckland)")
			.contains("resets at 2026-03-03T11:00:00Z");
		assertThat(manualRefreshes()).isEqualTo(6);
	}

	@Test
	void oncePerSegmentPerHour() {
		String id = segment("hourly");
		assertThat(refresh(id, "UTC").status()).isEqualTo(202);
		this.clock.advance(Duration.ofMinutes(59));
		Answer refused = refresh(id, "UTC");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(message(refused)).contains("1 manual refresh per segment per hour")
			.contains("resets at 2026-03-02T11:00:00Z");
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(refresh(id, "UTC").status()).isEqualTo(202);
		assertThat(manualRefreshes()).isEqualTo(2);
	}

	@Test
	void tenPerAccountPerUtcDay() {
		String[] ids = new String[6];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = segment("s" + i);
		}
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 5; i++) {
				assertThat(refresh(ids[i], "Pacific/Kiritimati").status()).isEqualTo(202);
			}
			this.clock.advance(Duration.ofHours(1));
		}
		Answer refused = refresh(ids[5], "Pacific/Kiritimati");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(message(refused)).contains("10 manual refreshes per day over all segments (UTC)")
			.contains("resets at 2026-03-03T00:00:00Z");
		this.clock.set(Instant.parse("2026-03-03T00:00:00Z"));
		assertThat(refresh(ids[5], "Pacific/Kiritimati").status()).isEqualTo(202);
	}

	@Test
	void aRefreshPublishesNowAndLeavesTheBackoffAlone() {
		this.data.contact("ada@example.com", "Ada", "UK");
		String id = segment("uk");
		this.launcher.launch("2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z", 1);
		String next = get(id).get("next_sample_update").asString();
		assertThat(next).isEqualTo("2026-03-02T11:00:00Z");
		this.data.contact("bob@example.com", "Bob", "UK");

		this.clock.set(Instant.parse("2026-03-02T10:20:00Z"));
		assertThat(refresh(id, "Europe/London").status()).isEqualTo(202);

		var segment = get(id);
		assertThat(segment.get("contacts_count").asLong()).isEqualTo(2);
		assertThat(segment.get("sample_updated_at").asString()).isEqualTo("2026-03-02T10:20:00Z");
		assertThat(segment.get("last_refreshed_at").asString()).isEqualTo("2026-03-02T10:20:00Z");
		assertThat(segment.get("next_sample_update").asString()).isEqualTo(next);
		assertThat(this.jdbc.sql("SELECT sample_interval_hours FROM segment").query(Integer.class).single())
			.isEqualTo(1);
	}

	private String segment(String name) {
		Answer created = call("POST", "/v3/marketing/segments/2.0", "{\"name\":\"" + name
				+ "\",\"query_dsl\":\"SELECT contact_id, updated_at FROM contact_data WHERE country = 'UK'\"}");
		assertThat(created.status()).isEqualTo(201);
		return created.json().get("id").asString();
	}

	private Answer refresh(String id, String zone) {
		return call("POST", "/v3/marketing/segments/2.0/refresh/" + id, "{\"user_time_zone\":\"" + zone + "\"}");
	}

	private tools.jackson.databind.JsonNode get(String id) {
		return call("GET", "/v3/marketing/segments/2.0/" + id, null).json();
	}

	private int refreshesUsed(String id) {
		return get(id).get("refreshes_used").asInt();
	}

	private long manualRefreshes() {
		return this.jdbc.sql("SELECT count(*) FROM segment_evaluation WHERE trigger = 'manual'")
			.query(Long.class)
			.single();
	}

	private static String message(Answer answer) {
		return answer.json().get("errors").get(0).get("message").asString();
	}

}

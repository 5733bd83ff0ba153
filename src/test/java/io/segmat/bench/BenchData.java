package io.segmat.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The bench's contacts, written as the NDJSON a user would import, with skewed attributes
 * so that segments range from 0.5 % to 60 % of the base. Everything depends only on the
 * seed and the position, so two runs of the bench import the same contacts.
 */
final class BenchData {

	static final long SEED = 20260601L;

	/**
	 * Custom fields the contacts carry: name → type. score (0–999, uniform) lets
	 * generated segments pick any size.
	 */
	static final Map<String, String> FIELDS = Map.of("plan", "Text", "age", "Number", "lifetime_value", "Number",
			"signup_date", "Date", "score", "Number");

	static final String[] LISTS = { "newsletter", "vip", "beta", "churned" };

	/** The share of contacts imported into each of {@link #LISTS}. */
	private static final double[] LIST_SHARES = { 0.6, 0.05, 0.1, 0.08 };

	static final double VIP_SHARE = LIST_SHARES[1];

	/** Countries with a realistic long tail: a few big markets, many small ones. */
	static final String[] COUNTRIES = { "US", "UK", "DE", "FR", "BR", "IN", "JP", "CA", "AU", "NZ", "MX", "ES", "IT",
			"NL", "SE" };

	private static final int[] COUNTRY_WEIGHTS = { 30, 12, 10, 8, 8, 10, 5, 6, 5, 1, 1, 1, 1, 1, 1 };

	private static final String[] FIRST_NAMES = { "Ada", "Grace", "Alan", "Emma", "Liam", "Olivia", "Noah", "Mia",
			"Zoë", "José", "Søren", "Łukasz", "Ayşe", "François", "Priya", "Mohammed", "Chen", "Siobhán", "Ngozi",
			"Mateo" };

	private static final String[] LAST_NAMES = { "Lovelace", "Hopper", "Turing", "Smith", "García", "Müller",
			"Kowalski", "Yılmaz", "Dubois", "Nakamura", "Silva", "Patel", "Okafor", "O'Brien", "Wang", "Rossi" };

	private static final String[] DOMAINS = { "gmail.test", "yahoo.test", "example.com", "corp.example", "mail.test" };

	private BenchData() {
	}

	/** Writes {@code count} contacts; list names map to the lists' ids. */
	static void writeContacts(Path file, int count, Instant asOf, Map<String, UUID> lists) throws IOException {
		int weightTotal = 0;
		for (int weight : COUNTRY_WEIGHTS) {
			weightTotal += weight;
		}
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			StringBuilder line = new StringBuilder(512);
			for (int i = 0; i < count; i++) {
				SplittableRandom random = new SplittableRandom(SEED + i);
				line.setLength(0);
				String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
				String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
				line.append("{\"email\":\"c")
					.append(i)
					.append('@')
					.append(DOMAINS[random.nextInt(DOMAINS.length)])
					.append("\",\"first_name\":\"")
					.append(first)
					.append("\",\"last_name\":\"")
					.append(last)
					.append("\",\"country\":\"")
					.append(pickCountry(random, weightTotal))
					.append("\",\"city\":\"City ")
					.append(random.nextInt(500))
					.append("\",\"postal_code\":\"")
					.append(10000 + random.nextInt(90000))
					.append("\",\"list_ids\":[");
				boolean firstList = true;
				for (int l = 0; l < LISTS.length; l++) {
					if (random.nextDouble() < LIST_SHARES[l]) {
						line.append(firstList ? "" : ",").append('"').append(lists.get(LISTS[l])).append('"');
						firstList = false;
					}
				}
				double planRoll = random.nextDouble();
				String plan = (planRoll < 0.6) ? "free" : (planRoll < 0.9) ? "pro" : "enterprise";
				line.append("],\"custom_fields\":{\"plan\":\"").append(plan).append('"');
				if (random.nextDouble() < 0.9) {
					line.append(",\"age\":").append(18 + random.nextInt(58));
				}
				// Log-normal spend: most contacts spend little, a few a lot.
				double value = Math.exp(4 + 1.2 * gaussian(random));
				line.append(",\"lifetime_value\":").append(Math.round(value * 100) / 100.0);
				line.append(",\"signup_date\":\"")
					.append(asOf.minusSeconds(random.nextLong(3L * 365 * 86400)).toString())
					.append('"');
				line.append(",\"score\":").append(random.nextInt(1000)).append("}}\n");
				out.append(line);
			}
		}
	}

	/**
	 * Each country repeated by its weight: a uniform pick from it is a weighted pick, in
	 * SQL too.
	 */
	static String[] weightedCountries() {
		List<String> weighted = new ArrayList<>();
		for (int c = 0; c < COUNTRIES.length; c++) {
			weighted.addAll(Collections.nCopies(COUNTRY_WEIGHTS[c], COUNTRIES[c]));
		}
		return weighted.toArray(String[]::new);
	}

	private static String pickCountry(SplittableRandom random, int weightTotal) {
		int roll = random.nextInt(weightTotal);
		for (int c = 0; c < COUNTRIES.length; c++) {
			roll -= COUNTRY_WEIGHTS[c];
			if (roll < 0) {
				return COUNTRIES[c];
			}
		}
		return COUNTRIES[0];
	}

	private static double gaussian(SplittableRandom random) {
		// Box–Muller: SplittableRandom has no nextGaussian on Java 17.
		double u = 1.0 - random.nextDouble();
		double v = random.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/**
	 * Events straight into email_event with one INSERT … SELECT: the event import job is
	 * not what this bench measures, and 5 million JSON lines through it would dominate
	 * the run. Activity is skewed: floor(u³·22) events a contact (about 5 on average, a
	 * third of contacts none, a few 21); each event is delivered 50 %, bounce 3 %, open
	 * 32 %, click 15 %, spread over 90 days. seq comes from change_seq as the product's
	 * writers do, so the refresh sees the events.
	 */
	static final String EVENTS = """
			INSERT INTO email_event (seq, sg_event_id, contact_key, event_type, occurred_at, data)
			SELECT nextval('change_seq'), 'bench.' || e.contact_key || '.' || e.g, e.contact_key,
			       CASE WHEN e.r < 0.50 THEN 'delivered' WHEN e.r < 0.53 THEN 'bounce'
			            WHEN e.r < 0.85 THEN 'open' ELSE 'click' END,
			       ?::timestamptz - e.t * interval '90 days', '{}'::jsonb
			FROM (SELECT x.contact_key, g, random() AS r, random() AS t
			      FROM (SELECT contact_key, floor(power(random(), 3) * 22)::int AS n FROM contact) x
			      CROSS JOIN LATERAL generate_series(1, x.n) g) e
			""";

}

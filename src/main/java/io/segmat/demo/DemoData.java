package io.segmat.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.segmat.ingest.ImportJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A realistic demo data set, the same for the same seed, size and {@code asOf}: contacts
 * with names from many languages, addresses in ten countries, four lists and four custom
 * fields; and 90 days of single-send traffic (deliveries, bounces, opens, clicks) before
 * {@code asOf}, as Event Webhook events. Emails and sg_event_ids depend only on the seed
 * and the position, so a later day's data set updates the same contacts and repeats no
 * event.
 */
public final class DemoData {

	public static final long SEED = 20240619L;

	/** The custom fields the contacts use: name → type. */
	public static final Map<String, String> FIELDS = Map.of("plan", "Text", "age", "Number", "lifetime_value", "Number",
			"signup_date", "Date");

	public static final List<String> LISTS = List.of("newsletter", "vip", "beta", "churned");

	/** The single sends, oldest first, with how many days before asOf each went out. */
	public static final List<SingleSend> SINGLE_SENDS = List.of(send(1, "Spring launch", 85),
			send(2, "Product digest", 64), send(3, "Summer sale", 43), send(4, "Webinar invite", 22),
			send(5, "Monthly news", 6));

	private static final String[] FIRST_NAMES = { "Ada", "Grace", "Alan", "Emma", "Liam", "Olivia", "Noah", "Mia",
			"Zoë", "José", "Søren", "Łukasz", "Ayşe", "François", "Björk", "Chloé", "Jürgen", "Nguyễn", "Priya",
			"Mohammed", "Fatima", "Chen", "李", "さくら", "Олег", "Αλέξης", "Siobhán", "Ngozi", "Mateo", "Aroha" };

	private static final String[] LAST_NAMES = { "Lovelace", "Hopper", "Turing", "Smith", "García", "Müller",
			"Kowalski", "Yılmaz", "Dubois", "Nakamura", "Østergaard", "Silva", "Patel", "Okafor", "O'Brien", "Wang",
			"王", "田中", "Иванов", "Παπαδόπουλος", "Nguyen", "Kim", "Rossi", "Jensen", "Haddad" };

	private static final String[][] PLACES = { { "US", "New York", "NY", "10001" },
			{ "US", "San Francisco", "CA", "94103" }, { "UK", "London", "England", "SW1A 1AA" },
			{ "DE", "Berlin", "BE", "10115" }, { "FR", "Paris", "IDF", "75001" }, { "JP", "Tokyo", "13", "100-0001" },
			{ "BR", "São Paulo", "SP", "01000-000" }, { "IN", "Bengaluru", "KA", "560001" },
			{ "AU", "Sydney", "NSW", "2000" }, { "CA", "Toronto", "ON", "M5H 2N2" } };

	private static final String[] DOMAINS = { "gmail.test", "yahoo.test", "example.com", "corp.example", "mail.test",
			"uni.edu.test" };

	private static final String[] PLANS = { "free", "free", "free", "pro", "pro", "enterprise" };

	private final int contacts;

	private final Instant asOf;

	public DemoData(int contacts, Instant asOf) {
		this.contacts = contacts;
		this.asOf = asOf;
	}

	/**
	 * Writes contacts.ndjson (list names as given ids) and events.ndjson into
	 * {@code dir}.
	 */
	public Written written(Path dir, Map<String, UUID> listIds) {
		try {
			Files.createDirectories(dir);
			Path contactsFile = dir.resolve("contacts.ndjson");
			Path eventsFile = dir.resolve("events.ndjson");
			List<String> emails = writeContacts(contactsFile, listIds);
			long events = writeEvents(eventsFile, emails);
			return new Written(contactsFile, eventsFile, emails.size(), events);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the demo data under " + dir, ex);
		}
	}

	private List<String> writeContacts(Path file, Map<String, UUID> listIds) throws IOException {
		List<String> emails = new ArrayList<>(this.contacts);
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (int i = 0; i < this.contacts; i++) {
				// One generator per contact: contact i is the same whatever the data
				// set's size.
				Random random = new Random(SEED + i);
				String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
				String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
				String email = slug(first) + "." + slug(last) + i + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
				emails.add(email);
				String[] place = PLACES[random.nextInt(PLACES.length)];
				ObjectNode contact = ImportJson.MAPPER.createObjectNode();
				contact.put("email", email);
				contact.put("first_name", first);
				contact.put("last_name", last);
				contact.put("country", place[0]);
				contact.put("city", place[1]);
				contact.put("state_province_region", place[2]);
				contact.put("postal_code", place[3]);
				contact.put("address_line_1", (1 + random.nextInt(999)) + " Main St");
				ArrayNode lists = contact.putArray("list_ids");
				addList(lists, listIds, "newsletter", random.nextDouble() < 0.6);
				addList(lists, listIds, "vip", random.nextDouble() < 0.05);
				addList(lists, listIds, "beta", random.nextDouble() < 0.1);
				addList(lists, listIds, "churned", random.nextDouble() < 0.08);
				ObjectNode custom = contact.putObject("custom_fields");
				custom.put("plan", PLANS[random.nextInt(PLANS.length)]);
				if (random.nextDouble() < 0.9) {
					custom.put("age", 18 + random.nextInt(58));
				}
				custom.put("lifetime_value",
						BigDecimal.valueOf(random.nextDouble() * 5000).setScale(2, RoundingMode.HALF_UP));
				Instant signup = this.asOf.minus(Duration.ofSeconds(random.nextLong(3L * 365 * 86400)));
				custom.put("signup_date", signup.toString());
				out.write(ImportJson.MAPPER.writeValueAsString(contact));
				out.write('\n');
			}
		}
		return emails;
	}

	private long writeEvents(Path file, List<String> emails) throws IOException {
		long count = 0;
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			for (SingleSend send : SINGLE_SENDS) {
				Random random = new Random(SEED * 31 + send.number());
				long sentAt = this.asOf.minus(Duration.ofDays(send.daysBeforeAsOf())).getEpochSecond();
				for (int i = 0; i < emails.size(); i++) {
					if (random.nextDouble() >= 0.4) {
						continue;
					}
					String email = emails.get(i);
					String key = send.number() + "-" + i;
					long deliveredAt = sentAt + random.nextInt(600);
					if (random.nextDouble() < 0.03) {
						count += write(out, event(key + "-b", email, "bounce", deliveredAt, send, null));
						continue;
					}
					count += write(out, event(key + "-d", email, "delivered", deliveredAt, send, null));
					if (random.nextDouble() < 0.3) {
						long openedAt = deliveredAt + random.nextInt(2 * 86400);
						count += write(out, event(key + "-o", email, "open", openedAt, send, null));
						if (random.nextDouble() < 0.25) {
							count += write(out, event(key + "-c", email, "click", openedAt + random.nextInt(300), send,
									"https://example.com/" + send.name().toLowerCase(Locale.ROOT).replace(' ', '-')));
						}
					}
				}
			}
		}
		return count;
	}

	private static ObjectNode event(String key, String email, String type, long timestamp, SingleSend send,
			String url) {
		ObjectNode event = ImportJson.MAPPER.createObjectNode();
		event.put("email", email);
		event.put("timestamp", timestamp);
		event.put("event", type);
		event.put("sg_event_id",
				UUID.nameUUIDFromBytes(("demo-event-" + key).getBytes(StandardCharsets.UTF_8))
					.toString()
					.replace("-", "")
					.substring(0, 22));
		event.put("sg_message_id", "demo." + key.substring(0, key.lastIndexOf('-')));
		event.put("singlesend_id", send.id());
		event.put("singlesend_name", send.name());
		event.putArray("category").add("demo");
		if (url != null) {
			event.put("url", url);
		}
		return event;
	}

	private static int write(BufferedWriter out, ObjectNode event) throws IOException {
		out.write(ImportJson.MAPPER.writeValueAsString(event));
		out.write('\n');
		return 1;
	}

	private static void addList(ArrayNode lists, Map<String, UUID> listIds, String name, boolean member) {
		if (member && listIds.containsKey(name)) {
			lists.add(listIds.get(name).toString());
		}
	}

	/**
	 * Names as ASCII for the local part of an email: accents dropped, other scripts
	 * become "x".
	 */
	private static String slug(String name) {
		String ascii = Normalizer.normalize(name, Normalizer.Form.NFD)
			.replace("ł", "l")
			.replace("Ł", "L")
			.replace("ø", "o")
			.replace("Ø", "O")
			.replaceAll("[^A-Za-z]", "")
			.toLowerCase(Locale.ROOT);
		return ascii.isEmpty() ? "x" : ascii;
	}

	private static SingleSend send(int number, String name, int daysBeforeAsOf) {
		return new SingleSend(number,
				UUID.nameUUIDFromBytes(("demo-singlesend-" + number).getBytes(StandardCharsets.UTF_8)).toString(), name,
				daysBeforeAsOf);
	}

	/** One single send of the demo. */
	public record SingleSend(int number, String id, String name, int daysBeforeAsOf) {
	}

	/** The files written and how many records each holds. */
	public record Written(Path contacts, Path events, long contactCount, long eventCount) {
	}

}

package io.segmat.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The differential test's world, held in memory so the oracle can evaluate queries
 * without PostgreSQL. The vocabulary (custom fields, lists, single sends, value pools) is
 * fixed so that generated queries name values that generated contacts actually hold; only
 * the contacts, their attributes and their events are random.
 */
record OracleData(List<Contact> contacts, List<Event> events) {

	/** What CURRENT_TIMESTAMP means for every query of the differential test. */
	static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	enum Kind {

		TEXT, NUMBER, TIMESTAMP

	}

	record Field(String id, String name, Kind kind) {
	}

	// Mixed-case names on purpose: the language resolves custom field names
	// case-insensitively.
	static final Field PLAN = new Field("e1_T", "plan", Kind.TEXT);
	static final Field AGE = new Field("e2_N", "age", Kind.NUMBER);
	static final Field LIFETIME_VALUE = new Field("e3_N", "lifetime_value", Kind.NUMBER);
	static final Field SIGNUP_DATE = new Field("e4_D", "Signup_Date", Kind.TIMESTAMP);
	static final Field TIER = new Field("e5_T", "Tier", Kind.TEXT);

	static final List<Field> FIELDS = List.of(PLAN, AGE, LIFETIME_VALUE, SIGNUP_DATE, TIER);

	static final List<UUID> LISTS = List.of(list("newsletter"), list("beta"), list("partners"), list("vip"));

	/** A list nobody is ever in, so that queries also name a list with no members. */
	static final UUID EMPTY_LIST = LISTS.get(3);

	static final List<String> SINGLESENDS = List.of("309d6b79-965e-da32-dae4-45508201e2bd",
			"73ab4876-7734-d7c1-c7fd-e805ec99108d", "db5b5fab-8f4d-3e27-dda1-494c73cf256d");

	static final List<String> EVENT_TYPES = List.of("open", "click", "delivered", "processed", "bounce");

	static final List<String> DOMAINS = List.of("example.com", "gmail.test", "corp.example", "mail.test");

	static final List<String> URLS = List.of("https://example.com/sale", "https://example.com/news?id=7",
			"https://shop.test/cart");

	static final List<String> CAMPAIGNS = List.of("spring", "summer");

	// Value pools: values repeat across contacts and differ only by case, an empty string
	// or a
	// LIKE wildcard inside them, so equality, LIKE and lower()/upper() have something to
	// find.
	static final List<String> LOCAL_PARTS = List.of("yuki.knuth", "tim", "grace.j", "o'brien", "ann_lee", "bob%x");

	static final List<String> FIRST_NAMES = List.of("Alice", "alice", "Bob", "BOB", "O'Brien", "Ann", "");

	static final List<String> LAST_NAMES = List.of("Smith", "smith", "Müller", "O'Neil", "Lee_x", "50% Off");

	static final List<String> COUNTRIES = List.of("US", "UK", "FR", "us", "");

	static final List<String> CITIES = List.of("New York", "London", "Paris", "london");

	static final List<String> POSTAL_CODES = List.of("90124", "90125", "10001", "SW1A 1AA", "01234");

	static final List<String> STATES = List.of("NY", "CA", "England");

	static final List<String> PLANS = List.of("gold", "free", "Gold", "trial", "");

	static final List<String> TIERS = List.of("Gold", "silver", "BRONZE");

	static final List<String> LIFETIME_VALUES = List.of("0", "12.5", "100", "100.00", "99.99", "-5.25", "1141.25");

	/**
	 * Contact ids derive from the contact's index, so queries can name contacts that
	 * exist.
	 */
	static UUID contactId(int index) {
		return UUID
			.nameUUIDFromBytes(("segmat-difftest-contact-" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static UUID list(String name) {
		return UUID
			.nameUUIDFromBytes(("segmat-difftest-list-" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * One contact. Nullable attributes are null when the contact does not have them;
	 * custom field values are keyed by field id and absent when unset (String, BigDecimal
	 * or Instant).
	 */
	record Contact(UUID id, String email, String firstName, String lastName, String country, String city,
			String postalCode, String state, List<String> alternateEmails, Instant createdAt, Instant updatedAt,
			Map<String, Object> custom, Set<UUID> listIds) {

		/**
		 * Lower-case domains of the email and the alternate emails, as the storage
		 * derives them.
		 */
		List<String> emailDomains() {
			Set<String> domains = new LinkedHashSet<>();
			domains.add(domain(this.email));
			if (this.alternateEmails != null) {
				this.alternateEmails.forEach(a -> domains.add(domain(a)));
			}
			return new ArrayList<>(domains);
		}

		private static String domain(String address) {
			return address.substring(address.indexOf('@') + 1).toLowerCase(Locale.ROOT);
		}

		/**
		 * The value of a contact_data column as the language sees it (null is SQL NULL).
		 */
		Object column(String name) {
			return switch (name) {
				case "contact_id" -> this.id.toString();
				case "email" -> this.email;
				case "first_name" -> this.firstName;
				case "last_name" -> this.lastName;
				case "country" -> this.country;
				case "city" -> this.city;
				case "postal_code" -> this.postalCode;
				case "state_province_region" -> this.state;
				case "alternate_emails" -> this.alternateEmails;
				case "email_domains" -> emailDomains();
				case "list_ids" -> this.listIds.stream().map(UUID::toString).toList();
				case "created_at" -> this.createdAt;
				case "updated_at" -> this.updatedAt;
				default -> throw new IllegalArgumentException("no contact column " + name);
			};
		}

		Object custom(Field field) {
			return this.custom.get(field.id());
		}

	}

	/**
	 * One email event of the contact at {@code contact} (an index into contacts). The
	 * single send and campaign also travel in the payload's unique_args, where SendGrid
	 * puts marketing args.
	 */
	record Event(int contact, String sgEventId, String type, Instant occurredAt, String singlesendId, String url,
			String campaign) {

		Object column(String name) {
			return switch (name) {
				case "event_source" -> "mail";
				case "event_type" -> this.type;
				case "timestamp", "event_timestamp" -> this.occurredAt;
				case "singlesend_id" -> this.singlesendId;
				case "url" -> this.url;
				default -> throw new IllegalArgumentException("no event column " + name);
			};
		}

		/** A text value at a path under data, or null where the path is missing. */
		String dataPath(List<String> path) {
			if (path.equals(List.of("payload", "event"))) {
				return this.type;
			}
			if (path.equals(List.of("payload", "url"))) {
				return this.url;
			}
			if (path.equals(List.of("payload", "singlesend_id"))
					|| path.equals(List.of("payload", "unique_args", "singlesend_id"))) {
				return this.singlesendId;
			}
			if (path.equals(List.of("payload", "unique_args", "campaign"))) {
				return this.campaign;
			}
			return null;
		}

	}

	static BigDecimal number(Object o) {
		return (BigDecimal) o;
	}

}

package io.segmat.query;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random contacts and events over {@link OracleData}'s fixed vocabulary. Every nullable
 * attribute is NULL often enough that three-valued logic matters in most tries; values
 * repeat across contacts (and differ only in case or by an empty string) so equality,
 * LIKE and case functions hit.
 */
final class OracleDataGenerator {

	private OracleDataGenerator() {
	}

	private record EventSeed(String type, int secondsBeforeAsOf, String singlesendId, String url, String campaign) {
	}

	private record Person(String localPart, String domain, String firstName, String lastName,
			List<String> alternateDomains) {
	}

	private record Address(String country, String city, String postalCode, String state) {
	}

	private record ContactSeed(Person person, Address address, int createdSecondsAgo, int updatedAfterSeconds,
			Map<String, Object> custom, Set<UUID> listIds, List<EventSeed> events) {
	}

	static Arbitrary<OracleData> data() {
		return contact().list().ofMinSize(30).ofMaxSize(200).map(OracleDataGenerator::assemble);
	}

	/** Small worlds for generator/oracle self-tests that do not need a database. */
	static Arbitrary<OracleData> smallData() {
		return contact().list().ofMinSize(1).ofMaxSize(12).map(OracleDataGenerator::assemble);
	}

	private static Arbitrary<ContactSeed> contact() {
		// Index-derived ids and emails (see assemble) keep them unique however the seeds
		// shrink.
		Arbitrary<String> localPart = Arbitraries.of(OracleData.LOCAL_PARTS);
		Arbitrary<String> domain = Arbitraries.of(OracleData.DOMAINS);
		Arbitrary<String> firstName = Arbitraries.of(OracleData.FIRST_NAMES).injectNull(0.2);
		Arbitrary<String> lastName = Arbitraries.of(OracleData.LAST_NAMES).injectNull(0.2);
		Arbitrary<String> country = Arbitraries.of(OracleData.COUNTRIES).injectNull(0.25);
		Arbitrary<String> city = Arbitraries.of(OracleData.CITIES).injectNull(0.3);
		Arbitrary<String> postalCode = Arbitraries.of(OracleData.POSTAL_CODES).injectNull(0.3);
		Arbitrary<String> state = Arbitraries.of(OracleData.STATES).injectNull(0.4);
		Arbitrary<List<String>> alternates = domain.list().ofMaxSize(2).injectNull(0.5);
		Arbitrary<Integer> createdSecondsAgo = Arbitraries.integers().between(0, 400 * 86400);
		Arbitrary<Integer> updatedAfter = Arbitraries.integers().between(0, 100 * 86400);
		Arbitrary<Set<UUID>> lists = Arbitraries.of(OracleData.LISTS.subList(0, 3)).set().ofMaxSize(3);
		Arbitrary<List<EventSeed>> events = event().list().ofMaxSize(5);
		Arbitrary<Person> person = Combinators.combine(localPart, domain, firstName, lastName, alternates)
			.as(Person::new);
		Arbitrary<Address> address = Combinators.combine(country, city, postalCode, state).as(Address::new);
		return Combinators.combine(person, address, createdSecondsAgo, updatedAfter, custom(), lists, events)
			.as(ContactSeed::new);
	}

	private static Arbitrary<Map<String, Object>> custom() {
		Arbitrary<String> plan = Arbitraries.of(OracleData.PLANS).injectNull(0.3);
		Arbitrary<BigDecimal> age = Arbitraries.integers().between(18, 70).map(BigDecimal::valueOf).injectNull(0.3);
		Arbitrary<BigDecimal> lifetime = Arbitraries.of(OracleData.LIFETIME_VALUES)
			.map(BigDecimal::new)
			.injectNull(0.3);
		// Some sign-ups lie after asOf, so "in the last N days" is not simply "before
		// asOf".
		Arbitrary<Instant> signup = Arbitraries.integers()
			.between(-5 * 86400, 200 * 86400)
			.map(s -> OracleData.AS_OF.minusSeconds(s))
			.injectNull(0.3);
		Arbitrary<String> tier = Arbitraries.of(OracleData.TIERS).injectNull(0.5);
		return Combinators.combine(plan, age, lifetime, signup, tier).as((p, a, l, s, t) -> {
			Map<String, Object> values = new HashMap<>();
			put(values, OracleData.PLAN, p);
			put(values, OracleData.AGE, a);
			put(values, OracleData.LIFETIME_VALUE, l);
			put(values, OracleData.SIGNUP_DATE, s);
			put(values, OracleData.TIER, t);
			return values;
		});
	}

	private static void put(Map<String, Object> values, OracleData.Field field, Object value) {
		if (value != null) {
			values.put(field.id(), value);
		}
	}

	private static Arbitrary<EventSeed> event() {
		Arbitrary<String> type = Arbitraries.of(OracleData.EVENT_TYPES);
		// Mostly the 90 days before asOf, a few after it (late webhooks of a re-run
		// slot).
		Arbitrary<Integer> secondsBefore = Arbitraries.integers().between(-2 * 86400, 90 * 86400);
		Arbitrary<String> singlesend = Arbitraries.of(OracleData.SINGLESENDS).injectNull(0.2);
		Arbitrary<String> url = Arbitraries.of(OracleData.URLS);
		Arbitrary<String> campaign = Arbitraries.of(OracleData.CAMPAIGNS).injectNull(0.5);
		return Combinators.combine(type, secondsBefore, singlesend, url, campaign)
			.as((t, s, ss, u, c) -> new EventSeed(t, s, ss, t.equals("click") ? u : null, c));
	}

	private static OracleData assemble(List<ContactSeed> seeds) {
		List<OracleData.Contact> contacts = new ArrayList<>();
		List<OracleData.Event> events = new ArrayList<>();
		for (int i = 0; i < seeds.size(); i++) {
			ContactSeed s = seeds.get(i);
			Person p = s.person();
			Address a = s.address();
			UUID id = OracleData.contactId(i);
			String email = p.localPart() + i + "@" + p.domain();
			List<String> alternates = p.alternateDomains() == null ? null
					: p.alternateDomains()
						.stream()
						.distinct()
						.map(d -> "alt." + email.replace('@', '.') + "@" + d)
						.toList();
			Instant created = OracleData.AS_OF.minusSeconds(s.createdSecondsAgo());
			Instant updated = created.plus(Duration.ofSeconds(s.updatedAfterSeconds()));
			contacts.add(new OracleData.Contact(id, email, p.firstName(), p.lastName(), a.country(), a.city(),
					a.postalCode(), a.state(), alternates, created, updated, Map.copyOf(s.custom()),
					Set.copyOf(new LinkedHashSet<>(s.listIds()))));
			for (EventSeed e : s.events()) {
				events.add(new OracleData.Event(i, "ev" + events.size(), e.type(),
						OracleData.AS_OF.minusSeconds(e.secondsBeforeAsOf()), e.singlesendId(), e.url(), e.campaign()));
			}
		}
		return new OracleData(List.copyOf(contacts), List.copyOf(events));
	}

}

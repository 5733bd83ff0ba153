package io.segmat.contacts;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.segmat.db.AdvisoryLock;
import io.segmat.db.ChangeSequence;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.RefusalSplitter;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Upserts a chunk of contacts set-based: one statement looks every email up, new contacts
 * are streamed with COPY straight into their tables, and the rows of existing contacts
 * that may change something are streamed with COPY into a temporary staging table
 * ({@link ContactStage}), which a few statements then work on inside PostgreSQL.
 * <p>
 * Each row carries a digest of what it would write (its given values and lists, in
 * storage form). A contact whose {@code import_hash} equals it already holds all of that,
 * so the row goes no further than the look-up: re-importing an unchanged file costs one
 * index probe a row. New emails are copied into {@code contact} and {@code list_member}
 * with keys and change numbers taken for them beforehand: PostgreSQL then writes the rows
 * and their indexes and nothing else, as a raw COPY does. The rows of existing contacts
 * are staged: every one whose given values differ from the stored ones is updated; then
 * the lists. Only contacts whose values or lists really change get a new change_seq, and
 * only value changes move updated_at, so a re-import changes nothing a segment could see.
 * <p>
 * Storing the digest keeps an invariant: a contact's {@code import_hash} names a row
 * whose values and lists the contact holds. It is set with every write of a row, and
 * filled in (without a new change_seq) where it is unknown; a contact that already holds
 * the row under another digest keeps its own, so two files that alternate over the same
 * contacts do not rewrite them each time.
 * <p>
 * The rows come checked ({@link ContactValidator}); should PostgreSQL still refuse a
 * value, {@link RefusalSplitter} writes the chunk again around the refused rows, which
 * are reported with their lines.
 * <p>
 * {@code list_member} has no foreign keys (V8), so the writer does what they did: it
 * locks the lists of a chunk, and an existing contact it adds to a list, FOR KEY SHARE
 * before adding memberships, so a list or contact deleted meanwhile either waits for the
 * chunk and then deletes the new memberships too, or is seen gone. A row naming a list
 * deleted since the import started is reported, not written.
 */
class ContactWriter implements ItemWriter<ContactRow> {

	static final String IMPORTED = "imported";

	static final String CREATED = "created";

	static final String UPDATED = "updated";

	/**
	 * Rows skipped by their digest; kept in the step's tally for operators, not in the
	 * report.
	 */
	static final String UNCHANGED = "unchanged";

	private static final List<String> TEXT = ContactLimits.TEXT_COLUMNS;

	// The one look-up of each email, before anything is staged: a contact that holds the
	// row already is
	// unchanged and goes no further, one that does not is compared below, a missing one
	// is inserted. Emails
	// hold no whitespace and digests are hex, so a line break separates them.
	private static final String LOOK_UP = """
			SELECT x.i, c.contact_key, coalesce(c.import_hash = decode(x.hash, 'hex'), false) AS unchanged
			FROM unnest(string_to_array(:emails, E'\\n'), string_to_array(:hashes, E'\\n')) WITH ORDINALITY AS x(email, hash, i)
			JOIN contact c ON c.email = x.email
			""";

	// Under the import lock every email the look-up missed is new: the rows are copied
	// with these keys, in the file's order (contact_key's sequence is the identity's),
	// and
	// one change number. The refresh asks which contacts changed after a number, never
	// which number a contact has: the rows a statement writes can share one. The
	// change_seq
	// index then takes them as one deduplicated entry.
	private static final String TAKE_NUMBERS = """
			SELECT nextval(q.keys), c.change_seq
			FROM (SELECT pg_get_serial_sequence('contact', 'contact_key')::regclass AS keys OFFSET 0) q,
			     (SELECT nextval('change_seq') AS change_seq) c,
			     generate_series(1, :count)
			""";

	// A chunk's statements are meant to probe indexes row by row, a few thousand rows
	// against a table of up to millions. The planner's estimates come from a temporary
	// table that is never analyzed and from statistics that lag behind an import growing
	// contact by the million: left to them, it joins by hash or merge, reading all of
	// contact once per chunk. For this transaction only.
	private static final String PROBE_ROW_BY_ROW = """
			SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)
			""";

	// FOR KEY SHARE, as the foreign key took it: a list deleted from now on waits for
	// this chunk; one deleted already is missing from the answer.
	private static final String LOCK_LISTS = """
			SELECT id::text FROM contact_list WHERE id = ANY(CAST(:ids AS uuid[])) FOR KEY SHARE
			""";

	/**
	 * What the contact becomes: a given value replaces the stored one, a left-out one
	 * keeps it.
	 */
	private static final List<String> MERGED = merged();

	private static final String UPDATE = """
			UPDATE contact c
			SET (%s, alternate_emails, email_domains, custom_fields) = (%s),
			    updated_at = :now, change_seq = (SELECT nextval('change_seq')), import_hash = s.row_hash
			FROM contact_import_stage s
			WHERE c.contact_key = s.contact_key
			  AND (%s, c.alternate_emails, c.email_domains, c.custom_fields) IS DISTINCT FROM (%s)
			""".formatted(String.join(", ", TEXT), String.join(", ", MERGED),
			TEXT.stream().map((c) -> "c." + c).collect(Collectors.joining(", ")), String.join(", ", MERGED));

	// A membership that is new moves the contact's list_ids, so the contact gets a new
	// change number, unless the update above gave it one already (its digest is the
	// row's now). Where the digest is unknown, the contact holds the row by now, so it
	// gets the row's digest without a new change number. Only memberships that are
	// missing are written, and only their contacts locked: a row that repeats its lists
	// costs a probe of list_member's key.
	private static final String ADD_MEMBERSHIPS = """
			WITH wanted AS (
			    SELECT s.contact_key, l.list_id
			    FROM contact_import_stage s CROSS JOIN LATERAL unnest(s.list_ids) AS l(list_id)
			    WHERE NOT EXISTS (SELECT 1 FROM list_member m WHERE m.list_id = l.list_id AND m.contact_key = s.contact_key)
			), added AS (
			    INSERT INTO list_member (list_id, contact_key)
			    SELECT w.list_id, w.contact_key
			    FROM wanted w
			    -- as the foreign key did: a contact deleted meanwhile is not found, and
			    -- one deleted from now on waits for this transaction
			    WHERE EXISTS (SELECT FROM contact c WHERE c.contact_key = w.contact_key FOR KEY SHARE)
			    ORDER BY w.contact_key, w.list_id
			    ON CONFLICT DO NOTHING
			    RETURNING contact_key
			)
			UPDATE contact c
			SET change_seq = CASE WHEN c.contact_key IN (SELECT contact_key FROM added)
			                      THEN (SELECT nextval('change_seq')) ELSE c.change_seq END,
			    import_hash = s.row_hash
			FROM contact_import_stage s
			WHERE c.contact_key = s.contact_key AND c.import_hash IS DISTINCT FROM s.row_hash
			  AND (c.import_hash IS NULL OR c.contact_key IN (SELECT contact_key FROM added))
			""";

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final ChangeSequence changes;

	private final Clock clock;

	private final ImportTally tally;

	/** Encodes the rows merged in the step's thread; those read ahead come encoded. */
	private final ContactStage stage = new ContactStage();

	private final RefusalSplitter splitter;

	ContactWriter(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ChangeSequence changes, Clock clock, ImportTally tally,
			PlatformTransactionManager transactionManager) {
		this.splitter = new RefusalSplitter(transactionManager);
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.changes = changes;
		this.clock = clock;
		this.tally = tally;
	}

	@Override
	public void write(Chunk<? extends ContactRow> chunk) {
		if (chunk.isEmpty()) {
			return;
		}
		// Microseconds, as PostgreSQL keeps them: new and updated rows of the chunk get
		// the same instant.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		// Before joining the writers of change_seq: a chunk waiting here holds nothing a
		// refresh waits for.
		// One chunk at a time: a chunk's look-up then sees every contact it could collide
		// with, so new contacts need no ON CONFLICT, whose speculative insertion cost a
		// quarter of the insert. At worst a chunk waits for another import's chunk;
		// nothing else inserts contacts.
		AdvisoryLock.CONTACT_IMPORT.lockForTransaction(this.jdbc);
		this.changes.joinWrite();
		// Outside the savepoints, which would undo it.
		this.jdbc.sql(PROBE_ROW_BY_ROW).query().singleRow();
		List<ContactRow> rows = withLists(chunk.getItems());
		// Split before merging: a refused part is then made of the rows as the file gave
		// them, and a row refused alone is reported with its own line.
		this.splitter.write(rows, (part, again) -> write(part, now, again),
				(row) -> this.tally.reject(ContactRowCounter.SKIPPED, row.line(), null, RefusalSplitter.REFUSED));
	}

	/**
	 * The rows whose lists exist, the lists locked; the others are reported. The
	 * validator knew the lists of when the import started.
	 */
	private List<ContactRow> withLists(List<? extends ContactRow> chunk) {
		Set<String> named = new HashSet<>();
		for (ContactRow row : chunk) {
			if (row.listIds() != null) {
				named.addAll(row.listIds());
			}
		}
		if (named.isEmpty()) {
			return new ArrayList<>(chunk);
		}
		Set<String> held = new HashSet<>(
				this.jdbc.sql(LOCK_LISTS).param("ids", named.toArray(String[]::new)).query(String.class).list());
		List<ContactRow> rows = new ArrayList<>(chunk.size());
		for (ContactRow row : chunk) {
			String gone = gone(row, held);
			if (gone == null) {
				rows.add(row);
			}
			else {
				this.tally.reject(ContactRowCounter.SKIPPED, row.line(), "list_ids",
						"unknown list id '" + gone + "': the list was deleted during the import");
			}
		}
		return rows;
	}

	/** The first list of the row that is not held, or null. */
	private static String gone(ContactRow row, Set<String> held) {
		if (row.listIds() != null) {
			for (String id : row.listIds()) {
				if (!held.contains(id)) {
					return id;
				}
			}
		}
		return null;
	}

	/**
	 * Upserts {@code part}, then counts it. {@code again}: an earlier part of the chunk
	 * left its rows in the stage.
	 */
	private void write(List<ContactRow> part, Instant now, boolean again) {
		List<ContactRow> rows = merged(part);
		for (ContactRow row : rows) {
			if (row.staged() == null) {
				row.staged(this.stage.line(row));
			}
		}
		// By position in rows: the contact's key, null for a new email; whether the
		// contact holds the row already.
		List<Long> keys = new ArrayList<>(Collections.nCopies(rows.size(), null));
		boolean[] unchanged = new boolean[rows.size()];
		this.jdbc.sql(LOOK_UP)
			.param("emails", rows.stream().map(ContactRow::email).collect(Collectors.joining("\n")))
			.param("hashes", rows.stream().map((row) -> row.staged().hash()).collect(Collectors.joining("\n")))
			.query((rs) -> {
				int i = rs.getInt("i") - 1;
				keys.set(i, rs.getLong("contact_key"));
				unchanged[i] = rs.getBoolean("unchanged");
			});
		List<ContactRow> created = new ArrayList<>();
		List<ContactRow> staged = new ArrayList<>();
		List<Long> stagedKeys = new ArrayList<>();
		long skipped = 0;
		for (int i = 0; i < rows.size(); i++) {
			if (unchanged[i]) {
				skipped++;
			}
			else if (keys.get(i) == null) {
				created.add(rows.get(i));
			}
			else {
				staged.add(rows.get(i));
				stagedKeys.add(keys.get(i));
			}
		}
		if (!created.isEmpty()) {
			long[] contactKeys = new long[created.size()];
			long[] changeSeq = new long[1];
			int[] next = { 0 };
			this.jdbc.sql(TAKE_NUMBERS).param("count", created.size()).query((rs) -> {
				contactKeys[next[0]++] = rs.getLong(1);
				changeSeq[0] = rs.getLong(2);
			});
			String time = now.toString();
			this.jdbcTemplate.execute((ConnectionCallback<Void>) (connection) -> {
				ContactStage.copyNew(connection, created, contactKeys, changeSeq[0], time);
				return null;
			});
		}
		long updated = 0;
		if (!staged.isEmpty()) {
			this.jdbcTemplate.execute((ConnectionCallback<Void>) (connection) -> {
				ContactStage.copy(connection, staged, stagedKeys, again);
				return null;
			});
			Timestamp time = Timestamp.from(now);
			updated = this.jdbc.sql(UPDATE).param("now", time).update();
			this.jdbc.sql(ADD_MEMBERSHIPS).update();
		}
		this.tally.add(IMPORTED, part.size());
		this.tally.add(CREATED, created.size());
		this.tally.add(UPDATED, updated);
		this.tally.add(UNCHANGED, skipped);
	}

	/**
	 * Rows with the same email become one, later values winning field by field, as if
	 * they had been imported one after the other.
	 */
	private static List<ContactRow> merged(List<ContactRow> part) {
		Map<String, ContactRow> byEmail = new LinkedHashMap<>();
		for (ContactRow row : part) {
			byEmail.merge(row.email(), row, ContactRow::then);
		}
		return new ArrayList<>(byEmail.values());
	}

	private static List<String> merged() {
		List<String> merged = new ArrayList<>();
		IntStream.range(0, TEXT.size())
			.forEach((i) -> merged.add(
					"CASE WHEN s.given & %d <> 0 THEN s.%s ELSE c.%s END".formatted(1 << i, TEXT.get(i), TEXT.get(i))));
		String alternateGiven = "s.given & " + (1 << ContactRow.ALTERNATE_EMAILS) + " <> 0";
		merged.add("CASE WHEN " + alternateGiven + " THEN s.alternate_emails ELSE c.alternate_emails END");
		merged.add("CASE WHEN " + alternateGiven + " THEN s.email_domains ELSE c.email_domains END");
		merged.add("jsonb_strip_nulls(c.custom_fields || coalesce(s.custom_fields, '{}'::jsonb))");
		return List.copyOf(merged);
	}

}

package io.segmat.contacts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contact imports over contacts that exist: a re-import changes nothing, rows that match
 * a contact's digest are skipped, and only changed contacts get a new change_seq.
 */
class ContactImportReimportTests extends ContactImportTestSupport {

	@Test
	void reimportingTheSameFileChangesNothing() throws IOException {
		// given
		Path file = write("contacts.ndjson", """
				{"email":"A@x.io","first_name":"A","list_ids":["%s"],"custom_fields":{"age":1}}
				{"email":"b@x.io","first_name":"B"}
				{"email":"c@x.io","custom_fields":{"signup_date":"2024-01-01T00:00:00Z"}}
				{"email":"d@x.io","alternate_emails":["d@other.io"]}
				""".formatted(this.vip));
		ImportReport first = this.importer.importFile(file, this.vip);
		List<String> before = snapshot();
		long sequence = sequence();

		// when
		ImportReport second = this.importer.importFile(file, this.vip);

		// then
		assertThat(second.status()).isEqualTo("COMPLETED");
		assertThat(second.jobExecutionId()).isNotEqualTo(first.jobExecutionId());
		assertThat(second).extracting(ImportReport::imported, ImportReport::created, ImportReport::updated)
			.containsExactly(4L, 0L, 0L);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(sequence()).isEqualTo(sequence);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(4);
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				WHERE i.job_name = 'contactImportJob' AND e.status = 'COMPLETED'
				""").query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void anUnchangedReimportSkipsEveryRowByItsDigest() throws IOException {
		// given a file with lists, custom fields and alternate emails, imported once
		Path file = write("contacts.ndjson",
				"""
						{"email":"a@x.io","first_name":"A","alternate_emails":["a@other.io"],"list_ids":["%s"],"custom_fields":{"plan":"gold","age":1}}
						{"email":"b@x.io","first_name":"B","custom_fields":{"signup_date":"2024-01-01"}}
						{"email":"c@x.io","city":"Oslo"}
						{"email":"d@x.io"}
						"""
					.formatted(this.vip));
		this.importer.importFile(file, null);
		List<String> before = snapshot();
		long sequence = sequence();

		// when
		ImportReport second = this.importer.importFile(file, null);

		// then no row was compared or written: every one matched its contact's digest
		assertThat(unchanged(second)).isEqualTo(4);
		assertThat(second).extracting(ImportReport::imported, ImportReport::created, ImportReport::updated)
			.containsExactly(4L, 0L, 0L);
		assertThat(snapshot()).isEqualTo(before);
		assertThat(sequence()).isEqualTo(sequence);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE import_hash IS NULL").query(Long.class).single())
			.isZero();
	}

	@Test
	void aChangedRowGetsANewChangeSeqAndDigestWhileUnchangedRowsKeepTheirs() throws IOException {
		// given
		this.importer.importFile(write("first.ndjson", """
				{"email":"a@x.io","first_name":"A","custom_fields":{"age":1}}
				{"email":"b@x.io","first_name":"B"}
				"""), null);
		Map<String, Object> aBefore = hashAndSeq("a@x.io");
		Map<String, Object> bBefore = hashAndSeq("b@x.io");

		// when the same file comes again with one value of a changed
		ImportReport report = this.importer.importFile(write("second.ndjson", """
				{"email":"a@x.io","first_name":"A","custom_fields":{"age":2}}
				{"email":"b@x.io","first_name":"B"}
				"""), null);

		// then
		assertThat(report).extracting(ImportReport::created, ImportReport::updated).containsExactly(0L, 1L);
		assertThat(unchanged(report)).isEqualTo(1);
		Map<String, Object> a = hashAndSeq("a@x.io");
		assertThat((Long) a.get("change_seq")).isGreaterThan((Long) aBefore.get("change_seq"));
		assertThat(a.get("import_hash")).isNotNull().isNotEqualTo(aBefore.get("import_hash"));
		assertThat(hashAndSeq("b@x.io")).isEqualTo(bBefore);
		assertThat(row("a@x.io").get("custom_fields"))
			.isEqualTo("{\"%s\": 2}".formatted(this.age).transform(this::canonicalJson));
	}

	@Test
	void contactsWithoutADigestAreComparedOnceAndGetOneWithoutANewChangeSeq() throws IOException {
		// given contacts that hold the file's values but no digest, as contacts imported
		// before digests existed
		Path file = write("contacts.ndjson", """
				{"email":"a@x.io","first_name":"A","list_ids":["%s"]}
				{"email":"b@x.io","custom_fields":{"plan":"gold"}}
				""".formatted(this.vip));
		this.importer.importFile(file, null);
		this.jdbc.sql("UPDATE contact SET import_hash = NULL").update();
		List<String> before = this.jdbc
			.sql("SELECT email || ' ' || change_seq || ' ' || updated_at FROM contact ORDER BY email")
			.query(String.class)
			.list();
		long sequence = sequence();

		// when
		ImportReport compared = this.importer.importFile(file, null);
		ImportReport skipped = this.importer.importFile(file, null);

		// then the first re-import compared the rows, found nothing to change and stored
		// their digests
		assertThat(compared).extracting(ImportReport::created, ImportReport::updated).containsExactly(0L, 0L);
		assertThat(unchanged(compared)).isZero();
		assertThat(this.jdbc.sql("SELECT email || ' ' || change_seq || ' ' || updated_at FROM contact ORDER BY email")
			.query(String.class)
			.list()).isEqualTo(before);
		assertThat(sequence()).isEqualTo(sequence);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact WHERE import_hash IS NULL").query(Long.class).single())
			.isZero();
		// and the next one took the fast path
		assertThat(unchanged(skipped)).isEqualTo(2);
	}

	@Test
	void aRowThatOnlyAddsAListMovesChangeSeqButNotUpdatedAt() throws IOException {
		// given
		this.importer.importFile(write("first.ndjson", "{\"email\":\"a@x.io\",\"first_name\":\"A\"}\n"), null);
		Map<String, Object> before = row("a@x.io");

		// when the same values come with a list
		ImportReport report = this.importer.importFile(write("second.ndjson", """
				{"email":"a@x.io","first_name":"A","list_ids":["%s"]}
				""".formatted(this.vip)), null);

		// then
		assertThat(report).extracting(ImportReport::created, ImportReport::updated).containsExactly(0L, 0L);
		Map<String, Object> after = row("a@x.io");
		assertThat((Long) after.get("change_seq")).isGreaterThan((Long) before.get("change_seq"));
		assertThat(after.get("updated_at")).isEqualTo(before.get("updated_at"));
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(1);
		// and the contact now holds that row: importing it again is the fast path
		assertThat(unchanged(this.importer.importFile(write("third.ndjson", """
				{"email":"a@x.io","first_name":"A","list_ids":["%s"]}
				""".formatted(this.vip)), null))).isEqualTo(1);
	}

	@Test
	void twoFilesOverTheSameContactsDoNotRewriteThemWhenNothingChanges() throws IOException {
		// given a contact written by a full row, then given a partial row with the same
		// values
		this.importer
			.importFile(write("full.ndjson", "{\"email\":\"a@x.io\",\"first_name\":\"A\",\"city\":\"Oslo\"}\n"), null);
		Map<String, Object> before = hashAndSeq("a@x.io");
		String version = this.jdbc.sql("SELECT xmin::text FROM contact").query(String.class).single();

		// when
		ImportReport report = this.importer
			.importFile(write("partial.ndjson", "{\"email\":\"a@x.io\",\"first_name\":\"A\"}\n"), null);

		// then the contact keeps the full row's digest and was not written at all
		assertThat(report).extracting(ImportReport::updated).isEqualTo(0L);
		assertThat(hashAndSeq("a@x.io")).isEqualTo(before);
		assertThat(this.jdbc.sql("SELECT xmin::text FROM contact").query(String.class).single()).isEqualTo(version);
	}

	@Test
	void deletingAListMakesTheImportCompareItsFormerMembersAgain() throws IOException {
		// given
		UUID other = this.lists.create("other").id();
		this.importer.importFile(write("contacts.ndjson", """
				{"email":"a@x.io","list_ids":["%s"]}
				{"email":"b@x.io","list_ids":["%s"]}
				""".formatted(this.vip, other)), null);

		// when
		this.lists.delete(other);

		// then
		assertThat(this.jdbc.sql("SELECT email FROM contact WHERE import_hash IS NULL").query(String.class).list())
			.containsExactly("b@x.io");
	}

	@Test
	void deletingAListRemovesItsMembershipsOnlyAndGivesItsMembersNewChangeNumbers() throws IOException {
		// given a in both lists, b in the one to delete, c in none
		UUID other = this.lists.create("other").id();
		this.importer.importFile(write("contacts.ndjson", """
				{"email":"a@x.io","list_ids":["%s","%s"]}
				{"email":"b@x.io","list_ids":["%s"]}
				{"email":"c@x.io"}
				""".formatted(this.vip, other, other)), null);
		long sequence = sequence();

		// when
		this.lists.delete(other);

		// then no foreign key cascades any more (V8): the deletion removed the rows
		// itself
		assertThat(this.jdbc
			.sql("SELECT c.email || ' ' || m.list_id FROM list_member m JOIN contact c USING (contact_key)")
			.query(String.class)
			.list()).containsExactly("a@x.io " + this.vip);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member WHERE list_id = ?")
			.param(other)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("SELECT email FROM contact WHERE change_seq > ? ORDER BY email")
			.param(sequence)
			.query(String.class)
			.list()).containsExactly("a@x.io", "b@x.io");
	}

	private Map<String, Object> hashAndSeq(String email) {
		return this.jdbc.sql(
				"SELECT encode(import_hash, 'hex') AS import_hash, change_seq, updated_at FROM contact WHERE email = ?")
			.param(email)
			.query()
			.singleRow();
	}

	private List<String> snapshot() {
		return this.jdbc.sql("""
				SELECT to_jsonb(c)::text || (SELECT array_agg(list_id ORDER BY list_id) FROM list_member m
				                             WHERE m.contact_key = c.contact_key)::text
				FROM contact c ORDER BY email
				""").query(String.class).list();
	}

}

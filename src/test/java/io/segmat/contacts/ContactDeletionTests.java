package io.segmat.contacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.segmat.lists.ContactLists;
import io.segmat.testsupport.SpringTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class ContactDeletionTests extends SpringTestSupport {

	@Autowired
	ContactDeletion deletion;

	@Autowired
	ContactImporter importer;

	@Autowired
	ContactLists lists;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path dir;

	long sequenceBefore;

	@BeforeEach
	void threeContactsInAList() throws IOException {
		database.truncateAll();
		UUID list = this.lists.create("l" + System.nanoTime()).id();
		this.importer.importFile(Files.writeString(this.dir.resolve("c.csv"), "email\na@x.io\nb@x.io\nc@x.io\n"), list);
		this.sequenceBefore = this.jdbc.sql("SELECT last_value FROM change_seq").query(Long.class).single();
	}

	@Test
	void deletingByIdLeavesATombstoneWithANewChangeNumber() {
		// given
		UUID a = id("a@x.io");
		long key = this.jdbc.sql("SELECT contact_key FROM contact WHERE email = 'a@x.io'").query(Long.class).single();

		// when
		int deleted = this.deletion.deleteByIds(List.of(a, UUID.randomUUID()));

		// then
		assertThat(deleted).isEqualTo(1);
		assertThat(emails()).containsExactly("b@x.io", "c@x.io");
		var tombstone = this.jdbc.sql("SELECT change_seq, contact_key, contact_id, deleted_at FROM contact_deletion")
			.query()
			.singleRow();
		assertThat((Long) tombstone.get("change_seq")).isGreaterThan(this.sequenceBefore);
		assertThat(tombstone).containsEntry("contact_key", key).containsEntry("contact_id", a);
		assertThat(tombstone.get("deleted_at")).isNotNull();
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void deletingByEmailIgnoresCase() {
		int deleted = this.deletion.deleteByEmails(List.of("B@X.IO", "nobody@x.io"));

		assertThat(deleted).isEqualTo(1);
		assertThat(emails()).containsExactly("a@x.io", "c@x.io");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact_deletion").query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void deletingAllLeavesOneTombstoneEach() {
		int deleted = this.deletion.deleteAll();

		assertThat(deleted).isEqualTo(3);
		assertThat(emails()).isEmpty();
		assertThat(this.jdbc.sql("SELECT count(DISTINCT change_seq) FROM contact_deletion WHERE change_seq > ?")
			.param(this.sequenceBefore)
			.query(Long.class)
			.single()).isEqualTo(3);
		assertThat(this.jdbc.sql("SELECT count(*) FROM list_member").query(Long.class).single()).isZero();
	}

	private UUID id(String email) {
		return this.jdbc.sql("SELECT id FROM contact WHERE email = ?").param(email).query(UUID.class).single();
	}

	private List<String> emails() {
		return this.jdbc.sql("SELECT email FROM contact ORDER BY email").query(String.class).list();
	}

}

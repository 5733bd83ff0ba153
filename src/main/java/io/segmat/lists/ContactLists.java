package io.segmat.lists;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.Names;
import io.segmat.NotFoundException;
import io.segmat.db.ChangeSequence;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Static lists. Deleting one changes its members' list_ids, which segments must see. */
@Service
public class ContactLists {

	private static final int MAX_NAME_LENGTH = 100;

	private static final String SELECT = """
			SELECT l.id, l.name, (SELECT count(*) FROM list_member m WHERE m.list_id = l.id) AS contact_count
			FROM contact_list l
			""";

	private final JdbcClient jdbc;

	private final ChangeSequence changes;

	private final Clock clock;

	ContactLists(JdbcClient jdbc, ChangeSequence changes, Clock clock) {
		this.jdbc = jdbc;
		this.changes = changes;
		this.clock = clock;
	}

	@Transactional
	public ContactList create(String name) {
		Names.check("name", name, MAX_NAME_LENGTH);
		UUID id = UUID.randomUUID();
		Timestamp now = Timestamp.from(this.clock.instant());
		int inserted = this.jdbc.sql("""
				INSERT INTO contact_list (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (name) DO NOTHING
				""").params(id, name, now, now).update();
		if (inserted == 0) {
			throw new InvalidInputException("name", "a list named '" + name + "' already exists");
		}
		return new ContactList(id, name, 0);
	}

	public List<ContactList> list() {
		return this.jdbc.sql(SELECT + " ORDER BY l.created_at, l.name").query(ContactList.class).list();
	}

	public Optional<ContactList> find(UUID id) {
		return this.jdbc.sql(SELECT + " WHERE l.id = ?").param(id).query(ContactList.class).optional();
	}

	public boolean exists(UUID id) {
		return this.jdbc.sql("SELECT count(*) > 0 FROM contact_list WHERE id = ?")
			.param(id)
			.query(Boolean.class)
			.single();
	}

	@Transactional
	public void delete(UUID id) {
		this.changes.joinWrite();
		// The list's row first: an import adding members to it holds it FOR KEY SHARE,
		// so this waits for that import's chunk to commit, and the statements below,
		// each with a snapshot of its own, see the members it added.
		int deleted = this.jdbc.sql("DELETE FROM contact_list WHERE id = ?").param(id).update();
		if (deleted == 0) {
			throw new NotFoundException("list " + id + " does not exist");
		}
		// The members' list_ids change: they get new change numbers. They no longer hold
		// the import row they last took, so the import must compare them again.
		this.jdbc.sql("""
				UPDATE contact c SET change_seq = nextval('change_seq'), import_hash = NULL
				FROM list_member m WHERE m.list_id = ? AND m.contact_key = c.contact_key
				""").param(id).update();
		// No foreign key cascades to list_member (V8): its rows go by hand.
		this.jdbc.sql("DELETE FROM list_member WHERE list_id = ?").param(id).update();
	}

}

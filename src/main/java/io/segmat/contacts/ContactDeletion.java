package io.segmat.contacts;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.Locale;
import java.util.UUID;

import io.segmat.db.ChangeSequence;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes contacts. Each deleted contact leaves a tombstone in contact_deletion, written
 * in the same statement, so "what changed since W" sees the deletion; events go with the
 * contact (ON DELETE CASCADE), list memberships by a statement of their own.
 */
@Service
class ContactDeletion {

	private static final String DELETE = """
			WITH gone AS (
			    DELETE FROM contact c WHERE %s
			    RETURNING c.contact_key, c.id
			)
			INSERT INTO contact_deletion (change_seq, contact_key, contact_id, deleted_at)
			SELECT nextval('change_seq'), contact_key, id, :now FROM gone ORDER BY contact_key
			""";

	// list_member has no foreign keys (V8). The memberships of every contact tombstoned
	// from :floor on go: a contact_key is never used again, so a tombstone of another
	// transaction in that range only names more memberships that must go. A statement of
	// its own, after the delete: an import that was adding memberships to one of these
	// contacts held it FOR KEY SHARE, so the delete waited for it, and this statement's
	// snapshot sees what it added.
	private static final String DELETE_MEMBERSHIPS = """
			DELETE FROM list_member m USING contact_deletion d
			WHERE d.change_seq >= :floor AND m.contact_key = d.contact_key
			""";

	private final JdbcClient jdbc;

	private final ChangeSequence changes;

	private final Clock clock;

	ContactDeletion(JdbcClient jdbc, ChangeSequence changes, Clock clock) {
		this.jdbc = jdbc;
		this.changes = changes;
		this.clock = clock;
	}

	/**
	 * Deletes the contacts with these ids; unknown ids are ignored. Returns how many
	 * went.
	 */
	@Transactional
	int deleteByIds(Collection<UUID> ids) {
		String[] values = ids.stream().map(UUID::toString).toArray(String[]::new);
		return delete("c.id = ANY(CAST(:keys AS uuid[]))", values);
	}

	/**
	 * Deletes the contacts with these emails, in any case; unknown emails are ignored.
	 */
	@Transactional
	int deleteByEmails(Collection<String> emails) {
		String[] values = emails.stream().map((e) -> e.trim().toLowerCase(Locale.ROOT)).toArray(String[]::new);
		return delete("c.email = ANY(CAST(:keys AS text[]))", values);
	}

	@Transactional
	int deleteAll() {
		return delete("TRUE", null);
	}

	private int delete(String condition, String[] keys) {
		this.changes.joinWrite();
		// Below every number this transaction takes.
		long floor = this.jdbc.sql("SELECT last_value FROM change_seq").query(Long.class).single();
		var statement = this.jdbc.sql(DELETE.formatted(condition)).param("now", Timestamp.from(this.clock.instant()));
		if (keys != null) {
			statement = statement.param("keys", keys);
		}
		int deleted = statement.update();
		if (deleted > 0) {
			this.jdbc.sql(DELETE_MEMBERSHIPS).param("floor", floor).update();
		}
		return deleted;
	}

}

package io.segmat.changes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.segmat.InvalidInputException;
import io.segmat.NotFoundException;
import io.segmat.segments.Segments;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads a segment's changes after a cursor, page by page, in the order they were
 * committed.
 * <p>
 * An 'initial' row (a load into an empty membership, recorded as one row) is expanded
 * here into the members it stands for, in contact_key order, a page of them at a time.
 * Those are the members just after its evaluation, M0, computed from the membership now,
 * M, and the changes recorded after it. Every change to the membership after the
 * 'initial' row is in the feed after it, so for each contact the changes recorded after
 * the row, up to the segment's next 'initial' row, toggle its membership: a contact with
 * none is in M0 exactly when it is in M; a contact with some was in M0 exactly when the
 * first of them is a 'left'. If a later 'initial' row exists, the membership was empty
 * just before it, so every member of M0 left before it and M0 is just the contacts whose
 * first change is a 'left'. The expansion is therefore the same set whenever it is read,
 * and a cursor inside it stays valid. Each page is read in one repeatable-read
 * transaction, so membership and feed come from the same snapshot; and since a segment's
 * changes commit in seq order, a snapshot holds a prefix of its feed, never one with a
 * gap.
 */
@Component
public class ChangeFeed {

	/** The most changes one page holds. */
	public static final int MAX_LIMIT = 1000;

	private static final String ROWS = """
			SELECT c.seq, c.contact_key, c.change, c.evaluation_id, coalesce(e.as_of, c.recorded_at) AS at,
			       coalesce(k.id, (SELECT d.contact_id FROM contact_deletion d WHERE d.contact_key = c.contact_key LIMIT 1))
			           AS contact_id,
			       k.email
			FROM segment_change c
			LEFT JOIN segment_evaluation e ON e.id = c.evaluation_id
			LEFT JOIN contact k ON k.contact_key = c.contact_key
			WHERE c.segment_key = ? AND c.seq > ?
			ORDER BY c.seq
			LIMIT ?
			""";

	// M0 after the 'initial' row at seq, as the class comment derives it: the members
	// without a change since (only when no 'initial' row follows), and the contacts
	// whose first change since (before the next 'initial' row) is a 'left'. One
	// statement, so that the next 'initial' row, the changes and the membership are read
	// from one snapshot whatever the caller's transaction.
	private static final String EXPANSION = """
			WITH upper AS MATERIALIZED (
			    SELECT coalesce(min(seq), 9223372036854775807) AS seq FROM segment_change
			    WHERE segment_key = ? AND seq > ? AND change = 'initial'),
			later AS MATERIALIZED (
			    SELECT DISTINCT ON (contact_key) contact_key, change FROM segment_change
			    WHERE segment_key = ? AND seq > ? AND seq < (SELECT seq FROM upper) AND contact_key IS NOT NULL
			    ORDER BY contact_key, seq),
			initial AS (
			    SELECT m.contact_key FROM segment_member m
			    WHERE (SELECT seq FROM upper) = 9223372036854775807 AND m.segment_key = ? AND m.contact_key > ?
			      AND NOT EXISTS (SELECT 1 FROM later l WHERE l.contact_key = m.contact_key)
			    UNION ALL
			    SELECT contact_key FROM later WHERE change = 'left' AND contact_key > ?
			    ORDER BY 1
			    LIMIT ?)
			SELECT i.contact_key,
			       coalesce(k.id, (SELECT d.contact_id FROM contact_deletion d WHERE d.contact_key = i.contact_key LIMIT 1))
			           AS contact_id,
			       k.email
			FROM initial i LEFT JOIN contact k ON k.contact_key = i.contact_key
			ORDER BY i.contact_key
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate snapshot;

	ChangeFeed(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.snapshot = new TransactionTemplate(transactionManager);
		// A transaction of its own even inside the caller's (the delivery's), so that a
		// page's statements share one snapshot.
		this.snapshot.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		this.snapshot.setReadOnly(true);
	}

	/**
	 * The segment's changes after {@code cursor} (from the oldest retained when null), at
	 * most {@code limit}, and the cursor to read on from.
	 * @throws NotFoundException when the segment does not exist
	 * @throws InvalidInputException when the cursor or limit is not valid
	 * @throws CursorExpiredException when changes after the cursor were pruned
	 */
	public Page read(UUID segmentId, String cursor, int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_LIMIT);
		}
		int segmentKey = this.jdbc.sql("SELECT segment_key FROM segment WHERE id = ?")
			.param(segmentId)
			.query(Integer.class)
			.optional()
			.orElseThrow(() -> new NotFoundException(Segments.NOT_FOUND));
		FeedPosition from = (cursor != null && !cursor.isEmpty()) ? FeedPosition.parse(cursor, segmentKey, "cursor")
				: null;
		Read read = read(segmentKey, from, limit);
		return new Page(read.changes(), read.next().cursor());
	}

	/**
	 * Reads from a position, or from the oldest retained change when null.
	 * @throws CursorExpiredException when changes after the position were pruned
	 */
	Read read(int segmentKey, FeedPosition from, int limit) {
		return this.snapshot.execute((status) -> {
			long pruned = this.jdbc.sql("SELECT through_seq FROM segment_change_pruned WHERE segment_key = ?")
				.param(segmentKey)
				.query(Long.class)
				.optional()
				.orElse(0L);
			FeedPosition position = (from != null) ? from : FeedPosition.after(segmentKey, pruned);
			if (position.seq() < pruned || (position.seq() == pruned && !position.whole())) {
				throw new CursorExpiredException(
						"the cursor is older than the retained changes (SEGMAT_CHANGES_RETENTION):"
								+ " changes after it were pruned; read the membership again and continue without a cursor");
			}
			return page(position, limit);
		});
	}

	private Read page(FeedPosition from, int limit) {
		List<Change> changes = new ArrayList<>();
		FeedPosition position = from;
		if (!position.whole()) {
			position = expand(position, new Row(position.seq(), null, "initial", 0, null, null, null), changes, limit);
		}
		while (changes.size() < limit && position.whole()) {
			int wanted = limit - changes.size();
			List<Row> rows = this.jdbc.sql(ROWS)
				.params(position.segmentKey(), position.seq(), wanted)
				.query(ChangeFeed::row)
				.list();
			for (Row row : rows) {
				if (changes.size() == limit) {
					break;
				}
				if (row.contactKey() == null) {
					position = expand(FeedPosition.after(position.segmentKey(), row.seq()).inside(0), row, changes,
							limit);
				}
				else {
					changes.add(new Change(row.contactId(), row.email(), row.change(), row.at(), row.evaluationId()));
					position = FeedPosition.after(position.segmentKey(), row.seq());
				}
			}
			if (rows.size() < wanted) {
				break;
			}
		}
		return new Read(from, position, List.copyOf(changes));
	}

	/**
	 * Adds the members of an 'initial' row after the position's contact, up to the limit.
	 * @return where reading stopped: inside the row, or after it when it is exhausted
	 */
	private FeedPosition expand(FeedPosition position, Row initial, List<Change> changes, int limit) {
		Row marker = (initial.at() != null) ? initial : markerRow(position);
		int wanted = limit - changes.size();
		List<Member> members = this.jdbc.sql(EXPANSION)
			.params(position.segmentKey(), position.seq(), position.segmentKey(), position.seq(), position.segmentKey(),
					position.contactKey(), position.contactKey(), wanted)
			.query((rs, n) -> new Member(rs.getLong("contact_key"), rs.getString("contact_id"), rs.getString("email")))
			.list();
		for (Member member : members) {
			changes.add(new Change(member.contactId(), member.email(), "entered", marker.at(), marker.evaluationId()));
		}
		if (members.size() < wanted) {
			return FeedPosition.after(position.segmentKey(), position.seq());
		}
		return position.inside(members.get(members.size() - 1).contactKey());
	}

	/** The 'initial' row a cursor inside its expansion points at. */
	private Row markerRow(FeedPosition position) {
		return this.jdbc.sql(ROWS)
			.params(position.segmentKey(), position.seq() - 1, 1)
			.query(ChangeFeed::row)
			.optional()
			.filter((row) -> row.seq() == position.seq() && row.contactKey() == null)
			.orElseThrow(() -> new InvalidInputException("cursor", "the cursor is not one segmat gave"));
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		Timestamp at = rs.getTimestamp("at");
		return new Row(rs.getLong("seq"), (Long) rs.getObject("contact_key"), rs.getString("change"),
				rs.getLong("evaluation_id"), at.toInstant().truncatedTo(ChronoUnit.SECONDS).toString(),
				rs.getString("contact_id"), rs.getString("email"));
	}

	/**
	 * A page of changes and the cursor after it; reading from that cursor later gives
	 * what was added since.
	 */
	public record Page(List<Change> changes, String nextCursor) {
	}

	/** A page as read: from where, to where, and what. */
	record Read(FeedPosition start, FeedPosition next, List<Change> changes) {
	}

	private record Row(long seq, Long contactKey, String change, long evaluationId, String at, String contactId,
			String email) {
	}

	private record Member(long contactKey, String contactId, String email) {
	}

}

package io.segmat.segments;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Streams a segment's whole current membership, without holding it in memory. */
@Component
public class SegmentMembers {

	private final JdbcClient jdbc;

	private final Segments segments;

	SegmentMembers(JdbcClient jdbc, Segments segments) {
		this.jdbc = jdbc;
		this.segments = segments;
	}

	public void forEach(UUID segmentId, Consumer<Member> consumer) {
		this.segments.get(segmentId);
		// By its key, bound: the planner reads the segment's partition of segment_member
		// only, where a join with segment would scan them all.
		Optional<Integer> key = this.jdbc.sql("SELECT segment_key FROM segment WHERE id = ?")
			.param(segmentId)
			.query(Integer.class)
			.optional();
		if (key.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				SELECT c.id, c.email, c.first_name, c.last_name
				FROM segment_member m
				JOIN contact c ON c.contact_key = m.contact_key
				WHERE m.segment_key = ?
				ORDER BY c.email
				""").param(key.get()).withFetchSize(1000).query((rs) -> {
			consumer.accept(new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
		});
	}

	/** One member: its contact id, email and names. */
	public record Member(String contactId, String email, String firstName, String lastName) {
	}

}

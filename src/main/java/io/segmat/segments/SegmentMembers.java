package io.segmat.segments;

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
		this.jdbc.sql("""
				SELECT c.id, c.email, c.first_name, c.last_name
				FROM segment s
				JOIN segment_member m ON m.segment_key = s.segment_key
				JOIN contact c ON c.contact_key = m.contact_key
				WHERE s.id = ?
				ORDER BY c.email
				""").param(segmentId).withFetchSize(1000).query((rs) -> {
			consumer.accept(new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
		});
	}

	/** One member: its contact id, email and names. */
	public record Member(String contactId, String email, String firstName, String lastName) {
	}

}

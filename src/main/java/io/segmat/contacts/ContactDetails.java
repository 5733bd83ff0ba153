package io.segmat.contacts;

import java.util.Optional;
import java.util.UUID;

import io.segmat.ingest.ImportJson;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * One contact in SendGrid's shape (ContactDetails3), built by the same SQL as search's
 * answers ({@link ContactJson#OBJECT}), with the segments the contact is a member of. A
 * segment's membership is what its last evaluation found, as the segment's count is.
 */
@Service
public class ContactDetails {

	private static final String SELECT = "SELECT jsonb_strip_nulls(" + ContactJson.OBJECT
			+ ")::text FROM contact c WHERE c.id = ?";

	private final JdbcClient jdbc;

	ContactDetails(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<ObjectNode> find(UUID id) {
		return this.jdbc.sql(SELECT)
			.param(id)
			.query(String.class)
			.optional()
			.map((json) -> (ObjectNode) ImportJson.MAPPER.readTree(json));
	}

}

package io.segmat.events;

import tools.jackson.databind.node.ObjectNode;

/** A valid webhook event in storage form; {@code data} is {"payload": ...}. */
record EventRow(long line, String sgEventId, String email, String eventType, long occurredAt, String singlesendId,
		String automationId, String templateId, String url, ObjectNode data) {
}

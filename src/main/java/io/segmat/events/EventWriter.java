package io.segmat.events;

import java.util.ArrayList;
import java.util.List;

import io.segmat.db.ChangeSequence;
import io.segmat.ingest.ImportJson;
import io.segmat.ingest.ImportTally;
import io.segmat.ingest.RefusalSplitter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Writes a chunk of events in one statement: it matches emails to contacts, drops repeats
 * of an sg_event_id within the chunk (first one wins) and against the table (ON CONFLICT
 * DO NOTHING), and counts what it did. Each stored event's seq is a change number. Should
 * PostgreSQL refuse a value the checks let through, {@link RefusalSplitter} writes the
 * chunk again around the refused events.
 */
class EventWriter implements ItemWriter<EventRow> {

	static final String IMPORTED = "imported";

	static final String DUPLICATES = "duplicates";

	static final String UNKNOWN_EMAIL = "unknown_email";

	private static final String INSERT = """
			WITH input AS (
			    SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(
			        ord int, sg_event_id text, email text, event_type text, occurred_at bigint,
			        singlesend_id text, automation_id text, template_id text, url text, data jsonb)
			), matched AS (
			    SELECT DISTINCT ON (i.sg_event_id) i.*, c.contact_key
			    FROM input i JOIN contact c ON c.email = i.email
			    ORDER BY i.sg_event_id, i.ord
			), inserted AS (
			    INSERT INTO email_event (seq, sg_event_id, contact_key, event_source, event_type, occurred_at,
			                             singlesend_id, automation_id, template_id, url, data)
			    SELECT nextval('change_seq'), sg_event_id, contact_key, 'mail', event_type, to_timestamp(occurred_at),
			           singlesend_id, automation_id, template_id, url, data
			    FROM matched ORDER BY ord
			    ON CONFLICT (sg_event_id) DO NOTHING
			    RETURNING 1
			)
			SELECT (SELECT count(*) FROM inserted) AS imported,
			       (SELECT count(*) FROM input i WHERE NOT EXISTS (SELECT 1 FROM contact c WHERE c.email = i.email))
			           AS unknown_email
			""";

	private final JdbcClient jdbc;

	private final ChangeSequence changes;

	private final ImportTally tally;

	private final RefusalSplitter splitter;

	EventWriter(JdbcClient jdbc, ChangeSequence changes, ImportTally tally,
			PlatformTransactionManager transactionManager) {
		this.splitter = new RefusalSplitter(transactionManager);
		this.jdbc = jdbc;
		this.changes = changes;
		this.tally = tally;
	}

	@Override
	public void write(Chunk<? extends EventRow> chunk) {
		if (chunk.isEmpty()) {
			return;
		}
		this.changes.joinWrite();
		this.splitter.write(new ArrayList<EventRow>(chunk.getItems()), (part, again) -> write(part),
				(event) -> this.tally.reject(EventValidator.INVALID, event.line(), null, RefusalSplitter.REFUSED));
	}

	private void write(List<EventRow> part) {
		ArrayNode rows = ImportJson.MAPPER.createArrayNode();
		int ord = 0;
		for (EventRow event : part) {
			ObjectNode row = rows.addObject();
			row.put("ord", ord++);
			row.put("sg_event_id", event.sgEventId());
			row.put("email", event.email());
			row.put("event_type", event.eventType());
			row.put("occurred_at", event.occurredAt());
			row.put("singlesend_id", event.singlesendId());
			row.put("automation_id", event.automationId());
			row.put("template_id", event.templateId());
			row.put("url", event.url());
			row.set("data", event.data());
		}
		long[] counts = this.jdbc.sql(INSERT)
			.param("rows", ImportJson.MAPPER.writeValueAsString(rows))
			.query((rs, n) -> new long[] { rs.getLong("imported"), rs.getLong("unknown_email") })
			.single();
		this.tally.add(IMPORTED, counts[0]);
		this.tally.add(UNKNOWN_EMAIL, counts[1]);
		this.tally.add(DUPLICATES, part.size() - counts[0] - counts[1]);
	}

}

-- Each contact's latest event of each type. A window such as "opened in the last 30 days"
-- (`EXISTS` an open with `timestamp > now - 30 days`, as a join, IN, NOT IN or [NOT]
-- EXISTS) changes its answer for a contact only when the contact's latest qualifying event
-- crosses the moving bound: an older event crossing it leaves a newer one inside. So a
-- refresh looks here for the contacts a bound swept past, and finds only those whose
-- membership can change; email_event holds every crossing event, most of them not a
-- contact's latest (at 1,000,000 contacts, 480 of the 730 opens that crossed a 30-day edge
-- in an hour).
-- The triggers keep it whatever writes email_event, the event webhook, a bulk load in SQL
-- or a contact's deletion cascading to its events. Their functions keep the schema this
-- migration ran in (an account's, README), whatever the search path of the session that
-- writes the events.
CREATE TABLE contact_last_event (
    contact_key  bigint      NOT NULL,
    event_type   text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    PRIMARY KEY (contact_key, event_type)
);

INSERT INTO contact_last_event (contact_key, event_type, occurred_at)
SELECT contact_key, event_type, max(occurred_at) FROM email_event GROUP BY contact_key, event_type;

-- The sweep's range: a type's latest events between two instants, read from the index alone.
CREATE INDEX contact_last_event_type_time ON contact_last_event (event_type, occurred_at) INCLUDE (contact_key);

-- New events can only move a latest value forward. The rows are taken in key order, so two
-- concurrent batches lock the rows they share in the same order.
CREATE FUNCTION contact_last_event_inserted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO contact_last_event AS l (contact_key, event_type, occurred_at)
    SELECT contact_key, event_type, max(occurred_at) FROM inserted_events
    GROUP BY contact_key, event_type ORDER BY contact_key, event_type
    ON CONFLICT (contact_key, event_type) DO UPDATE SET occurred_at = excluded.occurred_at
    WHERE excluded.occurred_at > l.occurred_at;
    RETURN NULL;
END $$;

-- An event changed or removed may have been the latest: the pairs it touched (each once,
-- however many of its events the statement changed) are computed again from email_event,
-- and a pair with no event left goes.
CREATE FUNCTION contact_last_event_recompute(keys bigint[], types text[]) RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $$
    WITH latest AS (
        SELECT p.contact_key, p.event_type,
               (SELECT max(e.occurred_at) FROM email_event e
                WHERE e.contact_key = p.contact_key AND e.event_type = p.event_type) AS occurred_at
        FROM (SELECT DISTINCT contact_key, event_type FROM unnest(keys, types) AS u(contact_key, event_type)) p),
    gone AS (
        DELETE FROM contact_last_event l USING latest
        WHERE l.contact_key = latest.contact_key AND l.event_type = latest.event_type
          AND latest.occurred_at IS NULL)
    INSERT INTO contact_last_event AS l (contact_key, event_type, occurred_at)
    SELECT contact_key, event_type, occurred_at FROM latest WHERE occurred_at IS NOT NULL
    ORDER BY contact_key, event_type
    ON CONFLICT (contact_key, event_type) DO UPDATE SET occurred_at = excluded.occurred_at
    WHERE l.occurred_at IS DISTINCT FROM excluded.occurred_at
$$;

CREATE FUNCTION contact_last_event_updated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM contact_last_event_recompute(array_agg(contact_key), array_agg(event_type))
    FROM (SELECT contact_key, event_type FROM old_events UNION ALL SELECT contact_key, event_type FROM new_events) p;
    RETURN NULL;
END $$;

CREATE FUNCTION contact_last_event_deleted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM contact_last_event_recompute(array_agg(contact_key), array_agg(event_type)) FROM old_events;
    RETURN NULL;
END $$;

-- DELETE, not TRUNCATE: a TRUNCATE that names both tables has this one open still.
CREATE FUNCTION contact_last_event_truncated() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM contact_last_event;
    RETURN NULL;
END $$;

CREATE TRIGGER contact_last_event_insert AFTER INSERT ON email_event
    REFERENCING NEW TABLE AS inserted_events
    FOR EACH STATEMENT EXECUTE FUNCTION contact_last_event_inserted();
CREATE TRIGGER contact_last_event_update AFTER UPDATE ON email_event
    REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION contact_last_event_updated();
CREATE TRIGGER contact_last_event_delete AFTER DELETE ON email_event
    REFERENCING OLD TABLE AS old_events
    FOR EACH STATEMENT EXECUTE FUNCTION contact_last_event_deleted();
CREATE TRIGGER contact_last_event_truncate AFTER TRUNCATE ON email_event
    FOR EACH STATEMENT EXECUTE FUNCTION contact_last_event_truncated();

-- What each segment's query depends on (columns and custom fields read, lists, events, clock),
-- stored when the query is saved, so that a refresh decides whether a segment is due without
-- parsing every query on every run. dependencies_revision is the query_revision they were
-- computed for: a row where the two differ, or from before this migration (NULL), has its
-- dependencies computed and stored by the next refresh.
ALTER TABLE segment
    ADD COLUMN dependencies          jsonb,
    ADD COLUMN dependencies_revision integer;

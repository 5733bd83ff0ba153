-- segment_member, list-partitioned by segment (README, Performance and Operations).
--
-- A segment's first materialization loads a fresh table of its own, indexes it after the load and
-- attaches it: a sorted bulk load, where an insert into one shared table paid for a heap insert and a
-- B-tree insert per row. Readers keep their SQL (FROM segment_member WHERE segment_key = ?) and the
-- planner reads the one partition. There is no DEFAULT partition: attaching beside one would scan and
-- lock it. A partition is named segment_member_<segment_key>, with a CHECK (segment_key = <key>) that
-- lets ATTACH skip its validation scan.
--
-- Existing memberships move into a partition per segment; every segment gets one, an empty membership
-- too, so an incremental evaluation always finds where its rows go. Rows of keys that no segment has
-- (none should exist: deletion removed them) are dropped.
ALTER TABLE segment_member RENAME TO segment_member_v8;
ALTER TABLE segment_member_v8 RENAME CONSTRAINT segment_member_pkey TO segment_member_v8_pkey;

CREATE TABLE segment_member (
    segment_key  integer NOT NULL,
    contact_key  bigint  NOT NULL,
    PRIMARY KEY (segment_key, contact_key)
) PARTITION BY LIST (segment_key);

DO $$
DECLARE
    k integer;
    part text;
BEGIN
    FOR k IN SELECT segment_key FROM segment ORDER BY segment_key LOOP
        part := 'segment_member_' || k;
        EXECUTE format('CREATE TABLE %I (segment_key integer NOT NULL CONSTRAINT %I CHECK (segment_key = %s),'
                       ' contact_key bigint NOT NULL)', part, part || '_key', k);
        EXECUTE format('INSERT INTO %I (segment_key, contact_key)'
                       ' SELECT segment_key, contact_key FROM segment_member_v8 WHERE segment_key = %s'
                       ' ORDER BY contact_key', part, k);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (segment_key, contact_key)', part, part || '_pkey');
        EXECUTE format('ALTER TABLE segment_member ATTACH PARTITION %I FOR VALUES IN (%s)', part, k);
    END LOOP;
END
$$;

DROP TABLE segment_member_v8;

-- The membership change feed: who entered and who left each segment, written by the evaluation
-- that changed the membership, in its transaction.
--
-- seq orders a segment's changes as they were committed: an evaluation takes its numbers while
-- holding the segment's row lock, which the next evaluation of that segment waits for, so a
-- reader that sees change n of a segment also sees every earlier one. (Across segments, parallel
-- evaluations commit out of seq order; that is why cursors are per segment.)
--
-- A row with change 'initial' (and no contact) stands for a whole membership loaded into an
-- empty one: every member of the segment just after that evaluation entered. Readers expand it
-- from the membership (io.segmat.changes.ChangeFeed), so a first materialization costs one row.
CREATE TABLE segment_change (
    seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    segment_key    integer     NOT NULL,
    contact_key    bigint,
    change         text        NOT NULL CHECK (change IN ('entered', 'left', 'initial')),
    evaluation_id  bigint      NOT NULL,
    recorded_at    timestamptz NOT NULL,
    CHECK ((change = 'initial') = (contact_key IS NULL))
);
CREATE INDEX segment_change_segment ON segment_change (segment_key, seq);
-- A reader expanding an 'initial' row looks for the segment's next one.
CREATE INDEX segment_change_initial ON segment_change (segment_key, seq) WHERE change = 'initial';
-- Retention finds the newest change older than its cutoff; rows arrive in time order.
CREATE INDEX segment_change_recorded ON segment_change USING brin (recorded_at);

-- Per segment, the last seq pruned by retention: a cursor before it has lost changes (410).
CREATE TABLE segment_change_pruned (
    segment_key  integer PRIMARY KEY,
    through_seq  bigint  NOT NULL
);

-- Webhook delivery: per destination and segment, the feed position delivered (answered 2xx).
-- contact_key is the position inside an 'initial' row's expansion, NULL once it is whole.
CREATE TABLE change_delivery (
    destination   text        NOT NULL,
    segment_key   integer     NOT NULL,
    seq           bigint      NOT NULL,
    contact_key   bigint,
    delivered_at  timestamptz NOT NULL,
    PRIMARY KEY (destination, segment_key)
);

-- A left contact that has since been deleted is named by its tombstone.
CREATE INDEX contact_deletion_contact ON contact_deletion (contact_key);

-- Memberships from before the feed: each is an initial load as of its last evaluation, so that a
-- replay from the beginning gives the current membership.
INSERT INTO segment_change (segment_key, contact_key, change, evaluation_id, recorded_at)
SELECT s.segment_key, NULL, 'initial', coalesce(
           (SELECT max(e.id) FROM segment_evaluation e WHERE e.segment_id = s.id AND e.status = 'COMPLETED'), 0),
       now()
FROM segment s
WHERE EXISTS (SELECT 1 FROM segment_member m WHERE m.segment_key = s.segment_key)
ORDER BY s.segment_key;

-- Who holds a view's lease, for people (host and process id; acquired_at says since when), and the
-- database session whose end shows that the holder died: the key of the session-level advisory lock
-- the holder's store keeps on a connection of its own for as long as it lives. A lease whose
-- holder's lock nobody holds any more is taken over at once; otherwise it still expires after its
-- time to live, as before. Leases taken before this column existed have none: they expire.
ALTER TABLE viewpush_lease ADD COLUMN holder_host VARCHAR(255);
ALTER TABLE viewpush_lease ADD COLUMN holder_pid BIGINT;
ALTER TABLE viewpush_lease ADD COLUMN holder_session BIGINT;

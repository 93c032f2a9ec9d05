-- Who holds a view's lease, for people (host and process id; acquired_at says since when), and which
-- process: a number drawn once per process. A database file opened by one process at a time (no
-- server, no AUTO_SERVER) cannot have a live holder in another process, so such a lease is taken
-- over at once; otherwise it still expires after its time to live, as before.
ALTER TABLE "viewpush_lease" ADD COLUMN "holder_host" VARCHAR(255);
ALTER TABLE "viewpush_lease" ADD COLUMN "holder_pid" BIGINT;
ALTER TABLE "viewpush_lease" ADD COLUMN "holder_session" BIGINT;

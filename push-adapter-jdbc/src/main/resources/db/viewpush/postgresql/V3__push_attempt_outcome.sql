-- Why each push ended as it did, as a code (PushAttempt.Outcome); the reason column stays for people.
-- Attempts recorded before this column existed have none: they read as the outcome their status stands for.
ALTER TABLE viewpush_push_attempt ADD COLUMN outcome VARCHAR(30);

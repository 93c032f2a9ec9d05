-- The rows a push held back because a value of theirs cannot be carried by the row JSON: how many,
-- and the first of them, one per line as key TAB field TAB problem (key and field are printable
-- text: control characters are escaped, so neither holds a tab or a line break).
ALTER TABLE "viewpush_push_attempt" ADD COLUMN "rows_held_back" BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE "viewpush_push_attempt" ADD COLUMN "held_back" CHARACTER LARGE OBJECT;

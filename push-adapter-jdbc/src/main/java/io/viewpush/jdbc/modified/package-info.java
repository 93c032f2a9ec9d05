/**
 * The "last modified" column of a pushed view: {@link io.viewpush.jdbc.modified.ModifiedAtWriteTrigger}
 * writes the SQL of a trigger that sets it when each row is written (on H2,
 * {@link io.viewpush.jdbc.modified.H2ModifiedAtWriteTime}), and
 * {@link io.viewpush.jdbc.modified.ModifiedColumnCheck} reads from the catalog whether a trigger or
 * default sets it to the writing transaction's start, which can lose changes.
 */
package io.viewpush.jdbc.modified;

/**
 * The JDBC adapter: {@link io.viewpush.jdbc.JdbcPushStore}, every ViewPush port on PostgreSQL or
 * H2 with jOOQ (views as SQL, streaming, set-based stamping) and Flyway (ViewPush's own
 * {@code viewpush_*} tables: journal, history, leases, stamp batches).
 */
package io.viewpush.jdbc;

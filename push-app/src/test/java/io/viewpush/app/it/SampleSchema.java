package io.viewpush.app.it;

/**
 * The sample schema of the app's tests on real databases: a composite key, a second schema with
 * text keys, quoted names with capitals, spaces and non-ASCII letters, a key only a unique index
 * on two columns makes unique, and on PostgreSQL a partitioned table whose primary key includes
 * the partition column, an updatable view, a view PostgreSQL cannot update and a materialized view.
 */
final class SampleSchema {
    private SampleSchema() {
    }

    static final String[] POSTGRES = {
        "DROP SCHEMA IF EXISTS sales CASCADE",
        "DROP SCHEMA IF EXISTS \"Sales\" CASCADE",
        "DROP TABLE IF EXISTS film_actor, tagged, payment CASCADE",
        "CREATE TABLE film_actor (actor_id integer NOT NULL, film_id integer NOT NULL, role text,"
                + " last_update timestamp(3) NOT NULL DEFAULT clock_timestamp(), pushed_at timestamp(3),"
                + " PRIMARY KEY (actor_id, film_id))",
        "INSERT INTO film_actor (actor_id, film_id) VALUES (2, 1), (1, 10), (10, 1), (1, 2), (1, 1)",
        "CREATE TABLE tagged (id integer NOT NULL, tag text NOT NULL, pushed_at timestamp(3))",
        "CREATE UNIQUE INDEX tagged_id_tag ON tagged (id, tag)",
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.orders (id varchar(36) PRIMARY KEY, customer text, pushed_at timestamp(3))",
        "INSERT INTO sales.orders (id, customer) VALUES ('0b9a4c1e-0000-4000-8000-000000000001', 'Ada'),"
                + " ('0b9a4c1e-0000-4000-8000-000000000002', 'Grace')",
        "CREATE SCHEMA \"Sales\"",
        "CREATE TABLE \"Sales\".\"Order Lines\" (\"Order Id\" integer NOT NULL, \"Zeile Nr\" integer NOT NULL,"
                + " \"Größe\" text, \"Gesendet am\" timestamp(3), PRIMARY KEY (\"Order Id\", \"Zeile Nr\"))",
        "INSERT INTO \"Sales\".\"Order Lines\" VALUES (1, 1, 'S', NULL), (1, 2, 'M', NULL), (2, 1, 'L', NULL)",
        "CREATE TABLE payment (payment_id integer NOT NULL, payment_date date NOT NULL, amount numeric(5,2),"
                + " pushed_at timestamp(3), PRIMARY KEY (payment_date, payment_id)) PARTITION BY RANGE (payment_date)",
        "CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "CREATE TABLE payment_2025 PARTITION OF payment FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "INSERT INTO payment (payment_id, payment_date, amount) VALUES (1, '2024-03-01', 1.50),"
                + " (2, '2024-12-31', 2.50), (1, '2025-01-01', 3.50)",
        "CREATE VIEW sales.active_orders AS SELECT id, customer, pushed_at FROM sales.orders WHERE customer IS NOT NULL",
        "CREATE VIEW sales.order_totals AS SELECT customer, max(pushed_at) AS at FROM sales.orders GROUP BY customer",
        "CREATE MATERIALIZED VIEW sales.order_snapshot AS SELECT id, customer, pushed_at FROM sales.orders",
    };
}

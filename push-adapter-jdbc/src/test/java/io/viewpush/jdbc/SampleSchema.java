package io.viewpush.jdbc;

/**
 * A sample of the schemas people have, for the tests: a composite key, a key that a unique index
 * on two columns makes unique, a second schema, quoted names with capitals, spaces and non-ASCII
 * letters, and on PostgreSQL a partitioned table whose primary key includes the partition column,
 * an updatable view, a view PostgreSQL cannot update and a materialized view.
 */
final class SampleSchema {
    private SampleSchema() {
    }

    private static final String[] COMMON = {
        "CREATE TABLE film_actor (actor_id INTEGER NOT NULL, film_id INTEGER NOT NULL, note VARCHAR(50),"
                + " last_update TIMESTAMP(3) NOT NULL, pushed_at TIMESTAMP(3), PRIMARY KEY (actor_id, film_id))",
        "INSERT INTO film_actor (actor_id, film_id, last_update) VALUES (2, 1, TIMESTAMP '2024-01-01 00:00:00'),"
                + " (1, 10, TIMESTAMP '2024-01-01 00:00:00'), (10, 1, TIMESTAMP '2024-01-01 00:00:00'),"
                + " (1, 2, TIMESTAMP '2024-01-01 00:00:00'), (2, 3, TIMESTAMP '2024-01-01 00:00:00'),"
                + " (1, 1, TIMESTAMP '2024-01-01 00:00:00')",
        "CREATE TABLE tagged (id INTEGER NOT NULL, tag VARCHAR(10) NOT NULL, pushed_at TIMESTAMP(3))",
        "CREATE UNIQUE INDEX tagged_id_tag ON tagged (id, tag)",
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.orders (id VARCHAR(36) PRIMARY KEY, customer VARCHAR(50), pushed_at TIMESTAMP(3))",
        "INSERT INTO sales.orders (id, customer) VALUES ('0b9a4c1e-0000-4000-8000-000000000001', 'Ada'),"
                + " ('0b9a4c1e-0000-4000-8000-000000000002', 'Grace')",
        "CREATE SCHEMA \"Sales\"",
        "CREATE TABLE \"Sales\".\"Order Lines\" (\"Order Id\" INTEGER NOT NULL, \"Zeile Nr\" INTEGER NOT NULL,"
                + " \"Größe\" VARCHAR(10), \"Gesendet am\" TIMESTAMP(3), PRIMARY KEY (\"Order Id\", \"Zeile Nr\"))",
        "INSERT INTO \"Sales\".\"Order Lines\" (\"Order Id\", \"Zeile Nr\", \"Größe\") VALUES (1, 1, 'S'), (1, 2, 'M'),"
                + " (2, 1, 'L')",
    };

    private static final String[] POSTGRES_ONLY = {
        "CREATE TABLE payment (payment_id INTEGER NOT NULL, payment_date DATE NOT NULL, amount NUMERIC(5,2),"
                + " pushed_at TIMESTAMP(3), PRIMARY KEY (payment_date, payment_id)) PARTITION BY RANGE (payment_date)",
        "CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "CREATE TABLE payment_2025 PARTITION OF payment FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "INSERT INTO payment (payment_id, payment_date, amount) VALUES (1, DATE '2024-03-01', 1.50),"
                + " (2, DATE '2024-12-31', 2.50), (1, DATE '2025-01-01', 3.50)",
        "CREATE VIEW active_orders AS SELECT id, customer, pushed_at FROM sales.orders WHERE customer IS NOT NULL",
        "CREATE VIEW order_totals AS SELECT customer, count(*) AS n FROM sales.orders GROUP BY customer",
        "CREATE VIEW order_totals_at AS SELECT customer, max(pushed_at) AS at FROM sales.orders GROUP BY customer",
        "CREATE MATERIALIZED VIEW order_snapshot AS SELECT id, customer, pushed_at FROM sales.orders",
        "CREATE TABLE public.\"Dup\" (id INTEGER PRIMARY KEY)",
        "CREATE TABLE sales.\"dUP\" (id INTEGER PRIMARY KEY)",
    };

    /** @return the statements that create the sample on PostgreSQL */
    static String[] postgres() {
        String[] all = new String[COMMON.length + POSTGRES_ONLY.length];
        System.arraycopy(COMMON, 0, all, 0, COMMON.length);
        System.arraycopy(POSTGRES_ONLY, 0, all, COMMON.length, POSTGRES_ONLY.length);
        return all;
    }

    /** @return the statements that create the H2 subset */
    static String[] h2() {
        return COMMON.clone();
    }
}

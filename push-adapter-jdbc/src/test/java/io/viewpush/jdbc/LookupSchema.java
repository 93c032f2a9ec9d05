package io.viewpush.jdbc;

/**
 * Tables related by foreign keys, for the lookup and summary tests: orders → customer → address →
 * city (each link may be missing), order lines and rentals that refer to orders and customers, a
 * film with two foreign keys to one language table, and a composite foreign key. The same DDL runs
 * on PostgreSQL and H2.
 */
final class LookupSchema {
    private LookupSchema() {
    }

    static String[] statements() {
        return new String[]{
            "CREATE TABLE city (city_id INTEGER PRIMARY KEY, city VARCHAR(50) NOT NULL)",
            "CREATE TABLE address (address_id INTEGER PRIMARY KEY, address VARCHAR(50), city_id INTEGER"
                    + " CONSTRAINT address_city_fk REFERENCES city (city_id))",
            "CREATE TABLE customer (customer_id INTEGER PRIMARY KEY, first_name VARCHAR(45), code CHAR(6),"
                    + " address_id INTEGER CONSTRAINT customer_address_fk REFERENCES address (address_id),"
                    + " last_pushed TIMESTAMP(3))",
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER CONSTRAINT orders_customer_fk REFERENCES"
                    + " customer (customer_id), placed DATE, receipt VARCHAR(20), last_pushed TIMESTAMP(3))",
            "CREATE TABLE order_line (order_id INTEGER NOT NULL CONSTRAINT order_line_order_fk REFERENCES orders (id),"
                    + " line_no INTEGER NOT NULL, amount NUMERIC(10,2), PRIMARY KEY (order_id, line_no))",
            "CREATE TABLE rental (rental_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL CONSTRAINT rental_customer_fk"
                    + " REFERENCES customer (customer_id), rental_date TIMESTAMP(0) NOT NULL, returned BOOLEAN)",
            "CREATE TABLE language (language_id INTEGER PRIMARY KEY, name CHAR(20) NOT NULL)",
            "CREATE TABLE film (film_id INTEGER PRIMARY KEY, title VARCHAR(50), language_id INTEGER NOT NULL"
                    + " CONSTRAINT film_language_fk REFERENCES language (language_id), original_language_id INTEGER"
                    + " CONSTRAINT film_original_language_fk REFERENCES language (language_id))",
            "CREATE TABLE transfer (id INTEGER PRIMARY KEY, from_city INTEGER CONSTRAINT transfer_from_fk REFERENCES"
                    + " city (city_id), to_city INTEGER CONSTRAINT transfer_to_fk REFERENCES city (city_id))",
            "CREATE TABLE shop_order (shop VARCHAR(5) NOT NULL, id INTEGER NOT NULL, note VARCHAR(20), PRIMARY KEY (shop, id))",
            "CREATE TABLE shop_line (shop VARCHAR(5) NOT NULL, order_id INTEGER NOT NULL, line_no INTEGER NOT NULL,"
                    + " amount NUMERIC(10,2), PRIMARY KEY (shop, order_id, line_no), CONSTRAINT shop_line_order_fk"
                    + " FOREIGN KEY (shop, order_id) REFERENCES shop_order (shop, id))",
            "CREATE SCHEMA \"Shop\"",
            "CREATE TABLE \"Shop\".\"Kunden\" (\"Kunde Nr\" INTEGER PRIMARY KEY, \"Name\" VARCHAR(20))",
            "CREATE TABLE \"Shop\".\"Bestellungen\" (\"Nr\" INTEGER PRIMARY KEY, \"Kunde\" INTEGER CONSTRAINT"
                    + " \"Bestellung.Kunde\" REFERENCES \"Shop\".\"Kunden\" (\"Kunde Nr\"))",
            "INSERT INTO \"Shop\".\"Kunden\" VALUES (1, 'Jürgen')",
            "INSERT INTO \"Shop\".\"Bestellungen\" VALUES (7, 1), (8, NULL)",
            "INSERT INTO city VALUES (1, 'Lisbon'), (2, 'Porto')",
            "INSERT INTO address VALUES (10, 'Rua A', 1), (11, 'Rua B', 2), (12, 'Nowhere', NULL)",
            "INSERT INTO customer VALUES (100, 'Ada', 'A1', 10, NULL), (101, 'Grace', 'G1', 11, NULL),"
                    + " (102, 'Alan', NULL, 12, NULL), (103, 'Edsger', NULL, NULL, NULL)",
            "INSERT INTO orders VALUES (1, 100, DATE '2024-01-05', NULL, NULL), (2, 101, DATE '2024-02-05', NULL, NULL),"
                    + " (3, 102, DATE '2024-03-05', NULL, NULL), (4, NULL, DATE '2024-04-05', NULL, NULL),"
                    + " (5, 100, DATE '2024-05-05', NULL, NULL), (6, 103, DATE '2024-06-05', NULL, NULL)",
            "INSERT INTO order_line VALUES (1, 1, 10.50), (1, 2, 4.25), (2, 1, 7.00), (5, 1, NULL)",
            "INSERT INTO rental VALUES (1, 100, TIMESTAMP '2024-01-01 10:00:00', TRUE),"
                    + " (2, 100, TIMESTAMP '2024-03-01 09:30:00', FALSE), (3, 101, TIMESTAMP '2024-02-01 08:00:00', TRUE)",
            "INSERT INTO language VALUES (1, 'English'), (2, 'Japanese')",
            "INSERT INTO film VALUES (1, 'Seven Samurai', 1, 2), (2, 'Alien', 1, NULL)",
            "INSERT INTO transfer VALUES (1, 1, 2)",
            "INSERT INTO shop_order VALUES ('north', 1, 'first'), ('south', 1, 'other')",
            "INSERT INTO shop_line VALUES ('north', 1, 1, 2.00), ('north', 1, 2, 3.00), ('south', 1, 1, 40.00)",
        };
    }
}

-- The tables examples/push.yaml names, for trying it out (database.init runs this at every start,
-- so it only creates what is missing). Works on PostgreSQL and H2.
CREATE TABLE IF NOT EXISTS orders (
    id            INT PRIMARY KEY,
    customer      VARCHAR(200) NOT NULL,
    amount        DECIMAL(12, 2) NOT NULL,
    last_modified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_pushed   TIMESTAMP,
    receipt_id    VARCHAR(100)
);
CREATE TABLE IF NOT EXISTS customers (
    id        INT PRIMARY KEY,
    name      VARCHAR(200) NOT NULL,
    email     VARCHAR(200),
    pushed_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS products (
    sku   VARCHAR(40) PRIMARY KEY,
    price DECIMAL(12, 2) NOT NULL
);

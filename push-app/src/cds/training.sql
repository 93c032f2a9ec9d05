CREATE TABLE IF NOT EXISTS training_rows (
    id BIGINT PRIMARY KEY,
    customer VARCHAR(100) NOT NULL,
    amount NUMERIC(12, 2) NOT NULL,
    last_modified TIMESTAMP NOT NULL,
    last_pushed TIMESTAMP
);

CREATE TABLE IF NOT EXISTS training_rows (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    amount numeric(12, 2) NOT NULL,
    last_modified timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_pushed timestamptz
);
INSERT INTO training_rows (id, customer, amount)
SELECT g, 'customer-' || g, g * 1.25 FROM generate_series(1, 3) g
ON CONFLICT (id) DO NOTHING;

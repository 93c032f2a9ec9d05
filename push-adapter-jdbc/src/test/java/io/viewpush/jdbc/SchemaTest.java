package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class SchemaTest {
    @Nested
    class OnPostgres extends SchemaCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends SchemaCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class RealSchemaTest {
    @Nested
    class OnPostgres extends RealSchemaCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends RealSchemaCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

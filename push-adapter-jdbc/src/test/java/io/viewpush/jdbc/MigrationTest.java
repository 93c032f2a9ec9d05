package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class MigrationTest {
    @Nested
    class OnPostgres extends MigrationCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends MigrationCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

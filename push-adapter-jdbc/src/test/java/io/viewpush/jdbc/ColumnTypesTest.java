package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class ColumnTypesTest {
    @Nested
    class OnPostgres extends ColumnTypesCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends ColumnTypesCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

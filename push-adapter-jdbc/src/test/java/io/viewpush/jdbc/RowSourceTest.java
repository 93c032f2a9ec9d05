package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class RowSourceTest {
    @Nested
    class OnPostgres extends RowSourceCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends RowSourceCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

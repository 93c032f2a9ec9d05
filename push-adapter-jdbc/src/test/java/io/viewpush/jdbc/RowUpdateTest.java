package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class RowUpdateTest {
    @Nested
    class OnPostgres extends RowUpdateCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends RowUpdateCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

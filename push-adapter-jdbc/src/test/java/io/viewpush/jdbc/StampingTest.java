package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class StampingTest {
    @Nested
    class OnPostgres extends StampingCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends StampingCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

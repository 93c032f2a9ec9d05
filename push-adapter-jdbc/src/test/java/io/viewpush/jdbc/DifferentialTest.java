package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class DifferentialTest {
    @Nested
    class OnPostgres extends DifferentialCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends DifferentialCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

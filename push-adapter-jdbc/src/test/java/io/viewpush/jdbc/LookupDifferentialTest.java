package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class LookupDifferentialTest {
    @Nested
    class OnPostgres extends LookupDifferentialCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends LookupDifferentialCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

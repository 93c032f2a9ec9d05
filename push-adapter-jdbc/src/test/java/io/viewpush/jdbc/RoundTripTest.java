package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class RoundTripTest {
    @Nested
    class OnPostgres extends RoundTripCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends RoundTripCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

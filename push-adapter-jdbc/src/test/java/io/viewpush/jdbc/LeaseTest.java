package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class LeaseTest {
    @Nested
    class OnPostgres extends LeaseCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends LeaseCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

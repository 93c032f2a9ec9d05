package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class LookupTest {
    @Nested
    class OnPostgres extends LookupCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends LookupCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

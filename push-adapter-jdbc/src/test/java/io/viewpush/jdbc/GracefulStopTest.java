package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class GracefulStopTest {
    @Nested
    class OnPostgres extends GracefulStopCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends GracefulStopCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

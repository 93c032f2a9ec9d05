package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class TimeZoneTest {
    @Nested
    class OnPostgres extends TimeZoneCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends TimeZoneCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

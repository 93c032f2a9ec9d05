package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class JournalTest {
    @Nested
    class OnPostgres extends JournalCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends JournalCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

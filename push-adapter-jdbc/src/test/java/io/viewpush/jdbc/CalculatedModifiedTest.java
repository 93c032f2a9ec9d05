package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class CalculatedModifiedTest {
    @Nested
    class OnPostgres extends CalculatedModifiedCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends CalculatedModifiedCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class TranslationTest {
    @Nested
    class OnPostgres extends TranslationCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends TranslationCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

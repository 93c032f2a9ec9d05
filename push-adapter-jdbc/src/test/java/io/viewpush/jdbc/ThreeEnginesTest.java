package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;

class ThreeEnginesTest {
    @Nested
    class OnPostgres extends ThreeEnginesCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    @Nested
    class OnH2 extends ThreeEnginesCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

package io.viewpush.jdbc;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

import java.time.Clock;
import java.time.ZoneOffset;

class LookupDifferentialTest {
    @Nested
    class OnPostgres extends LookupDifferentialCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }
    }

    /**
     * The same on PostgreSQL with a store that fetches 7 rows at a time: a fill's 30 rows are read
     * whole past the first fetch, where summaries are read in their grouped form ({@link Lookups#grouped}).
     */
    @Nested
    class OnPostgresReadWhole extends LookupDifferentialCases {
        OnPostgresReadWhole() {
            super(TestDatabase.Kind.POSTGRESQL);
        }

        @BeforeAll
        void streamingStore() {
            store = (DefaultJdbcPushStore) JdbcPushStore.builder(db.dataSource())
                    .clock(Clock.fixed(SNAPSHOT.now(), ZoneOffset.UTC)).fetchSize(7).build();
        }
    }

    @Nested
    class OnH2 extends LookupDifferentialCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}

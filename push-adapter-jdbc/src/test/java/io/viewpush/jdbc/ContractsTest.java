package io.viewpush.jdbc;

import io.viewpush.port.contract.CompositeKeyContractTest;
import io.viewpush.port.contract.PushSessionContractTest;
import io.viewpush.port.contract.RowSourceContractTest;
import io.viewpush.port.contract.RowUpdaterContractTest;
import io.viewpush.port.contract.TestTables;
import io.viewpush.port.contract.ViewControlContractTest;
import io.viewpush.port.contract.ViewSchemaContractTest;
import org.junit.jupiter.api.Nested;

/** Every port's contract suite from the viewpush-testing artifact, on PostgreSQL and on H2. */
class ContractsTest {
    private static final TestDatabase POSTGRES = TestDatabase.postgres();
    private static final TestDatabase H2 = TestDatabase.h2();

    @Nested
    class ViewSchemaOnPostgres extends ViewSchemaContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(POSTGRES);
        }
    }

    @Nested
    class ViewSchemaOnH2 extends ViewSchemaContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(H2);
        }
    }

    @Nested
    class RowSourceOnPostgres extends RowSourceContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(POSTGRES);
        }
    }

    @Nested
    class RowSourceOnH2 extends RowSourceContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(H2);
        }
    }

    @Nested
    class RowUpdaterOnPostgres extends RowUpdaterContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(POSTGRES);
        }
    }

    @Nested
    class RowUpdaterOnH2 extends RowUpdaterContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(H2);
        }
    }

    @Nested
    class PushSessionOnPostgres extends PushSessionContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(POSTGRES);
        }
    }

    @Nested
    class PushSessionOnH2 extends PushSessionContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(H2);
        }
    }

    @Nested
    class ViewControlOnPostgres extends ViewControlContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(POSTGRES);
        }
    }

    @Nested
    class ViewControlOnH2 extends ViewControlContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(H2);
        }
    }

    @Nested
    class CompositeKeyOnPostgres extends CompositeKeyContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(POSTGRES);
        }
    }

    @Nested
    class CompositeKeyOnH2 extends CompositeKeyContractTest {
        @Override
        protected TestTables tables() {
            return JdbcTestTables.fresh(H2);
        }
    }
}

package io.viewpush.testing;

import io.viewpush.port.contract.RowUpdaterContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryRowUpdaterTest extends RowUpdaterContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

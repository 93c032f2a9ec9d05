package io.viewpush.testing;

import io.viewpush.port.contract.RowStamperContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryRowStamperTest extends RowStamperContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

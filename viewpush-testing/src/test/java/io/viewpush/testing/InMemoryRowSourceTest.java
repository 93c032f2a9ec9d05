package io.viewpush.testing;

import io.viewpush.port.contract.RowSourceContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryRowSourceTest extends RowSourceContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

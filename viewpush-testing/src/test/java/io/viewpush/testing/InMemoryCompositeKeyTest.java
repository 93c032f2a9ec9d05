package io.viewpush.testing;

import io.viewpush.port.contract.CompositeKeyContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryCompositeKeyTest extends CompositeKeyContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

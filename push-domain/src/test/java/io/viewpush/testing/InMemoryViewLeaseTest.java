package io.viewpush.testing;

import io.viewpush.port.contract.ViewLeaseContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryViewLeaseTest extends ViewLeaseContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

package io.viewpush.testing;

import io.viewpush.port.contract.TestTables;
import io.viewpush.port.contract.ViewControlContractTest;

class InMemoryViewControlTest extends ViewControlContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

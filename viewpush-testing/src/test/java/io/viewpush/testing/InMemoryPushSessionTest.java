package io.viewpush.testing;

import io.viewpush.port.contract.PushSessionContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryPushSessionTest extends PushSessionContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

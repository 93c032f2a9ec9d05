package io.viewpush.testing;

import io.viewpush.port.contract.PushJournalContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryPushJournalTest extends PushJournalContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

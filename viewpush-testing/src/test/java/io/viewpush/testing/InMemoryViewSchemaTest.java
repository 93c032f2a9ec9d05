package io.viewpush.testing;

import io.viewpush.port.contract.ViewSchemaContractTest;
import io.viewpush.port.contract.TestTables;

class InMemoryViewSchemaTest extends ViewSchemaContractTest {
    @Override
    protected TestTables tables() {
        return new InMemoryTestTables(InMemoryStore.create());
    }
}

package io.viewpush.http.transport;

import io.viewpush.port.PushTransport;
import io.viewpush.port.contract.PushTransportContractTest;

/** The shared transport contract, run against the HTTP transport. */
class HttpPushTransportContractTest extends PushTransportContractTest {
    @Override
    protected PushTransport transport() {
        return HttpPushTransport.builder().build();
    }
}

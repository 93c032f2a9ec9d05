package io.viewpush.http.transport;

import io.viewpush.port.PushTransport;
import io.viewpush.port.contract.HttpTransportContractTest;
import io.viewpush.view.View;

import java.net.URI;

/** The transport contract (its transport-neutral part and its HTTP part), run against the HTTP transport. */
class HttpPushTransportContractTest extends HttpTransportContractTest {
    @Override
    protected PushTransport transport(View view, URI url) {
        return HttpPushTransport.builder()
                .target(view.name(), HttpPushTarget.builder(url).retry(RetrySettings.NONE).build())
                .build();
    }
}

package io.viewpush.http.api;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.PARTNER_A_KEY;
import static io.viewpush.http.api.ApiFixture.UNCONFIRMED;
import static io.viewpush.http.api.ApiFixture.bearer;
import static io.viewpush.http.api.ApiFixture.enc;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A host mounts the API in its own Jetty server, under a context path, with {@link ApiServer#handler()}. */
class MountedHandlerTest {
    private final ApiFixture f = new ApiFixture();
    private Server host;

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.stop();
        }
        f.close();
    }

    @Test
    void theApiServesUnderTheHostsContextPathWithItsKeysAndRules() throws Exception {
        host = new Server();
        ServerConnector connector = new ServerConnector(host);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        host.addConnector(connector);
        host.setHandler(new ContextHandler(f.server.handler(), "/viewpush"));
        host.start();
        f.order(1, "Ada", "1");
        String base = "http://127.0.0.1:" + connector.getLocalPort() + "/viewpush";

        HttpResponse<String> health = f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health"))
                .build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        HttpResponse<String> pull = f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                + "/api/views/" + enc(UNCONFIRMED))).header("Authorization", bearer(PARTNER_A_KEY)).build());
        assertThat(pull.statusCode()).isEqualTo(200);
        assertThat(json(pull).get(0).get("customer").asText()).isEqualTo("Ada");
        HttpResponse<String> noKey = f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                + "/api/views")).build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/views/" + enc(UNCONFIRMED)
                + "/rows/1")).header("Authorization", ADMIN_KEY).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"receipt id\":\"R\"}")).build())
                .statusCode()).isEqualTo(200);
        assertThat(f.row(1).get("receipt_id")).isEqualTo("R");
        assertThat(f.server.handler()).isSameAs(f.server.handler());
    }
}

package io.viewpush.http.api;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.viewpush.http.api.ApiFixture.ADMIN_KEY;
import static io.viewpush.http.api.ApiFixture.bearer;
import static io.viewpush.http.api.ApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host that mounts the API's handler under a context path gets the console there too: its files,
 * a redirect that stays under the context, and the API it calls with paths relative to the page.
 */
class MountedConsoleTest {
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
    void theConsoleServesUnderTheHostsContextPath() throws Exception {
        host = new Server();
        ServerConnector connector = new ServerConnector(host);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        host.addConnector(connector);
        host.setHandler(new ContextHandler(f.server.handler(), "/viewpush"));
        host.start();
        String base = "http://127.0.0.1:" + connector.getLocalPort() + "/viewpush";

        HttpResponse<String> page = f.send(HttpRequest.newBuilder(URI.create(base + "/console/")).build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("src=\"console.js\"");
        assertThat(f.send(HttpRequest.newBuilder(URI.create(base + "/console/console.js")).build()).body())
                .contains("fetch('../api/' + path");
        HttpResponse<String> bare = f.send(HttpRequest.newBuilder(URI.create(base + "/console")).build());
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(URI.create(base + "/console").resolve(bare.headers().firstValue("Location").orElseThrow()))
                .isEqualTo(URI.create(base + "/console/"));
        // what the page calls: ../api/me relative to /viewpush/console/
        URI me = URI.create(base + "/console/").resolve("../api/me");
        assertThat(me.getPath()).isEqualTo("/viewpush/api/me");
        HttpResponse<String> answer = f.send(HttpRequest.newBuilder(me).header("Authorization", bearer(ADMIN_KEY))
                .build());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).get("name").asText()).isEqualTo("admin");
    }
}

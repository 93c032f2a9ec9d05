package io.viewpush.app.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls a running app's API with one key, and checks the refusals of row updates. */
final class ApiClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String key;

    ApiClient(String key) {
        this.key = key;
    }

    /** @param body a JSON body, or null for none */
    HttpResponse<String> call(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PATCH of {@code row} with {@code body} is a 400 that names {@code field} and says {@code why}. */
    void assertRefused(String row, String body, String field, String why) throws Exception {
        HttpResponse<String> r = call("PATCH", row, body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
        assertThat(r.body()).as(body).contains(field).contains(why);
    }
}

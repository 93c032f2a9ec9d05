package io.viewpush.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar on the H2 subset of the column types (a film table keyed by uuid, with an ENUM, a domain
 * with a CHECK, an array, JSON, a day-time interval, VARBINARY, REAL and DOUBLE PRECISION with NaN and
 * infinities, CHAR(5), TIME, TIME WITH TIME ZONE and a generated column): {@code check},
 * {@code preview}, {@code push} to a real receiver and the pull API (paged by its Link header) give
 * the same JSON; PATCH writes what H2 writes and answers 400 naming the field for a value the column
 * cannot hold, the domain's CHECK by its name, and for an array, which ViewPush writes on PostgreSQL only.
 */
class H2ColumnTypesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "films-key-0123456789abcdef";
    private static final String FILM_1 = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    private static final String FILM_2 = "f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12";

    private final ApiClient api = new ApiClient(KEY);
    @TempDir
    Path dir;
    Receiver receiver;
    String url;

    @BeforeEach
    void createDatabase() throws IOException, SQLException {
        receiver = new Receiver();
        url = "jdbc:h2:file:" + dir.resolve("data").resolve("films") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DOMAIN film_year AS INTEGER CONSTRAINT film_year_check CHECK (VALUE >= 1901 AND VALUE <= 2155)");
            s.execute("CREATE TABLE film (film_id UUID PRIMARY KEY, title VARCHAR(20) NOT NULL,"
                    + " rating ENUM('G', 'PG', 'PG-13', 'R', 'NC-17'), release_year film_year, features VARCHAR ARRAY,"
                    + " details JSON, duration INTERVAL DAY TO SECOND, poster VARBINARY, score REAL, ratio DOUBLE PRECISION,"
                    + " code CHAR(5), shown_at TIME, shown_at_tz TIME(2) WITH TIME ZONE,"
                    + " title_length INTEGER GENERATED ALWAYS AS (CHAR_LENGTH(title)), last_pushed TIMESTAMP)");
            s.execute("INSERT INTO film (film_id, title, rating, release_year, features, details, duration, poster, score,"
                    + " ratio, code, shown_at, shown_at_tz) VALUES ('" + FILM_1.toUpperCase() + "', 'Academy Dinosaur', 'PG',"
                    + " 2006, ARRAY['Deleted Scenes', NULL], '{\"b\": [1, 2.50, null], \"a\": \"x\"}' FORMAT JSON,"
                    + " INTERVAL '3 04:05:06.5' DAY TO SECOND, X'0102ff', 0.1, 'NaN', 'ab', TIME '10:15:00',"
                    + " TIME WITH TIME ZONE '10:15:30.25+02:00')");
            s.execute("INSERT INTO film (film_id, title, score, ratio) VALUES ('" + FILM_2 + "', 'Ace Goldfinger',"
                    + " 'Infinity', '-Infinity')");
        }
        config("push.yaml", "    filters: [\"{last pushed} is empty\"]\n"
                + "    push: {url: '" + receiver.url() + "', stamp: last pushed, format: json, retry: {attempts: 1}}\n");
        config("pull.yaml", "");
    }

    private void config(String file, String more) throws IOException {
        Files.writeString(dir.resolve(file), "database:\n  url: '" + url + "'\n  user: sa\n"
                + "server:\n  host: 127.0.0.1\n  port: 0\n"
                + "api:\n  keys:\n    - {name: films, key: " + KEY + ", views: ['*'], admin: true}\n"
                + "engine: {pollInterval: 1h}\n"
                + "views:\n"
                + "  - name: films\n"
                + "    table: film\n"
                + "    key: id\n"
                + "    fields:\n"
                + "      id: film_id\n      title: title\n      rating: rating\n      year: release_year\n"
                + "      features: features\n      details: details\n      duration: duration\n      poster: poster\n"
                + "      score: score\n      ratio: ratio\n      code: code\n      shown: shown_at\n"
                + "      shown tz: shown_at_tz\n      title length: title_length\n      last pushed: last_pushed\n"
                + "    writable: [title, rating, year, features, details, duration, poster, score, ratio, code, shown,"
                + " shown tz]\n"
                + more);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void checkPreviewPushPullAndPatchOnTheH2Subset() throws Exception {
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isZero();

        Jar.Result preview = Jar.run(dir, "preview", "-c", "push.yaml", "films");
        assertThat(preview.exit()).as("%s", preview).isZero();
        JsonNode rows = JSON.readTree(preview.out());
        assertThat(rows).hasSize(2);
        JsonNode first = rows.get(0);
        assertThat(first.get("id").asText()).as("uuid, lower case").isEqualTo(FILM_1);
        assertThat(first.get("rating").asText()).isEqualTo("PG");
        assertThat(first.get("year").asInt()).isEqualTo(2006);
        assertThat(first.get("features").toString()).isEqualTo("[\"Deleted Scenes\",null]");
        assertThat(first.get("details").isObject()).as("the JSON value itself").isTrue();
        assertThat(preview.out()).as("the JSON value exactly").contains("\"b\":[1,2.50,null]");
        assertThat(first.get("duration").asText()).isEqualTo("P3DT4H5M6.5S");
        assertThat(first.get("poster").asText()).isEqualTo("AQL/");
        assertThat(first.get("score").asText()).isEqualTo("0.1");
        assertThat(first.get("ratio").asText()).isEqualTo("NaN");
        assertThat(first.get("code").asText()).as("char(5) as stored").isEqualTo("ab   ");
        assertThat(first.get("shown").asText()).isEqualTo("10:15:00");
        assertThat(first.get("shown tz").asText()).isEqualTo("10:15:30.25+02:00");
        assertThat(first.get("title length").asInt()).isEqualTo(16);
        assertThat(rows.get(1).get("score").asText()).isEqualTo("Infinity");
        assertThat(rows.get(1).get("ratio").asText()).isEqualTo("-Infinity");

        Jar.Result push = Jar.run(dir, "push", "-c", "push.yaml", "films");
        assertThat(push.exit()).as("%s", push).isZero();
        assertThat(receiver.requests()).hasSize(1);
        assertThat(JSON.readTree(receiver.requests().get(0).body())).isEqualTo(rows);
        Jar.Result again = Jar.run(dir, "push", "-c", "push.yaml", "films");
        assertThat(again.out()).as("both rows stamped").contains("nothing to send");

        try (RunningApp app = new RunningApp(dir, "run", "-c", "pull.yaml")) {
            HttpResponse<String> page1 = api.call("GET", app.base() + "/api/views/films?limit=1", null);
            assertThat(page1.statusCode()).as(page1.body()).isEqualTo(200);
            JsonNode p1 = JSON.readTree(page1.body());
            assertThat(p1).hasSize(1);
            assertThat(p1.get(0).get("id").asText()).isEqualTo(FILM_1);
            String link = page1.headers().firstValue("Link").orElseThrow();
            assertThat(link).endsWith(">; rel=\"next\"");
            HttpResponse<String> page2 = api.call("GET", app.base() + link.substring(1, link.indexOf('>')), null);
            assertThat(JSON.readTree(page2.body()).get(0).get("id").asText()).isEqualTo(FILM_2);
            assertThat(page2.headers().firstValue("Link")).isEmpty();

            String row = app.base() + "/api/views/films/rows/" + FILM_2.toUpperCase();
            HttpResponse<String> ok = api.call("PATCH", row, "{\"rating\":\"NC-17\",\"year\":1999,"
                    + "\"details\":{\"receipt\":[1,\"two\",null],\"ok\":true},\"duration\":\"P-1DT2H0.5S\",\"poster\":\"AQID\","
                    + "\"score\":\"NaN\",\"ratio\":-0.25,\"code\":\"xyz\",\"shown\":\"23:59:01\",\"shown tz\":\"01:02:03-05:00\"}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JsonNode after = JSON.readTree(ok.body());
            assertThat(after.get("rating").asText()).isEqualTo("NC-17");
            assertThat(after.get("year").asInt()).isEqualTo(1999);
            assertThat(after.get("details").get("receipt").toString()).isEqualTo("[1,\"two\",null]");
            assertThat(after.get("duration").asText()).as("as H2 keeps -1 day + 2 hours").isEqualTo("PT-21H-59M-59.5S");
            assertThat(after.get("poster").asText()).isEqualTo("AQID");
            assertThat(after.get("score").asText()).isEqualTo("NaN");
            assertThat(after.get("ratio").asDouble()).isEqualTo(-0.25);
            assertThat(after.get("code").asText()).isEqualTo("xyz  ");
            assertThat(after.get("shown").asText()).isEqualTo("23:59:01");
            assertThat(after.get("shown tz").asText()).isEqualTo("01:02:03-05:00");

            api.assertRefused(row, "{\"rating\":\"PG-14\"}", "rating", "PG-14");
            api.assertRefused(row, "{\"year\":1800}", "year", "FILM_YEAR_CHECK");
            api.assertRefused(row, "{\"title\":\"" + "x".repeat(21) + "\"}", "title", "20");
            api.assertRefused(row, "{\"duration\":\"P1Y\"}", "duration", "no years or months");
            api.assertRefused(row, "{\"features\":[\"a\"]}", "features", "PostgreSQL only");
            api.assertRefused(row, "{\"title length\":3}", "title length", "not writable");
            HttpResponse<String> badKey = api.call("PATCH", app.base() + "/api/views/films/rows/not-a-uuid", "{\"title\":\"x\"}");
            assertThat(badKey.statusCode()).as(badKey.body()).isBetween(400, 404);
        }
    }
}

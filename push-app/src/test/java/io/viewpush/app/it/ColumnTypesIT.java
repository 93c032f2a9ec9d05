package io.viewpush.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar on a realistic PostgreSQL schema with every kind of column type (a film table keyed by
 * uuid, with an enum, a domain with a CHECK, one- and two-dimensional arrays, jsonb and json,
 * interval, bytea, money, real and double precision with NaN and infinities, inet, tsvector, char(n)
 * (sent as stored, blank-padded to its length),
 * citext, time, timetz and a generated column): {@code check} notes the types sent as text,
 * {@code preview}, {@code push} and the pull API give the same JSON, exactly as the README's table
 * says, and PATCH writes every writable type from its JSON form and answers 400 naming the field
 * for a value its column cannot hold.
 */
class ColumnTypesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "films-key-0123456789abcdef";
    private static final String FILM_1 = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    private static final String FILM_2 = "f0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12";
    private static Postgres pg;

    private final ApiClient api = new ApiClient(KEY);
    @TempDir
    Path dir;
    Receiver receiver;

    @BeforeAll
    static void startPostgres() {
        pg = new Postgres();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        pg.close();
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new Receiver();
        pg.sql("DROP TABLE IF EXISTS film", "DROP TYPE IF EXISTS mpaa_rating", "DROP DOMAIN IF EXISTS year",
                "CREATE EXTENSION IF NOT EXISTS citext",
                "CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17')",
                "CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155)",
                "CREATE TABLE film (film_id uuid PRIMARY KEY, title varchar(20) NOT NULL, rating mpaa_rating,"
                        + " release_year year, special_features text[], seats integer[][], details jsonb, raw json,"
                        + " rental_duration interval, poster bytea, rental_rate money, score real, ratio double precision,"
                        + " origin inet, fulltext tsvector, code char(5), nick citext, shown_at time, shown_at_tz timetz,"
                        + " producer uuid, title_length integer GENERATED ALWAYS AS (length(title)) STORED,"
                        + " last_pushed timestamp)",
                "INSERT INTO film (film_id, title, rating, release_year, special_features, seats, details, raw,"
                        + " rental_duration, poster, rental_rate, score, ratio, origin, fulltext, code, nick, shown_at,"
                        + " shown_at_tz, producer) VALUES ('" + FILM_1.toUpperCase() + "', 'Academy Dinosaur', 'PG', 2006,"
                        + " ARRAY['Deleted Scenes', NULL], ARRAY[[1,2],[3,NULL]], '{\"b\": [1, 2.50, null], \"a\": \"x\"}',"
                        + " '[1,  {\"k\":true}]', interval '1 year 2 months 3 days 04:05:06.5', '\\x0102ff', 12.34, 0.1,"
                        + " 'NaN', '10.0.0.1', 'a fat cat', 'ab', 'Ada', '10:15:00', '10:15:30.25+02', NULL)",
                "INSERT INTO film (film_id, title, score, ratio) VALUES ('" + FILM_2 + "', 'Ace Goldfinger', 'Infinity',"
                        + " '-Infinity')");
        config("push.yaml", "    push: {url: '" + receiver.url() + "', stamp: last pushed, format: json, retry: {attempts: 1}}\n");
        // the same view without a push policy for the running app, whose scheduler would otherwise push it at once
        config("pull.yaml", "");
    }

    private void config(String file, String push) throws IOException {
        Files.writeString(dir.resolve(file), pg.databaseYaml()
                + "server:\n  host: 127.0.0.1\n  port: 0\n"
                + "api:\n  keys:\n    - {name: films, key: " + KEY + ", views: ['*'], admin: true}\n"
                + "engine: {pollInterval: 1h}\n"
                + "views:\n"
                + "  - name: films\n"
                + "    table: film\n"
                + "    key: id\n"
                + "    fields:\n"
                + "      id: film_id\n      title: title\n      rating: rating\n      year: release_year\n"
                + "      features: special_features\n      seats: seats\n      details: details\n      raw: raw\n"
                + "      duration: rental_duration\n      poster: poster\n      rate: rental_rate\n      score: score\n"
                + "      ratio: ratio\n      origin: origin\n      fulltext: fulltext\n      code: code\n      nick: nick\n"
                + "      shown: shown_at\n      shown tz: shown_at_tz\n      producer: producer\n"
                + "      title length: title_length\n      last pushed: last_pushed\n"
                + "    filters:\n      - \"{last pushed} is empty\"\n      - \"{rating} <= 'PG' or {origin} != '10.0.0.2'\"\n"
                + "    writable: [title, rating, year, features, seats, details, raw, duration, poster, rate, score,"
                + " ratio, origin, code, nick, shown, shown tz, producer]\n"
                + push);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    static final String ROW_1 = "{\"id\":\"" + FILM_1 + "\",\"title\":\"Academy Dinosaur\",\"rating\":\"PG\",\"year\":2006,"
            + "\"features\":[\"Deleted Scenes\",null],\"seats\":[[1,2],[3,null]],\"details\":{\"a\": \"x\", \"b\": [1, 2.50, null]},"
            + "\"raw\":[1,  {\"k\":true}],\"duration\":\"P1Y2M3DT4H5M6.5S\",\"poster\":\"AQL/\",\"rate\":12.34,\"score\":0.1,"
            + "\"ratio\":\"NaN\",\"origin\":\"10.0.0.1\",\"fulltext\":\"'a' 'cat' 'fat'\",\"code\":\"ab   \",\"nick\":\"Ada\","
            + "\"shown\":\"10:15:00\",\"shown tz\":\"10:15:30.25+02:00\",\"producer\":null,\"title length\":16,\"last pushed\":null}";
    static final String ROW_2 = "{\"id\":\"" + FILM_2 + "\",\"title\":\"Ace Goldfinger\",\"rating\":null,\"year\":null,"
            + "\"features\":null,\"seats\":null,\"details\":null,\"raw\":null,\"duration\":null,\"poster\":null,\"rate\":null,"
            + "\"score\":\"Infinity\",\"ratio\":\"-Infinity\",\"origin\":null,\"fulltext\":null,\"code\":null,\"nick\":null,"
            + "\"shown\":null,\"shown tz\":null,\"producer\":null,\"title length\":14,\"last pushed\":null}";

    @Test
    void checkPreviewPushAndPullGiveEveryTypeInItsJsonForm() throws Exception {
        Jar.Result check = Jar.run(dir, "check", "-c", "push.yaml");
        assertThat(check.exit()).as("%s", check).isZero();
        assertThat(check.err()).contains("note: view 'films', fields.origin: column 'origin' has a type with no JSON form")
                .contains("fields.fulltext").contains("sent as its text form");

        Jar.Result preview = Jar.run(dir, "preview", "-c", "push.yaml", "films");
        assertThat(preview.exit()).as("%s", preview).isZero();
        assertThat(preview.out().strip()).isEqualTo("[" + ROW_1 + "," + ROW_2 + "]");

        try (RunningApp app = new RunningApp(dir, "run", "-c", "pull.yaml")) {
            HttpResponse<String> pull = api.call("GET", app.base() + "/api/views/films", null);
            assertThat(pull.statusCode()).isEqualTo(200);
            assertThat(pull.body()).isEqualTo("[" + ROW_1 + "," + ROW_2 + "]");
            HttpResponse<String> first = api.call("GET", app.base() + "/api/views/films?limit=1", null);
            assertThat(first.body()).as("a page of one").isEqualTo("[" + ROW_1 + "]");
            String link = first.headers().firstValue("Link").orElseThrow();
            assertThat(link).as("the next page after the uuid key").startsWith("</api/views/films?").contains(FILM_1)
                    .endsWith(">; rel=\"next\"");
            HttpResponse<String> second = api.call("GET", app.base() + link.substring(1, link.indexOf('>')), null);
            assertThat(second.body()).isEqualTo("[" + ROW_2 + "]");
            assertThat(second.headers().firstValue("Link")).as("the last page").isEmpty();
        }

        Jar.Result push = Jar.run(dir, "push", "-c", "push.yaml", "films");
        assertThat(push.exit()).as("%s", push).isZero();
        assertThat(receiver.requests()).hasSize(1);
        assertThat(receiver.requests().get(0).body()).isEqualTo("[" + ROW_1 + "," + ROW_2 + "]");
        assertThat(pg.query("SELECT count(*) AS n FROM film WHERE last_pushed IS NULL").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void patchWritesEveryWritableTypeFromItsJsonFormAndRefusesWhatTheColumnCannotHold() throws Exception {
        try (RunningApp app = new RunningApp(dir, "run", "-c", "pull.yaml")) {
            String row = app.base() + "/api/views/films/rows/" + FILM_2;
            HttpResponse<String> ok = api.call("PATCH", row, "{\"rating\":\"NC-17\",\"year\":1999,\"features\":[\"a\",null,\"b\"],"
                    + "\"seats\":[[5,6],[7,null]],\"details\":{\"receipt\":[1,\"two\",null],\"ok\":true},\"raw\":\"just text\","
                    + "\"duration\":\"P2DT3H0.5S\",\"poster\":\"AQID\",\"rate\":5.5,\"score\":\"NaN\",\"ratio\":-0.25,"
                    + "\"origin\":\"192.168.0.0/24\",\"code\":\"xyz\",\"nick\":\"Bob\",\"shown\":\"23:59:01\","
                    + "\"shown tz\":\"01:02:03-05:00\",\"producer\":\"" + FILM_1.toUpperCase() + "\"}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JsonNode after = JSON.readTree(ok.body());
            assertThat(after.get("rating").asText()).isEqualTo("NC-17");
            assertThat(after.get("year").asInt()).isEqualTo(1999);
            assertThat(after.get("features").toString()).isEqualTo("[\"a\",null,\"b\"]");
            assertThat(after.get("seats").toString()).isEqualTo("[[5,6],[7,null]]");
            assertThat(after.get("details").toString()).isEqualTo("{\"ok\":true,\"receipt\":[1,\"two\",null]}");
            assertThat(after.get("raw").asText()).isEqualTo("just text");
            assertThat(after.get("duration").asText()).isEqualTo("P2DT3H0.5S");
            assertThat(after.get("poster").asText()).isEqualTo("AQID");
            assertThat(after.get("rate").decimalValue()).isEqualByComparingTo("5.5");
            assertThat(after.get("score").asText()).isEqualTo("NaN");
            assertThat(after.get("ratio").asDouble()).isEqualTo(-0.25);
            assertThat(after.get("origin").asText()).isEqualTo("192.168.0.0/24");
            assertThat(after.get("code").asText()).isEqualTo("xyz  ");
            assertThat(after.get("nick").asText()).isEqualTo("Bob");
            assertThat(after.get("shown").asText()).isEqualTo("23:59:01");
            assertThat(after.get("shown tz").asText()).isEqualTo("01:02:03-05:00");
            assertThat(after.get("producer").asText()).isEqualTo(FILM_1);

            api.assertRefused(row, "{\"rating\":\"PG-14\"}", "rating", "'PG-14' is not one of its labels [G, PG, PG-13, R, NC-17]");
            api.assertRefused(row, "{\"year\":1800}", "year", "it violates the check constraint \\\"year_check\\\"");
            api.assertRefused(row, "{\"title\":\"" + "x".repeat(21) + "\"}", "title", "at most 20 characters");
            api.assertRefused(row, "{\"producer\":\"not-a-uuid\"}", "producer", "uuid");
            api.assertRefused(row, "{\"poster\":\"***\"}", "poster", "base64");
            api.assertRefused(row, "{\"origin\":\"10.0.0.300\"}", "origin", "cannot read it as inet");
            api.assertRefused(row, "{\"duration\":\"two days\"}", "duration", "ISO-8601 duration");
            api.assertRefused(row, "{\"features\":\"not an array\"}", "features", "JSON array");
            api.assertRefused(row, "{\"title length\":3}", "title length", "not writable");
        }
        assertThat(pg.query("SELECT rating::text AS r FROM film WHERE film_id = '" + FILM_2 + "'").get(0).get("r"))
                .isEqualTo("NC-17");
    }
}

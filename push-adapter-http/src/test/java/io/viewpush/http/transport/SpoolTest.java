package io.viewpush.http.transport;

import io.viewpush.json.RowJsonWriter;
import io.viewpush.http.transport.HttpPushTarget.BodyFormat;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spooled body: small ones in memory, large ones in a file, the same bytes and id either way. */
class SpoolTest {
    private static final ContentType FORM = ContentType.APPLICATION_FORM_URLENCODED;

    @TempDir
    Path dir;

    private final View view = TestViews.view(URI.create("http://127.0.0.1:9/hook"), p -> p);

    private Spool write(List<Row> rows, BodyFormat format, int memoryLimit) {
        return Spool.write(dir, view, format, rows.iterator(), RowJsonWriter.create(), memoryLimit);
    }

    private static byte[] bytes(HttpEntity entity) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entity.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] bytes(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aSmallBodyStaysInMemoryAndCreatesNoFile() throws IOException {
        List<Row> rows = TestViews.simpleRows(view, 1, 10);
        try (Spool spool = Spool.write(dir, view, BodyFormat.FORM, rows.iterator(), RowJsonWriter.create())) {
            assertThat(spool.inMemory()).isTrue();
            assertThat(files()).as("no spool file for a small body").isEmpty();
            assertThat(spool.rows()).isEqualTo(10);
            byte[] body = bytes(spool.entity(FORM));
            assertThat(body).hasSize((int) spool.bytes());
            assertThat(new String(body, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("json=");
        }
    }

    @Test
    void aBodyBeyondTheLimitSpillsToAFileWithTheSameBytesAndId() throws IOException {
        List<Row> rows = TestViews.simpleRows(view, 1, 200);
        for (BodyFormat format : BodyFormat.values()) {
            byte[] inMemory;
            String memoryId;
            try (Spool spool = write(rows, format, Integer.MAX_VALUE)) {
                assertThat(spool.inMemory()).isTrue();
                inMemory = bytes(spool.entity(FORM));
                memoryId = spool.webhookId();
            }
            try (Spool spool = write(rows, format, 1000)) {
                assertThat(spool.inMemory()).as(format + " spilled").isFalse();
                assertThat(files()).hasSize(1);
                assertThat(spool.bytes()).isEqualTo(inMemory.length).isGreaterThan(1000);
                assertThat(bytes(spool.entity(FORM))).as(format + ": the file holds the same bytes").isEqualTo(inMemory);
                assertThat(bytes(spool.open())).isEqualTo(inMemory);
                assertThat(spool.webhookId()).as(format + ": the id does not depend on where the body is").isEqualTo(memoryId);
            }
            assertThat(files()).as("the spool file is deleted on close").isEmpty();
        }
    }

    @Test
    void aBodyOfExactlyTheLimitStaysInMemoryAndOneByteMoreSpills() throws IOException {
        List<Row> rows = TestViews.simpleRows(view, 1, 20);
        long size;
        try (Spool spool = write(rows, BodyFormat.JSON, Integer.MAX_VALUE)) {
            size = spool.bytes();
        }
        try (Spool spool = write(rows, BodyFormat.JSON, (int) size)) {
            assertThat(spool.inMemory()).isTrue();
        }
        try (Spool spool = write(rows, BodyFormat.JSON, (int) size - 1)) {
            assertThat(spool.inMemory()).isFalse();
            assertThat(bytes(spool.open())).hasSize((int) size);
        }
    }

    @Test
    void everyAttemptSendsTheSameBytesFromMemoryAndFromTheFile() throws IOException {
        List<Row> rows = TestViews.simpleRows(view, 1, 50);
        for (int limit : new int[]{Integer.MAX_VALUE, 100}) {
            try (Spool spool = write(rows, BodyFormat.FORM, limit)) {
                HttpEntity entity = spool.entity(FORM);
                assertThat(entity.isRepeatable()).isTrue();
                assertThat(bytes(entity)).isEqualTo(bytes(spool.entity(FORM))).isEqualTo(bytes(spool.open()));
            }
        }
    }

    @Test
    void aFailureWhileWritingLeavesNoFile() throws IOException {
        List<Row> rows = TestViews.simpleRows(view, 1, 100);
        Iterator<Row> failing = new Iterator<>() {
            int given;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Row next() {
                if (given == 60) {
                    throw new IllegalStateException("the database went away");
                }
                return rows.get(given++);
            }
        };
        assertThatThrownBy(() -> Spool.write(dir, view, BodyFormat.FORM, failing, RowJsonWriter.create(), 500))
                .isInstanceOf(IllegalStateException.class).hasMessage("the database went away");
        assertThat(files()).isEmpty();
    }
}

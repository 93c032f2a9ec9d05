package io.viewpush.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.http.json.RowJsonWriter;
import io.viewpush.port.Page;
import io.viewpush.port.PushListener;
import io.viewpush.port.RowCursor;
import io.viewpush.push.HeldBack;
import io.viewpush.view.Carriable;
import io.viewpush.view.Row;
import io.viewpush.view.View;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/** {@code preview -c FILE VIEW}: the JSON a push would send now, on stdout; no POST, no stamp. */
@Command(name = "preview", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the JSON array a push of the view would send now (no POST, no stamp) on stdout.",
                "Exit codes: 0 printed, 2 bad config or usage."})
final class PreviewCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "VIEW", description = "the view's name (quote names with spaces)")
    String view;

    @Option(names = "--pretty", description = "indent the JSON for reading (a push sends it compact)")
    boolean pretty;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        AppConfig c = config.load();
        Views.named(c, view, false);
        OutputStream out = new NonClosing(System.out);
        long rows;
        try (Assembly assembly = Assembly.open(c, PushListener.NONE);
             RowCursor cursor = assembly.engine().read(view, Page.ALL)) {
            View v = assembly.engine().view(view).orElseThrow();
            RowJsonWriter writer = RowJsonWriter.create();
            Sendable sendable = new Sendable(cursor);
            if (pretty) {
                rows = 0;
                try (JsonGenerator g = writer.jsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
                    g.writeStartArray();
                    while (sendable.hasNext()) {
                        writer.writeRow(g, view, sendable.next());
                        rows++;
                    }
                    g.writeEndArray();
                }
            } else {
                rows = writer.writeArray(v, sendable, out);
            }
            out.write('\n');
            out.flush();
            if (sendable.heldBack > 0) {
                spec.commandLine().getErr().println(sendable.heldBack + (sendable.heldBack == 1 ? " row" : " rows")
                        + " held back: a push would neither send nor stamp " + (sendable.heldBack == 1 ? "it" : "them")
                        + ", as the JSON cannot carry a value: " + String.join("; ", sendable.first)
                        + (sendable.heldBack > sendable.first.size() ? "; and " + (sendable.heldBack - sendable.first.size())
                        + " more" : ""));
            }
            int maxRows = v.push().map(p -> p.maxRows()).orElse(0);
            String requests = rows == 0 ? "a push would send nothing"
                    : maxRows == 0 || rows <= maxRows ? "a push would send them in 1 request"
                    : "a push would send them in " + ((rows + maxRows - 1) / maxRows) + " requests of at most "
                    + maxRows + " rows";
            spec.commandLine().getErr().println(rows + (rows == 1 ? " row" : " rows") + " in view '" + view + "'; "
                    + (v.push().isPresent() ? requests : "the view is pull-only") + ". Nothing was sent or stamped.");
        }
        return ExitCodes.OK;
    }

    /**
     * The rows a push would send: those whose values the row JSON can carry. A push holds the others
     * back (neither sent nor stamped), and so does the preview, naming the first few.
     */
    private static final class Sendable implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final List<String> first = new ArrayList<>();
        private long heldBack;
        private Row next;

        Sendable(Iterator<Row> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            while (next == null && rows.hasNext()) {
                Row row = rows.next();
                int bad = Carriable.firstProblem(row);
                if (bad < 0) {
                    next = row;
                } else {
                    heldBack++;
                    if (first.size() < HeldBack.MAX_LISTED) {
                        first.add("key " + Carriable.keyText(row) + ", field '"
                                + Carriable.printable(row.columns().name(bad)) + "'");
                    }
                }
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = next;
            next = null;
            return row;
        }
    }

    /** stdout must stay open after the JSON is written. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(PrintStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

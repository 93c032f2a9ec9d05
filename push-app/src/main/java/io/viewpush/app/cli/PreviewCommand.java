package io.viewpush.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.viewpush.app.assembly.Assembly;
import io.viewpush.app.config.AppConfig;
import io.viewpush.engine.HoldingBack;
import io.viewpush.json.RowJsonWriter;
import io.viewpush.port.Page;
import io.viewpush.port.PushListener;
import io.viewpush.port.RowCursor;
import io.viewpush.push.HeldBack;
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
import java.util.concurrent.Callable;

/** {@code preview -c FILE VIEW}: the JSON a push would send now, on stdout; no POST, no stamp. */
@Command(name = "preview", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the JSON array a push of the view would send now (no POST, no stamp) on stdout.",
                "Exit codes: 0 printed, 1 the database is not reachable, 2 bad config or usage."})
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
            // what a push would send: it holds back the rows whose values the row JSON cannot carry
            HoldingBack sendable = new HoldingBack(cursor, held -> { });
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
            HeldBack heldBack = sendable.heldBack();
            if (!heldBack.isEmpty()) {
                spec.commandLine().getErr().println(heldBack.summary() + "; a push would hold them back too");
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

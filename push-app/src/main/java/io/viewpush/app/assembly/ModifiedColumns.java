package io.viewpush.app.assembly;

import io.viewpush.app.config.AppConfig;
import io.viewpush.app.config.ConfigWarning;
import io.viewpush.app.config.InvalidConfigException;
import io.viewpush.jdbc.modified.ModifiedAtWriteTrigger;
import io.viewpush.jdbc.modified.ModifiedColumnCheck;
import io.viewpush.jdbc.modified.ModifiedColumnCheck.Code;
import io.viewpush.jdbc.modified.ModifiedColumnCheck.Finding;
import io.viewpush.push.PushPolicy;
import io.viewpush.view.Field;
import io.viewpush.view.ViewDefinition;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How each view's modified column ({@code push.modified}) is written, as the database's catalog
 * tells it, in words for the operator; and ViewPush's trigger that sets it at write time.
 */
public final class ModifiedColumns {
    private ModifiedColumns() {
    }

    /** @return the views whose modified column is written in a way to warn about or that cannot be told */
    static List<ConfigWarning> inspect(AppConfig config, DataSource ds) {
        List<ConfigWarning> out = new ArrayList<>();
        Map<List<String>, Finding> read = new HashMap<>(); // many views may share a table
        for (ViewDefinition d : config.views()) {
            Optional<Field> modified = modifiedField(d);
            if (modified.isEmpty()) {
                continue;
            }
            Finding f = read.computeIfAbsent(List.of(d.table(), modified.get().column()),
                    k -> ModifiedColumnCheck.inspect(ds, k.get(0), k.get(1)));
            Optional<ConfigWarning.Code> code = switch (f.code()) {
                case TRANSACTION_TIME_TRIGGER -> Optional.of(ConfigWarning.Code.MODIFIED_BY_TRANSACTION_TIME_TRIGGER);
                case TRANSACTION_TIME_DEFAULT -> Optional.of(ConfigWarning.Code.MODIFIED_BY_TRANSACTION_TIME_DEFAULT);
                case WRITTEN_BY_APPLICATION -> Optional.of(ConfigWarning.Code.MODIFIED_BY_APPLICATION);
                default -> Optional.empty();
            };
            code.ifPresent(c -> out.add(new ConfigWarning(c, config.locate(d.name(), "push.modified",
                    words(config, d, f)))));
        }
        return out;
    }

    /** The modified field of a view's push policy, when it shows a column of the view's table. */
    private static Optional<Field> modifiedField(ViewDefinition d) {
        return d.push().flatMap(PushPolicy::modifiedField).flatMap(d::field)
                .filter(f -> f.column() != null && !f.column().contains("."));
    }

    private static String words(AppConfig config, ViewDefinition d, Finding f) {
        String column = f.table() + "." + f.column();
        String fix = "java -jar push-app.jar trigger -c " + config.fileName() + " \"" + d.name() + "\"";
        String loss = "a transaction that began before a push and writes the row after the push stamped it "
                + "leaves a time older than the stamp, so that change is never pushed";
        return switch (f.code()) {
            case TRANSACTION_TIME_TRIGGER -> "column " + column + " is set by trigger '" + f.writer().orElse("?") + "' to "
                    + f.source().orElse("?") + ", which is when its transaction (or statement) began, not when the row "
                    + "is written: " + loss + ". Fix: set it at write time with ViewPush's trigger: " + fix
                    + " prints the SQL, add --apply to run it (" + firesAfter(f) + " sets the column with "
                    + "clock_timestamp() when the row is written); or write clock_timestamp() instead in that trigger";
            case TRANSACTION_TIME_DEFAULT -> "column " + column + " defaults to " + f.source().orElse("?")
                    + ", which is when the inserting transaction began; if updates set it the same way (SET "
                    + f.column() + " = DEFAULT, an ORM that copies now(), a time read when a unit of work began), "
                    + loss + ". Fix: set it at write time with ViewPush's trigger: " + fix
                    + " prints the SQL, add --apply to run it";
            default -> "no trigger or default of " + f.table() + " that ViewPush can read sets " + f.column()
                    + ", so the application writes it: that is safe only if every write sets it to the time of the "
                    + "write itself (clock_timestamp() in the UPDATE on PostgreSQL), never to a time read earlier "
                    + "(now(), CURRENT_TIMESTAMP, a clock read when the transaction or unit of work began), else "
                    + loss + ". Safe whatever the application writes: "
                    + fix + " --apply (ViewPush's trigger sets it when the row is written)";
        };
    }

    /**
     * The SQL of ViewPush's trigger for a view's modified column: it sets the column when the row is
     * written and leaves it alone when only the columns ViewPush writes change (the stamp and
     * writable columns of every view of the config on the same table with the same modified column).
     *
     * @throws InvalidConfigException when the view has no {@code push.modified} column
     */
    static String triggerSql(AppConfig config, DataSource ds, ViewDefinition d) {
        Field modified = modifiedField(d).orElseThrow(() -> new InvalidConfigException(List.of(config.locate(d.name(),
                d.push().isEmpty() ? "push" : "push.modified", "the trigger keeps the column that push.modified names "
                        + "(the optimistic check compares it, so a change written before a stamp keeps the row from "
                        + "being stamped); set push.modified to the field of the table's last-modified column"))));
        Finding f = ModifiedColumnCheck.inspect(ds, d.table(), modified.column());
        if (f.code() == Code.NOT_FOUND) {
            throw new InvalidConfigException(List.of(config.locate(d.name(), "push.modified", "column '"
                    + modified.column() + "' of table '" + d.table() + "' was not found; run check")));
        }
        Set<String> stamps = new LinkedHashSet<>();
        for (ViewDefinition other : config.views()) {
            Optional<Field> m = modifiedField(other);
            if (other.table().equalsIgnoreCase(d.table()) && m.isPresent()
                    && m.get().column().equalsIgnoreCase(modified.column())) {
                other.field(other.push().orElseThrow().stampField()).map(Field::column)
                        .map(c -> exact(ds, d.table(), c)).ifPresent(stamps::add);
                // a receipt the receiver writes back is not news to send it
                other.writable().stream().map(other::field).flatMap(Optional::stream).map(Field::column)
                        .filter(c -> !c.contains(".")).map(c -> exact(ds, d.table(), c)).forEach(stamps::add);
            }
        }
        List<String> ignored = List.copyOf(stamps);
        String sql = config.database().isPostgres()
                ? ModifiedAtWriteTrigger.postgresqlSql(f.schema(), f.table(), f.column(), f.digits(), ignored)
                : ModifiedAtWriteTrigger.h2Sql(f.schema(), f.table(), f.column(), ignored);
        return "-- ViewPush: set " + f.table() + "." + f.column() + " when each row is written (view '" + d.name()
                + "').\n-- A time taken when the writing transaction began (now(), CURRENT_TIMESTAMP) can be older "
                + "than a stamp\n-- set while it ran, and that change would never be pushed. Updates that change "
                + "only\n-- " + (ignored.isEmpty() ? "nothing" : String.join(", ", ignored))
                + " (written by ViewPush: stamps, receipts) keep the old value.\n\n" + sql;
    }

    /** Triggers of one event fire in name order: ViewPush's must come last to have the last word. */
    private static String firesAfter(Finding f) {
        String writer = f.writer().orElse("?");
        return writer.compareTo(ModifiedAtWriteTrigger.triggerName(f.column())) < 0
                ? "it fires after '" + writer + "' and"
                : "but triggers fire in name order and '" + writer + "' fires after it: rename or drop '" + writer
                + "'; ViewPush's trigger";
    }

    /** @return the column as the catalog spells it */
    private static String exact(DataSource ds, String table, String column) {
        Finding f = ModifiedColumnCheck.inspect(ds, table, column);
        return f.code() == Code.NOT_FOUND ? column.toLowerCase(Locale.ROOT) : f.column();
    }
}

package io.viewpush.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The app configs (README, "Configuration reference") the scenarios run with: the "modified since last pushed" set-up. */
final class BenchConfig {
    /** The admin key of the latency scenario's wake-up calls. */
    static final String ADMIN_KEY = "bench-admin-key-0123456789";

    private final StringBuilder yaml = new StringBuilder();

    BenchConfig(BenchDatabase db) {
        yaml.append(db.databaseYaml());
        if (stampAhead()) {
            yaml.append("  stampAhead: true\n");
        }
    }

    /** @return whether the configs turn {@code database.stampAhead} on ({@code -Dbench.stampAhead}, default true) */
    static boolean stampAhead() {
        return Boolean.parseBoolean(System.getProperty("bench.stampAhead", "true"));
    }

    BenchConfig engine(String pollInterval, int poolSize) {
        yaml.append("engine:\n  pollInterval: ").append(pollInterval).append('\n');
        int at = yaml.indexOf("  password:");
        int end = yaml.indexOf("\n", at) + 1;
        yaml.insert(end, "  poolSize: " + poolSize + "\n");
        return this;
    }

    BenchConfig api() {
        yaml.append("server:\n  port: 0\napi:\n  keys:\n    - name: bench\n      key: ").append(ADMIN_KEY)
                .append("\n      views: ['*']\n      admin: true\n");
        return this;
    }

    /** Starts the {@code views:} list; call once before {@link #view}. */
    BenchConfig views() {
        yaml.append("views:\n");
        return this;
    }

    /**
     * A view of every order that changed since it was last pushed, stamped with the optimistic check.
     *
     * @param shop only the orders of this shop, or -1 for all
     */
    BenchConfig view(String name, String table, String url, String minInterval, int maxRows, int shop) {
        orders(name, table);
        if (shop >= 0) {
            yaml.append("      - \"{shop} = ").append(shop).append("\"\n");
        }
        yaml.append("    push:\n")
                .append("      url: ").append(url).append('\n')
                .append("      stamp: last pushed\n")
                .append("      modified: last modified [auto]\n")
                .append("      minInterval: ").append(minInterval).append('\n')
                .append("      maxRows: ").append(maxRows).append('\n')
                .append("      timeout: 5m\n");
        return this;
    }

    /**
     * The pull-only view of scenario (9): the fields, calculation and filter of {@link #view} (every
     * order that changed since it was last pushed), no push policy, so {@code run} only serves it.
     */
    BenchConfig pullView(String name, String table) {
        orders(name, table);
        return this;
    }

    /** The orders view's name, table, fields, calculation and its "needs pushing" filter: what {@link #view} and {@link #pullView} share. */
    private void orders(String name, String table) {
        yaml.append("  - name: ").append(name).append('\n')
                .append("    table: ").append(table).append('\n')
                .append("    key: id\n")
                .append("    fields:\n")
                .append("      id: id\n")
                .append("      shop: shop\n")
                .append("      customer: customer\n")
                .append("      amount: amount\n")
                .append("      created: created_at\n")
                .append("      last modified [auto]: last_modified\n")
                .append("      last pushed: last_pushed\n")
                .append("    calculations:\n")
                .append("      needs pushing: \"{last modified [auto]} > {last pushed}\"\n")
                .append("    filters:\n")
                .append("      - \"{needs pushing} = true\"\n");
    }

    /** The view of scenario (6) over {@link BenchDatabase#documents}: uuid key, the jsonb document as a field. */
    BenchConfig documentView(String name, String table, String url, int maxRows) {
        yaml.append("  - name: ").append(name).append('\n')
                .append("    table: ").append(table).append('\n')
                .append("    key: id\n")
                .append("    fields:\n")
                .append("      id: id\n")
                .append("      shop: shop\n")
                .append("      doc: doc\n")
                .append("      last modified [auto]: last_modified\n")
                .append("      last pushed: last_pushed\n")
                .append("    calculations:\n")
                .append("      needs pushing: \"{last modified [auto]} > {last pushed}\"\n")
                .append("    filters:\n")
                .append("      - \"{needs pushing} = true\"\n")
                .append("    push:\n")
                .append("      url: ").append(url).append('\n')
                .append("      stamp: last pushed\n")
                .append("      modified: last modified [auto]\n")
                .append("      minInterval: 1s\n")
                .append("      maxRows: ").append(maxRows).append('\n')
                .append("      timeout: 5m\n");
        return this;
    }

    /**
     * The view of scenario (8) over {@link BenchDatabase#lookupOrders}: two one-hop lookups (the
     * order's customer's name, its shop's name: LEFT JOINs) and a summary (the sum of its order
     * lines' amounts: a correlated subquery), next to the order's own fields, in the "modified
     * since last pushed" set-up.
     */
    BenchConfig lookupView(String name, String table, String lines, String url, int maxRows) {
        yaml.append("  - name: ").append(name).append('\n')
                .append("    table: ").append(table).append('\n')
                .append("    key: id\n")
                .append("    fields:\n")
                .append("      id: id\n")
                .append("      customer: ").append(BenchDatabase.CUSTOMERS).append(".name\n")
                .append("      shop: ").append(BenchDatabase.SHOPS).append(".name\n")
                .append("      amount: amount\n")
                .append("      created: created_at\n")
                .append("      lines total: sum(").append(lines).append(".amount)\n")
                .append("      last modified [auto]: last_modified\n")
                .append("      last pushed: last_pushed\n")
                .append("    calculations:\n")
                .append("      needs pushing: \"{last modified [auto]} > {last pushed}\"\n")
                .append("    filters:\n")
                .append("      - \"{needs pushing} = true\"\n")
                .append("    push:\n")
                .append("      url: ").append(url).append('\n')
                .append("      stamp: last pushed\n")
                .append("      modified: last modified [auto]\n")
                .append("      minInterval: 1s\n")
                .append("      maxRows: ").append(maxRows).append('\n')
                .append("      timeout: 5m\n");
        return this;
    }

    Path write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return yaml.toString();
    }
}

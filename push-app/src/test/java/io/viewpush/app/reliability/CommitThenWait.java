package io.viewpush.app.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * A process for {@link EmbeddedDefaultCrashIT}: opens an H2 URL, lets H2 write what it has, commits
 * one update (autocommit), prints {@code ACK <value>} and waits to be killed.
 */
final class CommitThenWait {
    private CommitThenWait() {
    }

    /** @param args the JDBC URL and the value to write */
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS acks (id INT PRIMARY KEY, v INT NOT NULL)");
            s.execute("MERGE INTO acks KEY (id) VALUES (1, 0)");
            Thread.sleep(1500);
            s.executeUpdate("UPDATE acks SET v = " + Integer.parseInt(args[1]) + " WHERE id = 1");
            System.out.println("ACK " + args[1]);
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}

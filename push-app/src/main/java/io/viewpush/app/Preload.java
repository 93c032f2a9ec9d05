package io.viewpush.app;

import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the static initialisation of library classes that a command will need, on a daemon thread of
 * its own, while the main thread parses the command line, reads the config and connects: start-up
 * work that would otherwise run one step after the other on one thread. jOOQ's data types are most
 * of it: the first use of {@code SQLDataType} initialises the types of every dialect jOOQ knows,
 * about 0.1-0.2 s of a short {@code push} on two cores (docs/BENCHMARKS.md, session 6). A class-data
 * sharing archive keeps a class's loading short, not its static initialisation.
 *
 * <p>The logging is set up first, on the calling thread, before the other thread starts: SLF4J must
 * not be initialised by two threads at once. Then only class initialisation, nothing else: no
 * connection, no file, no state of ViewPush. The JVM initialises a class once, whichever thread comes
 * first; a thread that needs it meanwhile waits for it, so the main thread never sees half a class.
 * Should a class fail to initialise here, the main thread meets the same failure where it uses the
 * class and reports it there.
 */
final class Preload {
    /** The commands that open the database (all but {@code completion}). */
    static final Set<String> DATABASE_COMMANDS = Set.of("run", "push", "preview", "check", "trigger", "demo",
            "journal", "pause", "resume", "replay");

    /** Initialised in this order; each is initialised with what it needs. */
    static final List<String> CLASSES = List.of("org.jooq.impl.SQLDataType", "org.jooq.impl.DSL");

    private Preload() {
    }

    /**
     * @param args the command line
     * @return the started thread, or empty when the command line asks for no database (help, version,
     *         completion, an unknown command)
     */
    static Optional<Thread> start(String... args) {
        if (args.length == 0 || !DATABASE_COMMANDS.contains(args[0])) {
            return Optional.empty();
        }
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return Optional.empty();
            }
        }
        // logging first, on this thread: jOOQ logs while it initialises, and SLF4J initialised by two
        // threads at once hands a logger asked for meanwhile a no-op delegate for good (seen: run's
        // "ViewPush running" line missing), so it must be complete before the other thread starts
        LoggerFactory.getILoggerFactory();
        Thread t = new Thread(Preload::run, "viewpush-preload");
        t.setDaemon(true);
        t.start();
        return Optional.of(t);
    }

    private static void run() {
        ClassLoader loader = Preload.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (Throwable e) {
                // the main thread meets it where it uses the class, and reports it there
                return;
            }
        }
    }
}

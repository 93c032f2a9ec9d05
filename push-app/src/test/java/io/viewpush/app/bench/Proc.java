package io.viewpush.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What Linux's {@code /proc} says about a process: CPU time used and peak resident memory. */
final class Proc {
    /** Clock ticks per second of {@code /proc/<pid>/stat} times; 100 on every Linux of this kind. */
    static final long TICKS_PER_SECOND = ticksPerSecond();

    private Proc() {
    }

    /** @return user + system CPU time of the process (all its threads) so far, in milliseconds */
    static long cpuMillis(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /**
     * @return user + system CPU time so far (ms) of the process, of its children still running and of
     *         those that ended and it waited for (PostgreSQL's postmaster: the whole server, backends
     *         that have disconnected included)
     */
    static long treeCpuMillis(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // utime, stime, cutime, cstime (fields 14 to 17)
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        long ms = ticks * 1000 / TICKS_PER_SECOND;
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : all.collect(Collectors.toList())) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String s = Files.readString(p.resolve("stat"));
                    String[] g = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
                    if (Long.parseLong(g[1]) == pid) { // ppid (field 4)
                        ms += (Long.parseLong(g[11]) + Long.parseLong(g[12])) * 1000 / TICKS_PER_SECOND;
                    }
                } catch (IOException e) {
                    // ended meanwhile: its time is now the parent's cutime
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ms;
    }

    /** @return the parent's pid of the process */
    static long parent(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ")[1]);
    }

    /**
     * @return CPU time so far (ms) of each thread of the process, by thread name (Linux keeps 15
     *         characters of it; digits are replaced by {@code #} so that pools add up)
     */
    static Map<String, Long> threadCpuMillis(long pid) {
        Map<String, Long> byName = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.collect(Collectors.toList())) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
                byName.merge(name, ms, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byName;
    }

    /** @return the process's peak resident set size (VmHWM), in bytes */
    static long peakRss(String pid) {
        for (String line : read(Path.of("/proc", pid, "status")).split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/" + pid + "/status");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}

package dev.serval.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time used by a process or some of its threads, user and system. On a machine shared with
 * other work, wall-clock figures move with the load; CPU time per request moves much less, so both
 * are reported.
 */
final class CpuTime {

    /** Linux's clock tick, {@code getconf CLK_TCK}: 100 on every common kernel configuration. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private CpuTime() {}

    /** @return this JVM's CPU time so far, in nanoseconds */
    static long self() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * @param pid a process on this machine
     * @return its CPU time so far, in nanoseconds, from {@code /proc/PID/stat}
     * @throws IOException when it cannot be read
     */
    static long of(long pid) throws IOException {
        return ofStat(Path.of("/proc", String.valueOf(pid), "stat"));
    }

    /**
     * @param pid a HotSpot JVM on this machine
     * @return the CPU time its JIT compiler threads (C1 and C2) used so far, in nanoseconds
     * @throws IOException when its threads cannot be listed
     */
    static long compilers(long pid) throws IOException {
        long nanos = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path thread : threads) {
                try {
                    // Thread names are cut to 15 characters here: "C2 CompilerThre".
                    String name = Files.readString(thread.resolve("comm"));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        nanos += ofStat(thread.resolve("stat"));
                    }
                } catch (NoSuchFileException ended) {
                    // HotSpot stops idle compiler threads and starts them again under load
                }
            }
        }
        return nanos;
    }

    private static long ofStat(Path stat) throws IOException {
        String line = Files.readString(stat);
        // Fields after the command name, which is in parentheses and may hold spaces: utime and
        // stime are the 14th and 15th fields of the line, the 12th and 13th after ") ".
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }
}

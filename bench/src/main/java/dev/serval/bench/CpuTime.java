package dev.serval.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by a process, user and system. On a machine shared with other work, wall-clock
 * figures move with the load; CPU time per request moves much less, so both are reported.
 */
final class CpuTime {

    /** Linux's clock tick, {@code getconf CLK_TCK}: 100 on every common kernel configuration. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private CpuTime() {
    }

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
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: utime and
        // stime are the 14th and 15th fields of the line, the 12th and 13th after ") ".
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }
}

package dev.serval.kernel.manage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The server process's resident memory, as the describe call reports it per worker. */
final class ProcessMemory {

    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE = 4096;

    private ProcessMemory() {}

    /** @return resident bytes from {@code /proc} on Linux; the JVM's heap in use elsewhere */
    static long residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            Runtime runtime = Runtime.getRuntime();
            return runtime.totalMemory() - runtime.freeMemory();
        }
    }
}

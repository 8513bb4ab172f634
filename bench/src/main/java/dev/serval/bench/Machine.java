package dev.serval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a run is measured on, printed beside its figures: they mean little without it. */
final class Machine {

    private Machine() {}

    /**
     * @return cores, total memory, load average now and the JVM, in that order
     * @throws IOException when {@code /proc} cannot be read
     */
    static Map<String, Object> describe() throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memTotal", procLine("/proc/meminfo", "MemTotal"));
        machine.put("loadAverageAtStart", loadAverage());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return machine;
    }

    /** @return {@code /proc/loadavg}: the 1, 5 and 15 minute load averages, running and all tasks, last pid */
    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static String procLine(String file, String key) throws IOException {
        return Files.readAllLines(Path.of(file)).stream()
                .filter(l -> l.startsWith(key + ":"))
                .map(l -> l.substring(key.length() + 1).trim())
                .findFirst()
                .orElse("?");
    }
}

package dev.serval.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pinning with {@code taskset}, for runs that keep the load generator off the server's CPUs as
 * clients on other machines would be: the server and, standing in for it, the raw baseline on
 * some CPUs; the load generator on the others.
 */
final class Cpus {

    /** How often pinning is tried while threads end under it. */
    private static final int PIN_ATTEMPTS = 5;

    private Cpus() {}

    /**
     * Moves every thread of this JVM to {@code cpus}; threads started later inherit it.
     *
     * @param cpus a {@code taskset} CPU list, e.g. {@code 0} or {@code 0-3}
     * @throws IOException when {@code taskset} is missing or refuses
     * @throws InterruptedException when interrupted while waiting for it
     */
    static void pinThisProcess(String cpus) throws IOException, InterruptedException {
        List<String> taskset = List.of(
                "taskset",
                "--all-tasks",
                "--pid",
                "--cpu-list",
                cpus,
                String.valueOf(ProcessHandle.current().pid()));
        // taskset lists the threads, then sets each: one that ended in between (a JIT compiler
        // thread the JVM retired) fails it with "No such process". The next try lists again.
        for (int attempt = 1; ; attempt++) {
            try {
                Commands.run(taskset);
                return;
            } catch (IOException e) {
                if (attempt == PIN_ATTEMPTS || !e.getMessage().contains("No such process")) {
                    throw e;
                }
            }
        }
    }

    /**
     * @param cpus a {@code taskset} CPU list, or empty for no pinning
     * @param command a command line
     * @return the command line run on those CPUs only
     */
    static List<String> on(String cpus, List<String> command) {
        if (cpus.isEmpty()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "--cpu-list", cpus));
        pinned.addAll(command);
        return pinned;
    }
}

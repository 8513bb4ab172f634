package dev.serval.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command, with this machine's container settings: {@code runc} (crun fails
 * here on cgroups in hybrid mode), cgroupfs, and no default ulimits (setrlimit is refused). They
 * live in a {@code containers.conf} passed as {@code CONTAINERS_CONF}, so the commands the tests
 * run are the README's, word for word.
 */
final class Podman {

    private static final String CONF = """
            [containers]
            default_ulimits = []
            [engine]
            cgroup_manager = "cgroupfs"
            runtime = "runc"
            """;

    private final Path conf;

    private Podman(Path conf) {
        this.conf = conf;
    }

    /**
     * @param folder where to write the {@code containers.conf}
     * @return podman, after checking that it and {@code mmdebstrap} are installed
     */
    static Podman on(Path folder) throws IOException {
        for (String tool : List.of("podman", "mmdebstrap")) {
            if (!onPath(tool)) {
                throw new IllegalStateException(tool + " is not installed: ./run-tests installs podman, runc and"
                        + " mmdebstrap with apt-get; or apt-get install podman runc mmdebstrap");
            }
        }
        Path conf = folder.resolve("containers.conf");
        Files.writeString(conf, CONF);
        return new Podman(conf);
    }

    private static boolean onPath(String tool) {
        return List.of(System.getenv("PATH").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /**
     * @param args podman's arguments
     * @return its standard output, trimmed
     * @throws IllegalStateException when it exits other than 0, with its output
     */
    String run(String... args) throws Exception {
        Result result = exec(List.of(args), 600);
        if (result.exit() != 0) {
            throw new IllegalStateException(
                    "podman " + String.join(" ", args) + " exited " + result.exit() + ":\n" + result.output());
        }
        return result.output().trim();
    }

    /**
     * @param args podman's arguments
     * @param timeoutSeconds how long it may run
     * @return its exit code and output, whatever the code
     */
    Result exec(List<String> args, long timeoutSeconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(args);
        return command(command, timeoutSeconds);
    }

    /**
     * @param command any command, run with this podman's settings in its environment
     * @param timeoutSeconds how long it may run
     * @return its exit code and output (standard error joined to it)
     */
    Result command(List<String> command, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CONTAINERS_CONF", conf.toString());
        Path output = Files.createTempFile(conf.getParent(), "podman", ".out");
        Process process = builder.redirectOutput(output.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " still running after " + timeoutSeconds
                    + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /**
     * @param exit the exit code
     * @param output what it printed
     */
    record Result(int exit, String output) {}
}

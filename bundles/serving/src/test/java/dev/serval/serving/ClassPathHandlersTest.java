package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedded, handlers are found by name in the component descriptors bnd writes into handler jars. */
class ClassPathHandlersTest {

    /** A handler as a bundle declares one. */
    public static final class Echo implements Handler {
        @Override
        public List<Response> handle(List<Request> batch, Context context) {
            return batch.stream().map(r -> Response.json(r.bodyAsString())).toList();
        }
    }

    /** Another, which its descriptor registers under the same name as {@link Echo}. */
    public static final class OtherEcho implements Handler {
        @Override
        public List<Response> handle(List<Request> batch, Context context) {
            return List.of();
        }
    }

    /** Declarative Services could make it (with constructor injection), reflection cannot. */
    public static final class NeedsArgument implements Handler {
        public NeedsArgument(String value) {}

        @Override
        public List<Response> handle(List<Request> batch, Context context) {
            return List.of();
        }
    }

    @Test
    void aDescriptorNamesTheHandlerAndEachWorkerGetsItsOwnInstance(@TempDir Path jar) throws Exception {
        try (URLClassLoader loader = bundle(
                jar,
                "OSGI-INF/echo.xml, OSGI-INF/other.xml, OSGI-INF/*.xml",
                Map.of(
                        "OSGI-INF/echo.xml",
                        component("echo", Echo.class.getName(), Handler.class.getName()),
                        "OSGI-INF/other.xml",
                        component("not_a_handler", Echo.class.getName(), "java.lang.Runnable")))) {
            assertEquals(Map.of("echo", Set.of(Echo.class.getName())), ClassPathHandlers.scan(loader));
            HandlerSource source = ClassPathHandlers.find("echo", loader);
            Handler first = source.get();
            assertInstanceOf(Echo.class, first);
            assertNotSame(first, source.get());
        }
    }

    @Test
    void aMissingNameIsRefusedNamingTheHandlersThereAre(@TempDir Path jar) throws Exception {
        try (URLClassLoader loader = bundle(
                jar,
                "OSGI-INF/echo.xml",
                Map.of("OSGI-INF/echo.xml", component("echo", Echo.class.getName(), Handler.class.getName())))) {
            String message = assertThrows(
                            ModelLoadException.class, () -> ClassPathHandlers.find("image_classifier", loader))
                    .getMessage();
            assertTrue(
                    message.contains("No handler named 'image_classifier'") && message.contains("found: echo"),
                    message);
        }
    }

    @Test
    void twoClassesUnderOneNameAreRefused(@TempDir Path jar) throws Exception {
        try (URLClassLoader loader = bundle(
                jar,
                "OSGI-INF/a.xml,OSGI-INF/b.xml",
                Map.of(
                        "OSGI-INF/a.xml",
                        component("echo", Echo.class.getName(), Handler.class.getName()),
                        "OSGI-INF/b.xml",
                        component("echo", OtherEcho.class.getName(), Handler.class.getName())))) {
            String message = assertThrows(ModelLoadException.class, () -> ClassPathHandlers.find("echo", loader))
                    .getMessage();
            assertTrue(message.contains(Echo.class.getName()) && message.contains(OtherEcho.class.getName()), message);
        }
    }

    @Test
    void aClassWithoutANoArgumentConstructorIsRefusedAtOnce(@TempDir Path jar) throws Exception {
        try (URLClassLoader loader = bundle(
                jar,
                "OSGI-INF/a.xml",
                Map.of("OSGI-INF/a.xml", component("needs", NeedsArgument.class.getName(), Handler.class.getName())))) {
            String message = assertThrows(ModelLoadException.class, () -> ClassPathHandlers.find("needs", loader))
                    .getMessage();
            assertTrue(message.contains("public no-argument constructor"), message);
        }
    }

    @Test
    void aMalformedDescriptorIsSkipped(@TempDir Path jar) throws Exception {
        try (URLClassLoader loader = bundle(
                jar,
                "OSGI-INF/bad.xml,OSGI-INF/echo.xml",
                Map.of(
                        "OSGI-INF/bad.xml",
                        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                        "OSGI-INF/echo.xml",
                        component("echo", Echo.class.getName(), Handler.class.getName())))) {
            assertEquals(Set.of("echo"), ClassPathHandlers.scan(loader).keySet());
        }
    }

    /** The descriptor bnd writes for {@code @Component(service = ..., property = Handler.NAME + "=name")}. */
    private static String component(String name, String className, String service) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%2$s">
                  <property name="serval.handler" type="String" value="%1$s"/>
                  <service scope="prototype">
                    <provide interface="%3$s"/>
                  </service>
                  <implementation class="%2$s"/>
                </scr:component>
                """.formatted(name, className, service).strip();
    }

    /** A folder laid out as a bundle jar, on a class loader that sees this test's classes. */
    private static URLClassLoader bundle(Path root, String header, Map<String, String> files) throws IOException {
        Files.createDirectories(root.resolve("META-INF"));
        Files.writeString(
                root.resolve("META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\nService-Component: " + header + "\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.createDirectories(root.resolve(file.getKey()).getParent());
            Files.writeString(root.resolve(file.getKey()), file.getValue());
        }
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, ClassPathHandlersTest.class.getClassLoader());
    }
}

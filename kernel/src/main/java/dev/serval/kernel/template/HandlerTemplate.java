package dev.serval.kernel.template;

import dev.serval.serving.ServerVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * A handler bundle's Maven project, from the template in this package's {@code handler/}
 * resources: its file {@code files} lists each resource and the file it becomes, with the
 * handler's name, class and package filled in.
 */
public final class HandlerTemplate {

    /** A handler name, as archives refer to it, that is also safe in a folder, artifact and bundle name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    /** The types the template's handler imports: a class of one of these names would not compile. */
    private static final Set<String> IMPORTED = Set.of(
            "ArrayList",
            "Arrays",
            "Component",
            "Context",
            "Handler",
            "HandlerException",
            "IOException",
            "List",
            "ModelHandler",
            "NDList",
            "NDManager",
            "ObjectMapper",
            "Request",
            "Response",
            "ServiceScope");

    private static final String FILLED = ".tmpl";

    private final Map<String, String> values;

    private HandlerTemplate(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param name the handler's name, e.g. {@code my_handler}
     * @param packageName the handler's Java package; by default {@code com.example.} and the name
     *     without {@code _} and {@code -}
     * @return the template for that handler
     * @throws IllegalArgumentException when the name or package cannot be used, saying why
     */
    public static HandlerTemplate of(String name, Optional<String> packageName) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a handler name: use letters, digits, _ and -,"
                    + " starting with a letter, as in my_handler");
        }
        String className = className(name);
        if (IMPORTED.contains(className)) {
            throw new IllegalArgumentException("A handler named '" + name + "' would be a class " + className
                    + ", a name the handler imports: choose another name");
        }
        String lowerName = name.toLowerCase(Locale.ROOT);
        String javaPackage = packageName.orElse("com.example." + lowerName.replaceAll("[_-]", ""));
        if (!SourceVersion.isName(javaPackage)) {
            throw new IllegalArgumentException("'" + javaPackage + "' is not a Java package name"
                    + (packageName.isPresent() ? "" : ": give one with --package"));
        }
        Properties versions = new Properties();
        try (InputStream in = resource("versions.properties")) {
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HandlerTemplate(Map.ofEntries(
                Map.entry("name", name),
                Map.entry("className", className),
                Map.entry("package", javaPackage),
                Map.entry("packagePath", javaPackage.replace('.', '/')),
                Map.entry("artifactId", lowerName.replace('_', '-')),
                Map.entry("servalVersion", ServerVersion.CURRENT),
                Map.entry("jacksonVersion", versions.getProperty("jackson")),
                Map.entry("djlVersion", versions.getProperty("djl"))));
    }

    /** @return the handler's class name: {@code my_handler} is {@code MyHandler} */
    public String className() {
        return values.get("className");
    }

    /**
     * Writes the project.
     *
     * @param dir the project's folder: new, or empty
     * @return the files written, relative to {@code dir}
     * @throws IllegalArgumentException when {@code dir} holds something already, which is left as it is
     * @throws IOException when a file cannot be written
     */
    public List<Path> write(Path dir) throws IOException {
        if (Files.exists(dir) && !isEmptyFolder(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not an empty folder: give a new one with --dir");
        }
        List<Path> written = new ArrayList<>();
        for (String line : text("files").lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] entry = line.split("\\s+");
            Path file = Path.of(fill(entry[1]));
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            byte[] content =
                    entry[0].endsWith(FILLED) ? fill(text(entry[0])).getBytes(StandardCharsets.UTF_8) : bytes(entry[0]);
            Files.write(target, content, StandardOpenOption.CREATE_NEW);
            written.add(file);
        }
        return written;
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private String fill(String text) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        return placeholder.replaceAll(match -> {
            String value = values.get(match.group(1));
            if (value == null) {
                throw new IllegalStateException("The handler template has no value for " + match.group());
            }
            return Matcher.quoteReplacement(value);
        });
    }

    private static String className(String name) {
        return Arrays.stream(name.split("[_-]+"))
                .filter(part -> !part.isEmpty())
                .map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining());
    }

    private static String text(String resource) throws IOException {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = resource("handler/" + resource)) {
            return in.readAllBytes();
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = HandlerTemplate.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("The distribution lacks the template's " + name);
        }
        return in;
    }
}

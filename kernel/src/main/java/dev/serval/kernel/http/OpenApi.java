package dev.serval.kernel.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.serval.serving.ModelVersion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code OPTIONS /}: an OpenAPI 3 description of the listener's endpoints, as TorchServe answers
 * it. The paths and methods are read from Javalin's router when asked, so the description lists
 * exactly the routes that exist; only their summaries come from {@code operations.yaml}.
 */
final class OpenApi implements Handler {

    /** Path, then method in lower case, then summary. */
    static final Map<String, Map<String, String>> SUMMARIES = load();
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private final String title;
    private final Javalin app;
    private final boolean keys;

    /**
     * @param title the listener's name
     * @param app the listener, whose routes are described
     * @param keys whether requests need a bearer key
     */
    OpenApi(String title, Javalin app, boolean keys) {
        this.title = title;
        this.app = app;
        this.keys = keys;
    }

    @Override
    public void handle(Context ctx) {
        ctx.json(document());
    }

    /** @return every route of the listener: HTTP method and path, filters left out */
    static List<Endpoint> routes(Javalin app) {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.getEndpoint())
                .filter(endpoint -> endpoint.getMethod().isHttpMethod())
                .toList();
    }

    Map<String, Object> document() {
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (Endpoint route : routes(app)) {
            String method = route.getMethod().name().toLowerCase(Locale.ROOT);
            paths.computeIfAbsent(route.getPath(), p -> new TreeMap<>()).put(method, operation(route.getPath(), method));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.0.3");
        document.put("info", Map.of("title", "Serval " + title + " API", "version", ModelVersion.SERVER_VERSION));
        document.put("paths", paths);
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", Map.of("Error", Map.of("type", "object", "properties", Map.of(
                "code", Map.of("type", "integer"),
                "type", Map.of("type", "string"),
                "message", Map.of("type", "string")))));
        if (keys) {
            components.put("securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer",
                    "description", "The listener's key from key_file.json")));
            document.put("security", List.of(Map.of("bearer", List.of())));
        }
        document.put("components", components);
        return document;
    }

    private static Map<String, Object> operation(String path, String method) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("summary", SUMMARIES.getOrDefault(path, Map.of()).getOrDefault(method, ""));
        List<Map<String, Object>> parameters = new ArrayList<>();
        Matcher matcher = PATH_PARAMETER.matcher(path);
        while (matcher.find()) {
            parameters.add(Map.of("name", matcher.group(1), "in", "path", "required", true,
                    "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        operation.put("responses", Map.of(
                "200", Map.of("description", "Success"),
                "default", Map.of("description", "TorchServe's error JSON",
                        "content", Map.of("application/json", Map.of("schema",
                                Map.of("$ref", "#/components/schemas/Error"))))));
        return operation;
    }

    private static Map<String, Map<String, String>> load() {
        try (InputStream in = OpenApi.class.getResourceAsStream("operations.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException("operations.yaml is missing from the kernel", e);
        }
    }
}

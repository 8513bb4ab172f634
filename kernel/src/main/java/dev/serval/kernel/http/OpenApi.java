package dev.serval.kernel.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.serval.kernel.auth.Keys;
import dev.serval.serving.ServerVersion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code OPTIONS /}: an OpenAPI 3 description of the listener's endpoints, as TorchServe answers
 * it. The paths and methods are read from Javalin's router when asked, so the description lists
 * exactly the routes that exist; what each operation takes and answers comes from
 * {@code operations.yaml}. The listener's key check says which operations need a key; on a
 * listener of both the inference and management APIs, which key each takes (the description
 * itself, {@code OPTIONS /}, takes either).
 */
final class OpenApi implements Handler {

    private static final Map<String, Map<String, Object>> SPEC = load();
    /** Path, then method in lower case, then the operation as {@code operations.yaml} declares it. */
    static final Map<String, Map<String, Map<String, Object>>> OPERATIONS = cast(SPEC.get("paths"));

    private static final Map<String, Object> SHARED = SPEC.get("shared");
    private static final Map<String, Map<String, Object>> COMPONENTS = cast(SPEC.get("components"));
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Pattern REFERENCE = Pattern.compile("#/components/(\\w+)/(\\w+)");
    private static final String KEY = "bearer";
    /** On a listener of both APIs, each operation names the key it takes: a scheme per key. */
    private static final Map<Keys.Kind, String> API_KEYS =
            Map.of(Keys.Kind.INFERENCE, "inferenceKey", Keys.Kind.MANAGEMENT, "managementKey");
    /** {@code /token} takes the API key rather than the listener's: a scheme of its own. */
    private static final String API_KEY = "apiKey";

    private final String title;
    private final Javalin app;
    private final Optional<BearerAuth> auth;

    /**
     * @param title the listener's name
     * @param app the listener, whose routes are described
     * @param auth the listener's key check, when requests need keys
     */
    OpenApi(String title, Javalin app, Optional<BearerAuth> auth) {
        this.title = title;
        this.app = app;
        this.auth = auth;
    }

    @Override
    public void handle(Context ctx) {
        // The address the client reached the listener at (HostCheck has checked the Host).
        ctx.json(document(ctx.scheme() + "://" + ctx.host()));
    }

    /** @return every route of the listener: HTTP method and path, filters left out */
    static List<Endpoint> routes(Javalin app) {
        return endpoints(app).stream()
                .filter(endpoint -> endpoint.getMethod().isHttpMethod())
                .toList();
    }

    /** @return every endpoint the listener's router holds, its filters included */
    static List<Endpoint> endpoints(Javalin app) {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.getEndpoint())
                .toList();
    }

    /**
     * @param server the listener's URL
     * @return the description
     */
    Map<String, Object> document(String server) {
        Map<String, Map<String, Object>> paths = new TreeMap<>();
        for (Endpoint route : routes(app)) {
            String method = route.getMethod().name().toLowerCase(Locale.ROOT);
            paths.computeIfAbsent(route.getPath(), p -> new TreeMap<>())
                    .put(method, operation(route.getPath(), method));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.0.3");
        document.put(
                "info",
                Map.of(
                        "title",
                        "Serval " + title + " API",
                        "version",
                        ServerVersion.CURRENT,
                        "description",
                        "Serval's " + title.toLowerCase(Locale.ROOT) + " listener, answering as TorchServe's"));
        document.put("servers", List.of(Map.of("url", server)));
        Map<String, Object> components = new LinkedHashMap<>(referenced(paths));
        if (auth.isPresent()) {
            Map<String, Object> schemes = new TreeMap<>();
            List<Map<String, Object>> security = new ArrayList<>();
            if (auth.get().shared()) {
                API_KEYS.forEach((kind, scheme) -> schemes.put(
                        scheme,
                        Map.of(
                                "type",
                                "http",
                                "scheme",
                                "bearer",
                                "description",
                                "The " + kind.name().toLowerCase(Locale.ROOT) + " key from key_file.json")));
                API_KEYS.values().stream().sorted().forEach(scheme -> security.add(Map.of(scheme, List.of())));
            } else {
                schemes.put(
                        KEY,
                        Map.of(
                                "type",
                                "http",
                                "scheme",
                                "bearer",
                                "description",
                                "The listener's key from key_file.json"));
                security.add(Map.of(KEY, List.of()));
            }
            if (paths.containsKey("/token")) {
                schemes.put(
                        API_KEY,
                        Map.of("type", "http", "scheme", "bearer", "description", "The API key from key_file.json"));
            }
            components.put("securitySchemes", schemes);
            document.put("security", security);
        } else {
            // Said outright: no operation needs a key (rather than the listener forgetting to say).
            document.put("security", List.of());
        }
        document.put("paths", paths);
        document.put("components", components);
        return document;
    }

    private Map<String, Object> operation(String path, String method) {
        Map<String, Object> declared = OPERATIONS.getOrDefault(path, Map.of()).get(method);
        if (declared == null) {
            throw new IllegalStateException("operations.yaml has no " + method + " " + path);
        }
        Map<String, Object> operation = new LinkedHashMap<>(declared);
        List<Object> parameters = new ArrayList<>();
        Matcher matcher = PATH_PARAMETER.matcher(path);
        while (matcher.find()) {
            parameters.add(Map.of("$ref", "#/components/parameters/" + matcher.group(1)));
        }
        parameters.addAll(shared(declared.getOrDefault("parameters", List.of())));
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        Map<String, Object> responses = new TreeMap<>(OpenApi.<Map<String, Object>>shared(declared.get("responses")));
        auth.ifPresent(check -> {
            if (TokenApi.OPEN_PATHS.contains(path)) {
                operation.put("security", List.of(Map.of(API_KEY, List.of())));
            } else if (check.isOpen(path)) {
                operation.put("security", List.of());
                return;
            } else if (check.shared()) {
                check.kind(path)
                        .ifPresent(kind -> operation.put("security", List.of(Map.of(API_KEYS.get(kind), List.of()))));
            }
            responses.put("401", Map.of("$ref", "#/components/responses/Unauthorized"));
        });
        operation.put("responses", responses);
        return operation;
    }

    /** @return the value, or the entry of {@code shared} it names */
    private static <T> T shared(Object value) {
        return cast(value instanceof String name ? SHARED.get(name) : value);
    }

    /** @return the components the paths refer to, and those these refer to, by kind */
    private static Map<String, Map<String, Object>> referenced(Object paths) {
        Map<String, Map<String, Object>> used = new TreeMap<>();
        Deque<Object> unread = new ArrayDeque<>(List.of(paths));
        while (!unread.isEmpty()) {
            Object node = unread.pop();
            if (node instanceof Map<?, ?> map) {
                if (map.get("$ref") instanceof String ref) {
                    Matcher matcher = REFERENCE.matcher(ref);
                    if (!matcher.matches()
                            || !COMPONENTS
                                    .getOrDefault(matcher.group(1), Map.of())
                                    .containsKey(matcher.group(2))) {
                        throw new IllegalStateException("operations.yaml has no " + ref);
                    }
                    Object component = COMPONENTS.get(matcher.group(1)).get(matcher.group(2));
                    if (used.computeIfAbsent(matcher.group(1), kind -> new TreeMap<>())
                                    .put(matcher.group(2), component)
                            == null) {
                        unread.push(component);
                    }
                }
                unread.addAll(map.values());
            } else if (node instanceof List<?> list) {
                unread.addAll(list);
            }
        }
        return used;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static Map<String, Map<String, Object>> load() {
        try (InputStream in = OpenApi.class.getResourceAsStream("operations.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("operations.yaml is missing from the kernel", e);
        }
    }
}

package dev.serval.kernel.manage;

import dev.serval.kernel.catalog.Source;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * TorchServe's management calls with its rules, defaults and messages, whatever carries them: the
 * REST API ({@code /models}) and the gRPC one ({@code ManagementAPIsService}) both call these, so
 * that a call answers the same over either.
 */
public final class ManagementCalls {

    /** Why register and unregister are refused, over HTTP, gRPC and in the remote shell alike. */
    public static final String MODEL_API_DISABLED =
            "Model API is disabled: start with --enable-model-api or set enable_model_api=true";

    /** The message of a call that did not wait for the workers it changed. */
    private static final String PROCESSING = "Processing worker updates...";

    /**
     * A call's parameters by TorchServe's names ({@code url}, {@code batch_size}, ...), as a query
     * string or a gRPC request carries them; one not given is empty.
     */
    public interface Arguments {
        /**
         * @param name the parameter's name
         * @return its value, when given
         */
        Optional<String> text(String name);

        /**
         * @param name the parameter's name
         * @return its value, when given
         * @throws ServingException 400 when it is not a whole number
         */
        Optional<Integer> integer(String name);
    }

    /**
     * A call's answer: TorchServe's status code and message.
     *
     * @param code 200, or 202 when the call did not wait for the workers
     * @param message TorchServe's message
     */
    public record Answer(int code, String message) {}

    private final ModelManager manager;
    private final boolean modelApiEnabled;

    /**
     * @param manager the models to manage
     * @param modelApiEnabled whether register and unregister are allowed
     */
    public ManagementCalls(ModelManager manager, boolean modelApiEnabled) {
        this.manager = manager;
        this.modelApiEnabled = modelApiEnabled;
    }

    /**
     * @param limit the most models to return
     * @param pageToken where the page starts
     * @return TorchServe's list: {@code nextPageToken} when there is more, and the models
     */
    public Map<String, Object> list(int limit, int pageToken) {
        ModelManager.Page page = manager.list(limit, pageToken);
        Map<String, Object> body = new LinkedHashMap<>();
        page.nextPageToken().ifPresent(token -> body.put("nextPageToken", token));
        body.put(
                "models",
                page.models().stream()
                        .map(v -> {
                            Map<String, Object> entry = new LinkedHashMap<>();
                            entry.put("modelName", v.name());
                            entry.put(
                                    "modelUrl",
                                    v.archive().source().getFileName().toString());
                            return entry;
                        })
                        .toList());
        return body;
    }

    /**
     * @param name a model name
     * @param version a version, {@code all}, or empty for the default one
     * @param customized whether each description carries what the handler says of itself
     * @return the describe records
     * @throws ServingException 404 for an unknown model or version
     * @throws InterruptedException when interrupted while asking the workers
     */
    public List<Map<String, Object>> describe(String name, Optional<String> version, boolean customized)
            throws InterruptedException {
        List<Map<String, Object>> descriptions = new ArrayList<>();
        for (ModelVersion v : manager.describe(name, version)) {
            Map<String, Object> description = manager.description(v);
            if (customized) {
                description.put("customizedMetadata", handlerDescription(v));
            }
            descriptions.add(description);
        }
        return descriptions;
    }

    /** @return what one worker's handler says of itself (TorchServe's {@code describe_handle}) */
    private static Object handlerDescription(ModelVersion version) throws InterruptedException {
        try {
            return version.describeHandler().get().json().orElseThrow();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ServingException refused
                    ? refused
                    : new ServingException(500, "InternalServerException", String.valueOf(e.getCause()));
        }
    }

    /**
     * Registers a model, and with {@code synchronous} waits for its workers; a registration
     * whose workers do not start is undone, as in TorchServe.
     *
     * @param args {@code url}, {@code model_name}, {@code handler}, {@code runtime},
     *     {@code batch_size}, {@code max_batch_delay}, {@code batch_policy}, {@code response_timeout},
     *     {@code startup_timeout}, {@code initial_workers}
     * @param synchronous whether to wait for the workers
     * @return the answer
     * @throws ServingException 405 when the model API is disabled, else as
     *     {@link ModelManager#register} says
     * @throws InterruptedException when interrupted while waiting for the workers
     */
    public Answer register(Arguments args, boolean synchronous) throws InterruptedException {
        requireModelApi();
        String runtime = args.text("runtime").orElse("python");
        if (!runtime.equalsIgnoreCase("python") && !runtime.equalsIgnoreCase("python3")) {
            throw new ServingException(400, "BadRequestException", "Invalid RuntimeType value: " + runtime);
        }
        Map<String, Object> settings = new HashMap<>();
        args.integer("batch_size").ifPresent(v -> settings.put("batchSize", v));
        args.integer("max_batch_delay").ifPresent(v -> settings.put("maxBatchDelay", v));
        args.text("batch_policy").ifPresent(v -> settings.put("batchPolicy", v));
        args.integer("response_timeout").ifPresent(v -> settings.put("responseTimeout", v));
        args.integer("startup_timeout").ifPresent(v -> settings.put("startupTimeout", v));
        args.integer("initial_workers").ifPresent(v -> {
            settings.put("minWorkers", v);
            settings.put("maxWorkers", v);
        });
        LoadOptions options = new LoadOptions(args.text("model_name"), args.text("handler"), settings);
        ModelVersion version = manager.register(args.text("url").orElse(null), options, Source.Kind.REGISTER_CALL);
        int workers = version.settings().minWorkers();
        String registered = "Model \"" + version.name() + "\" Version: " + version.version() + " registered with ";
        if (workers == 0) {
            return new Answer(
                    200, registered + "0 initial workers. Use scale workers API to add workers for the model.");
        }
        if (!synchronous) {
            return new Answer(202, PROCESSING);
        }
        manager.awaitRegistered(version);
        return new Answer(200, registered + workers + " initial workers");
    }

    /**
     * @param name a model name
     * @param version a version, or empty for the default one
     * @param args {@code min_worker} (1 when not given) and {@code max_worker} (the minimum)
     * @param synchronous whether to wait for the workers
     * @return the answer
     * @throws ServingException as {@link ModelManager#scale} says, or 500 when the workers do not start
     * @throws InterruptedException when interrupted while waiting for the workers
     */
    public Answer scale(String name, Optional<String> version, Arguments args, boolean synchronous)
            throws InterruptedException {
        int min = args.integer("min_worker").orElse(1);
        int max = args.integer("max_worker").orElse(min);
        ModelVersion scaled = manager.scale(name, version, min, max);
        if (!synchronous) {
            return new Answer(202, PROCESSING);
        }
        Optional<String> notStarted = scaled.awaitStartup();
        if (notStarted.isPresent()) {
            throw ModelManager.failedToStart(scaled, notStarted.get());
        }
        return new Answer(
                200,
                "Workers scaled to " + min + " for model: " + scaled.name()
                        + version.map(v -> ", version: " + v).orElse(""));
    }

    /**
     * @param name a model name
     * @param version the version to answer requests that name none
     * @return the answer
     * @throws ServingException 404 for an unknown model or version
     */
    public Answer setDefault(String name, String version) {
        manager.setDefault(name, version);
        return new Answer(
                200, "Default version successfully updated for model \"" + name + "\" to \"" + version + "\"");
    }

    /**
     * @param name a model name
     * @param version a version, or empty for the default one
     * @return the answer
     * @throws ServingException 405 when the model API is disabled, else as
     *     {@link ModelManager#unregister} says
     */
    public Answer unregister(String name, Optional<String> version) {
        requireModelApi();
        ModelVersion removed = manager.unregister(name, version);
        return new Answer(200, "Model \"" + removed.name() + "\" unregistered");
    }

    private void requireModelApi() {
        if (!modelApiEnabled) {
            throw new ServingException(405, "MethodNotAllowedException", MODEL_API_DISABLED);
        }
    }
}

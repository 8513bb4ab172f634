package dev.serval.kernel.config;

import dev.serval.serving.Engines;
import dev.serval.serving.ServingSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's settings, resolved once at start: {@link #defaults defaults}, then TorchServe's
 * {@code config.properties} keys, then the command line, then TorchServe's {@code TS_*} environment
 * variables when {@code enable_envvars_config=true} (TorchServe's order), each applied to a
 * {@link Builder}.
 *
 * @param inferenceAddress where {@code /ping} and {@code /predictions} listen
 * @param managementAddress where {@code /models} listens
 * @param metricsAddress where metrics will listen
 * @param modelStore the folder {@code load_models} and {@code url=} refer to
 * @param loadModels what to load from the model store at start: {@code all}, or names of
 *     archives, each optionally {@code name=archive}
 * @param deployDir the hot-deploy folder FileInstall watches, for bundle jars and for models
 * @param home the installation folder, holding {@code bundles/}
 * @param workDir where extracted models and the framework's cache go
 * @param cacheDir where DJL and ONNX Runtime unpack their native libraries, once
 * @param modelDefaults how models are served unless their {@code model-config.yaml} says otherwise
 * @param maxRequestSize the largest request body the inference API accepts, in bytes
 * @param modelEntries {@code config.properties}' {@code models} key: per model name and version,
 *     TorchServe's serving keys ({@code minWorkers}, {@code batchSize}, ...)
 * @param modelSnapshot {@code config.properties}' {@code model_snapshot} key, TorchServe's snapshot
 *     JSON: the models registered at start in place of {@code load_models}, when set
 * @param snapshots whether registered models are written to a snapshot on every change and
 *     restored from it at start
 * @param modelApiEnabled whether models may be registered and unregistered over the management
 *     API (off by default, as in TorchServe 0.11+)
 * @param tokenAuthorization whether the inference and management APIs require the keys of
 *     {@code key_file.json} (on by default, as in TorchServe 0.11+)
 * @param tokenExpiration how long an inference or management key is valid after it is issued
 * @param allowedUrls {@code allowed_urls}: the URLs besides model store names a register call
 *     may name, each matched whole; none by default
 * @param maxResponseSize the largest response the inference API sends, in bytes
 * @param cors the CORS answers, when {@code cors_allowed_origin} is set
 * @param tls the keys of the {@code https://} listeners, when {@code keystore} or
 *     {@code certificate_file} and {@code private_key_file} are set
 * @param remoteShell what {@code bin/serval shell}'s sessions may run: {@code enable_remote_shell}
 *     (by default on exactly when token authorization is, so that it never opens without a key) and
 *     {@code enable_remote_shell_code_execution} (the full Gogo shell; off by default)
 * @param allowedHosts {@code allowed_hosts}: the {@code Host} names a loopback listener answers to
 *     besides its own address, {@code localhost}, {@code 127.0.0.1} and {@code [::1]}; {@code *}
 *     for any
 * @param idleTimeout how long a connection may move no byte, reading a request or writing an
 *     answer, before it is closed ({@code idle_timeout}, in seconds)
 * @param minDataRate the bytes per second below which a request body, after its first second, is
 *     given up with a 408 ({@code min_data_rate}; 0: none)
 * @param maxBufferedRequestBytes the bytes the request bodies being received may hold together
 *     ({@code max_buffered_request_bytes}; by default 32 × {@code max_request_size})
 * @param grpc TorchServe's gRPC listeners
 * @param shutdownGrace how long a stop waits for the requests in flight and queued to be answered
 *     before it answers the rest 503 and exits ({@code graceful_shutdown_timeout}, in seconds)
 * @param logFormat how the log's events are written ({@code log_format})
 */
public record ServerConfig(
        Address inferenceAddress,
        Address managementAddress,
        Address metricsAddress,
        Path modelStore,
        List<String> loadModels,
        Path deployDir,
        Path home,
        Path workDir,
        Path cacheDir,
        ServingSettings modelDefaults,
        long maxRequestSize,
        Map<String, Map<String, Map<String, Object>>> modelEntries,
        Optional<ModelSnapshot> modelSnapshot,
        boolean snapshots,
        boolean modelApiEnabled,
        boolean tokenAuthorization,
        Duration tokenExpiration,
        List<Pattern> allowedUrls,
        long maxResponseSize,
        Optional<CorsSettings> cors,
        Optional<TlsSettings> tls,
        ShellAccess remoteShell,
        List<String> allowedHosts,
        Duration idleTimeout,
        long minDataRate,
        long maxBufferedRequestBytes,
        GrpcSettings grpc,
        Duration shutdownGrace,
        LogFormat logFormat) {

    /**
     * The installation's folder of unpacked native libraries, which {@code serval natives} fills
     * and a server uses as its cache when it exists.
     */
    public static final String INSTALLED_NATIVES = "natives";

    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);
    private static final String CONFIG_FILE = "config.properties";

    /** The default {@code job_queue_size}, per model version: as many requests as 1024 connections send at once. */
    private static final int JOB_QUEUE_SIZE = 1024;

    /**
     * @param home the installation folder, which also holds the data
     * @return TorchServe's defaults (loopback addresses on 8080–8082), folders inside {@code home}
     */
    public static Builder defaults(Path home) {
        return defaults(home, home);
    }

    /**
     * @param home the installation folder
     * @param base the user's data folder
     * @return TorchServe's defaults (loopback addresses on 8080–8082), data folders inside {@code base}
     */
    public static Builder defaults(Path home, Path base) {
        Builder builder = new Builder();
        builder.inferenceAddress = new Address("127.0.0.1", 8080);
        builder.managementAddress = new Address("127.0.0.1", 8081);
        builder.metricsAddress = new Address("127.0.0.1", 8082);
        builder.modelStore = base.resolve("model-store");
        builder.loadModels = List.of();
        builder.deployDir = base.resolve("deploy");
        builder.home = home;
        builder.workDir = base.resolve("work");
        // An installation that carries its natives (serval natives, as the container image does)
        // starts without unpacking or writing any.
        Path installed = home.resolve(INSTALLED_NATIVES);
        builder.cacheDir = Files.isDirectory(installed) ? installed : base.resolve("work/cache");
        // TorchServe starts one worker per core; each of Serval's workers may run several intra-op
        // threads, so as many workers as fill the cores with them.
        int workers = Engines.defaultWorkers();
        // TorchServe's job_queue_size is 100: the 101st of 1000 clients sending at once got a
        // 503. A request waits on its own connection, so the queue holds at most one per
        // connection (a KServe v1 request's instances aside), and the response timeout bounds its wait.
        builder.modelDefaults =
                ServingSettings.DEFAULTS.withWorkers(workers, workers).withJobQueueSize(JOB_QUEUE_SIZE);
        builder.maxRequestSize = 6_553_500; // TorchServe's default
        builder.modelEntries = Map.of();
        builder.snapshots = true;
        builder.tokenAuthorization = true;
        builder.tokenExpiration = Duration.ofMinutes(60); // TorchServe's token_expiration_min
        builder.allowedUrls = List.of();
        builder.maxResponseSize = 6_553_500; // TorchServe's default
        builder.allowedHosts = List.of();
        builder.idleTimeout = Duration.ofSeconds(30); // Jetty's default
        builder.minDataRate = 1024;
        // Below Kubernetes' terminationGracePeriodSeconds of 30, which ends in SIGKILL.
        builder.shutdownGrace = Duration.ofSeconds(20);
        builder.logFormat = LogFormat.PLAIN;
        // TorchServe's gRPC defaults: loopback, 7070 and 7071.
        builder.grpcEnabled = true;
        builder.grpcInferenceHost = "127.0.0.1";
        builder.grpcInferencePort = 7070;
        builder.grpcManagementHost = "127.0.0.1";
        builder.grpcManagementPort = 7071;
        return builder;
    }

    /**
     * @return whether the inference and management APIs share one listener: their addresses are
     *     the same (TorchServe's KServe configuration gives both {@code http://0.0.0.0:8085}), as
     *     TorchServe serves both APIs on one listener then; port 0 is any free port, so two
     *     addresses of port 0 are two listeners
     */
    public boolean sharedListener() {
        return inferenceAddress.equals(managementAddress) && inferenceAddress.port() != 0;
    }

    /** @return the bundles that make up the server, installed at start */
    public Path bundlesDir() {
        return home.resolve("bundles");
    }

    /**
     * @param value TorchServe's list syntax: comma- or space-separated
     * @return the items, without blanks
     */
    public static List<String> splitList(String value) {
        return Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    /** Collects settings from the sources above, later ones winning. */
    public static final class Builder {
        private Address inferenceAddress;
        private Address managementAddress;
        private Address metricsAddress;
        private Path modelStore;
        private List<String> loadModels;
        private Path deployDir;
        private Path home;
        private Path workDir;
        private Path cacheDir;
        private ServingSettings modelDefaults;
        private long maxRequestSize;
        private Map<String, Map<String, Map<String, Object>>> modelEntries;
        private Optional<ModelSnapshot> modelSnapshot = Optional.empty();
        private boolean snapshots;
        private boolean modelApiEnabled;
        private boolean tokenAuthorization;
        private Duration tokenExpiration;
        private List<Pattern> allowedUrls;
        private long maxResponseSize;
        private Duration idleTimeout;
        private long minDataRate;
        private long maxBufferedRequestBytes;
        private final Map<String, String> corsKeys = new HashMap<>();
        private final Map<String, String> tlsKeys = new HashMap<>();
        private Boolean remoteShell; // null: as token authorization
        private boolean remoteShellCodeExecution;
        private List<String> allowedHosts;
        private Map<String, String> environment = Map.of();
        private boolean environmentKeys;
        private boolean environmentAllowedUrls;
        private boolean grpcEnabled;
        private String grpcInferenceHost;
        private int grpcInferencePort;
        private String grpcManagementHost;
        private int grpcManagementPort;
        private boolean grpcTls;
        private Duration shutdownGrace;
        private LogFormat logFormat;
        private Consumer<LogFormat> logFormatTaker = format -> {};
        /** What the sources gave to say, logged once the log has its format. */
        private final List<Consumer<Logger>> notes = new ArrayList<>();

        private Builder() {}

        /**
         * Applies {@code config.properties}; unknown keys are logged and ignored, so a TorchServe
         * config file works unchanged. Relative paths are resolved against the file's folder.
         *
         * @param file the properties file
         * @return this builder
         * @throws IOException when the file cannot be read
         * @throws IllegalArgumentException naming a key whose value is malformed or out of range
         */
        public Builder properties(Path file) throws IOException {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            Path dir = file.toAbsolutePath().getParent();
            for (String key : properties.stringPropertyNames()) {
                apply(CONFIG_FILE, key, properties.getProperty(key).trim(), dir);
            }
            return this;
        }

        /**
         * @param source {@code config.properties}, or the environment variable or option that sets the key
         * @throws IllegalArgumentException naming the source and key when the value is malformed
         */
        private void apply(String source, String key, String value, Path dir) {
            String label = CONFIG_FILE.equals(source) ? CONFIG_FILE + ": " + key : source;
            try {
                set(source, key, value, dir);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(label + " is not a number: " + value, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
            }
        }

        private void set(String source, String key, String value, Path dir) {
            switch (key) {
                case "inference_address" -> inferenceAddress = Address.parse(value);
                case "management_address" -> managementAddress = Address.parse(value);
                case "metrics_address" -> metricsAddress = Address.parse(value);
                case "model_store" -> modelStore = dir.resolve(value).normalize();
                case "load_models" -> loadModels = splitList(value);
                case "default_workers_per_model" -> {
                    int workers = (int) number(value, 0, Integer.MAX_VALUE);
                    modelDefaults = modelDefaults.withWorkers(workers, workers);
                }
                case "job_queue_size" ->
                    modelDefaults = modelDefaults.withJobQueueSize((int) number(value, 1, Integer.MAX_VALUE));
                case "models" -> modelEntries = ModelEntries.parse(value);
                case "model_snapshot" -> modelSnapshot = Optional.of(ModelSnapshot.parse(value));
                case "enable_model_api" -> modelApiEnabled = Boolean.parseBoolean(value);
                case "disable_token_authorization" -> tokenAuthorization = !Boolean.parseBoolean(value);
                case "token_expiration_min" -> tokenExpiration = duration(value, 60_000);
                case "default_response_timeout" ->
                    modelDefaults = modelDefaults.withResponseTimeoutMs(number(value, 1, Integer.MAX_VALUE) * 1000);
                case "max_request_size" -> maxRequestSize = number(value, 1, Long.MAX_VALUE);
                case "max_response_size" -> maxResponseSize = number(value, 1, Long.MAX_VALUE);
                case "idle_timeout" -> idleTimeout = duration(value, 1000);
                case "min_data_rate" -> minDataRate = number(value, 0, Long.MAX_VALUE);
                case "max_buffered_request_bytes" -> maxBufferedRequestBytes = number(value, 1, Long.MAX_VALUE);
                case "allowed_urls" -> allowedUrls = patterns(value);
                // TorchServe's examples quote the origin: cors_allowed_origin='*'
                case "cors_allowed_origin", "cors_allowed_methods", "cors_allowed_headers" ->
                    corsKeys.put(key, value.replaceAll("^'(.*)'$", "$1"));
                case "keystore_pass", "keystore_type" -> tlsKeys.put(key, value);
                // Resolved here: the keys may come from the file and the environment, each its own folder.
                case "keystore", "private_key_file", "certificate_file" ->
                    tlsKeys.put(key, dir.resolve(value).normalize().toString());
                case "enable_envvars_config" -> environmentKeys = Boolean.parseBoolean(value);
                case "use_env_allowed_urls" -> environmentAllowedUrls = Boolean.parseBoolean(value);
                case "enable_remote_shell" -> remoteShell = Boolean.parseBoolean(value);
                case "enable_remote_shell_code_execution" -> remoteShellCodeExecution = Boolean.parseBoolean(value);
                case "allowed_hosts" -> allowedHosts = splitList(value);
                case "enable_grpc" -> grpcEnabled = Boolean.parseBoolean(value);
                case "grpc_inference_address" -> grpcInferenceHost = value;
                case "grpc_inference_port" -> grpcInferencePort = (int) number(value, 0, 65535);
                case "grpc_management_address" -> grpcManagementHost = value;
                case "grpc_management_port" -> grpcManagementPort = (int) number(value, 0, 65535);
                case "enable_grpc_ssl" -> grpcTls = Boolean.parseBoolean(value);
                case "limit_max_image_pixels" -> modelDefaults = modelDefaults.withMaxImagePixels(pixelLimit(value));
                case "graceful_shutdown_timeout" -> shutdownGrace = Duration.ofSeconds(number(value, 0, 3600));
                case "log_format" -> logFormat = LogFormat.parse(value);
                // KServe's TorchServe configuration sets these: each is said once not to apply, and why.
                case "enable_metrics_api" -> {
                    if (!Boolean.parseBoolean(value)) {
                        notes.add(log -> log.warn(
                                "{}: {}=false is not applied: Serval's metrics listener always runs,"
                                        + " on metrics_address (loopback unless set otherwise)",
                                source,
                                key));
                    }
                }
                case "metrics_format" -> {
                    if (!value.equalsIgnoreCase("prometheus")) {
                        notes.add(log -> log.warn(
                                "{}: {}={} is not applied: Serval's /metrics serves Prometheus' text" + " format only",
                                source,
                                key,
                                value));
                    }
                }
                case "number_of_netty_threads", "netty_client_threads" ->
                    notes.add(log -> log.info(
                            "{}: {} does not"
                                    + " apply: Serval's listeners are Jetty's, whose thread pools size themselves; ignored",
                            source,
                            key));
                case "install_py_dep_per_model" ->
                    notes.add(log -> log.info(
                            "{}: {} does not apply: Serval runs no"
                                    + " Python, so a model has no Python dependencies to install; ignored",
                            source,
                            key));
                case "service_envelope" ->
                    notes.add(log -> log.info(
                            "{}: {}={} is not needed: Serval speaks KServe's v1"
                                    + " (/v1/models/...) and v2 (/v2/models/...) protocols natively on their own paths, and"
                                    + " /predictions stays TorchServe's; ignored",
                            source,
                            key,
                            value));
                default ->
                    notes.add(log -> log.info("{}: key '{}' is not supported by Serval yet; ignored", source, key));
            }
        }

        /** A whole number in range: a value that would leave the server useless is refused at start. */
        private static long number(String value, long min, long max) {
            long number = Long.parseLong(value);
            if (number < min || number > max) {
                throw new IllegalArgumentException(
                        "must be " + (max == Long.MAX_VALUE ? "at least " + min : "from " + min + " to " + max)
                                + ", not " + value);
            }
            return number;
        }

        /**
         * A time in the key's unit (TorchServe's minutes, seconds), fractions allowed: one of 0 would
         * expire every key or close every connection at once.
         */
        private static Duration duration(String value, long unitMillis) {
            Duration duration = Duration.ofMillis(Math.round(Double.parseDouble(value) * unitMillis));
            if (duration.toMillis() <= 0) {
                throw new IllegalArgumentException("must be more than 0, not " + value);
            }
            return duration;
        }

        private Optional<CorsSettings> cors() {
            return Optional.ofNullable(corsKeys.get("cors_allowed_origin"))
                    .map(origin -> new CorsSettings(
                            origin,
                            Optional.ofNullable(corsKeys.get("cors_allowed_methods")),
                            Optional.ofNullable(corsKeys.get("cors_allowed_headers"))));
        }

        private ShellAccess remoteShell() {
            boolean enabled = remoteShell != null ? remoteShell : tokenAuthorization;
            if (!enabled) {
                return ShellAccess.OFF;
            }
            return remoteShellCodeExecution ? ShellAccess.FULL : ShellAccess.RESTRICTED;
        }

        /**
         * TorchServe takes the keystore when both are set; Serval refuses, since one of them is
         * set for nothing and the operator may believe it is in use.
         */
        private Optional<TlsSettings> tls() {
            String keystore = tlsKeys.get("keystore");
            String certificate = tlsKeys.get("certificate_file");
            String privateKey = tlsKeys.get("private_key_file");
            if (keystore != null && (certificate != null || privateKey != null)) {
                throw new IllegalArgumentException("config.properties: keystore and "
                        + (certificate != null ? "certificate_file" : "private_key_file")
                        + " are both set; TLS takes a keystore or PEM files: remove one");
            }
            if (keystore != null) {
                return Optional.of(new TlsSettings.Keystore(
                        Path.of(keystore),
                        tlsKeys.getOrDefault("keystore_pass", ""),
                        tlsKeys.getOrDefault("keystore_type", "PKCS12")));
            }
            if (certificate == null && privateKey == null) {
                return Optional.empty();
            }
            if (certificate == null || privateKey == null) {
                throw new IllegalArgumentException("config.properties: "
                        + (certificate == null
                                ? "private_key_file needs certificate_file, the certificate chain it is the key of"
                                : "certificate_file needs private_key_file, the certificate's private key"));
            }
            return Optional.of(new TlsSettings.PemFiles(Path.of(certificate), Path.of(privateKey)));
        }

        /**
         * TorchServe's {@code TS_*} variables, over the config file and the command line, as
         * TorchServe's ConfigManager applies them, when {@code enable_envvars_config=true};
         * otherwise they are said to be ignored, once. Relative paths are the working folder's.
         */
        private void applyEnvironment() {
            Map<String, String> variables = EnvironmentKeys.in(environment);
            if (variables.isEmpty()) {
                return;
            }
            if (!environmentKeys) {
                notes.add(log -> log.warn(
                        "{} set but not applied: TorchServe's TS_* variables apply with"
                                + " enable_envvars_config=true in config.properties",
                        String.join(", ", variables.keySet())));
                return;
            }
            Path workingDir = Path.of("").toAbsolutePath();
            variables.forEach((variable, key) -> {
                if (key.equals("allowed_urls") && !environmentAllowedUrls) {
                    // TorchServe's safeguard: whoever sets the environment must not widen what is loaded.
                    notes.add(log -> log.warn(
                            "{} not applied: allowed_urls come from the environment only with"
                                    + " use_env_allowed_urls=true in config.properties",
                            variable));
                    return;
                }
                notes.add(log -> log.info("{} sets {} (enable_envvars_config=true)", variable, key));
                apply(variable, key, environment.get(variable).trim(), workingDir);
            });
        }

        /** TorchServe's list: regular expressions separated by commas. */
        private static List<Pattern> patterns(String value) {
            return Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(p -> !p.isEmpty())
                    .map(p -> {
                        try {
                            return Pattern.compile(p);
                        } catch (PatternSyntaxException e) {
                            throw new IllegalArgumentException("bad pattern: " + p, e);
                        }
                    })
                    .toList();
        }

        /** TorchServe's key is a switch for Pillow's limit; Serval also takes the limit itself. */
        private static long pixelLimit(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> ServingSettings.DEFAULTS.maxImagePixels();
                case "false" -> 0;
                default -> number(value, 0, Long.MAX_VALUE);
            };
        }

        /**
         * Applies a command-line option that stands for a {@code config.properties} key, as the
         * file would, relative paths from the working folder.
         *
         * @param option the option, such as {@code --inference-address}
         * @param key the key it sets, such as {@code inference_address}
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException naming the option when the value is malformed
         */
        public Builder option(String option, String key, String value) {
            apply(option, key, value.trim(), Path.of("").toAbsolutePath());
            return this;
        }

        /**
         * @param variables the process's environment: its {@code TS_*} variables are applied by
         *     {@link #build()}, after every other source, when {@code enable_envvars_config=true}
         * @return this builder
         */
        public Builder environment(Map<String, String> variables) {
            environment = Map.copyOf(variables);
            return this;
        }

        /**
         * @param dir the model store
         * @return this builder
         */
        public Builder modelStore(Path dir) {
            modelStore = dir;
            return this;
        }

        /**
         * @param models what to load at start
         * @return this builder
         */
        public Builder loadModels(List<String> models) {
            loadModels = List.copyOf(models);
            return this;
        }

        /**
         * @param dir the hot-deploy folder
         * @return this builder
         */
        public Builder deployDir(Path dir) {
            deployDir = dir;
            return this;
        }

        /**
         * @param dir the work folder
         * @return this builder
         */
        public Builder workDir(Path dir) {
            workDir = dir;
            return this;
        }

        /**
         * @param dir the native-library cache
         * @return this builder
         */
        public Builder cacheDir(Path dir) {
            cacheDir = dir;
            return this;
        }

        /**
         * @param enabled whether snapshots are written and restored
         * @return this builder
         */
        public Builder snapshots(boolean enabled) {
            snapshots = enabled;
            return this;
        }

        /**
         * @param enabled whether register and unregister are allowed
         * @return this builder
         */
        public Builder modelApi(boolean enabled) {
            modelApiEnabled = enabled;
            return this;
        }

        /**
         * @param enabled whether the APIs require keys
         * @return this builder
         */
        public Builder tokenAuthorization(boolean enabled) {
            tokenAuthorization = enabled;
            return this;
        }

        /**
         * @param taker given the log format by {@link #build()}, before the notes on the settings
         *     (keys ignored, variables applied) are logged, so that they are in that format too
         * @return this builder
         */
        public Builder logFormatTo(Consumer<LogFormat> taker) {
            logFormatTaker = taker;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException naming the key when an {@code https://} address has no
         *     TLS keys, or they cannot be opened, or a {@code TS_*} variable's value is malformed
         */
        public ServerConfig build() {
            applyEnvironment();
            logFormatTaker.accept(logFormat);
            notes.forEach(note -> note.accept(LOG));
            notes.clear();
            Optional<TlsSettings> tls = tls();
            // What serves TLS, each with the keys of the https:// listeners (gRPC too).
            List<String> needKeys = new ArrayList<>();
            for (Map.Entry<String, Address> address : List.of(
                    Map.entry("inference_address", inferenceAddress),
                    Map.entry("management_address", managementAddress),
                    Map.entry("metrics_address", metricsAddress))) {
                if (address.getValue().https()) {
                    needKeys.add(address.getKey() + " " + address.getValue());
                }
            }
            if (grpcTls) {
                needKeys.add("enable_grpc_ssl");
            }
            if (!needKeys.isEmpty()) {
                tls.orElseThrow(() -> new IllegalArgumentException("config.properties: " + needKeys.get(0)
                                + " needs keystore and keystore_pass, or certificate_file and private_key_file"))
                        .open();
            }
            return new ServerConfig(
                    inferenceAddress,
                    managementAddress,
                    metricsAddress,
                    modelStore,
                    loadModels,
                    deployDir,
                    home,
                    workDir,
                    cacheDir,
                    modelDefaults,
                    maxRequestSize,
                    modelEntries,
                    modelSnapshot,
                    snapshots,
                    modelApiEnabled,
                    tokenAuthorization,
                    tokenExpiration,
                    allowedUrls,
                    maxResponseSize,
                    cors(),
                    tls,
                    remoteShell(),
                    allowedHosts,
                    idleTimeout,
                    minDataRate,
                    // Unset: room for 32 bodies of the largest size at once.
                    maxBufferedRequestBytes > 0
                            ? maxBufferedRequestBytes
                            : maxRequestSize > Long.MAX_VALUE / 32 ? Long.MAX_VALUE : 32 * maxRequestSize,
                    new GrpcSettings(
                            grpcEnabled,
                            new Address(grpcInferenceHost, grpcInferencePort),
                            new Address(grpcManagementHost, grpcManagementPort),
                            grpcTls),
                    shutdownGrace,
                    logFormat);
        }
    }
}

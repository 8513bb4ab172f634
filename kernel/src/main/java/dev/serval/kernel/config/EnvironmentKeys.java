package dev.serval.kernel.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * TorchServe's {@code TS_*} environment variables, each setting a {@code config.properties} key
 * when the config file says {@code enable_envvars_config=true}. The names are TorchServe's own:
 * {@code TS_} and the key in capitals for each key its {@code ConfigManager} lets the environment
 * set, but {@code TS_TOKEN_EXPIRATION_TIME_MIN} for {@code token_expiration_min} and the
 * {@code ts_}-keys without a second {@code TS_}. Keys it keeps from the environment stay so:
 * {@code models}, {@code enable_envvars_config} itself, and Serval's own keys, among them
 * {@code allowed_hosts} and the remote shell's, which widen who may do what; but
 * {@code TS_GRACEFUL_SHUTDOWN_TIMEOUT} and {@code TS_LOG_FORMAT} set Serval's two keys that a
 * container's environment is the place for.
 */
final class EnvironmentKeys {

    private static final List<String> KEYS = List.of(
            "debug",
            "inference_address",
            "management_address",
            "metrics_address",
            "load_models",
            "blacklist_env_vars",
            "default_workers_per_model",
            "default_response_timeout",
            "default_startup_timeout",
            "unregister_model_timeout",
            "number_of_netty_threads",
            "netty_client_threads",
            "job_queue_size",
            "number_of_gpu",
            "metrics_config",
            "metrics_mode",
            "model_metrics_auto_detect",
            "disable_system_metrics",
            "ipex_enable",
            "cpu_launcher_enable",
            "cpu_launcher_args",
            "ipex_gpu_enable",
            "async_logging",
            "cors_allowed_origin",
            "cors_allowed_methods",
            "cors_allowed_headers",
            "decode_input_request",
            "keystore",
            "keystore_pass",
            "keystore_type",
            "certificate_file",
            "private_key_file",
            "max_request_size",
            "max_response_size",
            "limit_max_image_pixels",
            "default_service_handler",
            "service_envelope",
            "model_server_home",
            "model_store",
            "prefer_direct_buffer",
            "allowed_urls",
            "install_py_dep_per_model",
            "enable_metrics_api",
            "grpc_inference_address",
            "grpc_management_address",
            "grpc_inference_port",
            "grpc_management_port",
            "grpc_inference_max_connection_age_ms",
            "grpc_management_max_connection_age_ms",
            "grpc_inference_max_connection_age_grace_ms",
            "grpc_management_max_connection_age_grace_ms",
            "enable_grpc_ssl",
            "initial_worker_port",
            "initial_distribution_port",
            "workflow_store",
            "cpp_log_config",
            "ts_open_inference_protocol",
            "ts_header_key_sequence_id",
            "ts_header_key_sequence_start",
            "ts_header_key_sequence_end",
            "disable_token_authorization",
            "enable_model_api",
            // Serval's own that widen nothing: a container runtime sets them with its environment.
            "graceful_shutdown_timeout",
            "log_format");

    /** Variable name → key. */
    private static final Map<String, String> BY_VARIABLE = byVariable();

    private EnvironmentKeys() {}

    private static Map<String, String> byVariable() {
        Map<String, String> keys = new HashMap<>();
        for (String key : KEYS) {
            String upper = key.toUpperCase(Locale.ROOT);
            keys.put(upper.startsWith("TS_") ? upper : "TS_" + upper, key);
        }
        keys.put("TS_TOKEN_EXPIRATION_TIME_MIN", "token_expiration_min");
        return Map.copyOf(keys);
    }

    /**
     * @param environment the process's environment
     * @return those of its variables that set a key, by name in order: variable → key
     */
    static SortedMap<String, String> in(Map<String, String> environment) {
        SortedMap<String, String> present = new TreeMap<>();
        environment.keySet().stream()
                .filter(BY_VARIABLE::containsKey)
                .forEach(variable -> present.put(variable, BY_VARIABLE.get(variable)));
        return present;
    }
}

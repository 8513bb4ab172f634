package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.log.LogOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The server's command-line options, shared by {@code serval} and {@code serval dev}. */
final class ServerOptions {

    @Mixin
    private ConfigLocation location;

    @Option(
            names = "--inference-address",
            paramLabel = "URL",
            description = "Where the inference API listens, as inference_address: http://0.0.0.0:8080")
    private String inferenceAddress;

    @Option(
            names = "--management-address",
            paramLabel = "URL",
            description = "Where the management API listens, as management_address: http://127.0.0.1:8081")
    private String managementAddress;

    @Option(
            names = "--metrics-address",
            paramLabel = "URL",
            description = "Where metrics listen, as metrics_address: http://127.0.0.1:8082")
    private String metricsAddress;

    @Option(
            names = "--grpc-inference-port",
            paramLabel = "PORT",
            description = "Where gRPC inference listens, as grpc_inference_port: 7070 (0: any free port)")
    private String grpcInferencePort;

    @Option(
            names = "--grpc-management-port",
            paramLabel = "PORT",
            description = "Where gRPC management listens, as grpc_management_port: 7071 (0: any free port)")
    private String grpcManagementPort;

    @Option(
            names = "--grpc-inference-address",
            paramLabel = "HOST",
            description = "The interface gRPC inference listens on, as grpc_inference_address: 127.0.0.1")
    private String grpcInferenceAddress;

    @Option(
            names = "--grpc-management-address",
            paramLabel = "HOST",
            description = "The interface gRPC management listens on, as grpc_management_address: 127.0.0.1")
    private String grpcManagementAddress;

    @Option(names = "--model-store", description = "Folder of model archives")
    private Path modelStore;

    @Option(names = "--models", split = ",", description = "Models to load: all, or [name=]archive, ...")
    private List<String> models;

    @Option(names = "--deploy", description = "Hot-deploy folder (default: deploy)")
    private Path deployDir;

    @Option(
            names = "--cache-dir",
            description =
                    "Folder for native libraries unpacked at first start (default: the installation's natives/ when serval natives filled it, else work/cache)")
    private Path cacheDir;

    @Option(
            names = {"--ncs", "--no-config-snapshots"},
            description = "Neither restore the models of the last run nor record changes (default: both)")
    private boolean noSnapshots;

    @Option(
            names = "--enable-model-api",
            description = "Allow registering and unregistering models over the management API")
    private boolean enableModelApi;

    @Option(
            names = "--disable-token-auth",
            description = "Serve the inference and management APIs without keys (default: keys in work/key_file.json)")
    private boolean disableTokenAuth;

    /**
     * @return the defaults, then {@code config.properties}, then these options, then the
     *     {@code TS_*} variables when {@code enable_envvars_config=true}; a new base's default
     *     model store is filled with the installation's examples first
     * @throws IOException when the config file cannot be read or the model store cannot be filled
     * @throws IllegalArgumentException naming the option or key whose value is malformed
     */
    ServerConfig config() throws IOException {
        ServerConfig.Builder config = location.config().logFormatTo(LogOutput::use);
        option(config, "--inference-address", "inference_address", inferenceAddress);
        option(config, "--management-address", "management_address", managementAddress);
        option(config, "--metrics-address", "metrics_address", metricsAddress);
        option(config, "--grpc-inference-port", "grpc_inference_port", grpcInferencePort);
        option(config, "--grpc-management-port", "grpc_management_port", grpcManagementPort);
        option(config, "--grpc-inference-address", "grpc_inference_address", grpcInferenceAddress);
        option(config, "--grpc-management-address", "grpc_management_address", grpcManagementAddress);
        if (modelStore != null) {
            config.modelStore(modelStore.toAbsolutePath());
        }
        if (models != null) {
            config.loadModels(models.stream()
                    .flatMap(m -> ServerConfig.splitList(m).stream())
                    .toList());
        }
        if (deployDir != null) {
            config.deployDir(deployDir.toAbsolutePath());
        }
        if (cacheDir != null) {
            config.cacheDir(cacheDir.toAbsolutePath());
        }
        if (noSnapshots) {
            config.snapshots(false);
        }
        if (enableModelApi) {
            config.modelApi(true);
        }
        if (disableTokenAuth) {
            config.tokenAuthorization(false);
        }
        ServerConfig built = config.build();
        location.base().seedModelStore(built.modelStore(), built.home());
        return built;
    }

    /** @return the user's data folder these options name */
    BaseFolder base() {
        return location.base();
    }

    private static void option(ServerConfig.Builder config, String option, String key, String value) {
        if (value != null) {
            config.option(option, key, value);
        }
    }
}

package dev.serval.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A container as one of the repository's Kubernetes manifests declares it, read from the YAML and
 * turned into {@code podman run} options: so ImageIT runs what a cluster would run, not a copy.
 * Resources are left to the cluster: cgroup limits cannot be set on this machine.
 *
 * @param image the image it names
 * @param args its arguments (a KServe runtime's, then the InferenceService's, as KServe joins them)
 * @param env its environment
 * @param ports its ports by name (a port without a name under its number)
 * @param probes its probes by kind ({@code startupProbe}, ...): what each asks over HTTP
 * @param user {@code runAsUser:runAsGroup}
 * @param readOnlyRoot {@code readOnlyRootFilesystem}
 * @param dropAll whether it drops every capability
 * @param noNewPrivileges {@code allowPrivilegeEscalation: false}
 * @param mounts its volume mounts
 */
record ContainerSpec(
        String image,
        List<String> args,
        Map<String, String> env,
        Map<String, Integer> ports,
        Map<String, Probe> probes,
        String user,
        boolean readOnlyRoot,
        boolean dropAll,
        boolean noNewPrivileges,
        List<Mount> mounts) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Where KServe's storage initializer puts a model's storageUri, read-only. */
    static final String KSERVE_MODELS = "/mnt/models";

    /**
     * @param path an HTTP probe's path
     * @param port its container port
     */
    record Probe(String path, int port) {}

    /**
     * @param path where it is mounted in the container
     * @param readOnly whether it is mounted read-only
     * @param emptyDir whether it is an {@code emptyDir} (else the models' volume)
     */
    record Mount(String path, boolean readOnly, boolean emptyDir) {}

    /**
     * @param yaml a file holding one {@code Deployment}
     * @return its pod's first container, with the pod's security context under its own
     */
    static ContainerSpec deployment(Path yaml) throws IOException {
        JsonNode pod = document(yaml, "Deployment").at("/spec/template/spec");
        return of(pod.at("/containers/0"), pod.path("volumes"), pod.path("securityContext"), List.of(), List.of());
    }

    /**
     * @param runtimeYaml a file holding a {@code ClusterServingRuntime}
     * @param serviceYaml a file of {@code InferenceService}s using it
     * @return the runtime's container as KServe makes it for those services: their arguments after
     *     the runtime's (they must agree), their ports and the runtime's Prometheus port added (as
     *     {@code metrics}), the storage mounted read-only at
     *     {@value #KSERVE_MODELS}
     */
    static ContainerSpec kserve(Path runtimeYaml, Path serviceYaml) throws IOException {
        JsonNode runtime = document(runtimeYaml, "ClusterServingRuntime").path("spec");
        List<JsonNode> models = documents(serviceYaml, "InferenceService").stream()
                .map(service -> service.at("/spec/predictor/model"))
                .toList();
        List<String> extraArgs = strings(models.get(0).path("args"));
        for (JsonNode model : models) {
            if (!strings(model.path("args")).equals(extraArgs)) {
                throw new IllegalArgumentException(serviceYaml + ": the InferenceServices pass different args");
            }
        }
        List<JsonNode> extraPorts = new ArrayList<>(
                models.stream().flatMap(model -> stream(model.path("ports"))).toList());
        // Prometheus scrapes the pod's address at the port the runtime names: podman publishes it too.
        extraPorts.add(YAML.createObjectNode()
                .put("name", "metrics")
                .put(
                        "containerPort",
                        runtime.at("/annotations/prometheus.kserve.io~1port").asInt()));
        return of(
                        runtime.at("/containers/0"),
                        runtime.path("volumes"),
                        JsonNodeFactory.instance.objectNode(),
                        extraArgs,
                        extraPorts)
                .withMount(new Mount(KSERVE_MODELS, true, false));
    }

    private static ContainerSpec of(
            JsonNode container,
            JsonNode volumes,
            JsonNode podSecurity,
            List<String> extraArgs,
            List<JsonNode> extraPorts) {
        List<String> args = new ArrayList<>(strings(container.path("command")));
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("a command replaces the image's entrypoint: not read here");
        }
        args.addAll(strings(container.path("args")));
        args.addAll(extraArgs);
        Map<String, String> env = new LinkedHashMap<>();
        container
                .path("env")
                .forEach(variable -> env.put(
                        variable.get("name").asText(), variable.get("value").asText()));
        Map<String, Integer> ports = new LinkedHashMap<>();
        List<JsonNode> allPorts =
                new ArrayList<>(stream(container.path("ports")).toList());
        allPorts.addAll(extraPorts);
        for (JsonNode port : allPorts) {
            int number = port.get("containerPort").asInt();
            ports.put(port.path("name").asText(String.valueOf(number)), number);
        }
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(kind).path("httpGet");
            if (!get.isMissingNode()) {
                JsonNode port = get.get("port");
                probes.put(
                        kind,
                        new Probe(get.get("path").asText(), port.isInt() ? port.asInt() : ports.get(port.asText())));
            }
        }
        ObjectNode security = podSecurity.deepCopy();
        container
                .path("securityContext")
                .fields()
                .forEachRemaining(field -> security.set(field.getKey(), field.getValue()));
        if (!security.path("runAsNonRoot").asBoolean()
                || security.path("runAsUser").asInt(0) == 0) {
            throw new IllegalArgumentException("the container must run as a non-root user: " + security);
        }
        String user = security.get("runAsUser").asText() + ":"
                + security.path("runAsGroup").asText(security.get("runAsUser").asText());
        boolean dropAll = stream(security.at("/capabilities/drop"))
                .anyMatch(cap -> cap.asText().equals("ALL"));
        Map<String, JsonNode> volumesByName = new LinkedHashMap<>();
        volumes.forEach(volume -> volumesByName.put(volume.get("name").asText(), volume));
        List<Mount> mounts = stream(container.path("volumeMounts"))
                .map(mount -> new Mount(
                        mount.get("mountPath").asText(),
                        mount.path("readOnly").asBoolean(),
                        volumesByName.get(mount.get("name").asText()).has("emptyDir")))
                .toList();
        return new ContainerSpec(
                container.get("image").asText(),
                args,
                env,
                ports,
                probes,
                user,
                security.path("readOnlyRootFilesystem").asBoolean(),
                dropAll,
                security.has("allowPrivilegeEscalation")
                        && !security.get("allowPrivilegeEscalation").asBoolean(),
                mounts);
    }

    private ContainerSpec withMount(Mount mount) {
        List<Mount> all = new ArrayList<>(mounts);
        all.add(mount);
        return new ContainerSpec(image, args, env, ports, probes, user, readOnlyRoot, dropAll, noNewPrivileges, all);
    }

    /**
     * @param name the container's name
     * @param hostFolder the host folder each mount binds: a new empty one for an {@code emptyDir}
     * @param published the host port on 127.0.0.1 of each container port
     * @return {@code podman run}'s arguments, the image's arguments last
     */
    List<String> runArguments(String name, Function<Mount, Path> hostFolder, Map<Integer, Integer> published) {
        List<String> run = new ArrayList<>(List.of(
                "run",
                "-d",
                "--name",
                name,
                "--user",
                user,
                // The HEALTHCHECK stays in the image, run on demand by `podman healthcheck run`:
                // podman's periodic runs need systemd, which this machine has not.
                "--health-interval=disable"));
        if (readOnlyRoot) {
            // As Kubernetes' readOnlyRootFilesystem: no tmpfs of podman's own over /tmp or /run.
            run.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        if (dropAll) {
            run.add("--cap-drop=ALL");
        }
        if (noNewPrivileges) {
            run.add("--security-opt=no-new-privileges");
        }
        env.forEach((key, value) -> run.addAll(List.of("-e", key + "=" + value)));
        published.forEach((container, host) -> run.addAll(List.of("-p", "127.0.0.1:" + host + ":" + container)));
        for (Mount mount : mounts) {
            run.addAll(List.of("-v", hostFolder.apply(mount) + ":" + mount.path() + (mount.readOnly() ? ":ro" : "")));
        }
        run.add(image);
        run.addAll(args);
        return run;
    }

    private static JsonNode document(Path yaml, String kind) throws IOException {
        List<JsonNode> found = documents(yaml, kind);
        if (found.size() != 1) {
            throw new IllegalArgumentException(yaml + ": " + found.size() + " " + kind + " documents, not one");
        }
        return found.get(0);
    }

    private static List<JsonNode> documents(Path yaml, String kind) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml.toFile())) {
            documents.forEachRemaining(document -> {
                if (kind.equals(document.path("kind").asText())) {
                    found.add(document);
                }
            });
        }
        return found;
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    private static List<String> strings(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }
}

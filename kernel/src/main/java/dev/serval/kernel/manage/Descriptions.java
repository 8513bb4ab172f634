package dev.serval.kernel.manage;

import dev.serval.serving.ModelVersion;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The record of a model version that describe answers with, over HTTP and in the shell. */
public final class Descriptions {

    /**
     * TorchServe's format of a worker's {@code startTime}: milliseconds, always three digits, as
     * clients parse it ({@code strptime(..., "%Y-%m-%dT%H:%M:%S.%fZ")} in Python); in UTC, which
     * the {@code Z} says (TorchServe writes its local time there).
     */
    static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final long PID = ProcessHandle.current().pid();

    private Descriptions() {}

    /**
     * @param v a model version
     * @param loadedAtStartup whether it was loaded when the server started
     * @param failure why it FAILED, or why its last replacement was refused
     * @param memoryPerWorker what each worker reports as its {@code memoryUsage}
     * @return TorchServe's describe record of it, plus Serval's {@code engine}, {@code handler},
     *     {@code batchPolicy}, {@code failure} and {@code served}
     */
    static Map<String, Object> of(
            ModelVersion v, boolean loadedAtStartup, Optional<String> failure, long memoryPerWorker) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("modelName", v.name());
        d.put("modelVersion", v.version());
        d.put("modelUrl", v.archive().source().getFileName().toString());
        d.put("runtime", v.archive().manifest().runtime().orElse("python"));
        d.put("engine", v.engine());
        d.put("handler", v.handlerName());
        d.put("minWorkers", v.settings().minWorkers());
        d.put("maxWorkers", v.settings().maxWorkers());
        d.put("batchSize", v.settings().batchSize());
        d.put("maxBatchDelay", v.settings().maxBatchDelayMs());
        // Not in TorchServe's answer, whose batching is always fixed.
        d.put("batchPolicy", v.settings().batchPolicy().key());
        d.put("responseTimeout", v.settings().responseTimeoutMs() / 1000);
        d.put("startupTimeout", v.settings().startupTimeoutMs() / 1000);
        d.put("status", v.status().name());
        // Not in TorchServe's answer, which says FAILED without why.
        failure.ifPresent(reason -> d.put("failure", reason));
        d.put("loadedAtStartup", loadedAtStartup);
        d.put("loadedAt", v.loadedAt().toString());
        d.put(
                "workers",
                v.workers().stream()
                        .map(w -> {
                            Map<String, Object> worker = new LinkedHashMap<>();
                            worker.put("id", w.id());
                            worker.put("startTime", START_TIME.format(w.startTime()));
                            worker.put("status", w.status().name());
                            // Workers are threads of the server's process, so they all have its pid.
                            worker.put("pid", PID);
                            worker.put("memoryUsage", memoryPerWorker);
                            worker.put("gpu", false);
                            return worker;
                        })
                        .toList());
        d.put("jobQueueStatus", Map.of("remainingCapacity", v.remainingCapacity(), "pendingRequests", v.pendingJobs()));
        // Not in TorchServe's answer: shows whether requests are being batched.
        d.put("served", Map.of("batches", v.servedBatches(), "requests", v.servedRequests()));
        return d;
    }
}

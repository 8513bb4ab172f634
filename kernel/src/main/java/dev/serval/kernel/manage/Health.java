package dev.serval.kernel.manage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's readiness as TorchServe's {@code /ping} reports it: {@code Healthy} when every
 * model loaded at start-up has its minimum workers READY, {@code Partial Healthy} when each has
 * some but one lacks some, {@code Unhealthy} while the start-up models load or when one has none
 * it needs or failed.
 *
 * @param status {@code Healthy}, {@code Partial Healthy} or {@code Unhealthy}
 * @param models the start-up models that are not ready, each as a small describe record
 */
public record Health(String status, List<Map<String, Object>> models) {

    private static final String HEALTHY = "Healthy";
    private static final String PARTIAL = "Partial Healthy";
    private static final String UNHEALTHY = "Unhealthy";

    /**
     * A start-up model version without its minimum workers READY, or failed.
     *
     * @param modelName its name
     * @param modelVersion its version
     * @param status what it is doing, as describe says
     * @param minWorkers the workers it needs
     * @param readyWorkers the workers serving it now
     */
    record Lacking(String modelName, String modelVersion, String status, int minWorkers, int readyWorkers) {}

    /**
     * @param loading the start-up models being loaded, by url: none once loading is over
     * @param startingUp whether the start-up models are still loading
     * @param lacking the start-up versions without their minimum workers
     * @return the health they make
     */
    static Health of(List<String> loading, boolean startingUp, List<Lacking> lacking) {
        List<Map<String, Object>> models = new ArrayList<>();
        loading.forEach(url -> models.add(Map.of("modelUrl", url, "status", "LOADING")));
        boolean noneServing = startingUp;
        for (Lacking version : lacking) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("modelName", version.modelName());
            model.put("modelVersion", version.modelVersion());
            model.put("status", version.status());
            model.put("minWorkers", version.minWorkers());
            model.put("readyWorkers", version.readyWorkers());
            models.add(model);
            noneServing |= version.readyWorkers() == 0 || version.status().equals("FAILED");
        }
        String status = noneServing ? UNHEALTHY : models.isEmpty() ? HEALTHY : PARTIAL;
        return new Health(status, List.copyOf(models));
    }

    /**
     * @return the health of a server that is stopping: {@code Unhealthy} whatever its models, so
     *     that the orchestrator sends no more requests while those it sent are answered
     */
    static Health stopping() {
        return new Health(UNHEALTHY, List.of());
    }

    /**
     * @return TorchServe's {@code /ping} answer: the status, and the models that are not ready
     *     when there are some
     */
    public Map<String, Object> answer() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        if (!models.isEmpty()) {
            body.put("models", models);
        }
        return body;
    }

    /** @return whether it is {@code Healthy}: {@code /ping} answers 200, else 500 */
    public boolean healthy() {
        return status.equals(HEALTHY);
    }
}

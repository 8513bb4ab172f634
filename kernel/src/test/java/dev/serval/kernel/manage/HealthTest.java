package dev.serval.kernel.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {

    private static final Health.Lacking WAITING = new Health.Lacking("preview", "1.0", "WAITING_FOR_HANDLER", 1, 0);
    private static final Health.Lacking SHORT = new Health.Lacking("digits", "1.0", "READY", 4, 2);

    @Test
    void healthyWhenNoStartupModelLacksWorkersOnceLoadingIsOver() {
        Health health = Health.of(List.of(), false, List.of());

        assertTrue(health.healthy());
        assertEquals("Healthy", health.status());
        assertEquals(List.of(), health.models());
    }

    @Test
    void unhealthyWhileTheStartupModelsLoadNamingTheOneLoading() {
        assertEquals("Unhealthy", Health.of(List.of(), true, List.of()).status());
        Health loading = Health.of(List.of("big.mar"), true, List.of());

        assertFalse(loading.healthy());
        assertEquals(List.of(Map.of("modelUrl", "big.mar", "status", "LOADING")), loading.models());
    }

    @Test
    void unhealthyWhenAModelHasNoneOfTheWorkersItNeedsOrFailed() {
        Health health = Health.of(List.of(), false, List.of(SHORT, WAITING));

        assertEquals("Unhealthy", health.status());
        assertEquals(
                List.of("digits", "preview"),
                health.models().stream().map(m -> m.get("modelName")).toList());
        assertEquals(
                Map.of(
                        "modelName",
                        "preview",
                        "modelVersion",
                        "1.0",
                        "status",
                        "WAITING_FOR_HANDLER",
                        "minWorkers",
                        1,
                        "readyWorkers",
                        0),
                health.models().get(1));
        assertEquals(
                "Unhealthy",
                Health.of(List.of(), false, List.of(new Health.Lacking("broken", "1.0", "FAILED", 0, 0)))
                        .status());
    }

    @Test
    void partiallyHealthyWhenEachHasSomeWorkersButOneLacksSome() {
        Health health = Health.of(List.of(), false, List.of(SHORT));

        assertEquals("Partial Healthy", health.status());
        assertFalse(health.healthy());
    }

    @Test
    void unhealthyOnceStoppingWhateverItsModels() {
        Health stopping = Health.stopping();

        assertFalse(stopping.healthy());
        assertEquals(Map.of("status", "Unhealthy"), stopping.answer());
    }
}

package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServingSettingsTest {

    @Test
    void torchServeKeysOverrideTheDefaults() {
        ServingSettings settings = ServingSettings.DEFAULTS.overriddenBy(Map.of(
                "minWorkers",
                2,
                "maxWorkers",
                4,
                "batchSize",
                8,
                "maxBatchDelay",
                50,
                "responseTimeout",
                10,
                "startupTimeout",
                0,
                "batchPolicy",
                "fixed"));

        assertEquals(
                new ServingSettings(
                        2, 4, 8, 50, BatchPolicy.FIXED, 10_000, 100, ServingSettings.DEFAULTS.maxImagePixels(), 0),
                settings);
        assertEquals(120_000, ServingSettings.DEFAULTS.startupTimeoutMs(), "TorchServe's default startupTimeout");
    }

    @Test
    void batchingIsAdaptiveUnlessFixedIsAskedForInAnyCase() {
        assertEquals(BatchPolicy.ADAPTIVE, ServingSettings.DEFAULTS.batchPolicy());
        assertEquals(
                BatchPolicy.ADAPTIVE,
                ServingSettings.DEFAULTS.overriddenBy(Map.of("batchSize", 8)).batchPolicy());
        ServingSettings fixed = ServingSettings.DEFAULTS.overriddenBy(Map.of("batchPolicy", "Fixed"));
        assertEquals(BatchPolicy.FIXED, fixed.batchPolicy());
        assertEquals(
                BatchPolicy.ADAPTIVE,
                fixed.overriddenBy(Map.of("batchPolicy", "adaptive")).batchPolicy());
        assertEquals(
                BatchPolicy.FIXED, fixed.overriddenBy(Map.of("batchSize", 4)).batchPolicy(), "kept when not given");
        assertEquals("fixed", BatchPolicy.FIXED.key());
    }

    @Test
    void aBatchPolicyThatIsNoneNamesTheKeyAndTheChoices() {
        for (Object bad : new Object[] {"sometimes", "", 1, true, Map.of()}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ServingSettings.DEFAULTS.overriddenBy(Map.of("batchPolicy", bad)));
            assertTrue(
                    e.getMessage().contains("batchPolicy") && e.getMessage().contains("[adaptive, fixed]"),
                    e.getMessage());
        }
    }

    @Test
    void maxWorkersFollowsMinWorkersUpUnlessGiven() {
        assertEquals(
                3,
                ServingSettings.DEFAULTS.overriddenBy(Map.of("minWorkers", 3)).maxWorkers());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServingSettings.DEFAULTS.overriddenBy(Map.of("minWorkers", 3, "maxWorkers", 2)));
        assertTrue(e.getMessage().contains("maxWorkers"), e.getMessage());
    }

    @Test
    void missingKeysKeepTheDefaults() {
        assertEquals(ServingSettings.DEFAULTS, ServingSettings.DEFAULTS.overriddenBy(Map.of("handler", Map.of())));
    }

    @Test
    void outOfRangeValueNamesItsKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ServingSettings.DEFAULTS.overriddenBy(Map.of("batchSize", 0)));

        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
    }

    @Test
    void nonNumberNamesItsKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServingSettings.DEFAULTS.overriddenBy(Map.of("maxBatchDelay", "soon")));

        assertTrue(e.getMessage().contains("maxBatchDelay"), e.getMessage());
    }

    @Test
    void valuesPastTheirCeilingNameTheirKey() {
        for (Map.Entry<String, Long> ceiling : Map.of(
                        "minWorkers",
                        (long) ServingSettings.MAX_WORKERS,
                        "maxWorkers",
                        (long) ServingSettings.MAX_WORKERS,
                        "batchSize",
                        (long) ServingSettings.MAX_BATCH_SIZE,
                        "maxBatchDelay",
                        ServingSettings.MAX_BATCH_DELAY_MS,
                        "responseTimeout",
                        ServingSettings.MAX_RESPONSE_TIMEOUT_S)
                .entrySet()) {
            String key = ceiling.getKey();
            ServingSettings.DEFAULTS.overriddenBy(Map.of(key, ceiling.getValue()));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ServingSettings.DEFAULTS.overriddenBy(Map.of(key, ceiling.getValue() + 1)));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> ServingSettings.DEFAULTS.overriddenBy(Map.of("batchSize", Integer.MAX_VALUE)));
    }

    @Test
    void workersPastTheCeilingAreRefusedHowever() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ServingSettings.DEFAULTS.withWorkers(1, ServingSettings.MAX_WORKERS + 1));
    }
}

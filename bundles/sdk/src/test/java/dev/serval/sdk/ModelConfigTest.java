package dev.serval.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ModelConfigTest {

    private static ModelConfig handler(Map<String, Object> section) {
        return ModelConfig.of(Map.of("handler", section));
    }

    private static void assertRejectsNamingKey(String key, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("handler." + key), e.getMessage());
    }

    @Test
    void getIntReadsNumberAndNumericText() {
        ModelConfig config = handler(Map.of("topk", 3, "size", "7"));

        assertEquals(3, config.getInt("topk", 5));
        assertEquals(7, config.getInt("size", 5));
    }

    @Test
    void getIntAcceptsWholeDouble() {
        assertEquals(4, handler(Map.of("n", 4.0)).getInt("n", 0));
    }

    @Test
    void getIntRejectsText() {
        assertRejectsNamingKey("topk", () -> handler(Map.of("topk", "abc")).getInt("topk", 5));
    }

    @Test
    void getIntRejectsFraction() {
        assertRejectsNamingKey("topk", () -> handler(Map.of("topk", 2.5)).getInt("topk", 5));
    }

    @Test
    void getDoubleReadsNumberAndText() {
        ModelConfig config = handler(Map.of("threshold", 0.25, "scale", "1.5"));

        assertEquals(0.25, config.getDouble("threshold", 0));
        assertEquals(1.5, config.getDouble("scale", 0));
    }

    @Test
    void getDoubleRejectsText() {
        assertRejectsNamingKey(
                "threshold", () -> handler(Map.of("threshold", "high")).getDouble("threshold", 0));
    }

    @Test
    void getBooleanReadsYamlBooleanAndTextInAnyCase() {
        ModelConfig config = handler(Map.of("a", true, "b", "FALSE", "c", " True "));

        assertTrue(config.getBoolean("a", false));
        assertFalse(config.getBoolean("b", true));
        assertTrue(config.getBoolean("c", false));
    }

    @Test
    void getBooleanRejectsOtherText() {
        assertRejectsNamingKey("flag", () -> handler(Map.of("flag", "maybe")).getBoolean("flag", false));
    }

    @Test
    void getDoublesReadsListAndSingleNumber() {
        ModelConfig config = handler(Map.of("mean", List.of(0.5, 1, "2.5"), "scale", 3));

        assertEquals(Optional.of(List.of(0.5, 1.0, 2.5)), config.getDoubles("mean"));
        assertEquals(Optional.of(List.of(3.0)), config.getDoubles("scale"));
    }

    @Test
    void getDoublesRejectsNonNumericItem() {
        assertRejectsNamingKey(
                "mean", () -> handler(Map.of("mean", List.of(1, "x"))).getDoubles("mean"));
    }

    @Test
    void getIntsReadsListAndSingleNumber() {
        ModelConfig config = handler(Map.of("resize", List.of(28, "32"), "crop", 224));

        assertEquals(Optional.of(List.of(28, 32)), config.getInts("resize"));
        assertEquals(Optional.of(List.of(224)), config.getInts("crop"));
    }

    @Test
    void getIntsRejectsFractionItem() {
        assertRejectsNamingKey(
                "resize", () -> handler(Map.of("resize", List.of(28, 2.5))).getInts("resize"));
    }

    @Test
    void getStringGivesTextOfAnyScalar() {
        ModelConfig config = handler(Map.of("name", "resnet", "n", 3));

        assertEquals(Optional.of("resnet"), config.getString("name"));
        assertEquals(Optional.of("3"), config.getString("n"));
        assertEquals(Optional.empty(), config.getString("absent"));
    }

    @Test
    void hasIsTrueOnlyForNonNullValues() {
        Map<String, Object> section = new HashMap<>();
        section.put("set", 1);
        section.put("nulled", null);
        ModelConfig config = handler(section);

        assertTrue(config.has("set"));
        assertFalse(config.has("nulled"));
        assertFalse(config.has("absent"));
    }

    @Test
    void nullValueFallsBackToDefault() {
        Map<String, Object> section = new HashMap<>();
        section.put("topk", null);

        assertEquals(5, handler(section).getInt("topk", 5));
    }

    @Test
    void emptyConfigGivesDefaults() {
        ModelConfig config = ModelConfig.empty();

        assertEquals(Map.of(), config.handler());
        assertEquals(5, config.getInt("topk", 5));
        assertEquals(0.5, config.getDouble("t", 0.5));
        assertTrue(config.getBoolean("b", true));
        assertEquals(Optional.empty(), config.getDoubles("d"));
        assertEquals(Optional.empty(), config.getInts("i"));
        assertEquals(Optional.empty(), config.getString("s"));
        assertFalse(config.has("topk"));
    }

    @Test
    void ofNullOrEmptyMapIsTheEmptyConfig() {
        assertEquals(Map.of(), ModelConfig.of(null).asMap());
        assertEquals(Map.of(), ModelConfig.of(Map.of()).asMap());
    }

    @Test
    void handlerSectionThatIsNotAMapIsTreatedAsAbsent() {
        ModelConfig config = ModelConfig.of(Map.of("handler", "oops", "batchSize", 4));

        assertEquals(Map.of(), config.handler());
        assertEquals(5, config.getInt("batchSize", 5));
    }

    @Test
    void topLevelKeysStayInTheDocument() {
        ModelConfig config = ModelConfig.of(Map.of("batchSize", 4, "handler", Map.of("topk", 1)));

        assertEquals(4, config.asMap().get("batchSize"));
        assertFalse(config.has("batchSize"));
    }
}

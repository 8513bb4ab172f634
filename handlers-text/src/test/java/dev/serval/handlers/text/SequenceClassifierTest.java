package dev.serval.handlers.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.serval.sdk.ModelConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How long a text may be: the model's positions bound it, model-config.yaml may shorten it. */
class SequenceClassifierTest {

    @Test
    void maxLengthDefaultsToThePositionEmbeddings() throws Exception {
        assertEquals(128, SequenceClassifier.maxLength(ModelConfig.empty(), HfModelConfig.read(ReferenceFiles.DIR)));
    }

    @Test
    void maxLengthKeyShortensButNeverPassesThePositions() throws Exception {
        HfModelConfig reference = HfModelConfig.read(ReferenceFiles.DIR);
        assertEquals(16, SequenceClassifier.maxLength(handler(Map.of("max_length", 16)), reference));
        assertEquals(128, SequenceClassifier.maxLength(handler(Map.of("max_length", 4096)), reference));
        assertThrows(IllegalArgumentException.class,
                () -> SequenceClassifier.maxLength(handler(Map.of("max_length", 0)), reference));
    }

    @Test
    void withoutConfigJsonBertsLengthApplies(@TempDir Path empty) throws Exception {
        assertEquals(SequenceClassifier.DEFAULT_MAX_LENGTH,
                SequenceClassifier.maxLength(ModelConfig.empty(), HfModelConfig.read(empty)));
    }

    private static ModelConfig handler(Map<String, Object> section) {
        return ModelConfig.of(Map.of("handler", section));
    }
}

package dev.serval.handlers.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a text may be: the model's positions bound it, model-config.yaml may shorten it, and
 * its characters are cut before it is tokenized.
 */
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
        assertThrows(
                IllegalArgumentException.class,
                () -> SequenceClassifier.maxLength(handler(Map.of("max_length", 0)), reference));
    }

    @Test
    void withoutConfigJsonBertsLengthApplies(@TempDir Path empty) throws Exception {
        assertEquals(
                SequenceClassifier.DEFAULT_MAX_LENGTH,
                SequenceClassifier.maxLength(ModelConfig.empty(), HfModelConfig.read(empty)));
    }

    @Test
    void maxCharactersDefaultsToAFewDozenPerToken() {
        assertEquals(
                128 * SequenceClassifier.CHARACTERS_PER_TOKEN,
                SequenceClassifier.maxCharacters(ModelConfig.empty(), 128));
        assertEquals(1000, SequenceClassifier.maxCharacters(handler(Map.of("max_characters", 1000)), 128));
        assertThrows(
                IllegalArgumentException.class,
                () -> SequenceClassifier.maxCharacters(handler(Map.of("max_characters", 0)), 128));
    }

    @Test
    void textsAreCutToMaxCharactersBeforeTokenizingNeverInsideACharacter() throws Exception {
        assertEquals("good f", TextInput.of(text("good food"), 6));
        assertEquals("good food", TextInput.of(text("good food"), 9));
        assertEquals("ok ", TextInput.of(text("ok \uD83D\uDE00"), 4), "not half an emoji");
        assertEquals(
                "ok",
                TextInput.of(
                        Request.builder("{\"text\": \"okay\"}".getBytes(StandardCharsets.UTF_8))
                                .contentType("application/json")
                                .build(),
                        2));
    }

    private static Request text(String text) {
        return Request.builder(text.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static ModelConfig handler(Map<String, Object> section) {
        return ModelConfig.of(Map.of("handler", section));
    }
}

package dev.serval.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {

    @TempDir
    Path dir;

    @Test
    void namesComeFromIndexToNameAsTorchServeAndTorchvisionWriteIt() throws IOException {
        Files.writeString(dir.resolve(Labels.INDEX_TO_NAME), "{\"0\": \"cat\", \"1\": [\"n01440764\", \"tench\"]}");
        Labels labels = Labels.read(dir);
        assertEquals(List.of("cat", "tench", "2"), List.of(labels.name(0), labels.name(1), labels.name(2)));
    }

    @Test
    void sparseKeysAndMissingClassesAreNamedAsTheirDecimalKeysSay() {
        Labels labels = Labels.of(Map.of("0", "zero", "5", "five", "07", "padded"));

        assertEquals(
                List.of("zero", "1", "five", "7", "-1"),
                List.of(labels.name(0), labels.name(1), labels.name(5), labels.name(7), labels.name(-1)));
    }

    @Test
    void aModelWithoutTheFileAnswersIndices() throws IOException {
        assertEquals("7", Labels.read(dir).name(7));
    }

    @Test
    void aValueThatIsNoNameIsRefusedWithItsClass() throws IOException {
        Files.writeString(dir.resolve(Labels.INDEX_TO_NAME), "{\"0\": \"cat\", \"1\": 3}");
        IOException refused = assertThrows(IOException.class, () -> Labels.read(dir));
        assertEquals(
                "index_to_name.json: class 1 must be a name or a list ending with one, not 3", refused.getMessage());
    }

    @Test
    void topIsTheSoftmaxOfItsRowHighestFirst() {
        Labels labels = Labels.of(Map.of("0", "a", "1", "b", "2", "c"));
        // Two rows of three logits; the second row is the one asked for.
        float[] logits = {9, 9, 9, 1, 3, 2};
        double sum = Math.exp(1) + Math.exp(3) + Math.exp(2);
        Map<String, Float> top = labels.top(logits, 3, 3, 2);
        assertEquals(List.of("b", "c"), List.copyOf(top.keySet()));
        assertEquals((float) (Math.exp(3) / sum), top.get("b"));
        assertEquals((float) (Math.exp(2) / sum), top.get("c"));
    }

    @Test
    void equalProbabilitiesKeepTheClassOrderAndKBeyondTheClassesAnswersAll() {
        Labels labels = Labels.of(Map.of());
        assertEquals(
                List.of("1", "3", "0", "2"),
                List.copyOf(labels.top(new float[] {0, 5, 0, 5}, 0, 4, 9).keySet()));
        assertEquals(
                List.of("1", "3"),
                List.copyOf(labels.top(new float[] {0, 5, 0, 5}, 0, 4, 2).keySet()));
    }

    @Test
    void topPicksTheBestOfManyClassesWhateverTheirOrder() {
        float[] logits = new float[1000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (i * 7919) % 1000; // a permutation of 0..999
        }
        Map<String, Float> top = Labels.of(Map.of()).top(logits, 0, 1000, 3);
        List<String> expected = List.of(index(999), index(998), index(997));
        assertEquals(expected, List.copyOf(top.keySet()));
    }

    /** @return the class whose logit is {@code value} in the permutation above */
    private static String index(int value) {
        for (int i = 0; i < 1000; i++) {
            if ((i * 7919) % 1000 == value) {
                return Integer.toString(i);
            }
        }
        throw new AssertionError(value);
    }
}

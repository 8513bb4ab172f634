package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code inputs:}/{@code outputs:} declaration of a model-config.yaml, read as YAML gives it. */
class DeclaredTensorsTest {

    @Test
    void readsNamesTypesAndShapes() throws Exception {
        Map<String, Object> config = yaml("""
                inputs:
                  - name: input0
                    datatype: FP32
                    shape: [-1, 1, 28, 28]
                  - {name: mask, datatype: BOOL, shape: []}
                """);

        List<Signature.Tensor> inputs =
                DeclaredTensors.read(config, DeclaredTensors.INPUTS).orElseThrow();

        assertEquals("input0", inputs.get(0).name());
        assertEquals(Optional.of(Datatype.FP32), inputs.get(0).datatype());
        assertArrayEquals(new long[] {-1, 1, 28, 28}, inputs.get(0).shape().orElseThrow());
        assertArrayEquals(new long[0], inputs.get(1).shape().orElseThrow());
        assertEquals(Optional.empty(), DeclaredTensors.read(config, DeclaredTensors.OUTPUTS));
    }

    @Test
    void malformedDeclarationsSayWhere() throws Exception {
        assertMalformed("inputs: x", "inputs must be a list");
        assertMalformed("inputs: [{datatype: FP32, shape: [1]}]", "inputs[0].name");
        assertMalformed(
                "inputs: [{name: a, datatype: FP32, shape: [1]}, {name: a, datatype: FP32, shape: [1]}]",
                "inputs[1].name");
        assertMalformed("inputs: [{name: a, datatype: FP8, shape: [1]}]", "inputs[0].datatype must be one of");
        assertMalformed("inputs: [{name: a, datatype: FP32, shape: [-2]}]", "inputs[0].shape");
        assertMalformed("inputs: [{name: a, datatype: FP32, shape: [1.5]}]", "inputs[0].shape");
        assertMalformed("inputs: [{name: a, datatype: FP32}]", "inputs[0].shape");
    }

    private static void assertMalformed(String yaml, String message) throws Exception {
        Map<String, Object> config = yaml(yaml);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> DeclaredTensors.read(config, DeclaredTensors.INPUTS));
        assertTrue(
                e.getMessage().startsWith("model-config.yaml: ")
                        && e.getMessage().contains(message),
                e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) throws Exception {
        return new YAMLMapper().readValue(text, Map.class);
    }
}

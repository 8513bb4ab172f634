package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiniteNumbersTest {

    /** Refuses NaN and Infinity, quoted or bare, as any strict JSON parser does. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private static String write(Object value) throws Exception {
        return STRICT.readTree(ApiServer.JSON.writeValueAsBytes(value)).toString();
    }

    @Test
    void nonFiniteNumbersAreNullInEveryForm() throws Exception {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("boxed float", Float.NaN);
        answer.put("boxed double", Double.POSITIVE_INFINITY);
        answer.put("floats", new float[] {1.5f, Float.NEGATIVE_INFINITY});
        answer.put("doubles", new double[] {Double.NaN, 2.5});
        answer.put("nested", new float[][][] {{{Float.NaN, 0.25f}}});
        answer.put("list", Arrays.asList(Float.NaN, 3, Double.NaN));

        assertEquals(
                "{\"boxed float\":null,\"boxed double\":null,\"floats\":[1.5,null],\"doubles\":[null,2.5],"
                        + "\"nested\":[[[null,0.25]]],\"list\":[null,3,null]}",
                write(answer));
    }

    @Test
    void finiteNumbersAreWrittenAsBefore() throws Exception {
        assertEquals("[0.9977666,1.0E-5,-3.0]", write(List.of(0.9977666f, 1.0E-5, -3.0)));
    }
}

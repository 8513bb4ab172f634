package dev.serval.kernel.kserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.serving.Datatype;
import dev.serval.serving.ServingException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The REST binding's JSON and binary tensors in, JSON and binary outputs out. */
class RestRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void binaryTensorsFollowTheJsonInOrder() {
        String json = """
                {"id": "7", "inputs": [
                  {"name": "a", "datatype": "UINT32", "shape": [2], "parameters": {"binary_data_size": 8}},
                  {"name": "b", "datatype": "FP16", "shape": [1], "data": [1.5]},
                  {"name": "c", "datatype": "BYTES", "shape": [1], "parameters": {"binary_data_size": 6}}],
                 "outputs": [{"name": "x", "parameters": {"binary_data": true}}, {"name": "y"}],
                 "parameters": {"binary_data_output": false}}""";
        RestRequest request = parse(json, "01000000ffffffff" + "02000000" + "6869");

        List<TensorData> inputs = request.request().inputs();
        assertEquals(List.of(1L, 4294967295L), inputs.get(0).values());
        assertEquals(List.of(1.5f), inputs.get(1).values());
        assertEquals("hi", new String((byte[]) inputs.get(2).values().get(0), StandardCharsets.US_ASCII));
        assertEquals(Optional.of("7"), request.request().id());
        assertTrue(request.wantsBinary("x"));
        assertFalse(request.wantsBinary("y"));
    }

    @Test
    void hostileLengthsAreRefusedBeforeAnythingIsAllocated() {
        String one = """
                {"inputs": [{"name": "a", "datatype": "FP32", "shape": [%s], "parameters": {"binary_data_size": %s}}]}""";
        assertRefused(one.formatted("1", "4"), "0000803f", "9999", "the body has");
        assertRefused(one.formatted("1", "4"), "0000803f", "-1", "is -1");
        assertRefused(one.formatted("1", "4"), "0000803f", "ten", "is not a number");
        assertRefused(one.formatted("2", "4"), "0000803f", null, "needs 8");
        assertRefused(one.formatted("1", "8"), "0000803f", null, "claims 8 bytes");
        assertRefused(one.formatted("1", "-4"), "0000803f", null, "bad binary_data_size");
        assertRefused(one.formatted("1", "\"4\""), "0000803f", null, "bad binary_data_size");
        assertRefused(one.formatted("1", "4"), "0000803f00", null, "1 bytes after the JSON");
        assertRefused(one.formatted("10000,10000", "4"), "0000803f", null, "needs 400000000");
        assertRefused(one.formatted("100000,100000", "4"), "0000803f", null, "too many elements");
        assertRefused(one.formatted("1", "4000000000000"), "0000803f", null, "claims 4000000000000 bytes");
        String two = """
                {"inputs": [{"name": "a", "datatype": "FP32", "shape": [1], "parameters": {"binary_data_size": 4}},
                            {"name": "b", "datatype": "FP32", "shape": [1], "parameters": {"binary_data_size": 4}}]}""";
        assertRefused(two, "0000803f", null, "claims 4 bytes; the body has 0 left");
        assertRefused("""
                {"inputs": [{"name": "a", "datatype": "FP32", "shape": [1], "data": [1],
                 "parameters": {"binary_data_size": 4}}]}""", "0000803f", null, "both data and binary_data_size");
        assertRefused("""
                {"inputs": [{"name": "a", "datatype": "FP32", "shape": [1], "data": [1]}],
                 "parameters": {"binary_data_output": "yes"}}""", "", null, "must be true or false");
    }

    private static void assertRefused(String json, String hex, String header, String message) {
        byte[] body = body(json, hex);
        ServingException e = assertThrows(
                ServingException.class,
                () -> RestRequest.parse(
                        body,
                        Optional.of(
                                header == null
                                        ? String.valueOf(json.getBytes(StandardCharsets.UTF_8).length)
                                        : header)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void outputsComeBackAsBytesWhenAsked() throws Exception {
        RestRequest request = parse("""
                {"inputs": [{"name": "a", "datatype": "FP32", "shape": [1], "data": [1]}],
                 "outputs": [{"name": "y", "parameters": {"binary_data": false}}],
                 "parameters": {"binary_data_output": true}}""", "");
        TensorData x = TensorData.ofValues("x", Datatype.INT16, new long[] {2}, List.of(1, -1));
        TensorData y = TensorData.ofValues("y", Datatype.FP32, new long[] {1}, List.of(0.5f));

        RestAnswer answer = RestAnswer.of(new InferResponse("m", "1", Optional.empty(), List.of(x, y)), request, JSON);

        byte[] body = answer.response().bytes().orElseThrow();
        int length = answer.headerLength().orElseThrow();
        JsonNode header = JSON.readTree(new String(body, 0, length, StandardCharsets.UTF_8));
        assertEquals(
                4,
                header.get("outputs")
                        .get(0)
                        .get("parameters")
                        .get("binary_data_size")
                        .asInt());
        assertFalse(header.get("outputs").get(0).has("data"));
        assertEquals("[0.5]", header.get("outputs").get(1).get("data").toString());
        assertEquals("0100ffff", HexFormat.of().formatHex(body, length, body.length));
        assertEquals("application/octet-stream", answer.response().contentType());
    }

    private static RestRequest parse(String json, String hex) {
        return RestRequest.parse(
                body(json, hex), Optional.of(String.valueOf(json.getBytes(StandardCharsets.UTF_8).length)));
    }

    private static byte[] body(String json, String hex) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(HexFormat.of().parseHex(hex));
        return body.toByteArray();
    }
}

package dev.serval.kernel.kserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.ServingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V1PredictTest {

    private static V1Predict parse(String body) {
        return V1Predict.parse(body.getBytes(StandardCharsets.UTF_8), Map.of("topk", List.of("2")), 3);
    }

    /** Each instance is the JSON body a TorchServe client sends to /predictions. */
    @Test
    void eachInstanceIsOneJsonRequestForTheHandler() {
        List<Request> requests = parse("{\"instances\": [{\"data\": \"iVBORw0=\"}, \"a text\", [1, 2]]}")
                .instances();

        assertEquals(
                List.of("{\"data\":\"iVBORw0=\"}", "{\"data\":\"a text\"}", "[1,2]"),
                requests.stream().map(Request::bodyAsString).toList());
        for (Request request : requests) {
            assertEquals("application/json", request.contentType().orElseThrow());
            assertEquals(List.of("2"), request.queryParameters().get("topk"));
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json|The body is not JSON: ",
                "[{\"data\": 1}]|The body must be a JSON object with \"instances\"",
                "{\"inputs\": []}|The request has no \"instances\"",
                "{\"instances\": {\"data\": 1}}|\"instances\" must be a list, not object",
                "{\"instances\": []}|\"instances\" is empty",
                "{\"instances\": [{}, null]}|Instance 1 is null",
                "{\"instances\": [1, 2, 3, 4]}|4 instances are more than the model's job queue takes at once (3, job_queue_size)"
            })
    void refusesWhatIsNotAV1RequestWith400(String body, String message) {
        ServingException e = assertThrows(ServingException.class, () -> parse(body));

        assertEquals(400, e.status());
        assertEquals("BadRequestException", e.type());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aPredictionIsTheHandlersJsonTextOrBase64Bytes() {
        assertEquals(
                "{\"5\":0.9}",
                V1Predict.prediction(Response.json(Map.of("5", 0.9))).toString());
        assertEquals(
                "{\"a\":1}",
                V1Predict.prediction(Response.bytes(
                                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8"))
                        .toString());
        assertEquals(
                "\"positive\"",
                V1Predict.prediction(Response.bytes("positive".getBytes(StandardCharsets.UTF_8), "text/plain"))
                        .toString());
        assertEquals(
                "\"AQID\"",
                V1Predict.prediction(Response.bytes(new byte[] {1, 2, 3}, "image/png"))
                        .toString());
    }
}

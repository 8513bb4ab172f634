package dev.serval.kernel.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * KServe's v1 protocol's predict, {@code {"instances": [...]}} answered
 * {@code {"predictions": [...]}}: each instance is one request to the model's handler, as
 * TorchServe's KServe envelope hands each instance to its handler as one row, and the answers
 * come in the instances' order. The instances are queued together, so that they batch as the
 * model's {@code batchSize} allows, as {@code /predictions} requests do.
 *
 * <p>An instance reaches the handler as the JSON body a TorchServe client sends to
 * {@code /predictions}: an object as it is ({@code {"data": "<base64 image>"}},
 * {@code {"data": "a text"}}, or whatever keys the handler reads); a string as
 * {@code {"data": "..."}}, which the image handlers decode as base64 (as TorchServe's vision
 * handler decodes a string) and the text handlers take as the text; another value (a number, a
 * list) as that JSON, for handlers that take it.
 *
 * @param instances the requests for the handler, one per instance
 */
public record V1Predict(List<Request> instances) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    /**
     * @param body the request body
     * @param query the request's query parameters, given to each instance's request (TorchServe's
     *     {@code ?topk=})
     * @param maxInstances the most instances taken: the model's {@code job_queue_size}, since all
     *     are queued at once
     * @return the request
     * @throws ServingException 400 saying what is malformed
     */
    public static V1Predict parse(byte[] body, Map<String, List<String>> query, int maxInstances) {
        JsonNode json = RestRequest.json(body, body.length);
        if (json == null || !json.isObject()) {
            throw InferRequest.invalid("The body must be a JSON object with \"instances\", KServe's v1 request");
        }
        JsonNode instances = json.get("instances");
        if (instances == null) {
            throw InferRequest.invalid("The request has no \"instances\"");
        }
        if (!instances.isArray()) {
            throw InferRequest.invalid("\"instances\" must be a list, not " + kind(instances));
        }
        if (instances.isEmpty()) {
            throw InferRequest.invalid("\"instances\" is empty");
        }
        if (instances.size() > maxInstances) {
            throw InferRequest.invalid(
                    instances.size() + " instances are more than the model's job queue takes at once (" + maxInstances
                            + ", job_queue_size): send them in several requests");
        }
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            Request.Builder request = Request.builder(body(instances.get(i), i)).contentType(JSON_TYPE);
            query.forEach(request::queryParameter);
            requests.add(request.build());
        }
        return new V1Predict(requests);
    }

    private static byte[] body(JsonNode instance, int index) {
        if (instance.isNull()) {
            throw InferRequest.invalid("Instance " + index + " is null: an instance is an object, a string or a value"
                    + " for the model's handler");
        }
        JsonNode input =
                instance.isTextual() ? JsonNodeFactory.instance.objectNode().set("data", instance) : instance;
        try {
            return JSON.writeValueAsBytes(input);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always written", e);
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Queues every instance on the version.
     *
     * @param version the version whose handler answers
     * @return {@code {"predictions": [...]}}, in the instances' order; or the first failure, its
     *     message saying which instance failed
     */
    public CompletableFuture<Response> run(ModelVersion version) {
        List<CompletableFuture<Response>> answers =
                instances.stream().map(version::submit).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> {
                    List<JsonNode> predictions = new ArrayList<>();
                    for (int i = 0; i < answers.size(); i++) {
                        try {
                            predictions.add(prediction(answers.get(i).join()));
                        } catch (CompletionException e) {
                            throw new CompletionException(failed(i, e.getCause()));
                        }
                    }
                    ObjectNode answer = JsonNodeFactory.instance.objectNode();
                    answer.putArray("predictions").addAll(predictions);
                    return Response.json(answer);
                });
    }

    /** @return the instance's failure, saying which instance it was */
    private ServingException failed(int index, Throwable cause) {
        if (cause instanceof ServingException e) {
            String which = instances.size() > 1 ? "Instance " + index + ": " : "";
            return new ServingException(e.status(), e.type(), which + e.getMessage());
        }
        return new ServingException(500, "InternalServerException", "Prediction failed");
    }

    /**
     * @param response a handler's answer
     * @return it as one prediction: its JSON; bytes of a JSON or text type as that JSON or text;
     *     other bytes (an image) as base64, as JSON carries bytes
     */
    static JsonNode prediction(Response response) {
        if (response.json().isPresent()) {
            return JSON.valueToTree(response.json().get());
        }
        byte[] bytes = response.bytes().orElse(new byte[0]);
        String type = String.valueOf(response.contentType()).toLowerCase(Locale.ROOT);
        if (type.startsWith(JSON_TYPE)) {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                // Not the JSON it says it is: sent as text, as it came.
            }
        }
        if (type.startsWith("text/") || type.startsWith(JSON_TYPE)) {
            return JsonNodeFactory.instance.textNode(new String(bytes, StandardCharsets.UTF_8));
        }
        return JsonNodeFactory.instance.binaryNode(bytes);
    }
}

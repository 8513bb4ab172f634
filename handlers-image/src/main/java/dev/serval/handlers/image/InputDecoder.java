package dev.serval.handlers.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a request into the model's input, in every form TorchServe's vision handlers accept: an
 * image as the body (the kernel hands over a multipart request's {@code data} or {@code body}
 * part the same way), an image in base64 inside a JSON body ({@code {"data": "..."}} or
 * {@code {"body": "..."}}), or a tensor as a NumPy {@code .npy} body, which skips preprocessing.
 */
final class InputDecoder {

    /** The media type of NumPy's {@code .npy} files. */
    static final String NPY = "application/x-npy";
    private static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** NumPy pads its header to 64 bytes or more; a shape of a few dimensions is near the start. */
    private static final int NPY_HEADER_SCAN = 512;
    private static final Pattern NPY_SHAPE = Pattern.compile("'shape': \\(([0-9, ]*)\\)");

    private final ImageDecoder images;
    private final Preprocessing preprocessing;

    InputDecoder(ImageDecoder images, Preprocessing preprocessing) {
        this.images = images;
        this.preprocessing = preprocessing;
    }

    /**
     * @param request one request
     * @param manager allocates the arrays a tensor is decoded into; closed by the caller
     * @return the model input it holds
     * @throws HandlerException 400 when the body is not an image, base64 image or tensor as its
     *     content type says
     */
    InputTensor decode(Request request, NDManager manager) throws HandlerException {
        String type = request.contentType().orElse("");
        if (type.equals(NPY)) {
            return tensor(request.body(), manager);
        }
        byte[] image = type.equals(JSON_TYPE) ? base64Image(request.body()) : request.body();
        return preprocessing.apply(images.decode(image));
    }

    /** @return whether the request carries a tensor rather than an image */
    static boolean isTensor(Request request) {
        return request.contentType().filter(NPY::equals).isPresent();
    }

    private static byte[] base64Image(byte[] body) throws HandlerException {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw HandlerException.badRequest("The JSON body cannot be parsed: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw HandlerException.badRequest("The JSON body cannot be read", e);
        }
        JsonNode image = json == null ? null : json.has("data") ? json.get("data") : json.get("body");
        if (image == null || !image.isTextual()) {
            throw HandlerException.badRequest("A JSON body must be {\"data\": \"<base64 image>\"} (or \"body\")");
        }
        try {
            // The MIME decoder skips line breaks, as Python's b64decode does.
            return Base64.getMimeDecoder().decode(image.asText());
        } catch (IllegalArgumentException e) {
            throw HandlerException.badRequest("The image in the JSON body is not valid base64: " + e.getMessage(), e);
        }
    }

    private static InputTensor tensor(byte[] body, NDManager manager) throws HandlerException {
        checkClaimedSize(body);
        NDArray array;
        try {
            array = NDList.decode(manager, body).singletonOrThrow();
        } catch (RuntimeException e) {
            throw HandlerException.badRequest("The body is not a NumPy .npy array: " + e.getMessage(), e);
        }
        Shape shape = array.getShape();
        if (shape.dimension() == 4 && shape.get(0) == 1) {
            shape = shape.slice(1);
        } else if (shape.dimension() != 3) {
            throw HandlerException.badRequest("An " + NPY + " body holds one image tensor, C×H×W or 1×C×H×W, not "
                    + shape);
        }
        return new InputTensor(floats(array), shape);
    }

    /**
     * DJL allocates the array its header describes before reading the data, so a few bytes
     * claiming a 2 GB shape would allocate 2 GB: a body must hold at least one byte per value.
     */
    private static void checkClaimedSize(byte[] body) throws HandlerException {
        String start = new String(body, 0, Math.min(body.length, NPY_HEADER_SCAN), StandardCharsets.ISO_8859_1);
        Matcher shape = NPY_SHAPE.matcher(start);
        if (!shape.find()) {
            return; // not a header DJL reads either: it answers that itself
        }
        long values = 1;
        try {
            for (String dimension : shape.group(1).split(",")) {
                if (!dimension.isBlank()) {
                    values = Math.multiplyExact(values, Long.parseLong(dimension.trim()));
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            values = Long.MAX_VALUE;
        }
        if (values > body.length) {
            throw HandlerException.badRequest("The .npy header claims a shape of (" + shape.group(1).trim()
                    + "), more values than the " + body.length + "-byte body holds");
        }
    }

    /** Any numeric type becomes float32, as TorchServe's {@code torch.FloatTensor(data)} does. */
    private static float[] floats(NDArray array) throws HandlerException {
        DataType type = array.getDataType();
        if (type == DataType.FLOAT32) {
            return array.toFloatArray();
        }
        if (!type.isFloating() && !type.isInteger()) {
            throw HandlerException.badRequest("The .npy array holds " + type + ", not numbers");
        }
        Number[] values = array.toArray();
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = values[i].floatValue();
        }
        return floats;
    }
}

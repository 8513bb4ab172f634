package dev.serval.handlers.image;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import java.util.Arrays;
import java.util.Base64;

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

    /** The model-config key bounding the model input's height × width. */
    static final String MAX_PIXELS = "max_pixels";

    private final ImageDecoder images;
    private final Preprocessing preprocessing;
    private final long maxPixels;

    /**
     * @param images decodes images
     * @param preprocessing makes them the model's input
     * @param maxPixels the largest model input, height × width, the handler takes: its output
     *     and its forward pass grow with it
     */
    InputDecoder(ImageDecoder images, Preprocessing preprocessing, long maxPixels) {
        this.images = images;
        this.preprocessing = preprocessing;
        this.maxPixels = maxPixels;
    }

    /**
     * @param request one request
     * @param arena where the model input's values go
     * @return the model input it holds
     * @throws HandlerException 400 when the body is not an image, base64 image or tensor as its
     *     content type says
     */
    InputTensor decode(Request request, InputArena arena) throws HandlerException {
        String type = request.contentType().orElse("");
        if (type.equals(NPY)) {
            return tensor(request.body(), arena);
        }
        byte[] image = type.equals(JSON_TYPE) ? base64Image(request.body()) : request.body();
        return preprocessing.apply(
                images.decode(
                        image,
                        preprocessing.grayscale(),
                        (width, height) ->
                                checkPixels(preprocessing.inputPixels(width, height), width + "×" + height + " image")),
                arena);
    }

    /** Refused before the pixels are decoded or the tensor converted, so the work never starts. */
    private void checkPixels(long pixels, String what) throws HandlerException {
        if (pixels > maxPixels) {
            throw HandlerException.badRequest("The " + what + " makes a model input of " + pixels
                    + " pixels, more than this model's limit of " + maxPixels + " (handler." + MAX_PIXELS
                    + " in model-config.yaml)");
        }
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

    private InputTensor tensor(byte[] body, InputArena arena) throws HandlerException {
        NpyArray array = NpyArray.parse(body);
        long[] dimensions = array.shape();
        if (dimensions.length == 4 && dimensions[0] == 1) {
            dimensions = Arrays.copyOfRange(dimensions, 1, 4);
        } else if (dimensions.length != 3) {
            throw HandlerException.badRequest(
                    "An " + NPY + " body holds one image tensor, C×H×W or 1×C×H×W, not " + new Shape(array.shape()));
        }
        if (array.values() == 0) {
            throw HandlerException.badRequest(
                    "The " + NPY + " body holds no values: its shape is " + new Shape(array.shape()));
        }
        checkPixels(dimensions[1] * dimensions[2], NPY + " tensor of shape " + new Shape(array.shape()));
        InputTensor tensor = InputTensor.of(arena, Shapes.of(dimensions));
        array.copyTo(tensor.floats());
        return tensor;
    }
}

package dev.serval.kernel.http;

import dev.serval.kernel.model.ServingException;
import dev.serval.sdk.Request;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The input of a {@code multipart/form-data} request, chosen as TorchServe's handlers choose it:
 * the part named {@code data}, else {@code body}, else the first part. A file part keeps its own
 * content type; a plain field is text.
 */
final class FormInput {

    private static final List<String> INPUT_NAMES = List.of("data", "body");

    private FormInput() {
    }

    /**
     * @param ctx a multipart request
     * @return a request builder holding the chosen part
     * @throws ServingException 400 when the form has no part at all
     */
    static Request.Builder of(Context ctx) {
        Map<String, List<UploadedFile>> files = ctx.uploadedFileMap();
        Map<String, List<String>> fields = ctx.formParamMap();
        for (String name : INPUT_NAMES) {
            if (files.containsKey(name)) {
                return file(files.get(name).get(0));
            }
            if (fields.containsKey(name)) {
                return field(fields.get(name).get(0));
            }
        }
        if (!files.isEmpty()) {
            return file(files.values().iterator().next().get(0));
        }
        if (!fields.isEmpty()) {
            return field(fields.values().iterator().next().get(0));
        }
        throw new ServingException(400, "BadRequestException", "The multipart form has no input part");
    }

    private static Request.Builder file(UploadedFile file) {
        try (InputStream in = file.content()) {
            return Request.builder(in.readAllBytes()).contentType(file.contentType());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the uploaded file " + file.filename(), e);
        }
    }

    private static Request.Builder field(String value) {
        return Request.builder(value.getBytes(StandardCharsets.UTF_8)).contentType("text/plain");
    }
}

package dev.serval.kernel.http;

import dev.serval.sdk.Request;
import dev.serval.serving.ServingException;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.server.MultiPartFormInputStream;

/**
 * The input of a {@code multipart/form-data} request, chosen as TorchServe's handlers choose it:
 * the part named {@code data}, else {@code body}, else the first file part, else the first
 * field. A file part keeps its own content type; a plain field is text. The form is parsed from
 * the body already read (so within {@code max_request_size}), in memory, by Jetty's parser; a
 * malformed form is a 400 with Jetty's reason, never a 500.
 */
final class FormInput {

    /** Jetty's own default limit on form fields ({@code maxFormKeys}); TorchServe reads one part. */
    private static final int MAX_PARTS = 1000;

    private static final List<String> INPUT_NAMES = List.of("data", "body");
    /** Parts are never written to files: the body is in memory already. */
    private static final File NO_FILES = new File(System.getProperty("java.io.tmpdir"));

    private FormInput() {}

    /**
     * @param contentType the request's {@code multipart/form-data} content type, with its boundary
     * @param body the request's body
     * @return a request builder holding the chosen part
     * @throws ServingException 400 when the form is malformed or has no part at all
     */
    static Request.Builder of(String contentType, byte[] body) {
        MultiPartFormInputStream form = new MultiPartFormInputStream(
                new ByteArrayInputStream(body),
                contentType,
                new MultipartConfigElement(NO_FILES.getPath(), -1, -1, Integer.MAX_VALUE),
                NO_FILES,
                MAX_PARTS);
        try {
            Collection<Part> parts = form.getParts();
            Part chosen = INPUT_NAMES.stream()
                    .flatMap(name -> parts.stream().filter(p -> name.equals(p.getName())))
                    .findFirst()
                    .or(() -> first(parts, p -> p.getSubmittedFileName() != null))
                    .or(() -> first(parts, p -> true))
                    .orElseThrow(() ->
                            new ServingException(400, "BadRequestException", "The multipart form has no input part"));
            try (InputStream in = chosen.getInputStream()) {
                return Request.builder(in.readAllBytes())
                        .contentType(chosen.getSubmittedFileName() != null ? chosen.getContentType() : "text/plain");
            }
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw new ServingException(400, "BadRequestException", "Malformed multipart form: " + e.getMessage());
        } finally {
            form.deleteParts();
        }
    }

    private static Optional<Part> first(Collection<Part> parts, Predicate<Part> which) {
        return parts.stream().filter(which).findFirst();
    }
}

package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.serval.sdk.Request;
import dev.serval.serving.ServingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The part of a form a prediction takes, as TorchServe's handlers take it, and malformed forms. */
class FormInputTest {

    private static final String FORM = "multipart/form-data; boundary=x";

    @Test
    void takesThePartNamedDataBeforeBodyAndAnyOther() {
        Request request = parse(
                FORM,
                file("first", "a.png", "image/png", "1") + field("body", "2") + file("data", "b.jpg", "image/jpeg", "3")
                        + "--x--\r\n");

        assertEquals("3", request.bodyAsString());
        assertEquals(Optional.of("image/jpeg"), request.contentType());
    }

    @Test
    void elseTheFirstFileElseTheFirstFieldAsText() {
        assertEquals(
                "1",
                parse(FORM, field("a", "0") + file("b", "b.png", "image/png", "1") + "--x--\r\n")
                        .bodyAsString());
        Request field = parse(FORM, field("a", "0") + field("b", "1") + "--x--\r\n");
        assertEquals("0", field.bodyAsString());
        assertEquals(Optional.of("text/plain"), field.contentType());
    }

    @Test
    void aMalformedFormIsA400WithTheParsersReason() {
        assertBadRequest("multipart/form-data", field("data", "1") + "--x--\r\n");
        assertBadRequest(FORM, "--x\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\ntruncated");
        assertBadRequest(
                FORM,
                IntStream.range(0, 1001).mapToObj(i -> field("f" + i, "v")).collect(Collectors.joining())
                        + "--x--\r\n");
        assertBadRequest(FORM, "--x--\r\n");
    }

    private static Request parse(String contentType, String body) {
        return FormInput.of(contentType, body.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static void assertBadRequest(String contentType, String body) {
        ServingException e = assertThrows(ServingException.class, () -> parse(contentType, body));
        assertEquals(400, e.status());
        assertEquals("BadRequestException", e.type());
        assertFalse(e.getMessage().isBlank());
    }

    private static String field(String name, String value) {
        return "--x\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static String file(String name, String filename, String contentType, String content) {
        return "--x\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n" + content + "\r\n";
    }
}

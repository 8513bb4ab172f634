package dev.serval.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestTest {

    @Test
    void contentTypeDropsParametersAndIsLowerCase() {
        Request request = Request.builder(new byte[0]).contentType("Image/PNG; charset=x").build();

        assertEquals(Optional.of("image/png"), request.contentType());
    }

    @Test
    void contentTypeWithoutParametersIsTrimmedAndLowerCase() {
        Request request = Request.builder(new byte[0]).contentType(" Application/JSON ").build();

        assertEquals(Optional.of("application/json"), request.contentType());
    }

    @Test
    void blankOrMissingContentTypeIsEmpty() {
        assertEquals(Optional.empty(), Request.builder(new byte[0]).build().contentType());
        assertEquals(Optional.empty(), Request.builder(new byte[0]).contentType("  ").build().contentType());
    }

    @Test
    void headerLookupIgnoresCase() {
        Request request = Request.builder(new byte[0]).header("X-Request-Id", List.of("abc", "def")).build();

        assertEquals(Optional.of("abc"), request.header("x-request-id"));
        assertEquals(Optional.of("abc"), request.header("X-REQUEST-ID"));
        assertEquals(List.of("abc", "def"), request.headers().get("x-REQUEST-id"));
        assertEquals(Optional.empty(), request.header("Other"));
    }

    @Test
    void queryParameterGivesFirstValue() {
        Request request = Request.builder(new byte[0]).queryParameter("k", List.of("1", "2")).build();

        assertEquals(Optional.of("1"), request.queryParameter("k"));
        assertEquals(List.of("1", "2"), request.queryParameters().get("k"));
    }

    @Test
    void queryParameterWithNoValuesOrAbsentIsEmpty() {
        Request request = Request.builder(new byte[0]).queryParameter("k", List.of()).build();

        assertEquals(Optional.empty(), request.queryParameter("k"));
        assertEquals(Optional.empty(), request.queryParameter("missing"));
    }

    @Test
    void nullBodyBecomesEmptyArray() {
        Request request = Request.builder(null).build();

        assertArrayEquals(new byte[0], request.body());
        assertEquals("", request.bodyAsString());
    }

    @Test
    void bodyAsStringDecodesUtf8() {
        byte[] body = "héllo".getBytes(StandardCharsets.UTF_8);

        assertEquals("héllo", Request.builder(body).build().bodyAsString());
    }
}

package dev.serval.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestTest {

    @Test
    void contentTypeDropsParametersAndIsLowerCase() {
        Request request =
                Request.builder(new byte[0]).contentType("Image/PNG; charset=x").build();

        assertEquals(Optional.of("image/png"), request.contentType());
    }

    @Test
    void contentTypeWithoutParametersIsTrimmedAndLowerCase() {
        Request request =
                Request.builder(new byte[0]).contentType(" Application/JSON ").build();

        assertEquals(Optional.of("application/json"), request.contentType());
    }

    @Test
    void blankOrMissingContentTypeIsEmpty() {
        assertEquals(Optional.empty(), Request.builder(new byte[0]).build().contentType());
        assertEquals(
                Optional.empty(),
                Request.builder(new byte[0]).contentType("  ").build().contentType());
    }

    @Test
    void headerLookupIgnoresCase() {
        Request request = Request.builder(new byte[0])
                .header("X-Request-Id", List.of("abc", "def"))
                .build();

        assertEquals(Optional.of("abc"), request.header("x-request-id"));
        assertEquals(Optional.of("abc"), request.header("X-REQUEST-ID"));
        assertEquals(List.of("abc", "def"), request.headers().get("x-REQUEST-id"));
        assertEquals(Optional.empty(), request.header("Other"));
    }

    @Test
    void queryParameterGivesFirstValue() {
        Request request = Request.builder(new byte[0])
                .queryParameter("k", List.of("1", "2"))
                .build();

        assertEquals(Optional.of("1"), request.queryParameter("k"));
        assertEquals(List.of("1", "2"), request.queryParameters().get("k"));
    }

    @Test
    void queryParameterWithNoValuesOrAbsentIsEmpty() {
        Request request =
                Request.builder(new byte[0]).queryParameter("k", List.of()).build();

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

    @Test
    void aRequestBuiltWithoutAStreamDropsWhatIsSentAndACopyKeepsAllButTheStream() {
        Request request = Request.builder("x".getBytes(StandardCharsets.UTF_8))
                .contentType("text/plain")
                .header("A", List.of("1"))
                .queryParameter("q", List.of("2"))
                .build();
        assertSame(ResponseStream.DISCARD, request.stream());
        assertTrue(request.stream().send(Response.json("dropped")));

        List<Response> sent = new ArrayList<>();
        Request copy = request.withStream(sent::add);
        copy.stream().send(Response.json("kept"));

        assertEquals(1, sent.size());
        assertSame(request.body(), copy.body());
        assertEquals(Optional.of("text/plain"), copy.contentType());
        assertEquals(Optional.of("1"), copy.header("a"));
        assertEquals(Optional.of("2"), copy.queryParameter("q"));
    }

    @Test
    void aBuilderUsedAgainAfterBuildLeavesTheRequestItBuiltAsItWas() {
        Request.Builder builder =
                Request.builder(new byte[0]).header("A", List.of("1")).queryParameter("q", List.of("2"));
        Request first = builder.build();

        Request second = builder.header("a", List.of("changed"))
                .header("B", List.of("3"))
                .queryParameter("q", List.of("changed"))
                .build();

        assertEquals(Map.of("A", List.of("1")), first.headers());
        assertEquals(Map.of("q", List.of("2")), first.queryParameters());
        assertEquals(Optional.of("changed"), second.header("A"));
        assertEquals(Optional.of("3"), second.header("b"));
        assertEquals(Optional.of("changed"), second.queryParameter("q"));
    }

    @Test
    void aRequestsMapsCannotBeChanged() {
        Request request = Request.builder(new byte[0])
                .header("A", List.of("1"))
                .queryParameter("q", List.of("2"))
                .build();

        assertThrows(
                UnsupportedOperationException.class, () -> request.headers().put("B", List.of()));
        assertThrows(
                UnsupportedOperationException.class,
                () -> request.headers().get("a").add("x"));
        assertThrows(
                UnsupportedOperationException.class,
                () -> request.queryParameters().remove("q"));
    }
}

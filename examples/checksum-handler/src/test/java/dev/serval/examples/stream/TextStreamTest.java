package dev.serval.examples.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextStreamTest {

    private static final Path DIGITS = Path.of(System.getProperty("serval.models", "../../distribution/models"))
            .resolve("digits");

    @Test
    void streamsEachWordButTheLastOnTheRequestsOwnStreamAndAnswersTheLast() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try (TestModel model = TestModel.load(DIGITS);
                TestWorker<TextStream> worker = model.start(new TextStream())) {
            List<Response> answers =
                    worker.handle(List.of(request("one two three", first, true), request("solo", second, true)));

            assertEquals(List.of("one ", "two "), first);
            assertEquals(List.of(), second);
            assertEquals(
                    List.of("three", "solo"),
                    answers.stream().map(TextStreamTest::text).toList());
        }
    }

    @Test
    void stopsAsSoonAsNobodyTakesTheWords() throws Exception {
        List<String> sent = new ArrayList<>();
        try (TestModel model = TestModel.load(DIGITS);
                TestWorker<TextStream> worker = model.start(new TextStream())) {
            Response answer =
                    worker.handle(List.of(request("a b c d", sent, false))).get(0);

            assertEquals(List.of("a "), sent, "tried once, refused");
            assertEquals("", text(answer));
        }
    }

    private static Request request(String text, List<String> sent, boolean taken) {
        return Request.builder(text.getBytes(StandardCharsets.UTF_8)).stream(answer -> {
                    sent.add(text(answer));
                    return taken;
                })
                .build();
    }

    private static String text(Response response) {
        return new String(response.bytes().orElseThrow(), StandardCharsets.UTF_8);
    }
}

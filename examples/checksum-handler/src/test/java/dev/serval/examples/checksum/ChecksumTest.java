package dev.serval.examples.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serval.sdk.Request;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    private static final Path DIGITS = Path.of(System.getProperty("serval.models", "../../distribution/models"))
            .resolve("digits");

    @Test
    void answersEachBodysSha256() throws Exception {
        try (TestModel model = TestModel.load(DIGITS);
                TestWorker<Checksum> worker = model.start(new Checksum())) {
            List<Object> answers = worker
                    .handle(List.of(
                            Request.builder("abc".getBytes()).build(),
                            Request.builder(new byte[0]).build()))
                    .stream()
                    .map(r -> r.json().orElseThrow())
                    .toList();
            assertEquals(
                    List.of(
                            Map.of(
                                    "sha256",
                                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                                    "bytes",
                                    3),
                            Map.of(
                                    "sha256",
                                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                    "bytes",
                                    0)),
                    answers);
        }
    }
}

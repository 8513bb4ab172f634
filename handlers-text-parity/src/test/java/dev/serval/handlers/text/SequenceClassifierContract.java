package dev.serval.handlers.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.serval.sdk.Context;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link SequenceClassifier} must do with the reference DistilBERT, checked against
 * PyTorch's and Hugging Face's numbers in {@code reference.json}, never against Serval's own.
 * Each handler module runs it on its tokenizer, on TorchScript and on ONNX.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SequenceClassifierContract {

    /** What the issue asks for; float32 through two engines differs by ~1e-6. */
    private static final double LOGIT_TOLERANCE = 1e-4;

    private static final String PT = "reviews_distilbert.pt";
    private static final String ONNX = "reviews_distilbert.onnx";

    private final List<ReferenceModel.Case> cases = ReferenceModel.cases();
    private final Map<String, TestModel> models = new HashMap<>();
    private final Map<String, TestWorker<SequenceClassifier>> workers = new HashMap<>();
    private final Supplier<SequenceClassifier> classifiers;
    private final TokenizerFactory tokenizers;
    private final int defaultMaxLength;

    /** Opens the module's tokenizer on a model folder. */
    protected interface TokenizerFactory {
        TextTokenizer open(Path modelDir, int maxLength) throws Exception;
    }

    /**
     * @param classifiers new, uninitialized handlers of the module under test
     * @param tokenizers the module's tokenizer
     * @param defaultMaxLength the length the handler cuts texts to when its config does not say
     */
    protected SequenceClassifierContract(
            Supplier<SequenceClassifier> classifiers, TokenizerFactory tokenizers, int defaultMaxLength) {
        this.classifiers = classifiers;
        this.tokenizers = tokenizers;
        this.defaultMaxLength = defaultMaxLength;
    }

    @BeforeAll
    void startWorkers() throws Exception {
        for (String file : List.of(PT, ONNX)) {
            TestModel model = TestModel.load(ReferenceModel.DIR, file);
            models.put(file, model);
            workers.put(file, model.start(classifiers.get()));
        }
    }

    @AfterAll
    void closeModels() {
        workers.values().forEach(TestWorker::close);
        models.values().forEach(TestModel::close);
    }

    @Test
    void everyReferenceTextGivesTheReferenceIds() throws Exception {
        try (TextTokenizer tokenizer = tokenizer(defaultMaxLength)) {
            List<String> mismatches = new ArrayList<>();
            for (ReferenceModel.Case c : cases) {
                long[] ids = tokenizer.encode(c.text());
                if (!Arrays.equals(c.inputIds(), ids)) {
                    mismatches.add(c.text() + "\n  want " + Arrays.toString(c.inputIds()) + "\n  got  "
                            + Arrays.toString(ids));
                }
            }
            assertEquals(25, cases.size());
            assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        }
    }

    @Test
    void longTextsAreCutToTheConfiguredLength() throws Exception {
        ReferenceModel.Case longest = cases.stream()
                .max((a, b) -> a.inputIds().length - b.inputIds().length)
                .orElseThrow();
        try (TextTokenizer tokenizer = tokenizer(8)) {
            assertArrayEquals(Arrays.copyOf(longest.inputIds(), 8), tokenizer.encode(longest.text()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {PT, ONNX})
    void logitsMatchPyTorchTextByText(String file) throws Exception {
        double maxDiff = 0;
        for (ReferenceModel.Case c : cases) {
            float[] logits = logits(file, List.of(c.inputIds()));
            maxDiff = Math.max(maxDiff, maxDiff(c.logits(), 0, logits));
        }
        System.out.printf(
                "%s %s: max |logit - PyTorch| over 25 texts = %.2e%n",
                getClass().getSimpleName(), file, maxDiff);
        assertTrue(maxDiff <= LOGIT_TOLERANCE, "max logit difference " + maxDiff);
    }

    /** ONNX Runtime binds inputs by name; PyTorch by position, parsing every name it is given. */
    @ParameterizedTest
    @ValueSource(strings = {PT, ONNX})
    void theInputsAreNamedForTheEngineThatBindsByName(String file) {
        try (NDManager manager =
                workers.get(file).context().model().getNDManager().newSubManager()) {
            NDList inputs = TokenBatch.pad(List.of(cases.get(0).inputIds())).toNDList(manager);
            List<String> expected = file.equals(ONNX)
                    ? List.of(TokenBatch.INPUT_IDS, TokenBatch.ATTENTION_MASK)
                    : Arrays.asList(null, null);
            assertEquals(expected, inputs.stream().map(NDArray::getName).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {PT, ONNX})
    void aBatchOfMixedLengthsEqualsTextByText(String file) throws Exception {
        List<long[]> all = cases.stream().map(ReferenceModel.Case::inputIds).toList();
        assertTrue(all.stream().mapToInt(ids -> ids.length).distinct().count() > 5, "lengths must differ");
        float[] batched = logits(file, all);
        double maxDiff = 0;
        for (int i = 0; i < cases.size(); i++) {
            float[] single = logits(file, List.of(all.get(i)));
            maxDiff = Math.max(maxDiff, maxDiff(single, i * 3, batched));
            maxDiff = Math.max(maxDiff, maxDiff(cases.get(i).logits(), i * 3, batched));
        }
        System.out.printf(
                "%s %s: max |batched logit - single or PyTorch| = %.2e%n",
                getClass().getSimpleName(), file, maxDiff);
        assertTrue(maxDiff <= LOGIT_TOLERANCE, "max logit difference " + maxDiff);
    }

    @ParameterizedTest
    @ValueSource(strings = {PT, ONNX})
    void theHandlerAnswersEveryLabelRankedAsPyTorch(String file) throws Exception {
        List<Request> batch = cases.stream().map(c -> text(c.text())).toList();
        List<Response> responses = handle(file, batch);
        assertEquals(cases.size(), responses.size());
        for (int i = 0; i < cases.size(); i++) {
            ReferenceModel.Case c = cases.get(i);
            Map<String, Float> answer = answer(responses.get(i));
            assertEquals(
                    List.of(c.prediction()), answer.keySet().stream().limit(1).toList(), c.text());
            assertEquals(3, answer.size());
            double[] expected = softmax(c.logits());
            List<String> labels = List.of("negative", "neutral", "positive");
            for (int label = 0; label < 3; label++) {
                assertEquals(expected[label], answer.get(labels.get(label)), LOGIT_TOLERANCE, c.text());
            }
            List<Float> values = new ArrayList<>(answer.values());
            for (int k = 1; k < values.size(); k++) {
                assertTrue(values.get(k - 1) >= values.get(k), "highest first: " + answer);
            }
        }
    }

    @Test
    void topkOneAnswersOnlyThePrediction() throws Exception {
        ReferenceModel.Case c = cases.get(2);
        Request request = Request.builder(c.text().getBytes(StandardCharsets.UTF_8))
                .queryParameter("topk", List.of("1"))
                .build();
        assertEquals(
                List.of(c.prediction()),
                List.copyOf(answer(handle(PT, List.of(request)).get(0)).keySet()));
    }

    @Test
    void jsonBodiesAreReadLikeTorchServe() throws Exception {
        ReferenceModel.Case c = cases.get(3);
        for (String field : List.of("text", "data")) {
            Request request = Request.builder(
                            ("{\"" + field + "\": \"" + c.text() + "\"}").getBytes(StandardCharsets.UTF_8))
                    .contentType("application/json; charset=utf-8")
                    .build();
            assertEquals(
                    c.prediction(),
                    answer(handle(PT, List.of(request)).get(0))
                            .keySet()
                            .iterator()
                            .next());
        }
    }

    /** A replacement character the client sent is text, where one that stands for bad bytes is not. */
    @Test
    void aReplacementCharacterSentIsClassified() throws Exception {
        ReferenceModel.Case c = cases.get(0);
        Map<String, Float> answer =
                answer(handle(PT, List.of(text(c.text() + " \uFFFD"))).get(0));
        assertEquals(3, answer.size());
        byte[] good = c.text().getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(good, good.length + 1);
        bad[good.length] = (byte) 0xFF;
        Request request = Request.builder(bad).build();
        HandlerException e = assertThrows(HandlerException.class, () -> handle(PT, List.of(request)));
        assertEquals(400, e.status());
    }

    @Test
    void aMegabyteTextIsCutNotRefused() throws Exception {
        String text = cases.get(0).text() + " " + "delicious ".repeat((1 << 20) / 10);
        long start = System.nanoTime();
        Map<String, Float> answer = answer(handle(PT, List.of(text(text))).get(0));
        System.out.printf(
                "%s: a %d-byte text answered in %d ms%n",
                getClass().getSimpleName(), text.length(), (System.nanoTime() - start) / 1_000_000);
        assertEquals(3, answer.size());
        try (TextTokenizer tokenizer = tokenizer(defaultMaxLength)) {
            assertEquals(defaultMaxLength, tokenizer.encode(text).length);
        }
    }

    @Test
    void badInputIsABadRequest() {
        Map<String, Request> bad = Map.of(
                "empty", text(""),
                "blank", text(" \n\t "),
                "control characters only", text("\u0001\u0002"),
                "not UTF-8",
                        Request.builder(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF})
                                .build(),
                "malformed JSON",
                        Request.builder("{\"text\": ".getBytes(StandardCharsets.UTF_8))
                                .contentType("application/json")
                                .build(),
                "JSON without text",
                        Request.builder("{\"review\": \"good\"}".getBytes(StandardCharsets.UTF_8))
                                .contentType("application/json")
                                .build(),
                "topk 0",
                        Request.builder("good".getBytes(StandardCharsets.UTF_8))
                                .queryParameter("topk", List.of("0"))
                                .build());
        bad.forEach((what, request) -> {
            HandlerException e = assertThrows(HandlerException.class, () -> handle(PT, List.of(request)), what);
            assertEquals(400, e.status(), what);
        });
    }

    private TextTokenizer tokenizer(int maxLength) throws Exception {
        return tokenizers.open(ReferenceModel.DIR, maxLength);
    }

    private float[] logits(String file, List<long[]> sequences) throws Exception {
        Context context = workers.get(file).context();
        try (NDManager manager = context.model().getNDManager().newSubManager()) {
            NDList output =
                    context.predictor().predict(TokenBatch.pad(sequences).toNDList(manager));
            return output.get(0).toFloatArray();
        }
    }

    private List<Response> handle(String file, List<Request> batch) throws Exception {
        return workers.get(file).handle(batch);
    }

    private static Request text(String text) {
        return Request.builder(text.getBytes(StandardCharsets.UTF_8))
                .contentType("text/plain")
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Float> answer(Response response) {
        return (Map<String, Float>) response.json().orElseThrow();
    }

    private static double maxDiff(float[] expected, int offset, float[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[offset + i]));
        }
        return max;
    }

    private static double[] softmax(float[] logits) {
        double[] exp = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            exp[i] = Math.exp(logits[i]);
            sum += exp[i];
        }
        for (int i = 0; i < exp.length; i++) {
            exp[i] /= sum;
        }
        return exp;
    }
}

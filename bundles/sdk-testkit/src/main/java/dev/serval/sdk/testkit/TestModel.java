package dev.serval.sdk.testkit;

import dev.serval.sdk.Handler;
import dev.serval.serving.Deadlines;
import dev.serval.serving.Engines;
import dev.serval.serving.Folders;
import dev.serval.serving.ModelArchive;
import dev.serval.serving.ModelLoadException;
import dev.serval.serving.ModelLoader;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.NativeCache;
import dev.serval.serving.ServingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A model loaded for a unit test exactly as the server loads it: a {@code .mar} is extracted
 * (into a temporary folder, removed on {@link #close()}), a folder is used in place, the manifest
 * and {@code model-config.yaml} are read and checked, and the model is loaded by the engine its
 * file type or config selects.
 *
 * <pre>{@code
 * try (TestModel model = TestModel.load(Path.of("model"));
 *      TestWorker<MyHandler> worker = model.start(new MyHandler())) {
 *     Response response = worker.handle(Request.builder(bytes).build());
 * }
 * }</pre>
 *
 * <p>DJL runs offline, as in the server; its engines' native libraries are unpacked once into the
 * folder named by the system property {@value #CACHE_PROPERTY}, by default
 * {@code ~/.cache/serval}.
 */
public final class TestModel implements AutoCloseable {

    /** The system property naming the native-library cache. */
    public static final String CACHE_PROPERTY = NativeCache.PROPERTY;

    private final ModelVersion version;
    private final Path extractRoot;
    private final Deadlines deadlines;

    private TestModel(ModelVersion version, Path extractRoot, Deadlines deadlines) {
        this.version = version;
        this.extractRoot = extractRoot;
        this.deadlines = deadlines;
    }

    /**
     * @param artifact a model folder (with {@code MAR-INF/MANIFEST.json}) or a {@code .mar}
     * @return the loaded model
     * @throws IllegalArgumentException when the server would refuse the artifact, saying why
     */
    public static TestModel load(Path artifact) {
        return load(artifact, Optional.empty());
    }

    /**
     * Loads another model file of the archive than its manifest names, to test a handler on, say,
     * both the TorchScript and the ONNX export of one model.
     *
     * @param artifact a model folder or a {@code .mar}
     * @param serializedFile the model file to load instead, relative to the archive's root
     * @return the loaded model
     * @throws IllegalArgumentException when the server would refuse the artifact or the file is
     *     not in it
     */
    public static TestModel load(Path artifact, String serializedFile) {
        return load(artifact, Optional.of(serializedFile));
    }

    private static TestModel load(Path artifact, Optional<String> serializedFile) {
        startEngines();
        Path extractRoot;
        try {
            extractRoot = Files.createTempDirectory("serval-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The model's timer: unused while workers are driven directly, as here, but a version has one.
        Deadlines deadlines = new Deadlines();
        try {
            ModelArchive archive = ModelArchive.open(artifact, extractRoot);
            if (serializedFile.isPresent()) {
                archive = archive.withSerializedFile(serializedFile.get());
            }
            ModelVersion version =
                    new ModelLoader(extractRoot, ServingSettings.DEFAULTS, Map.of(), deadlines).load(archive);
            return new TestModel(version, extractRoot, deadlines);
        } catch (ModelLoadException e) {
            deadlines.close();
            Folders.deleteTree(extractRoot);
            throw new IllegalArgumentException("The server would not load " + artifact + ": " + e.getMessage(), e);
        }
    }

    private static void startEngines() {
        Path cache = NativeCache.folder();
        try {
            Engines.initialize(cache);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack the engines' native libraries into " + cache, e);
        }
    }

    /**
     * Starts a worker: the handler is initialized with a context of its own, holding its own
     * predictor, as each of the server's workers does.
     *
     * @param <H> the handler's type
     * @param handler a new handler instance, as the server's prototype scope makes one per worker
     * @return the worker; close it to close the handler
     * @throws Exception what the handler's {@link Handler#initialize} threw; the server would
     *     report the model as failed
     */
    public <H extends Handler> TestWorker<H> start(H handler) throws Exception {
        return TestWorker.start(version, handler);
    }

    /** @return the name the model would be served under */
    public String name() {
        return version.name();
    }

    /** @return DJL's name of the engine running the model: {@code PyTorch} or {@code OnnxRuntime} */
    public String engine() {
        return version.engine();
    }

    /** Closes the model and removes the folder a {@code .mar} was extracted into. */
    @Override
    public void close() {
        version.close();
        deadlines.close();
        Folders.deleteTree(extractRoot);
    }
}

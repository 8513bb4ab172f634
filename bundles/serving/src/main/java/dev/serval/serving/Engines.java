package dev.serval.serving;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's engines once per JVM, offline, with native libraries unpacked under the server's
 * work folder.
 *
 * <p>It must run on the kernel's thread before any bundle touches DJL: DJL looks engines up
 * through the context class loader of its first caller and keeps what it found in static fields,
 * so a handler bundle calling it first would leave the engines invisible.
 */
public final class Engines {

    /** DJL's name for PyTorch, which runs TorchScript models. */
    public static final String PYTORCH = "PyTorch";
    /** DJL's name for ONNX Runtime, which runs ONNX models. */
    public static final String ONNX_RUNTIME = "OnnxRuntime";

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private static final String ORT_NATIVE = "ai/onnxruntime/native/linux-x64/";
    private static final List<String> ORT_LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

    private static boolean initialized;

    private Engines() {}

    /**
     * The tensor types an engine's DJL adapter can make an input of. PyTorch's aborts the whole
     * JVM on any other (its native code has no case for INT16, BF16 and the unsigned types but
     * UINT8), so these are checked before a tensor is handed to it.
     *
     * @param engine DJL's name of an engine
     * @return the types it takes; none for an engine Serval does not ship
     */
    public static Set<Datatype> inputTypes(String engine) {
        return switch (engine) {
            case PYTORCH ->
                EnumSet.of(
                        Datatype.BOOL,
                        Datatype.UINT8,
                        Datatype.INT8,
                        Datatype.INT32,
                        Datatype.INT64,
                        Datatype.FP16,
                        Datatype.FP32,
                        Datatype.FP64);
            case ONNX_RUNTIME ->
                EnumSet.of(
                        Datatype.BOOL,
                        Datatype.UINT8,
                        Datatype.INT8,
                        Datatype.INT32,
                        Datatype.INT64,
                        Datatype.FP16,
                        Datatype.BF16,
                        Datatype.FP32,
                        Datatype.FP64,
                        Datatype.BYTES);
            default -> EnumSet.noneOf(Datatype.class);
        };
    }

    /**
     * @param cacheDir where native libraries are unpacked, once
     * @throws IOException when the native libraries cannot be unpacked
     */
    public static synchronized void initialize(Path cacheDir) throws IOException {
        if (initialized) {
            return;
        }
        long start = System.nanoTime();
        defaultProperty("ai.djl.offline", "true");
        defaultProperty("DJL_CACHE_DIR", cacheDir.resolve("djl").toString());
        // Without this, ONNX Runtime hands NDArray operations it lacks to another engine, silently
        // and with different results.
        defaultProperty("ai.djl.onnx.disable_alternative", "true");
        if (smallMachine()) {
            // Workers run in parallel; several intra-op threads each would oversubscribe the cores.
            defaultProperty("ai.djl.pytorch.num_threads", "1");
            defaultProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        defaultProperty(
                "onnxruntime.native.path",
                unpackOnnxRuntime(cacheDir.resolve("onnxruntime")).toString());

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Engines.class.getClassLoader());
        try {
            for (String name : List.of(PYTORCH, ONNX_RUNTIME)) {
                Engine engine = Engine.getEngine(name);
                LOG.info("Engine {} {} ready", engine.getEngineName(), engine.getVersion());
            }
            // Unpacked from its jar into DJL_CACHE_DIR and loaded here, once: from a handler's
            // thread, DJL would look for it through the bundle's class loader, which cannot see it.
            ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
            LOG.info("Hugging Face tokenizers ready");
            // Said once here: DJL's own probes for CUDA each warn when there is none, on every
            // CPU-only machine, which is why the server's log silences them.
            if (Engine.getEngine(PYTORCH).getGpuCount() == 0) {
                LOG.info("No GPU found: the engines run on the CPU");
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
        initialized = true;
        LOG.info("Engines started in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /** @return the number of intra-op threads a predictor should use */
    public static int intraOpThreads() {
        return smallMachine() ? 1 : 2;
    }

    /** @return workers per model when neither the config nor the archive says: cores ÷ intra-op threads */
    public static int defaultWorkers() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / intraOpThreads());
    }

    /** One rule for both engines: on up to 4 cores, each predictor runs on a single thread. */
    private static boolean smallMachine() {
        return Runtime.getRuntime().availableProcessors() <= 4;
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * ONNX Runtime would unpack its libraries into a new temporary folder on every start (and
     * leave it behind after a crash); unpacking them once into the cache is faster and tidier.
     */
    private static Path unpackOnnxRuntime(Path dir) throws IOException {
        String version = ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion();
        Path target = dir.resolve(version == null ? "current" : version);
        Files.createDirectories(target);
        for (String library : ORT_LIBRARIES) {
            Path file = target.resolve(library);
            if (Files.exists(file)) {
                continue;
            }
            try (InputStream in = Engines.class.getClassLoader().getResourceAsStream(ORT_NATIVE + library)) {
                if (in == null) {
                    throw new IOException("ONNX Runtime library missing from the class path: " + library);
                }
                Path temp = Files.createTempFile(target, library, ".part");
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target;
    }
}

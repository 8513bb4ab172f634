package dev.serval.handlers.image;

import dev.serval.sdk.ModelConfig;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * torchvision's classic pipeline — {@code Grayscale? → Resize → CenterCrop → ToTensor →
 * Normalize} — configured from the model config's {@code handler:} section. Without keys it is
 * the handler's TorchServe default ({@link Defaults}); {@code none} turns a step off.
 *
 * @param resize empty: none (the image keeps its size); one value: the shorter side; two: exact
 *     {@code [height, width]}
 * @param centerCrop empty: none; one value: square; two: {@code [height, width]}
 * @param grayscale one channel instead of three
 * @param mean per-channel mean (one value applies to every channel)
 * @param std per-channel standard deviation
 */
record Preprocessing(List<Integer> resize, List<Integer> centerCrop, boolean grayscale, float[] mean, float[] std) {

    private static final String NONE = "none";

    /**
     * A handler's pipeline when the model config has no keys.
     *
     * @param resize as {@link Preprocessing#resize()}
     * @param centerCrop as {@link Preprocessing#centerCrop()}
     * @param mean per-channel mean, RGB
     * @param std per-channel standard deviation, RGB
     */
    record Defaults(List<Integer> resize, List<Integer> centerCrop, List<Double> mean, List<Double> std) {

        /** TorchServe's image_classifier and image_segmenter: resize 256, centre crop 224, ImageNet statistics. */
        static final Defaults IMAGENET =
                new Defaults(List.of(256), List.of(224), List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));

        /** TorchServe's object_detector: {@code ToTensor()} alone. */
        static final Defaults TO_TENSOR = new Defaults(List.of(), List.of(), List.of(0.0), List.of(1.0));
    }

    /**
     * @param config the model config
     * @param defaults the handler's pipeline without keys
     * @return the pipeline the config describes
     * @throws IllegalArgumentException naming the key that is wrong
     */
    static Preprocessing from(ModelConfig config, Defaults defaults) {
        // Naming either size step replaces the default pair: `resize: [28, 28]` alone means no crop.
        boolean configured = config.has("resize") || config.has("center_crop");
        List<Integer> resize = size(config, "resize", configured ? List.of() : defaults.resize());
        List<Integer> crop = size(config, "center_crop", configured ? List.of() : defaults.centerCrop());
        boolean grayscale = config.getBoolean("grayscale", false);
        int channels = grayscale ? 1 : 3;
        float[] mean = perChannel("mean", config.getDoubles("mean").orElse(defaults.mean()), channels);
        float[] std = perChannel("std", config.getDoubles("std").orElse(defaults.std()), channels);
        return new Preprocessing(resize, crop, grayscale, mean, std);
    }

    private static List<Integer> size(ModelConfig config, String key, List<Integer> absent) {
        if (config.getString(key).filter(NONE::equalsIgnoreCase).isPresent()) {
            return List.of();
        }
        List<Integer> size = config.getInts(key).orElse(absent);
        checkSize(key, size);
        return size;
    }

    private static float[] perChannel(String key, List<Double> values, int channels) {
        if (values.size() != 1 && values.size() != channels) {
            throw new IllegalArgumentException(
                    "model-config.yaml: handler." + key + " needs 1 or " + channels + " values, not " + values.size());
        }
        float[] result = new float[channels];
        for (int c = 0; c < channels; c++) {
            result[c] = values.get(values.size() == 1 ? 0 : c).floatValue();
        }
        return result;
    }

    private static void checkSize(String key, List<Integer> size) {
        if (size.size() > 2 || size.stream().anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("model-config.yaml: handler." + key
                    + " must be none, a positive size or [height, width], not " + size);
        }
    }

    /** @return the number of channels of the model's input */
    int channels() {
        return grayscale ? 1 : 3;
    }

    /**
     * @param image a decoded image, with {@link #channels()} planes
     * @param arena where the tensor's values go
     * @return the normalized {@code C×H×W} tensor
     */
    InputTensor apply(Pixels image, InputArena arena) {
        Pixels pixels = resized(image);
        if (!centerCrop.isEmpty()) {
            pixels = pixels.centerCrop(centerCrop.get(centerCrop.size() - 1), centerCrop.get(0));
        }
        int plane = pixels.width() * pixels.height();
        InputTensor tensor = InputTensor.of(arena, Shapes.of(channels(), pixels.height(), pixels.width()));
        FloatBuffer data = tensor.floats();
        for (int c = 0; c < channels(); c++) {
            byte[] samples = pixels.planes()[c];
            for (int i = 0; i < plane; i++) {
                // ToTensor, then Normalize, in float32 as torchvision computes them.
                data.put(c * plane + i, ((samples[i] & 0xff) / 255f - mean[c]) / std[c]);
            }
        }
        return tensor;
    }

    /**
     * @param width an image's width
     * @param height its height
     * @return the pixels of the model input it becomes, height × width after resize and crop:
     *     known from the image's header, before its pixels are decoded
     */
    long inputPixels(int width, int height) {
        if (!centerCrop.isEmpty()) {
            return (long) centerCrop.get(0) * centerCrop.get(centerCrop.size() - 1);
        }
        int[] size = resizedSize(width, height);
        return (long) size[0] * size[1];
    }

    private Pixels resized(Pixels pixels) {
        if (resize.isEmpty()) {
            return pixels;
        }
        int[] size = resizedSize(pixels.width(), pixels.height());
        return pixels.resize(size[0], size[1]);
    }

    /** @return {@code [width, height]} after the resize step */
    private int[] resizedSize(int w, int h) {
        if (resize.isEmpty()) {
            return new int[] {w, h};
        }
        if (resize.size() == 2) {
            return new int[] {resize.get(1), resize.get(0)};
        }
        // torchvision: the shorter side becomes `size`, the longer one keeps the aspect ratio (truncated).
        int size = resize.get(0);
        return w <= h ? new int[] {size, (int) ((long) size * h / w)} : new int[] {(int) ((long) size * w / h), size};
    }
}

package dev.serval.handlers.image;

import dev.serval.sdk.HandlerException;
import dev.serval.sdk.ModelConfig;
import java.util.List;

/**
 * torchvision's classic pipeline — {@code Grayscale? → Resize → CenterCrop → ToTensor →
 * Normalize} — configured from the model config's {@code handler:} section. Without keys it is
 * TorchServe's image_classifier default: resize 256, centre crop 224, ImageNet mean and std.
 *
 * @param resize empty: none; one value: the shorter side; two: exact {@code [height, width]}
 * @param centerCrop empty: none; one value: square; two: {@code [height, width]}
 * @param grayscale one channel instead of three
 * @param mean per-channel mean (one value applies to every channel)
 * @param std per-channel standard deviation
 */
record Preprocessing(List<Integer> resize, List<Integer> centerCrop, boolean grayscale, float[] mean, float[] std) {

    private static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
    private static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);

    /**
     * @param config the model config
     * @return the pipeline it describes
     * @throws IllegalArgumentException naming the key that is wrong
     */
    static Preprocessing from(ModelConfig config) {
        boolean configured = config.has("resize") || config.has("center_crop");
        List<Integer> resize = config.getInts("resize").orElse(configured ? List.of() : List.of(256));
        List<Integer> crop = config.getInts("center_crop").orElse(configured ? List.of() : List.of(224));
        boolean grayscale = config.getBoolean("grayscale", false);
        int channels = grayscale ? 1 : 3;
        float[] mean = perChannel("mean", config.getDoubles("mean").orElse(IMAGENET_MEAN), channels);
        float[] std = perChannel("std", config.getDoubles("std").orElse(IMAGENET_STD), channels);
        checkSize("resize", resize);
        checkSize("center_crop", crop);
        return new Preprocessing(resize, crop, grayscale, mean, std);
    }

    private static float[] perChannel(String key, List<Double> values, int channels) {
        if (values.size() != 1 && values.size() != channels) {
            throw new IllegalArgumentException("model-config.yaml: handler." + key + " needs 1 or " + channels
                    + " values, not " + values.size());
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
                    + " must be a positive size or [height, width], not " + size);
        }
    }

    /** @return the number of channels of the model's input */
    int channels() {
        return grayscale ? 1 : 3;
    }

    /**
     * @param image an encoded image
     * @return the normalized {@code C×H×W} tensor data and its height and width
     * @throws HandlerException 400 when the image cannot be decoded
     */
    Tensor apply(byte[] image) throws HandlerException {
        Pixels pixels = Pixels.decode(image, grayscale);
        pixels = resized(pixels);
        if (!centerCrop.isEmpty()) {
            pixels = pixels.centerCrop(centerCrop.get(centerCrop.size() - 1), centerCrop.get(0));
        }
        int plane = pixels.width() * pixels.height();
        float[] data = new float[channels() * plane];
        for (int c = 0; c < channels(); c++) {
            int[] samples = pixels.planes()[c];
            for (int i = 0; i < plane; i++) {
                // ToTensor, then Normalize, in float32 as torchvision computes them.
                data[c * plane + i] = (samples[i] / 255f - mean[c]) / std[c];
            }
        }
        return new Tensor(data, pixels.height(), pixels.width());
    }

    private Pixels resized(Pixels pixels) {
        if (resize.isEmpty()) {
            return pixels;
        }
        if (resize.size() == 2) {
            return pixels.resize(resize.get(1), resize.get(0));
        }
        // torchvision: the shorter side becomes `size`, the longer one keeps the aspect ratio (truncated).
        int size = resize.get(0);
        int w = pixels.width();
        int h = pixels.height();
        return w <= h ? pixels.resize(size, (int) ((long) size * h / w)) : pixels.resize((int) ((long) size * w / h), size);
    }

    /**
     * @param data {@code C×H×W} floats
     * @param height H
     * @param width W
     */
    record Tensor(float[] data, int height, int width) {
    }
}

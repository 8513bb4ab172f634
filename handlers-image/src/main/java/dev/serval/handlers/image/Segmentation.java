package dev.serval.handlers.image;

import dev.serval.sdk.Labels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * One image's segmentation: the most probable class of every pixel and its softmax probability,
 * computed from {@code K×H×W} logits.
 *
 * @param classes how many classes the model scores
 * @param height H
 * @param width W
 * @param mask the argmax class of each pixel, row-major
 * @param probabilities the softmax probability of that class, row-major
 */
record Segmentation(int classes, int height, int width, int[] mask, float[] probabilities) {

    /**
     * @param logits the model's output for a batch, {@code N×K×H×W}, flattened
     * @param image which image of the batch
     * @param classes K
     * @param height H
     * @param width W
     * @return the image's segmentation
     */
    static Segmentation of(float[] logits, int image, int classes, int height, int width) {
        int plane = height * width;
        int offset = image * classes * plane;
        int[] mask = new int[plane];
        float[] probabilities = new float[plane];
        for (int p = 0; p < plane; p++) {
            int best = 0;
            float max = logits[offset + p];
            for (int k = 1; k < classes; k++) {
                float value = logits[offset + k * plane + p];
                if (value > max) {
                    max = value;
                    best = k;
                }
            }
            // The largest softmax value is 1 / Σ exp(x_k − max): no need to normalize every class.
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(logits[offset + k * plane + p] - max);
            }
            mask[p] = best;
            probabilities[p] = (float) (1 / sum);
        }
        return new Segmentation(classes, height, width, mask, probabilities);
    }

    /**
     * TorchServe's image_segmenter response: for every pixel, {@code [class, probability]}, the
     * class as a float as {@code torch.stack} leaves it.
     *
     * @return {@code [H][W][2]}
     */
    float[][][] full() {
        float[][][] rows = new float[height][width][];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                rows[y][x] = new float[] {mask[p], probabilities[p]};
            }
        }
        return rows;
    }

    /**
     * @param labels the class names
     * @return {@code shape}, {@code labels}, {@code pixel_counts} per label and the {@code [H][W]} mask
     */
    Map<String, Object> compact(Labels labels) {
        List<String> names = new ArrayList<>(classes);
        long[] counts = new long[classes];
        for (int k = 0; k < classes; k++) {
            names.add(labels.name(k));
        }
        int[][] rows = new int[height][width];
        for (int p = 0; p < mask.length; p++) {
            counts[mask[p]]++;
            rows[p / width][p % width] = mask[p];
        }
        Map<String, Long> pixelCounts = new LinkedHashMap<>();
        for (int k = 0; k < classes; k++) {
            pixelCounts.merge(names.get(k), counts[k], Long::sum);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("shape", List.of(height, width));
        result.put("labels", names);
        result.put("pixel_counts", pixelCounts);
        result.put("mask", rows);
        return result;
    }

    /** @return the mask as a greyscale PNG whose pixel values are class indices (16-bit past 256 classes) */
    byte[] png() {
        BufferedImage image = new BufferedImage(
                width, height, classes <= 256 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, width, height, 0, mask);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding into memory failed", e);
        }
        return png.toByteArray();
    }
}

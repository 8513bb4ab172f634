package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serval.sdk.Labels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationTest {

    /** Two images of 1×2 pixels, 3 classes, channel-major as the model answers them. */
    private static final float[] LOGITS = {
        // image 0: class planes
        0, 5, /* */ 2, 0, /* */ 1, 0,
        // image 1
        0, 0, /* */ 0, 0, /* */ 3, 1
    };

    @Test
    void argmaxAndItsSoftmaxProbabilityPerPixel() {
        Segmentation second = Segmentation.of(LOGITS, 1, 3, 1, 2);
        assertArrayEquals(new int[] {2, 2}, second.mask());
        double e3 = Math.exp(3);
        double e1 = Math.exp(1);
        assertArrayEquals(
                new float[] {(float) (e3 / (e3 + 2)), (float) (e1 / (e1 + 2))}, second.probabilities(), 1e-7f);
        Segmentation first = Segmentation.of(LOGITS, 0, 3, 1, 2);
        assertArrayEquals(new int[] {1, 0}, first.mask());
        // TorchServe's form: [H][W][class as float, probability]
        assertEquals(1f, first.full()[0][0][0]);
        assertEquals(0f, first.full()[0][1][0]);
        assertEquals(first.probabilities()[1], first.full()[0][1][1]);
    }

    @Test
    void compactFormCountsPixelsPerLabel(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve(Labels.INDEX_TO_NAME), "{\"0\": \"background\", \"1\": \"circle\", \"2\": \"square\"}");
        Map<String, Object> compact = Segmentation.of(LOGITS, 0, 3, 1, 2).compact(Labels.read(dir));
        assertEquals(List.of(1, 2), compact.get("shape"));
        assertEquals(List.of("background", "circle", "square"), compact.get("labels"));
        assertEquals(Map.of("background", 1L, "circle", 1L, "square", 0L), compact.get("pixel_counts"));
        assertArrayEquals(new int[][] {{1, 0}}, (int[][]) compact.get("mask"));
    }

    @Test
    void pngMaskHoldsClassIndices() throws Exception {
        BufferedImage png = ImageIO.read(
                new ByteArrayInputStream(Segmentation.of(LOGITS, 0, 3, 1, 2).png()));
        assertArrayEquals(new int[] {1, 0}, png.getRaster().getSamples(0, 0, 2, 1, 0, (int[]) null));
    }
}

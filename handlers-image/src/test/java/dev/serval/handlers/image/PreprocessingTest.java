package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.HandlerException;
import dev.serval.sdk.ModelConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    private static Preprocessing of(Map<String, Object> handler) {
        return Preprocessing.from(ModelConfig.of(Map.of("handler", handler)));
    }

    @Test
    void withoutKeysItIsTorchServesImageClassifierDefault() {
        Preprocessing p = Preprocessing.from(ModelConfig.empty());
        assertEquals(List.of(256), p.resize());
        assertEquals(List.of(224), p.centerCrop());
        assertFalse(p.grayscale());
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, p.mean());
    }

    @Test
    void resizeWithoutCenterCropMeansNoCrop() {
        Preprocessing p = of(Map.of("resize", List.of(28, 28), "grayscale", true, "mean", List.of(0.1302), "std", List.of(0.3069)));
        assertEquals(List.of(28, 28), p.resize());
        assertTrue(p.centerCrop().isEmpty());
        assertEquals(1, p.channels());
    }

    @Test
    void wrongKeysAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("mean", List.of(0.1, 0.2))));
        assertTrue(e.getMessage().contains("handler.mean"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> of(Map.of("resize", List.of(0))));
        assertTrue(e.getMessage().contains("handler.resize"), e.getMessage());
    }

    @Test
    void normalizesAsToTensorThenNormalize() throws Exception {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(0, 0, 0, 0);
        image.getRaster().setSample(1, 0, 0, 255);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        Preprocessing p = of(Map.of("resize", List.of(1, 2), "grayscale", true, "mean", List.of(0.5), "std", List.of(0.25)));
        Preprocessing.Tensor tensor = p.apply(png.toByteArray());
        assertArrayEquals(new float[] {-2f, 2f}, tensor.data(), 1e-6f);
    }

    @Test
    void centerCropRoundsHalvesToEvenAsPython() {
        int[] plane = {0, 1, 2, 3, 4};
        Pixels cropped = new Pixels(5, 1, new int[][] {plane}).centerCrop(2, 1);
        // (5 - 2) / 2 = 1.5, and Python's round(1.5) is 2
        assertArrayEquals(new int[] {2, 3}, cropped.planes()[0]);
    }

    @Test
    void bytesThatAreNotAnImageAreABadRequest() {
        Preprocessing p = Preprocessing.from(ModelConfig.empty());
        HandlerException e = assertThrows(HandlerException.class, () -> p.apply("hello".getBytes()));
        assertEquals(400, e.status());
        assertEquals(400, assertThrows(HandlerException.class, () -> p.apply(new byte[0])).status());
    }
}

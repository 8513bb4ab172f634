package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.serval.sdk.ModelConfig;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    private static final InputArena ARENA = new InputArena(1 << 20);

    private static Preprocessing of(Map<String, Object> handler) {
        return Preprocessing.from(ModelConfig.of(Map.of("handler", handler)), Preprocessing.Defaults.IMAGENET);
    }

    @Test
    void withoutKeysItIsTheHandlersTorchServeDefault() {
        Preprocessing p = Preprocessing.from(ModelConfig.empty(), Preprocessing.Defaults.IMAGENET);
        assertEquals(List.of(256), p.resize());
        assertEquals(List.of(224), p.centerCrop());
        assertFalse(p.grayscale());
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, p.mean());

        Preprocessing toTensor = Preprocessing.from(ModelConfig.empty(), Preprocessing.Defaults.TO_TENSOR);
        assertTrue(toTensor.resize().isEmpty());
        assertTrue(toTensor.centerCrop().isEmpty());
        assertArrayEquals(new float[] {0f, 0f, 0f}, toTensor.mean());
        assertArrayEquals(new float[] {1f, 1f, 1f}, toTensor.std());
    }

    @Test
    void noneKeepsTheImagesOwnSize() {
        Preprocessing p = of(Map.of("resize", "none", "center_crop", "None"));
        assertTrue(p.resize().isEmpty());
        assertTrue(p.centerCrop().isEmpty());
        InputTensor tensor = p.apply(Pixels.of(new BufferedImage(40, 24, BufferedImage.TYPE_3BYTE_BGR), false), ARENA);
        assertEquals(new Shape(3, 24, 40), tensor.shape());
    }

    @Test
    void resizeWithoutCenterCropMeansNoCrop() {
        Preprocessing p = of(
                Map.of("resize", List.of(28, 28), "grayscale", true, "mean", List.of(0.1302), "std", List.of(0.3069)));
        assertEquals(List.of(28, 28), p.resize());
        assertTrue(p.centerCrop().isEmpty());
        assertEquals(1, p.channels());
    }

    @Test
    void inputPixelsAreThoseTheModelGetsKnownBeforeDecoding() {
        for (Preprocessing p : List.of(
                of(Map.of("resize", "none")),
                of(Map.of("resize", 28)),
                of(Map.of("resize", List.of(30, 20))),
                of(Map.of()))) {
            InputTensor tensor =
                    p.apply(Pixels.of(new BufferedImage(40, 24, BufferedImage.TYPE_3BYTE_BGR), false), ARENA);
            assertEquals(tensor.shape().get(1) * tensor.shape().get(2), p.inputPixels(40, 24), p.toString());
        }
        assertEquals(224 * 224, of(Map.of()).inputPixels(9000, 9000));
        assertEquals(9000L * 9000, of(Map.of("resize", "none")).inputPixels(9000, 9000));
    }

    @Test
    void wrongKeysAreNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> of(Map.of("mean", List.of(0.1, 0.2))));
        assertTrue(e.getMessage().contains("handler.mean"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> of(Map.of("resize", List.of(0))));
        assertTrue(e.getMessage().contains("handler.resize"), e.getMessage());
    }

    @Test
    void normalizesAsToTensorThenNormalize() throws Exception {
        Pixels image = new Pixels(2, 1, new byte[][] {Samples.plane(0, 255)});
        Preprocessing p =
                of(Map.of("resize", List.of(1, 2), "grayscale", true, "mean", List.of(0.5), "std", List.of(0.25)));
        InputTensor tensor = p.apply(image, ARENA);
        assertArrayEquals(new float[] {-2f, 2f}, Samples.values(tensor), 1e-6f);
    }

    @Test
    void centerCropRoundsHalvesToEvenAsPython() {
        Pixels cropped = new Pixels(5, 1, new byte[][] {Samples.plane(0, 1, 2, 3, 4)}).centerCrop(2, 1);
        // (5 - 2) / 2 = 1.5, and Python's round(1.5) is 2
        assertArrayEquals(new int[] {2, 3}, Samples.of(cropped.planes()[0]));
    }
}

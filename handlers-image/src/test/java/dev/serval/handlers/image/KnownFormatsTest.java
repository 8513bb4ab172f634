package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.spi.ImageReaderSpi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownFormatsTest {

    private static final KnownFormats FORMATS = new KnownFormats();

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
    void aFileIsKnownByItsFirstBytes(String format) throws Exception {
        ImageReaderSpi reader = FORMATS.readerOf(encode(format));
        assertTrue(
                reader != null && Arrays.asList(reader.getFormatNames()).contains(format),
                format + " gave " + (reader == null ? null : List.of(reader.getFormatNames())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiff", "wbmp"})
    void otherFormatsAreLeftToImageIo(String format) throws Exception {
        assertNull(FORMATS.readerOf(encode(format)));
        assertNull(FORMATS.readerOf(new byte[0]));
        assertNull(FORMATS.readerOf(new byte[] {(byte) 0x89, 'P', 'N'}), "a PNG signature cut short");
    }

    private static byte[] encode(String format) throws Exception {
        BufferedImage image = new BufferedImage(
                4, 4, format.equals("wbmp") ? BufferedImage.TYPE_BYTE_BINARY : BufferedImage.TYPE_3BYTE_BGR);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }
}

package dev.serval.kernel.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;

/**
 * Writes a non-finite float or double ({@code NaN}, {@code ±Infinity}) as JSON's {@code null}.
 * JSON has no such numbers: Jackson writes them as the strings {@code "NaN"} and
 * {@code "Infinity"} (or, with that feature off, as bare words no JSON parser reads), so a model
 * answering NaN would make a client's parser fail or read text where a number belongs. Every
 * answer the server writes goes through generators decorated by this, primitive arrays included.
 */
final class FiniteNumbers implements JsonGeneratorDecorator {

    @Override
    public JsonGenerator decorate(JsonFactory factory, JsonGenerator generator) {
        return new JsonGeneratorDelegate(generator, true) {
            @Override
            public void writeNumber(double value) throws IOException {
                if (Double.isFinite(value)) {
                    super.writeNumber(value);
                } else {
                    writeNull();
                }
            }

            @Override
            public void writeNumber(float value) throws IOException {
                if (Float.isFinite(value)) {
                    super.writeNumber(value);
                } else {
                    writeNull();
                }
            }

            /** The delegate would write the whole array itself, past {@link #writeNumber(double)}. */
            @Override
            public void writeArray(double[] array, int offset, int length) throws IOException {
                writeStartArray(array, length);
                for (int i = offset; i < offset + length; i++) {
                    writeNumber(array[i]);
                }
                writeEndArray();
            }
        };
    }
}

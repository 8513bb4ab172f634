package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"digits", "Digits2", "resnet-18", "bert_base", "v1.0", "a..b", "9"})
    void acceptsTorchServesNames(String name) {
        assertTrue(ModelNames.isValid(name), name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                ".hidden",
                "-x",
                "_x",
                "a/b",
                "../etc",
                "a\\b",
                "a b",
                "a\nb",
                "a\u0000",
                "a\u001b[31m",
                "digits%2F1",
                "ünicode",
                "a:b"
            })
    void refusesPathsControlCharactersAndOthers(String name) {
        assertFalse(ModelNames.isValid(name), name);
    }

    @Test
    void boundsTheLength() {
        assertTrue(ModelNames.isValid("a".repeat(ModelNames.MAX_LENGTH)));
        assertFalse(ModelNames.isValid("a".repeat(ModelNames.MAX_LENGTH + 1)));
    }
}

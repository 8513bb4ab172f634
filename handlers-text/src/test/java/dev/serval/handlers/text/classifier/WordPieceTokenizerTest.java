package dev.serval.handlers.text.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.serval.handlers.text.ReferenceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenizer_config.json decides the case: the reference vocabulary is all lower case. */
class WordPieceTokenizerTest {

    @Test
    void lowerCasesByDefault() throws Exception {
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.open(ReferenceFiles.DIR, 128)) {
            assertArrayEquals(tokenizer.encode("great soup"), tokenizer.encode("GREAT Soup"));
        }
    }

    @Test
    void keepsTheCaseWhenTheConfigSaysSo(@TempDir Path dir) throws Exception {
        Files.copy(ReferenceFiles.DIR.resolve(WordPieceTokenizer.VOCAB), dir.resolve(WordPieceTokenizer.VOCAB));
        Files.writeString(
                dir.resolve(WordPieceTokenizer.CONFIG), "{\"do_lower_case\": false, \"unk_token\": \"[UNK]\"}");
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.open(dir, 128)) {
            long[] upper = tokenizer.encode("GREAT");
            assertArrayEquals(
                    new long[] {1}, upper, "no upper-case pieces: one [UNK] (id 1) — " + Arrays.toString(upper));
            assertFalse(Arrays.equals(upper, tokenizer.encode("great")));
        }
    }
}

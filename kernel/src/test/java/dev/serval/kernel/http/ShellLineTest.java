package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a restricted remote shell takes as a command line, and the attacks it does not. */
class ShellLineTest {

    @Test
    void plainWordsAreTheirWords() {
        assertEquals(List.of("serval:list"), ShellLine.words("serval:list"));
        assertEquals(List.of("lb", "-s"), ShellLine.words("  lb   -s "));
        assertEquals(
                List.of("serval:register", "file:///srv/models/digits_v2.mar"),
                ShellLine.words("serval:register file:///srv/models/digits_v2.mar"));
        assertEquals(List.of("serval:scale", "digits", "2"), ShellLine.words("serval:scale digits 2"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lb;exec",
                "lb ; exec",
                "serval:list | grep x",
                "lb & stop 0",
                "lb && stop 0",
                "lb\nstop 0",
                "lb\rstop 0",
                "$.context",
                "echo ${x}",
                "($.context bundle 0) loadClass java.lang.Runtime",
                "[a b]",
                "{ stop 0 }",
                "lb \"x\"",
                "lb 'x'",
                "lb \\x",
                "lb > /tmp/x",
                "lb < /tmp/x",
                "x = y",
                "lb *",
                "lb ?",
                "lb ~",
                "lb # c",
                "lb\tx",
                "lb %x",
                "lb @x",
                "lb x,y",
                "lb !x",
                // look-alikes: fullwidth l and b, Cyrillic а, a fullwidth colon, no-break and zero-width spaces
                "\uff4c\uff42",
                "serv\u0430l:list",
                "serval\uff1alist",
                "lb\u00a0-s",
                "lb\u200b",
                "lb\u2028stop 0",
                "lb\u0000"
            })
    void scriptingAndLookAlikesAreRefusedNamingTheCharacter(String line) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ShellLine.words(line));
        assertTrue(
                refused.getMessage().matches("Character ('.' \\()?U\\+[0-9A-F]{4}\\)? at \\d+ is refused: .*"),
                refused.getMessage());
    }

    @Test
    void aVeryLongLineIsRefusedUnread() {
        assertThrows(IllegalArgumentException.class, () -> ShellLine.words("lb " + "x".repeat(ShellLine.MAX_LENGTH)));
        assertEquals(
                2, ShellLine.words("lb " + "x".repeat(ShellLine.MAX_LENGTH - 3)).size());
    }

    @Test
    void aBlankLineIsNoCommand() {
        assertEquals(
                "No command",
                assertThrows(IllegalArgumentException.class, () -> ShellLine.words("  "))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellLine.words(""));
    }
}

package dev.serval.kernel.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the console's log keeps of the lines written: the last ones, whole or cut, as written. */
class LastLinesTest {

    @Test
    void theLastLinesAreKeptAndEverythingIsStillWritten() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        LastLines lines = new LastLines(3);
        PrintStream out = lines.teeing(new PrintStream(written, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8);

        for (int i = 1; i <= 5; i++) {
            out.println("line " + i + " é");
        }
        out.print("not ended yet");

        assertEquals(List.of("line 3 é", "line 4 é", "line 5 é"), lines.last(10));
        assertEquals(List.of("line 5 é"), lines.last(1));
        assertEquals(
                "line 1 é\nline 2 é\nline 3 é\nline 4 é\nline 5 é\nnot ended yet".replace("\n", System.lineSeparator()),
                written.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLongLineIsCutAndTwoStreamsDoNotMixTheirLines() {
        LastLines lines = new LastLines(10);
        PrintStream out = lines.teeing(new PrintStream(new ByteArrayOutputStream()), StandardCharsets.UTF_8);
        PrintStream err = lines.teeing(new PrintStream(new ByteArrayOutputStream()), StandardCharsets.UTF_8);

        out.print("out ");
        err.println("err");
        out.println("x".repeat(3 * LastLines.MAX_LINE));

        assertEquals("err", lines.last(10).get(0));
        assertEquals(LastLines.MAX_LINE, lines.last(10).get(1).length());
    }

    @Test
    void linesSplitOrJoinedAcrossWritesAreKeptWhole() throws Exception {
        LastLines lines = new LastLines(10);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        LastLines.Tee tee = new LastLines.Tee(written, StandardCharsets.UTF_8, lines::add);
        byte[] two = "first\nsec".getBytes(StandardCharsets.UTF_8);
        tee.write(two, 0, two.length);
        tee.write('o');
        byte[] rest = "nd é\r\nthird\n".getBytes(StandardCharsets.UTF_8);
        tee.write(rest, 0, rest.length);
        byte[] longLine = ("y".repeat(LastLines.MAX_LINE + 10) + "\n").getBytes(StandardCharsets.UTF_8);
        tee.write(longLine, 0, longLine.length);

        assertEquals(List.of("first", "second é", "third", "y".repeat(LastLines.MAX_LINE)), lines.last(10));
        assertEquals(
                "first\nsecond é\r\nthird\n" + "y".repeat(LastLines.MAX_LINE + 10) + "\n",
                written.toString(StandardCharsets.UTF_8));
    }
}

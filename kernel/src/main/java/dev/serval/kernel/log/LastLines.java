package dev.serval.kernel.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The last lines written to {@code System.out} and {@code System.err}, kept in memory: each stream
 * is replaced by one writing to the original and, line by line, into a bounded queue. A line is cut
 * at {@link #MAX_LINE} bytes, so the memory is bounded by the count, not by what is logged.
 */
final class LastLines implements ServerLog {

    /** The longest line kept, in bytes; the rest of a longer one is dropped. */
    static final int MAX_LINE = 4096;

    private final int kept;
    private final Deque<String> lines = new ArrayDeque<>();

    /** @param kept how many lines to keep */
    LastLines(int kept) {
        this.kept = kept;
    }

    /** Puts itself between the process and its standard output and error. */
    void tee() {
        System.setOut(teeing(System.out, encoding("sun.stdout.encoding")));
        System.setErr(teeing(System.err, encoding("sun.stderr.encoding")));
    }

    /** @return the encoding Java 17 gave the stream: the terminal's, else the platform's */
    private static Charset encoding(String property) {
        String name = System.getProperty(property);
        return name != null && Charset.isSupported(name) ? Charset.forName(name) : Charset.defaultCharset();
    }

    /**
     * @param original where the stream wrote so far
     * @param charset the encoding it writes in
     * @return a stream writing there, in the same encoding, and into these lines
     */
    PrintStream teeing(PrintStream original, Charset charset) {
        return new PrintStream(new Tee(original, charset, this::add), true, charset);
    }

    @Override
    public synchronized List<String> last(int count) {
        List<String> all = new ArrayList<>(lines);
        return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
    }

    @Override
    public boolean captured() {
        return true;
    }

    /** @param line a line written, kept as the last one */
    synchronized void add(String line) {
        if (lines.size() == kept) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Writes to the original stream and gathers lines; each stream has its own, so lines do not mix. */
    static final class Tee extends OutputStream {

        private final OutputStream original;
        private final Charset charset;
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        /**
         * @param original where the bytes go
         * @param charset the encoding they are in
         * @param lines told each line written, without its line break
         */
        Tee(OutputStream original, Charset charset, Consumer<String> lines) {
            this.original = original;
            this.charset = charset;
            this.lines = lines;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /**
         * Gathers a line at a time, not a byte at a time: every log event comes here, on the
         * thread that logged it (the access log's on every request's), and a whole line in one
         * write, as Logback writes an event, is decoded straight from the caller's bytes.
         */
        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            original.write(bytes, offset, length);
            int start = offset;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    endLine(bytes, start, i - start);
                    start = i + 1;
                }
            }
            keep(bytes, start, offset + length - start);
        }

        /** Ends the line begun in {@link #line} with these bytes, cut at {@link #MAX_LINE} in all. */
        private void endLine(byte[] bytes, int offset, int length) {
            if (line.size() == 0) {
                lines.accept(new String(bytes, offset, Math.min(length, MAX_LINE), charset).stripTrailing());
                return;
            }
            keep(bytes, offset, length);
            lines.accept(line.toString(charset).stripTrailing());
            line.reset();
        }

        private void keep(byte[] bytes, int offset, int length) {
            int room = MAX_LINE - line.size();
            if (length > 0 && room > 0) {
                line.write(bytes, offset, Math.min(length, room));
            }
        }

        @Override
        public void flush() throws IOException {
            original.flush();
        }
    }
}

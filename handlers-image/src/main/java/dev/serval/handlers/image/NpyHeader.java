package dev.serval.handlers.image;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of an {@code .npy} file: the Python dict literal NumPy writes,
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 28, 28), }}, parsed strictly:
 * exactly those three keys, strings, {@code True}/{@code False} and a tuple of whole numbers, as
 * NumPy's own reader ({@code ast.literal_eval}, then its checks) accepts them.
 *
 * @param descr the dtype, e.g. {@code <f4}
 * @param fortranOrder whether the data is column-major
 * @param shape the dimensions, none for a scalar
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    /** NumPy refuses more dimensions than this. */
    private static final int MAX_DIMENSIONS = 64;

    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /**
     * @param text the header, after the length field
     * @return what it says
     * @throws IllegalArgumentException saying what is malformed
     */
    static NpyHeader parse(String text) {
        Parser parser = new Parser(text);
        Map<String, Object> dict = parser.dict();
        parser.end();
        if (!dict.keySet().equals(KEYS)) {
            throw new IllegalArgumentException("the header must have exactly the keys 'descr', 'fortran_order' and "
                    + "'shape', not " + dict.keySet());
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new IllegalArgumentException("'descr' must be a string such as '<f4'");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new IllegalArgumentException("'fortran_order' must be True or False");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new IllegalArgumentException("'shape' must be a tuple of whole numbers");
        }
        return new NpyHeader(descr, fortranOrder, shape);
    }

    /** A recursive-descent reader of the few Python literals a header holds. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Map<String, Object> dict() {
            expect('{');
            Map<String, Object> dict = new HashMap<>();
            while (!peek('}')) {
                String key = string();
                expect(':');
                if (dict.put(key, value()) != null) {
                    throw malformed("key '" + key + "' twice");
                }
                if (!peek('}')) {
                    expect(',');
                }
            }
            expect('}');
            return dict;
        }

        /** Only the padding may follow the dict: spaces and the final newline. */
        void end() {
            skipSpace();
            if (at < text.length()) {
                throw malformed("text after the dict");
            }
        }

        private Object value() {
            skipSpace();
            if (at < text.length() && (text.charAt(at) == '\'' || text.charAt(at) == '"')) {
                return string();
            }
            if (text.startsWith("True", at)) {
                at += 4;
                return true;
            }
            if (text.startsWith("False", at)) {
                at += 5;
                return false;
            }
            return tuple();
        }

        /** A tuple of one needs its comma, as in Python: {@code (784,)}; {@code (784)} is a number. */
        private long[] tuple() {
            expect('(');
            List<Long> values = new ArrayList<>();
            boolean comma = false;
            while (!peek(')')) {
                if (values.size() == MAX_DIMENSIONS) {
                    throw malformed("more than " + MAX_DIMENSIONS + " dimensions");
                }
                values.add(wholeNumber());
                comma = peek(',');
                if (comma) {
                    at++;
                } else if (!peek(')')) {
                    throw malformed("',' or ')' expected");
                }
            }
            expect(')');
            if (values.size() == 1 && !comma) {
                throw malformed("a shape of one dimension is written (n,)");
            }
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private long wholeNumber() {
            skipSpace();
            int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            // 18 digits always fit a long; no real dimension has more.
            if (at == start || at - start > 18) {
                throw malformed("a dimension must be a whole number");
            }
            return Long.parseLong(text.substring(start, at));
        }

        private String string() {
            skipSpace();
            char quote = at < text.length() ? text.charAt(at) : 0;
            if (quote != '\'' && quote != '"') {
                throw malformed("a quoted string expected");
            }
            int close = text.indexOf(quote, at + 1);
            if (close < 0 || text.substring(at + 1, close).indexOf('\\') >= 0) {
                throw malformed("an unterminated or escaped string");
            }
            String value = text.substring(at + 1, close);
            at = close + 1;
            return value;
        }

        private boolean peek(char c) {
            skipSpace();
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw malformed("'" + c + "' expected");
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\n')) {
                at++;
            }
        }

        private IllegalArgumentException malformed(String what) {
            return new IllegalArgumentException("malformed header at character " + at + ": " + what);
        }
    }
}

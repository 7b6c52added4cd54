package io.mocoj.eval.internal;

/**
 * Python {@code str} behaviour the toolkit's rules depend on where Java differs: {@code str.strip()}
 * removes every character for which {@code str.isspace()} is true, which includes the no-break spaces
 * U+00A0, U+2007, U+202F and U+0085 that {@link String#strip()} keeps.
 */
public final class PyText {
    private PyText() {}

    /** Python's {@code str.isspace()} for one character. */
    public static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00a0' || c == '\u2007' || c == '\u202f' || c == '\u0085';
    }

    /** Python's {@code str.strip()} with no argument. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) start++;
        while (end > start && isSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    /** Python's {@code str.rstrip(chars)}. */
    public static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) end--;
        return s.substring(0, end);
    }
}

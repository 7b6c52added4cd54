package io.mocoj.config;

/** Input quoted in an error message, capped so that a huge value is never echoed whole. */
public final class Quoted {
    /** Longest input quoted whole. */
    public static final int MAX = 120;

    private Quoted() {}

    /** {@code 'text'}, or its first 80 characters with the total length when longer than {@value #MAX}. */
    public static String of(String text) {
        if (text == null) return "null";
        return "'" + cap(text) + "'";
    }

    /** The text itself, or its first 80 characters with the total length when longer than {@value #MAX}. */
    public static String cap(String text) {
        if (text == null || text.length() <= MAX) return text;
        int cut = Character.isHighSurrogate(text.charAt(79)) ? 79 : 80;
        return text.substring(0, cut) + "… (" + text.length() + " characters)";
    }
}

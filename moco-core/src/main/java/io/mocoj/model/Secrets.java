package io.mocoj.model;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API keys this JVM's endpoints were built with, and their removal from text. Endpoints
 * register their key when they are built ({@link #register}); the engine then replaces every
 * registered value, whatever its shape, in answers, errors, cache entries, journals and run logs
 * ({@link #redact}). Text shaped like an OpenAI key ({@code sk-...}) is removed as well.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not registered: replacing them
 * everywhere would mangle ordinary words. Endpoints still remove their own key of any length
 * from their error messages.
 */
public final class Secrets {
    /** Shortest value registered for global redaction. */
    public static final int MIN_LENGTH = 8;
    /** What a secret is replaced with. */
    public static final String MASK = "[redacted]";

    private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_\\-*.]{6,}");
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private Secrets() {}

    /** Remembers {@code value} as a secret (ignored when null or shorter than {@link #MIN_LENGTH}). */
    public static void register(String value) {
        if (value != null && value.length() >= MIN_LENGTH) KNOWN.add(value);
    }

    /** Whether any secret is registered (a fast path for callers). */
    public static boolean any() { return !KNOWN.isEmpty(); }

    /** {@code text} with every registered secret, every {@code extra} value and every key-shaped token replaced; never truncated. */
    public static String redact(String text, List<String> extra) {
        if (text == null || text.isEmpty()) return text;
        return KEY_LIKE.matcher(redactKnown(text, extra)).replaceAll(MASK);
    }

    /**
     * {@code text} with every registered secret and every {@code extra} value replaced, also in its
     * JSON-escaped form, and nothing else (model answers and data keep text that merely looks like a key).
     */
    public static String redactKnown(String text, List<String> extra) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (String s : extra) if (s != null && !s.isEmpty() && out.contains(s)) out = out.replace(s, MASK);
        for (String s : KNOWN) {
            if (out.contains(s)) out = out.replace(s, MASK);
            String escaped = jsonEscaped(s);
            if (!escaped.equals(s) && out.contains(escaped)) out = out.replace(escaped, MASK);
        }
        return out;
    }

    /** {@link #redactKnown(String, List)} with no extra values. */
    public static String redactKnown(String text) { return redactKnown(text, List.of()); }

    /** {@code text} with every registered secret and key-shaped token replaced. */
    public static String redact(String text) { return redact(text, List.of()); }

    /** Whether {@code text} contains a registered secret. */
    public static boolean containsKnown(String text) {
        if (text == null) return false;
        for (String s : KNOWN) if (text.contains(s)) return true;
        return false;
    }

    /**
     * Checks that a key can be sent in an HTTP header: visible ASCII only (no space, line break or
     * control character). The message says where the bad character is, never the key.
     *
     * @throws IllegalArgumentException naming {@code owner} and the position of the first bad character
     */
    public static void requireHeaderSafe(String key, String owner) {
        if (key == null) return;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                String what = c == '\n' || c == '\r' ? "a line break" : c == ' ' || c == '\t' ? "white space"
                        : c < 0x20 || c == 0x7F ? "a control character" : "a non-ASCII character";
                throw new IllegalArgumentException(owner + ": the API key contains " + what + " at position " + (i + 1) + " of "
                        + key.length() + "; an HTTP header cannot carry it. Check how the key was stored (e.g. a file with"
                        + " several lines, or a copy with a space) and set it again (the key itself is not shown)");
            }
        }
    }

    private static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '/' -> b.append('/');
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}

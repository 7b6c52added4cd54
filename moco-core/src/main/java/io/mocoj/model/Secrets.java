package io.mocoj.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The API keys this JVM's endpoints were built with, and their removal from text. Endpoints
 * register their key when they are built ({@link #register}); the engine then replaces every
 * registered value, whatever its shape, in answers, errors, cache entries, journals and run logs
 * ({@link #redact}). Text shaped like an OpenAI key ({@code sk-...}) is removed as well.
 *
 * <p>Values of any length are registered. A value of {@value #MIN_LENGTH} characters or more is
 * replaced wherever it occurs. A shorter one (a placeholder such as {@code EMPTY}, or a short
 * token of a local server) is replaced only where it stands as a whole word, that is not directly
 * preceded or followed by a letter, a digit or {@code _}: replacing it inside other words would
 * mangle ordinary text, and a short key found inside a longer word is not that key. Structural
 * names (JSON field names, see {@link #redactInName}) keep short values. Endpoints remove their own
 * key of any length, also inside words, from their error messages.
 */
public final class Secrets {
    private static final Logger LOG = LoggerFactory.getLogger(Secrets.class);
    /** Shortest value replaced wherever it occurs; shorter values are replaced as whole words only. */
    public static final int MIN_LENGTH = 8;
    /** What a secret is replaced with. */
    public static final String MASK = "[redacted]";

    private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_\\-*.]{6,}");
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    private static final Set<String> SHORT = ConcurrentHashMap.newKeySet();
    /** Whole-word alternatives of every short value (and its JSON-escaped form); null when there is none. */
    private static volatile Pattern shortWords;

    private Secrets() {}

    /** Remembers {@code value} as a secret (ignored when null or empty). */
    public static void register(String value) {
        if (value == null || value.isEmpty()) return;
        if (value.length() >= MIN_LENGTH) {
            KNOWN.add(value);
            return;
        }
        synchronized (SHORT) {
            if (!SHORT.add(value)) return;
            shortWords = wholeWords(SHORT);
        }
        LOG.warn("an API key of only {} characters is configured; it is removed from answers, the cache, the journal and the run log"
                + " where it stands as a whole word, so an answer containing that word is changed too", value.length());
    }

    /** Whether any secret is registered (a fast path for callers). */
    public static boolean any() { return !KNOWN.isEmpty() || shortWords != null; }

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
        out = redactInName(out);
        Pattern words = shortWords;
        return words == null ? out : words.matcher(out).replaceAll(Matcher.quoteReplacement(MASK));
    }

    /**
     * {@code text} with every registered value of {@link #MIN_LENGTH} characters or more replaced
     * (also JSON-escaped), but short values kept: for names that are part of a structure, such as
     * JSON field names, where a short placeholder key equal to a field name must not break it.
     */
    public static String redactInName(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
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
        Pattern words = shortWords;
        return words != null && words.matcher(text).find();
    }

    private static Pattern wholeWords(Set<String> values) {
        String alternatives = values.stream().flatMap(v -> java.util.stream.Stream.of(v, jsonEscaped(v))).distinct()
                .sorted((a, b) -> b.length() != a.length() ? b.length() - a.length() : a.compareTo(b))
                .map(Pattern::quote).collect(Collectors.joining("|"));
        return Pattern.compile("(?<![\\p{L}\\p{N}_])(?:" + alternatives + ")(?![\\p{L}\\p{N}_])");
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

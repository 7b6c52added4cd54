package io.mocoj.eval.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * MoCo's answer normalisation: lower-case, drop ASCII punctuation, replace the whole words
 * a / an / the by a space, collapse white space.
 */
public final class TextNormalizer {
    private TextNormalizer() {}

    /** Python's {@code string.punctuation}. */
    static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final boolean[] IS_PUNCT = new boolean[128];
    static {
        for (char c : ASCII_PUNCTUATION.toCharArray()) IS_PUNCT[c] = true;
    }
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    public static String normalize(String s) {
        if (s == null) return "";
        String lower = s.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c < 128 && IS_PUNCT[c]) continue;
            b.append(c);
        }
        String noArticles = ARTICLES.matcher(b).replaceAll(" ");
        return WHITE.matcher(noArticles).replaceAll(" ").strip();
    }

    /** The white-space separated tokens of the normalised text (empty array for ""). */
    public static String[] tokens(String normalized) {
        return normalized.isEmpty() ? new String[0] : normalized.split(" ");
    }

    /** SQuAD-style token F1 of two normalised strings: both empty = 1, one empty = 0. */
    public static double tokenF1(String prediction, String reference) {
        String[] p = tokens(normalize(prediction));
        String[] r = tokens(normalize(reference));
        if (p.length == 0 && r.length == 0) return 1.0;
        if (p.length == 0 || r.length == 0) return 0.0;
        java.util.HashMap<String, Integer> counts = new java.util.HashMap<>();
        for (String t : r) counts.merge(t, 1, Integer::sum);
        int common = 0;
        for (String t : p) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                common++;
                counts.put(t, c - 1);
            }
        }
        if (common == 0) return 0.0;
        double precision = (double) common / p.length;
        double recall = (double) common / r.length;
        return 2 * precision * recall / (precision + recall);
    }
}

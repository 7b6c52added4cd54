package io.mocoj.eval.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the chosen option letter out of a multiple-choice response. Letters are A, B, … by position. */
public final class ChoiceExtraction {
    private ChoiceExtraction() {}

    /** The strict-mode patterns for a given number of options. */
    private record StrictPatterns(Pattern bare, Pattern boxed, List<Pattern> markers, Pattern lineStart) {
        static StrictPatterns forOptions(int n) {
            String letters = "A-" + (char) ('A' + n - 1);
            String isolated = "(?<![A-Za-z0-9])([" + letters + "])(?![A-Za-z0-9])";
            List<Pattern> markers = new java.util.ArrayList<>();
            for (String marker : List.of("final answer", "answer")) {
                markers.add(Pattern.compile("(?i:\\b" + marker + ")\\s*(?:(?i:is)|:|=)?\\s*[:\\-]?\\s*(?:(?i:option)\\s+)?\\(?" + isolated + "\\)?"));
            }
            return new StrictPatterns(Pattern.compile("\\(?([" + letters + "])\\)?[.:]?"),
                    Pattern.compile("\\\\boxed\\{\\s*\\(?([" + letters + "])\\)?\\s*}"),
                    List.copyOf(markers), Pattern.compile("(?m)^\\s*\\(?([" + letters + "])\\)"));
        }
    }

    private static final StrictPatterns[] STRICT = new StrictPatterns[27];
    static {
        for (int n = 1; n <= 26; n++) STRICT[n] = StrictPatterns.forOptions(n);
    }

    /** The letter of option {@code index} (0 → A). */
    public static String letter(int index) {
        if (index < 0 || index >= 26) throw new IllegalArgumentException("option index out of range A..Z: " + index);
        return String.valueOf((char) ('A' + index));
    }

    /**
     * MoCo-compatible: (a) the lower-cased trimmed response is a letter or starts with
     * {@code x)}, {@code x.} or {@code x } (letters in order); (b) the first option, in order,
     * whose text occurs in the response; (c) the response contains {@code x)}, {@code (x)},
     * {@code answer is x} or {@code x.}; else "" (no answer).
     */
    public static String extractCompatible(String response, List<String> optionTexts) {
        int n = optionTexts.size();
        // Python's lower().strip(): a leading no-break space is removed, as str.strip() does
        String lower = PyText.strip(response.toLowerCase(Locale.ROOT));
        for (int i = 0; i < n; i++) {
            String x = letter(i).toLowerCase(Locale.ROOT);
            if (lower.equals(x) || lower.startsWith(x + ")") || lower.startsWith(x + ".") || lower.startsWith(x + " ")) {
                return letter(i);
            }
        }
        for (int i = 0; i < n; i++) {
            String option = optionTexts.get(i).toLowerCase(Locale.ROOT);
            if (lower.contains(option)) return letter(i);
        }
        for (int i = 0; i < n; i++) {
            String x = letter(i).toLowerCase(Locale.ROOT);
            if (lower.contains(x + ")") || lower.contains("(" + x + ")")
                    || lower.contains("answer is " + x) || lower.contains(x + ".")) {
                return letter(i);
            }
        }
        return "";
    }

    /**
     * Strict: an upper-case letter standing alone (not inside a word) is required, and the
     * most explicit, latest declaration wins: (1) the whole response is a letter, optionally
     * as {@code (B)}, {@code B)}, {@code B.} or {@code B:}; (2) the last {@code \boxed{B}};
     * (3) the last "final answer … B" / "answer … B"; (4) the last line starting with
     * {@code B)} / {@code (B)}; (5) the whole response equals exactly one option's text;
     * (6) exactly one option's text occurs in the response (an option whose every occurrence lies
     * inside a longer option's text does not count). Otherwise "" (no answer).
     */
    public static String extractStrict(String response, List<String> optionTexts) {
        int n = optionTexts.size();
        if (n == 0) return "";
        StrictPatterns p = STRICT[Math.min(n, 26)];
        String trimmed = PyText.strip(response);
        Matcher bare = p.bare.matcher(trimmed);
        if (bare.matches()) return bare.group(1);
        String last = Matches.lastGroup(p.boxed, response);
        if (last != null) return last;
        for (Pattern marker : p.markers) {
            last = Matches.lastGroup(marker, response);
            if (last != null) return last;
        }
        last = Matches.lastGroup(p.lineStart, response);
        if (last != null) return last;
        String normalizedResponse = TextNormalizer.normalize(response);
        for (int i = 0; i < n; i++) {
            if (!normalizedResponse.isEmpty() && normalizedResponse.equals(TextNormalizer.normalize(optionTexts.get(i)))) return letter(i);
        }
        String lowerFull = response.toLowerCase(Locale.ROOT);
        List<Integer> present = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String option = optionTexts.get(i).strip().toLowerCase(Locale.ROOT);
            if (!option.isEmpty() && lowerFull.contains(option)) present.add(i);
        }
        // an option found only because it is part of a longer option that is present does not count
        List<Integer> distinct = new java.util.ArrayList<>();
        for (int i : present) {
            String text = optionTexts.get(i).strip().toLowerCase(Locale.ROOT);
            boolean insideLonger = false;
            for (int j : present) {
                String other = optionTexts.get(j).strip().toLowerCase(Locale.ROOT);
                if (j != i && other.length() > text.length() && other.contains(text)
                        && lowerFull.replace(other, "").indexOf(text) < 0) {
                    insideLonger = true;
                }
            }
            if (!insideLonger) distinct.add(i);
        }
        return distinct.size() == 1 ? letter(distinct.get(0)) : "";
    }
}

package io.mocoj.eval.internal.ifeval;

import io.mocoj.eval.internal.PyText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.mocoj.eval.internal.ifeval.MocoRules.count;
import static io.mocoj.eval.internal.ifeval.MocoRules.parsesAsJson;

/**
 * The official IFEval instruction definitions (Zhou et al., 2023, arXiv:2311.07911; the checkers of
 * google-research's instruction_following_eval), written from their published rules. Where they call
 * NLTK's word tokenizer a simpler tokenizer is used (docs/evaluation.md says where the counts can differ).
 */
public final class OfficialRules {
    private OfficialRules() {}

    private static final int U = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE | Pattern.UNIX_LINES;
    private static final int CI = U | Pattern.CASE_INSENSITIVE;
    private static final Pattern WORD = Pattern.compile("\\w+", U);
    private static final Pattern PARAGRAPH_SPLIT = Pattern.compile("\\s?\\*\\*\\*\\s?", U);
    private static final Pattern HIGHLIGHT = Pattern.compile("\\*[^\\n*]*\\*", U);
    private static final Pattern DOUBLE_HIGHLIGHT = Pattern.compile("\\*\\*[^\\n*]*\\*\\*", U);
    private static final Pattern STAR_BULLET = Pattern.compile("^\\s*\\*[^*].*$", U | Pattern.MULTILINE);
    private static final Pattern DASH_BULLET = Pattern.compile("^\\s*-.*$", U | Pattern.MULTILINE);
    private static final Pattern TITLE = Pattern.compile("<<[^\\n]+>>", U);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[.*?]", U);
    /** Word tokens for capital-word counting: runs of word characters, keeping inner apostrophes and dots of abbreviations. */
    private static final Pattern TOKEN = Pattern.compile("\\w+(?:['\u2019.]\\w+)*", U);
    private static final List<String> CONSTRAINED = List.of("My answer is yes.", "My answer is no.", "My answer is maybe.");

    /** Whether the response follows the instruction; throws for an unknown id or kwargs that do not fit. */
    public static boolean check(String id, String value, Kwargs kw) {
        return switch (id) {
            case "punctuation:no_comma" -> value.indexOf(',') < 0;
            case "length_constraints:number_words" -> compare(count(WORD, value), kw);
            case "length_constraints:number_sentences" -> compareWith(Sentences.split(value).size(), kw.text("relation"), kw.number("num_sentences"));
            case "length_constraints:number_paragraphs" -> starParagraphs(value, kw.number("num_paragraphs"));
            case "length_constraints:nth_paragraph_first_word" -> nthParagraphFirstWord(value, kw);
            case "keywords:existence" -> new TreeSet<>(kw.texts("keywords")).stream().allMatch(k -> regex(k, CI).matcher(value).find());
            case "keywords:forbidden_words" -> new TreeSet<>(kw.texts("forbidden_words")).stream()
                    .noneMatch(w -> regex("\\b" + escapeIfInvalid(w) + "\\b", CI).matcher(value).find());
            case "keywords:frequency" -> compareWith(count(regex(PyText.strip(kw.text("keyword")), CI), value),
                    kw.text("relation"), kw.number("frequency"));
            case "keywords:letter_frequency" -> {
                String letter = PyText.strip(kw.text("letter")).toLowerCase(Locale.ROOT);
                int n = 0;
                String lower = value.toLowerCase(Locale.ROOT);
                for (int i = 0; i < lower.length(); i++) if (String.valueOf(lower.charAt(i)).equals(letter)) n++;
                yield compareWith(n, kw.text("let_relation"), kw.number("let_frequency"));
            }
            case "detectable_format:number_highlighted_sections" -> highlights(value) >= kw.number("num_highlights");
            case "detectable_format:number_bullet_lists" -> count(STAR_BULLET, value) + count(DASH_BULLET, value) == kw.number("num_bullets");
            case "detectable_format:title" -> {
                Matcher m = TITLE.matcher(value);
                boolean found = false;
                while (m.find() && !found) found = !PyText.strip(lstrip(rstrip(m.group(), '>'), '<')).isEmpty();
                yield found;
            }
            case "detectable_format:multiple_sections" -> {
                Pattern p = Pattern.compile("\\s?" + escapeIfInvalid(PyText.strip(kw.text("section_spliter"))) + "\\s?\\d+\\s?", U);
                yield p.split(value, -1).length - 1 >= kw.number("num_sections");
            }
            case "detectable_format:json_format" -> {
                String t = PyText.strip(value);
                for (String prefix : List.of("```json", "```Json", "```JSON", "```")) if (t.startsWith(prefix)) t = t.substring(prefix.length());
                if (t.endsWith("```")) t = t.substring(0, t.length() - 3);
                yield parsesAsJson(PyText.strip(t));
            }
            case "detectable_format:constrained_response" -> {
                String t = PyText.strip(value);
                yield CONSTRAINED.stream().anyMatch(t::contains);
            }
            case "startend:end_checker" -> {
                String t = stripChar(PyText.strip(value), '"').toLowerCase(Locale.ROOT);
                yield t.endsWith(PyText.strip(kw.text("end_phrase")).toLowerCase(Locale.ROOT));
            }
            case "startend:quotation" -> {
                String t = PyText.strip(value);
                yield t.length() > 1 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"';
            }
            case "change_case:english_capital" -> pyIsUpper(value) && isEnglishOrUndecided(value);
            case "change_case:english_lowercase" -> pyIsLower(value) && isEnglishOrUndecided(value);
            case "change_case:capital_word_frequency" -> {
                int caps = 0;
                Matcher m = TOKEN.matcher(value);
                while (m.find()) if (pyIsUpper(m.group())) caps++;
                yield compareWith(caps, kw.text("capital_relation"), kw.number("capital_frequency"));
            }
            case "combination:repeat_prompt" -> PyText.strip(value).toLowerCase(Locale.ROOT)
                    .startsWith(PyText.strip(kw.text("prompt_to_repeat")).toLowerCase(Locale.ROOT));
            case "combination:two_responses" -> twoResponses(value);
            case "detectable_content:number_placeholders" -> count(PLACEHOLDER, value) >= kw.number("num_placeholders");
            case "detectable_content:postscript" -> {
                String marker = kw.text("postscript_marker");
                String pattern = switch (marker) {
                    case "P.P.S" -> "\\s*p\\.\\s?p\\.\\s?s.*$";
                    case "P.S." -> "\\s*p\\.\\s?s\\..*$";
                    default -> "\\s*" + escapeIfInvalid(marker.toLowerCase(Locale.ROOT)) + ".*$";
                };
                yield Pattern.compile(pattern, U | Pattern.MULTILINE).matcher(value.toLowerCase(Locale.ROOT)).find();
            }
            case "language:response_language" -> {
                String target = kw.text("language").toLowerCase(Locale.ROOT);
                if (!LanguageDetection.supported(target)) {
                    throw new UnsupportedOperationException("language '" + target + "' cannot be detected (the detector does not know it)");
                }
                // the official checker counts text too short to detect as followed
                yield LanguageDetection.detect(value).map(target::equals).orElse(true);
            }
            default -> throw new IllegalArgumentException("unknown instruction id '" + id + "'");
        };
    }

    private static boolean compare(int n, Kwargs kw) {
        return compareWith(n, kw.text("relation"), kw.number("num_words"));
    }

    /** The official relations are "less than" and "at least"; anything else is an error. */
    private static boolean compareWith(int n, String relation, int target) {
        return switch (relation) {
            case "less than" -> n < target;
            case "at least" -> n >= target;
            default -> throw new IllegalArgumentException("relation must be \"less than\" or \"at least\", got \"" + relation + "\"");
        };
    }

    private static boolean starParagraphs(String value, int expected) {
        String[] parts = PARAGRAPH_SPLIT.split(value, -1);
        int n = parts.length;
        for (int i = 0; i < parts.length; i++) {
            if (PyText.strip(parts[i]).isEmpty()) {
                if (i == 0 || i == parts.length - 1) n--;
                else return false;
            }
        }
        return n == expected;
    }

    private static boolean nthParagraphFirstWord(String value, Kwargs kw) {
        String[] paragraphs = value.split("\n\n", -1);
        int n = paragraphs.length;
        for (String p : paragraphs) if (PyText.strip(p).isEmpty()) n--;
        int nth = kw.number("nth_paragraph");
        if (nth > n) return false;
        String paragraph = PyText.strip(paragraphs[MocoRules.pyIndex(nth - 1, paragraphs.length)]);
        if (paragraph.isEmpty()) return false;
        String word = PyText.strip(MocoRules.pySplit(paragraph).get(0));
        word = lstrip(lstrip(word, '\''), '"');
        StringBuilder first = new StringBuilder();
        for (char c : word.toCharArray()) {
            if (".,?!'\"".indexOf(c) >= 0) break;
            first.append(Character.toLowerCase(c));
        }
        return n == kw.number("num_paragraphs") && first.toString().equals(kw.text("first_word").toLowerCase(Locale.ROOT));
    }

    private static int highlights(String value) {
        int n = 0;
        Matcher m = HIGHLIGHT.matcher(value);
        while (m.find()) if (!PyText.strip(stripChar(m.group(), '*')).isEmpty()) n++;
        Matcher d = DOUBLE_HIGHLIGHT.matcher(value);
        while (d.find()) {
            String g = d.group();
            if (!PyText.strip(g.substring(2, g.length() - 2)).isEmpty()) n++;
        }
        return n;
    }

    private static boolean twoResponses(String value) {
        String[] parts = value.split(Pattern.quote("******"), -1);
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (PyText.strip(parts[i]).isEmpty()) {
                if (i != 0 && i != parts.length - 1) return false;
            } else {
                valid.add(parts[i]);
            }
        }
        return valid.size() == 2 && !PyText.strip(valid.get(0)).equals(PyText.strip(valid.get(1)));
    }

    /** The official checkers return true when the detector cannot decide (too little text). */
    private static boolean isEnglishOrUndecided(String value) {
        return LanguageDetection.detect(value).map("en"::equals).orElse(true);
    }

    /** Python's {@code str.isupper()}: at least one cased character and no lower-case one. */
    static boolean pyIsUpper(String s) { return cased(s, true); }

    static boolean pyIsLower(String s) { return cased(s, false); }

    private static boolean cased(String s, boolean upper) {
        boolean any = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean isUpper = Character.isUpperCase(cp) || Character.isTitleCase(cp);
            boolean isLower = Character.isLowerCase(cp);
            if (upper ? isLower || Character.isTitleCase(cp) : isUpper) return false;
            if (upper ? Character.isUpperCase(cp) : isLower) any = true;
        }
        return any;
    }

    private static Pattern regex(String text, int flags) {
        try {
            return Pattern.compile(text, flags);
        } catch (PatternSyntaxException e) {
            return Pattern.compile(Pattern.quote(text), flags);
        }
    }

    private static String escapeIfInvalid(String text) {
        try {
            Pattern.compile(text);
            return text;
        } catch (PatternSyntaxException e) {
            return Pattern.quote(text);
        }
    }

    private static String lstrip(String s, char c) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == c) i++;
        return s.substring(i);
    }

    private static String rstrip(String s, char c) {
        int i = s.length();
        while (i > 0 && s.charAt(i - 1) == c) i--;
        return s.substring(0, i);
    }

    private static String stripChar(String s, char c) { return lstrip(rstrip(s, c), c); }
}

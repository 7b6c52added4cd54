package io.mocoj.eval.internal.ifeval;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.mocoj.eval.internal.PyText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MoCo's simplified IFEval checkers (its {@code ifeval_eval.py}), reproduced rule by rule. Their
 * departures from the official definitions are on purpose (docs/evaluation.md lists them): paragraphs
 * are split on blank lines, a markdown heading is a title, a capital word is one whose first letter is
 * upper case, bullet lists need at least (not exactly) N items, and so on.
 */
public final class MocoRules {
    private MocoRules() {}

    private static final int U = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE | Pattern.UNIX_LINES;
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]+(?:\\s|$)", U);
    private static final Pattern BLANK_LINE = Pattern.compile("\\n\\s*\\n", U);
    private static final Pattern HIGHLIGHT = Pattern.compile("(?<!\\*)\\*(?!\\*)(.+?)(?<!\\*)\\*(?!\\*)", U);
    private static final Pattern BULLET = Pattern.compile("^\\s*[-*\u2022]\\s+.+", U | Pattern.MULTILINE);
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+\\S+", U | Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[[^\\]]+]", U);
    private static final Pattern FENCE_START = Pattern.compile("^```(?:json)?\\s*", U);
    private static final Pattern FENCE_END = Pattern.compile("\\s*```$", U);
    static final ObjectMapper PY_JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final List<String> CONSTRAINED = List.of("my answer is yes.", "my answer is no.", "my answer is maybe.");

    /**
     * Whether the response follows the instruction, or empty for an id MoCo has no checker for (MoCo
     * then counts it as followed). Throws when the kwargs do not fit the checker (MoCo then counts it as
     * not followed).
     */
    public static Optional<Boolean> check(String id, String response, Kwargs kw) {
        Boolean r = switch (id) {
            case "punctuation:no_comma" -> response.indexOf(',') < 0;
            case "length_constraints:number_words" -> relation(pySplit(response).size(), kw.text("relation"), kw.number("num_words"));
            case "length_constraints:number_sentences" -> relation(sentences(response), kw.text("relation"), kw.number("num_sentences"));
            case "length_constraints:number_paragraphs" -> paragraphs(response).size() == kw.number("num_paragraphs");
            case "length_constraints:nth_paragraph_first_word" -> {
                List<String> paras = paragraphs(response);
                int n = kw.number("nth_paragraph");
                String first = kw.text("first_word").toLowerCase(Locale.ROOT);
                if (n > paras.size()) yield false;
                List<String> words = pySplit(paras.get(pyIndex(n - 1, paras.size())));
                yield !words.isEmpty() && words.get(0).toLowerCase(Locale.ROOT).equals(first);
            }
            case "keywords:existence" -> {
                String text = response.toLowerCase(Locale.ROOT);
                yield kw.texts("keywords").stream().allMatch(k -> text.contains(k.toLowerCase(Locale.ROOT)));
            }
            case "keywords:forbidden_words" -> {
                String text = response.toLowerCase(Locale.ROOT);
                yield kw.texts("forbidden_words").stream().noneMatch(k -> text.contains(k.toLowerCase(Locale.ROOT)));
            }
            case "keywords:frequency" -> relation(pyCount(response.toLowerCase(Locale.ROOT), kw.text("keyword").toLowerCase(Locale.ROOT)),
                    kw.text("relation"), kw.number("frequency"));
            case "keywords:letter_frequency" -> relation(pyCount(response.toLowerCase(Locale.ROOT), kw.text("letter").toLowerCase(Locale.ROOT)),
                    kw.text("let_relation"), kw.number("let_frequency"));
            case "detectable_format:number_highlighted_sections" -> count(HIGHLIGHT, response) >= kw.number("num_highlights");
            case "detectable_format:number_bullet_lists" -> count(BULLET, response) >= kw.number("num_bullets");
            case "detectable_format:title" -> HEADING.matcher(response).find();
            case "detectable_format:multiple_sections" -> count(Pattern.compile(Pattern.quote(kw.text("section_spliter")) + "\\s*\\d+",
                    U | Pattern.CASE_INSENSITIVE), response) >= kw.number("num_sections");
            case "detectable_format:json_format" -> {
                String t = PyText.strip(response);
                t = FENCE_START.matcher(t).replaceAll("");
                t = FENCE_END.matcher(t).replaceAll("");
                yield parsesAsJson(t);
            }
            case "detectable_format:constrained_response" -> {
                String text = response.toLowerCase(Locale.ROOT);
                yield CONSTRAINED.stream().anyMatch(text::contains);
            }
            case "startend:end_checker" -> PyText.strip(response).endsWith(kw.text("end_phrase"));
            case "startend:quotation" -> {
                String t = PyText.strip(response);
                yield t.startsWith("\"") && t.endsWith("\"");
            }
            case "change_case:english_capital" -> allLetters(response, true);
            case "change_case:english_lowercase" -> allLetters(response, false);
            case "change_case:capital_word_frequency" -> {
                List<String> words = pySplit(response);
                if (words.isEmpty()) yield false;
                int caps = 0;
                for (String w : words) if (Character.isUpperCase(w.codePointAt(0))) caps++;
                yield relation(caps, kw.text("capital_relation"), kw.number("capital_frequency"));
            }
            case "combination:repeat_prompt" -> {
                String prompt = PyText.strip(kw.text("prompt_to_repeat", ""));
                yield !prompt.isEmpty() && response.contains(prompt);
            }
            case "combination:two_responses" -> response.contains("******");
            case "detectable_content:number_placeholders" -> count(PLACEHOLDER, response) >= kw.number("num_placeholders");
            case "detectable_content:postscript" -> response.contains(kw.text("postscript_marker", "P.S."));
            case "language:response_language" -> {
                String target = kw.text("language").toLowerCase(Locale.ROOT);
                target = LANGUAGE_NAMES.getOrDefault(target, target);
                yield LanguageDetection.detect(response).map(target::equals).orElse(false);
            }
            default -> null;
        };
        return Optional.ofNullable(r);
    }

    /** MoCo maps a few language names to codes; the published items already give codes. */
    private static final java.util.Map<String, String> LANGUAGE_NAMES = java.util.Map.ofEntries(
            java.util.Map.entry("arabic", "ar"), java.util.Map.entry("russian", "ru"), java.util.Map.entry("german", "de"),
            java.util.Map.entry("italian", "it"), java.util.Map.entry("vietnamese", "vi"), java.util.Map.entry("urdu", "ur"),
            java.util.Map.entry("tamil", "ta"), java.util.Map.entry("bengali", "bn"), java.util.Map.entry("gujarati", "gu"),
            java.util.Map.entry("finnish", "fi"), java.util.Map.entry("korean", "ko"), java.util.Map.entry("bulgarian", "bg"),
            java.util.Map.entry("swahili", "sw"), java.util.Map.entry("persian", "fa"), java.util.Map.entry("punjabi", "pa"),
            java.util.Map.entry("nepali", "ne"), java.util.Map.entry("marathi", "mr"), java.util.Map.entry("telugu", "te"),
            java.util.Map.entry("kannada", "kn"), java.util.Map.entry("thai", "th"), java.util.Map.entry("portuguese", "pt"),
            java.util.Map.entry("hindi", "hi"));

    /** MoCo's {@code _apply_relation}: unknown relations fall back to "at least". */
    static boolean relation(int count, String relation, int target) {
        return switch (relation) {
            case "more than", "MORE THAN" -> count > target;
            case "less than", "LESS THAN" -> count < target;
            case "at most" -> count <= target;
            case "exactly", "EXACTLY" -> count == target;
            default -> count >= target;
        };
    }

    static int sentences(String text) {
        int n = 0;
        for (String s : SENTENCE_END.split(PyText.strip(text))) if (!PyText.strip(s).isEmpty()) n++;
        return n;
    }

    static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        for (String p : BLANK_LINE.split(PyText.strip(text))) {
            String t = PyText.strip(p);
            if (!t.isEmpty()) out.add(t);
        }
        return out;
    }

    /** Python's {@code str.split()} with no argument. */
    public static List<String> pySplit(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && PyText.isSpace(text.charAt(i))) i++;
            int start = i;
            while (i < n && !PyText.isSpace(text.charAt(i))) i++;
            if (i > start) out.add(text.substring(start, i));
        }
        return out;
    }

    /** Python's {@code str.count(sub)}: non-overlapping occurrences; an empty sub counts len + 1. */
    static int pyCount(String text, String sub) {
        if (sub.isEmpty()) return text.length() + 1;
        int n = 0;
        for (int i = text.indexOf(sub); i >= 0; i = text.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    /** A Python list index ({@code -1} is the last); out of range throws. */
    static int pyIndex(int i, int size) {
        int j = i < 0 ? size + i : i;
        if (j < 0 || j >= size) throw new IndexOutOfBoundsException("paragraph index " + i);
        return j;
    }

    static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    static boolean parsesAsJson(String text) {
        try {
            PY_JSON.readTree(text);
            return !PyText.strip(text).isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Every letter (Python {@code isalpha}) is upper (or lower) case, and there is one. */
    private static boolean allLetters(String text, boolean upper) {
        boolean any = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) continue;
            any = true;
            if (upper ? !Character.isUpperCase(cp) : !Character.isLowerCase(cp)) return false;
        }
        return any;
    }
}

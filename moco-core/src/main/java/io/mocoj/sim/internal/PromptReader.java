package io.mocoj.sim.internal;

import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a prompt asks beyond the question itself: routing requests, confidence questions
 * ("just ask") and the answers of other agents shown in it. The exact trigger phrases are
 * documented in {@code docs/simulated-models.md}.
 */
public final class PromptReader {
    private PromptReader() {}

    /** What kind of confidence report the prompt asks for. */
    public enum JustAsk {
        /** None. */
        NONE,
        /** Answer, then say whether unconfident (MoCo's cascade "just ask" prompt). */
        SUFFIX,
        /** Reply yes or no only: "Are you sure?". */
        QUESTION
    }

    private static final Pattern ROUTING = Pattern.compile(
            "which (?:ai |language )?model|which of (?:the|these) (?:ai )?models|most suitable (?:ai )?model"
                    + "|best (?:suited )?model to answer|which assistant should answer",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern JUST_ASK_SUFFIX = Pattern.compile(
            "say (?:that )?you are (?:unconfident|not confident|unsure|not sure)"
                    + "|if you are (?:not confident|unconfident|unsure|not sure)|if you're (?:not confident|unsure|not sure)",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern JUST_ASK_QUESTION = Pattern.compile(
            "are you (?:sure|confident|certain)|how confident are you|is your (?:previous )?answer correct"
                    + "|do you think your (?:previous )?answer is correct",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern NUMBERED = Pattern.compile("^\\s*(?:[-*\u2022]\\s*)?(\\d{1,3})\\s*[.):]\\s+(\\S.*)$");
    private static final Pattern BULLETED = Pattern.compile("^\\s*[-*\u2022]\\s*([^\\n]{1,80}?):\\s+(\\S.*)$");
    private static final Pattern OPTION_LINE = Pattern.compile("(?m)^\\s*\\(?([A-J])[).]\\s+\\S");

    private static final Pattern BOX = Pattern.compile("\\\\box(?:ed)?\\s*\\{([^{}\\n]*)\\}");
    private static final Pattern MC_SENTENCE = Pattern.compile(
            "(?i:answer\\s*(?:is|:))\\s*:?\\s*\\(?([A-Z])\\)?(?![A-Za-z0-9])");
    private static final Pattern MC_PAREN = Pattern.compile("\\(([A-Z])\\)");
    private static final Pattern EM_LABEL = Pattern.compile("(?im)^[ \\t]*(?:final\\s+)?answer[ \\t]*:[ \\t]*(.*?)[ \\t]*$");
    private static final Pattern EM_SENTENCE = Pattern.compile(
            "(?im)\\bthe\\s+(?:final\\s+)?answer\\s+is[ \\t]*:?[ \\t]*([^\\n]*?)[ \\t]*\\.?[ \\t]*$");

    /** A model a routing prompt offers: the label to reply with and its description. */
    public record Candidate(String label, String description) {}

    /** An answer shown in a prompt, normalised for counting, with where it first appeared. */
    public record Shown(String text, String key, int count, int firstPosition) {}

    /** Whether the prompt asks which model should answer (see the trigger phrases in the docs). */
    public static boolean asksForRouting(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        if (!lower.contains("model") && !lower.contains("assistant should")) return false;
        return ROUTING.matcher(lower).find();
    }

    /** Whether and how the prompt asks the model to report its confidence. */
    public static JustAsk justAsk(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        boolean addressed = lower.contains("you are ") || lower.contains("you're ") || lower.contains("are you ")
                || lower.contains("how confident") || lower.contains("your answer") || lower.contains("your previous answer");
        if (!addressed) return JustAsk.NONE;
        if (JUST_ASK_SUFFIX.matcher(lower).find()) return JustAsk.SUFFIX;
        if (JUST_ASK_QUESTION.matcher(lower).find()) return JustAsk.QUESTION;
        return JustAsk.NONE;
    }

    /** Whether the prompt asks for a yes/no reply ("yes or no", "yes/no"). */
    public static boolean asksYesOrNo(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        return lower.contains("yes or no") || lower.contains("yes/no");
    }

    /**
     * The models a routing prompt lists: the last run of consecutive lines of the form
     * {@code - 1: description}, {@code 1. description}, {@code 1) description} or
     * {@code - name: description}.
     */
    public static List<Candidate> routingCandidates(String prompt) {
        List<Candidate> last = List.of();
        List<Candidate> run = new ArrayList<>();
        for (String line : prompt.split("\\R")) {
            Candidate c = candidate(line);
            if (c != null) {
                run.add(c);
            } else {
                if (!run.isEmpty()) last = run;
                run = new ArrayList<>();
            }
        }
        if (!run.isEmpty()) last = run;
        return List.copyOf(last);
    }

    private static Candidate candidate(String line) {
        Matcher m = NUMBERED.matcher(line);
        if (m.matches()) return new Candidate(m.group(1), m.group(2).strip());
        m = BULLETED.matcher(line);
        if (m.matches()) return new Candidate(m.group(1).strip(), m.group(2).strip());
        return null;
    }

    /** Option letters listed on their own lines ({@code A) text}, {@code (B) text}, {@code C. text}). */
    public static List<String> optionLetters(String prompt) {
        List<String> out = new ArrayList<>();
        Matcher m = OPTION_LINE.matcher(prompt);
        while (m.find()) if (!out.contains(m.group(1))) out.add(m.group(1));
        return out;
    }

    /**
     * Answers shown in the text, most frequent first (ties: earliest first). The example's own
     * input and option texts are blanked out first so that they are not read as answers. MCQ
     * answers are option letters ({@code \box{B}}, {@code answer is (B)}, {@code Answer: B},
     * {@code (B)}); other answers come from {@code \box{…}}, {@code \boxed{…}}, a line
     * {@code Answer: …} and {@code the answer is …} up to the line end. {@code \box{ANSWER}} (the
     * prompt's own placeholder) is ignored.
     */
    public static List<Shown> shownAnswers(String text, Example example, boolean letters) {
        StringBuilder t = new StringBuilder(TeamPrompts.withoutExample(text, example));
        List<String> allowed = letters ? Answers.letters(example) : List.of();
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, String> firstText = new LinkedHashMap<>();
        List<Pattern> passes = letters ? List.of(BOX, MC_SENTENCE, MC_PAREN) : List.of(BOX, EM_LABEL, EM_SENTENCE);
        for (Pattern p : passes) {
            Matcher m = p.matcher(t);
            List<int[]> spans = new ArrayList<>();
            while (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
                String raw = m.group(1).strip();
                String key;
                if (letters) {
                    String inner = raw.replace("(", "").replace(")", "").strip();
                    if (inner.length() != 1) continue;
                    key = inner.toUpperCase(Locale.ROOT);
                    if (!allowed.contains(key)) continue;
                    raw = key;
                } else {
                    if (raw.isEmpty() || raw.equalsIgnoreCase("answer") || raw.equals("...") || raw.contains("\\box")) continue;
                    key = Answers.normalize(raw);
                    if (key.isEmpty()) continue;
                }
                int[] c = counts.computeIfAbsent(key, k -> new int[] {0, Integer.MAX_VALUE});
                c[0]++;
                c[1] = Math.min(c[1], m.start());
                firstText.putIfAbsent(key, raw);
            }
            for (int[] s : spans) for (int i = s[0]; i < s[1]; i++) t.setCharAt(i, ' ');
        }
        List<Shown> out = new ArrayList<>();
        counts.forEach((k, c) -> out.add(new Shown(firstText.get(k), k, c[0], c[1])));
        out.sort((a, b) -> a.count() != b.count() ? Integer.compare(b.count(), a.count())
                : Integer.compare(a.firstPosition(), b.firstPosition()));
        return out;
    }
}

package io.mocoj.sim;

import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Synthetic tasks, MoCo-format prompts written from the published rules, and tiny answer parsers. */
final class Fixtures {
    private Fixtures() {}

    static final String[] LETTERS = {"A", "B", "C", "D"};
    /** Two-sided 99.9% normal quantile. */
    static final double Z999 = 3.2905;

    /** {@code n} MCQ test examples (and 20 dev ones) with four options; gold letters cycle through A–D; domains alternate math/law. */
    static Task mcqTask(int n) {
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < n; i++) test.add(mcq("t" + i, i));
        List<Example> dev = new ArrayList<>();
        for (int i = 0; i < 20; i++) dev.add(mcq("d" + i, 100_000 + i));
        return new Task("synthetic_mcq", TaskType.MULTIPLE_CHOICE, dev, test);
    }

    static Example mcq(String id, int i) {
        Map<String, String> choices = new LinkedHashMap<>();
        for (int k = 0; k < 4; k++) choices.put(LETTERS[k], "option " + (char) ('p' + k) + " for item " + i);
        return Example.multipleChoice(id, "Item " + i + ": which of the listed options correctly describes catalogue entry " + i + "?",
                choices, LETTERS[i % 4]).withFields(Map.of("domain", i % 2 == 0 ? "math" : "law"));
    }

    /** MoCo's multiple-choice prompt: question, options as "A) text" lines, the instruction line. */
    static String mcqPrompt(Example e) {
        StringBuilder sb = new StringBuilder(e.input()).append('\n');
        e.choices().forEach((k, v) -> sb.append(k).append(") ").append(v).append('\n'));
        return sb.append("Please select the correct answer by choosing the letter corresponding to your choice.").toString();
    }

    /** MoCo's exact-match prompt. */
    static String emPrompt(Example e) {
        return e.input().stripTrailing() + "\n\nPlease provide the final, direct answer wrapped exactly as \\box{ANSWER}";
    }

    /** {@code n} exact-match examples with numeric answers 0..n-1 offset, groups alternate. */
    static Task emTask(int n) {
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            test.add(Example.freeText("e" + i, "Compute the total number of marbles in jar " + i + " after the refill described here.",
                    Integer.toString(40 + i)).withFields(Map.of("domain", "arith")));
        }
        return new Task("synthetic_em", TaskType.EXACT_MATCH, List.of(), test);
    }

    static GenerationRequest greedy(String prompt) {
        return GenerationRequest.builder().user(prompt).temperature(0).build();
    }

    static Generation ask(SimulatedModel m, String prompt) {
        return m.generate(greedy(prompt));
    }

    private static final Pattern PAREN = Pattern.compile("\\(([A-J])\\)");
    private static final Pattern ALONE = Pattern.compile("^\\s*([A-J])\\s*$");
    private static final Pattern BOX = Pattern.compile("\\\\box(?:ed)?\\{(.*?)}", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANSWER_LINE = Pattern.compile("(?:Final Answer:|Answer:)\\s*(.*?)\\s*\\n");
    private static final Pattern LOOSE = Pattern.compile("(?i)the answer is\\s*(.*?)\\.?\\s*$", Pattern.MULTILINE);

    /** The letter a response chooses: the whole response is a letter, or it contains "(X)"; "" when none. */
    static String letterOf(String response) {
        Matcher m = ALONE.matcher(response);
        if (m.matches()) return m.group(1);
        m = PAREN.matcher(response);
        return m.find() ? m.group(1) : "";
    }

    /** MoCo's exact-match extraction, rules 1 and 3 (last \box or \boxed; labelled line; "the answer is"); else the trimmed response. */
    static String boxedOf(String response) {
        Matcher m = BOX.matcher(response);
        String last = null;
        while (m.find()) last = m.group(1);
        if (last != null) return last;
        m = ANSWER_LINE.matcher(response);
        if (m.find()) return m.group(1);
        m = LOOSE.matcher(response);
        if (m.find()) return m.group(1);
        return response.strip();
    }

    /** Lower bound and upper bound of a 99.9% normal-approximation interval for a proportion. */
    static double[] interval(double p, int n) {
        double half = Z999 * Math.sqrt(p * (1 - p) / n);
        return new double[] {p - half, p + half};
    }

    static void assertRate(double expected, long hits, int n, String what) {
        double[] iv = interval(expected, n);
        double rate = (double) hits / n;
        if (rate < iv[0] || rate > iv[1]) {
            throw new AssertionError(what + ": realised rate " + rate + " (" + hits + "/" + n + ") outside the 99.9% interval ["
                    + iv[0] + ", " + iv[1] + "] around " + expected);
        }
    }

    /** Asserts that a sample mean lies within 3.29 standard errors of the expected mean of a uniform [lo, hi) distribution. */
    static void assertUniformMean(double lo, double hi, double sum, int n, String what) {
        double mean = sum / n;
        double expected = (lo + hi) / 2;
        double se = (hi - lo) / Math.sqrt(12) / Math.sqrt(n);
        if (Math.abs(mean - expected) > Z999 * se) {
            throw new AssertionError(what + ": mean " + mean + " over " + n + " not within " + Z999 * se + " of " + expected);
        }
    }
}

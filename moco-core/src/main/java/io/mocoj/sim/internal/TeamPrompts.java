package io.mocoj.sim.internal;

import io.mocoj.task.Example;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the prompts of text-level collaboration (aggregating, reviewing, revising with
 * feedback, writing and using knowledge, pairwise judging, scoring) and cuts them into the
 * sections a simulated model reads. Triggers are looked for in the last user message after the
 * example's own question and option texts are blanked out, so a question that happens to say
 * "combine" is not mistaken for an aggregation request. The exact phrases are documented in
 * {@code docs/simulated-models.md}.
 */
public final class TeamPrompts {
    private TeamPrompts() {}

    /** What a collaboration prompt asks for. */
    public enum Kind {
        /** Not a collaboration prompt (answered as a question, with persuasion if answers are shown). */
        NONE,
        /** Blackboard: choose one of the four actions. */
        BOARD_SELECT,
        /** Blackboard: carry out the chosen action. */
        BOARD_EXECUTE,
        /** Blackboard: vote for one of the numbered conclusions. */
        BOARD_VOTE,
        /** Which of candidate A and candidate B is better. */
        PAIRWISE,
        /** Rate one answer from 1 to 10. */
        SCORE,
        /** Revise one's previous answer using the feedback received. */
        REVISE_WITH_FEEDBACK,
        /** Give feedback on another agent's answer. */
        CRITIQUE,
        /** Combine / synthesise the shown responses into one answer. */
        AGGREGATE,
        /** Answer with knowledge paragraphs in context. */
        ANSWER_WITH_KNOWLEDGE,
        /** Write a knowledge paragraph about the question. */
        WRITE_KNOWLEDGE
    }

    private static final Pattern PAIRWISE_A = Pattern.compile("(?im)^\\s*candidate a\\b[^\\n]*$");
    private static final Pattern PAIRWISE_B = Pattern.compile("(?im)^\\s*candidate b\\b[^\\n]*$");
    private static final Pattern SCORE = Pattern.compile("\\b(?:rate|score)\\b[^\\n]{0,120}?\\b1\\s*(?:to|-)\\s*10\\b");
    private static final Pattern REVISE = Pattern.compile("feedback (?:on your answer|from (?:the )?other assistants|you received)");
    private static final Pattern CRITIQUE = Pattern.compile("(?:give|provide|write)\\s+(?:\\w+\\s+){0,3}feedback|your feedback");
    private static final Pattern AGGREGATE = Pattern.compile(
            "synthesi[sz]e|\\bcombine[sd]?\\b|\\bfuse\\b|final,? comprehensive answer");
    private static final Pattern WITH_KNOWLEDGE = Pattern.compile(
            "knowledge from (?:the |other )?(?:assistants|team|models)|with the help of the (?:above )?knowledge|using the knowledge (?:above|below)");
    private static final Pattern WRITE_KNOWLEDGE = Pattern.compile(
            "(?:background|relevant) knowledge|knowledge paragraph");
    private static final Pattern PREVIOUS = Pattern.compile("(?i)your previous (?:answer|response)\\s*:?");
    private static final Pattern FEEDBACK_HEADER = Pattern.compile(
            "(?i)feedback (?:on your answer|from (?:the )?other assistants|you received)[^\\n]*");
    private static final Pattern BOARD_SELECT = Pattern.compile("choose (?:exactly )?one action");
    private static final Pattern BOARD_EXECUTE = Pattern.compile(
            "you (?:have )?chosen? to \\*?(propose a solving strategy|execute a solution step|critique and refine existing work|terminate and finalize the solution)");
    private static final Pattern BOARD_VOTE = Pattern.compile("vote for (?:the )?(?:final )?conclusion");
    private static final Pattern CONCLUSION = Pattern.compile("(?im)^\\s*conclusion\\s*#\\s*(\\d+)\\s*:(.*)$");
    private static final Pattern WHICH = Pattern.compile("(?im)^\\s*which\\b");

    /** The last user message with the example's input and option texts blanked (same length). */
    public static String withoutExample(String text, Example example) {
        StringBuilder t = new StringBuilder(text);
        blank(t, example.input().strip());
        for (String choice : example.choices().values()) if (choice.strip().length() > 1) blank(t, choice.strip());
        return t.toString();
    }

    /** What the (blanked) prompt asks; checked in the order of the {@link Kind} constants. */
    public static Kind kind(String blanked) {
        String lower = blanked.toLowerCase(Locale.ROOT);
        if (BOARD_VOTE.matcher(lower).find() && CONCLUSION.matcher(blanked).find()) return Kind.BOARD_VOTE;
        if (BOARD_EXECUTE.matcher(lower).find()) return Kind.BOARD_EXECUTE;
        if (BOARD_SELECT.matcher(lower).find()) return Kind.BOARD_SELECT;
        if (PAIRWISE_A.matcher(lower).find() && PAIRWISE_B.matcher(lower).find() && lower.contains("better")) return Kind.PAIRWISE;
        if (SCORE.matcher(lower).find()) return Kind.SCORE;
        if (REVISE.matcher(lower).find()) return Kind.REVISE_WITH_FEEDBACK;
        if (CRITIQUE.matcher(lower).find()) return Kind.CRITIQUE;
        if (AGGREGATE.matcher(lower).find()) return Kind.AGGREGATE;
        if (WITH_KNOWLEDGE.matcher(lower).find()) return Kind.ANSWER_WITH_KNOWLEDGE;
        if (WRITE_KNOWLEDGE.matcher(lower).find()) return Kind.WRITE_KNOWLEDGE;
        return Kind.NONE;
    }

    /** The action a blackboard execution prompt names (one of the four phrases, lower case). */
    public static String boardAction(String blanked) {
        Matcher m = BOARD_EXECUTE.matcher(blanked.toLowerCase(Locale.ROOT));
        return m.find() ? m.group(1) : "";
    }

    /** The numbered conclusions of a vote prompt: number → text of its line. */
    public static java.util.Map<Integer, String> conclusions(String blanked) {
        java.util.Map<Integer, String> out = new java.util.LinkedHashMap<>();
        Matcher m = CONCLUSION.matcher(blanked);
        while (m.find()) out.putIfAbsent(Integer.parseInt(m.group(1)), m.group(2));
        return out;
    }

    /** The two candidates of a pairwise prompt: text after the "Candidate A" line up to the "Candidate B" line, and after that up to a line starting "Which" (or the end). */
    public static List<String> pairwiseCandidates(String blanked) {
        Matcher a = PAIRWISE_A.matcher(blanked);
        Matcher b = PAIRWISE_B.matcher(blanked);
        if (!a.find() || !b.find(a.end())) return List.of("", "");
        int aStart = a.start();
        String first = blanked.substring(aStart + headerLength(blanked, aStart, "candidate a"), b.start());
        int bBody = b.start() + headerLength(blanked, b.start(), "candidate b");
        Matcher w = WHICH.matcher(blanked);
        int end = w.find(b.end()) ? w.start() : blanked.length();
        return List.of(first, blanked.substring(bBody, Math.max(bBody, end)));
    }

    /** Length of "candidate a" (with leading blanks and a following colon) at a header line's start. */
    private static int headerLength(String text, int lineStart, String header) {
        int i = lineStart;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
        i += header.length();
        if (i < text.length() && text.charAt(i) == ':') i++;
        return i - lineStart;
    }

    /** The previous-answer section of a revise-with-feedback prompt (between its header and the feedback header). */
    public static String previousAnswer(String blanked) {
        Matcher p = PREVIOUS.matcher(blanked);
        Matcher f = FEEDBACK_HEADER.matcher(blanked);
        if (!p.find()) return "";
        int end = f.find(p.end()) ? f.start() : blanked.length();
        return blanked.substring(p.end(), end);
    }

    /** The feedback section of a revise-with-feedback prompt (after its header line). */
    public static String feedback(String blanked) {
        Matcher f = FEEDBACK_HEADER.matcher(blanked);
        return f.find() ? blanked.substring(f.end()) : "";
    }

    private static void blank(StringBuilder t, String s) {
        if (s.isEmpty()) return;
        int from = 0;
        int i;
        while ((i = t.indexOf(s, from)) >= 0) {
            for (int k = i; k < i + s.length(); k++) t.setCharAt(k, ' ');
            from = i + s.length();
        }
    }
}

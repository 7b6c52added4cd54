package io.mocoj.methods.toolbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.method.MethodContext;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pool model scoring another model's response from 1 to 10 (SPARTA's peer judges): the judge is
 * asked for a JSON object {@code {"score": N}} at temperature 0; a reply without a readable score
 * in 1..10 (or a failed call) makes that judging round count 5 for both responses of the duel, as
 * in MoCo.
 */
public final class PeerJudge {
    private PeerJudge() {}

    /** The neutral score used when a judge's reply cannot be read. */
    public static final double DEFAULT_SCORE = 5.0;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("\"score\"\\s*:\\s*(\\d+)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("score\\s*[:=]\\s*(\\d+)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("(\\d+)\\s*/\\s*10"));

    /** A judge's verdict on one duel, with the raw replies and whether the neutral default was used. */
    public record Judgement(String judge, double scoreA, double scoreB, boolean defaulted, List<String> replies) {
        public EloRatings.Verdict verdict() { return new EloRatings.Verdict(judge, scoreA, scoreB); }
    }

    /** The judging prompt for one response. */
    public static String prompt(String question, String response) {
        return "Rate the response to the question from 1 (useless) to 10 (excellent). Reply only with JSON like {\"score\": 6}.\n"
                + "Question: " + question + "\nResponse: " + response;
    }

    /** The score of a judge's reply, or null when none in 1..10 can be read. */
    public static Integer parse(String reply) {
        if (reply == null) return null;
        String s = reply.strip();
        try {
            JsonNode n = JSON.readTree(s);
            if (n != null && n.isObject() && n.get("score") != null && n.get("score").isNumber()) {
                double v = n.get("score").asDouble();
                if (v >= 1 && v <= 10) return (int) v;
            }
        } catch (Exception notJson) {
            // fall through to the patterns
        }
        for (Pattern p : PATTERNS) {
            Matcher m = p.matcher(s);
            while (m.find()) {
                try {
                    int v = Integer.parseInt(m.group(1));
                    if (v >= 1 && v <= 10) return v;
                } catch (NumberFormatException tooLong) {
                    // not a score
                }
            }
        }
        return null;
    }

    /**
     * {@code judge} scores both responses {@code rounds} times (the calls of one round run
     * concurrently); each score is the mean over rounds, a round with an unreadable reply counts
     * 5 for both, and a duel whose every round defaulted scores 5 and 5. {@code name} is the judge's
     * name in the ratings (its pool name, whatever the current endpoint is called).
     */
    public static Judgement judge(MethodContext context, String name, ModelEndpoint judge, String question, String responseA, String responseB,
                                  int rounds, int maxTokens) {
        double sumA = 0, sumB = 0;
        boolean allDefault = true;
        List<String> replies = new java.util.ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<String> texts = context.parallel(List.of(responseA, responseB), resp -> ask(context, judge, prompt(question, resp), maxTokens));
            Integer a = parse(texts.get(0)), b = parse(texts.get(1));
            replies.addAll(texts);
            if (a == null || b == null) {
                sumA += DEFAULT_SCORE;
                sumB += DEFAULT_SCORE;
            } else {
                sumA += a;
                sumB += b;
                allDefault = false;
            }
        }
        if (allDefault) return new Judgement(name, DEFAULT_SCORE, DEFAULT_SCORE, true, replies);
        return new Judgement(name, Math.round(sumA / rounds * 100) / 100.0, Math.round(sumB / rounds * 100) / 100.0, false, replies);
    }

    /** {@code judge}'s score of one response (1..10), or null when its reply cannot be read or the call failed. */
    public static Integer score(MethodContext context, ModelEndpoint judge, String question, String response, int maxTokens) {
        return parse(ask(context, judge, prompt(question, response), maxTokens));
    }

    private static String ask(MethodContext context, ModelEndpoint judge, String prompt, int maxTokens) {
        Generation g = Answers.orNull(() -> context.generate(judge, context.settings().request(prompt).temperature(0).maxTokens(maxTokens).build()));
        return g == null ? null : g.text();
    }
}

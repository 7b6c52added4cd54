package io.mocoj.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An <em>approximate</em> next-token distribution ({@link Capability#APPROX_LOGITS}): the k most
 * likely next tokens a server listed ({@code top_logprobs}), identified by their text, and the
 * probability mass it did not list. Tokens are compared by text because servers return strings,
 * not ids; two listed ids with the same text are merged (their probabilities added), and the empty
 * text stands for the end of the answer.
 *
 * <p>How an unlisted token is valued: it cannot be more likely than the k-th listed token, nor than
 * the whole unlisted mass, so it is given the smaller of the two ({@link #unlistedLogprob()}), an
 * upper bound. That bound, not zero, is what combining methods use for a token another model listed
 * and this one did not. See docs/methods/logit-level.md for the measured effect of k.
 *
 * @param candidates the listed tokens, most likely first, texts distinct
 * @param tailMass   1 − the listed probabilities' sum (clipped at 0): the mass of every unlisted token
 */
public record TopTokens(List<Candidate> candidates, double tailMass) {
    /** Floor for log-probabilities, so that a fully listed distribution (tail 0) stays finite in differences. */
    public static final double MIN_LOGPROB = -46.0; // about ln(1e-20)

    /** One listed token: its text (empty: end of answer) and natural-log probability. */
    public record Candidate(String text, double logprob) {}

    public TopTokens {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) throw new IllegalArgumentException("a top-token list needs at least one token");
        if (!(tailMass >= 0 && tailMass <= 1)) throw new IllegalArgumentException("tail mass must be in [0, 1], was " + tailMass);
    }

    /**
     * From a server's alternatives for one position: merges equal texts, sorts by probability and
     * derives the tail mass from what is listed.
     */
    public static TopTokens of(List<TokenLogprob.Alternative> alternatives) {
        Map<String, Double> byText = new LinkedHashMap<>();
        for (TokenLogprob.Alternative a : alternatives) {
            if (Double.isNaN(a.logprob())) continue;
            byText.merge(a.token(), Math.exp(Math.min(0, a.logprob())), Double::sum);
        }
        List<Candidate> list = new ArrayList<>();
        double listed = 0;
        for (Map.Entry<String, Double> e : byText.entrySet()) {
            double p = Math.min(1, e.getValue());
            listed += p;
            list.add(new Candidate(e.getKey(), Math.max(MIN_LOGPROB, Math.log(p))));
        }
        list.sort((x, y) -> Double.compare(y.logprob(), x.logprob()));
        return new TopTokens(list, Math.max(0, Math.min(1, 1 - listed)));
    }

    /** A certain end of answer (a server that stopped without listing alternatives). */
    public static TopTokens end() { return new TopTokens(List.of(new Candidate("", 0)), 0); }

    /** Number of listed tokens. */
    public int size() { return candidates.size(); }

    /** The most likely listed token. */
    public Candidate top() { return candidates.get(0); }

    /** The value given to an unlisted token: ln(min(p of the last listed token, tail mass)), at least {@link #MIN_LOGPROB}. */
    public double unlistedLogprob() {
        double bound = Math.min(Math.exp(candidates.get(candidates.size() - 1).logprob()), tailMass);
        return bound <= 0 ? MIN_LOGPROB : Math.max(MIN_LOGPROB, Math.log(bound));
    }

    /** The listed log-probability of {@code text}, or {@link #unlistedLogprob()}. */
    public double logprob(String text) {
        for (Candidate c : candidates) if (c.text().equals(text)) return c.logprob();
        return unlistedLogprob();
    }

    /** Whether {@code text} is listed. */
    public boolean lists(String text) {
        for (Candidate c : candidates) if (c.text().equals(text)) return true;
        return false;
    }

    /** The distinct texts listed by any of {@code lists}, in order of first appearance. */
    public static List<String> union(List<TopTokens> lists) {
        java.util.LinkedHashSet<String> texts = new java.util.LinkedHashSet<>();
        for (TopTokens t : lists) for (Candidate c : t.candidates()) texts.add(c.text());
        return List.copyOf(texts);
    }
}

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
 * @param candidates the listed tokens, most likely first, texts distinct (may be empty: nothing usable was listed)
 * @param tailMass   1 − the listed probabilities' sum (clipped at 0): the mass of every unlisted token
 * @param smallestListed the smallest probability of any single token the server listed (before
 *                   equal texts were merged): no unlisted token is more likely
 */
public record TopTokens(List<Candidate> candidates, double tailMass, double smallestListed) {
    /** Floor for log-probabilities, so that a fully listed distribution (tail 0) stays finite in differences. */
    public static final double MIN_LOGPROB = -46.0; // about ln(1e-20)

    /** One listed token: its text (empty: end of answer) and natural-log probability. */
    public record Candidate(String text, double logprob) {}

    public TopTokens {
        candidates = List.copyOf(candidates);
        if (!(tailMass >= 0 && tailMass <= 1)) throw new IllegalArgumentException("tail mass must be in [0, 1], was " + tailMass);
        if (!(smallestListed >= 0 && smallestListed <= 1)) throw new IllegalArgumentException("smallest listed probability must be in [0, 1], was " + smallestListed);
    }

    /**
     * From a server's alternatives for one position: merges equal texts, sorts by probability and
     * derives the tail mass from what is listed.
     */
    public static TopTokens of(List<TokenLogprob.Alternative> alternatives) {
        double smallest = 1;
        for (TokenLogprob.Alternative a : alternatives) if (!Double.isNaN(a.logprob())) smallest = Math.min(smallest, Math.exp(Math.min(0, a.logprob())));
        return of(alternatives, smallest);
    }

    /**
     * As {@link #of(List)} when some of the server's listed tokens were set aside (they count in the
     * tail): {@code smallestListed} is the smallest probability among all it listed.
     */
    public static TopTokens of(List<TokenLogprob.Alternative> alternatives, double smallestListed) {
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
        return new TopTokens(list, Math.max(0, Math.min(1, 1 - listed)), Math.max(0, Math.min(1, smallestListed)));
    }

    /** A certain end of answer (a server that stopped without listing alternatives). */
    public static TopTokens end() { return new TopTokens(List.of(new Candidate("", 0)), 0, 1); }

    /** Number of listed tokens. */
    public int size() { return candidates.size(); }

    /** The most likely listed token; the list must not be empty. */
    public Candidate top() { return candidates.get(0); }

    /** The value given to an unlisted token: ln(min(smallest listed probability, tail mass)), at least {@link #MIN_LOGPROB}. */
    public double unlistedLogprob() {
        double bound = Math.min(smallestListed, tailMass);
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

package io.mocoj.model;

import java.util.List;

/**
 * One generated token with its natural-log probability and, when asked for, the most likely
 * alternatives at that position (including the chosen token when the model reports it).
 */
public record TokenLogprob(String token, double logprob, List<Alternative> top) {
    public TokenLogprob {
        top = List.copyOf(top);
    }

    /** The token's probability, {@code exp(logprob)}. */
    public double probability() { return Math.exp(logprob); }

    /** An alternative token at one position. */
    public record Alternative(String token, double logprob) {}
}

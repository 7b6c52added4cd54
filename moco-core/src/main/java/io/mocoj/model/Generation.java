package io.mocoj.model;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a model generated.
 *
 * @param text         the generated text (the first sample)
 * @param finishReason why generation ended
 * @param usage        tokens consumed by the whole call
 * @param logprobs     per-token log-probabilities of {@code text}; empty when not asked for or not available
 * @param samples      all samples when more than one was asked for (the first equals {@code text}); else empty
 */
public record Generation(String text, FinishReason finishReason, TokenUsage usage,
                         List<TokenLogprob> logprobs, List<String> samples) {
    public Generation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
        logprobs = List.copyOf(logprobs);
        samples = List.copyOf(samples);
    }

    public static Generation of(String text) {
        return new Generation(text, FinishReason.STOP, TokenUsage.ZERO, List.of(), List.of());
    }

    /** Every sample: {@link #samples()} when several were drawn, else just {@link #text()}. */
    public List<String> allSamples() { return samples.isEmpty() ? List.of(text) : samples; }

    public boolean hasLogprobs() { return !logprobs.isEmpty(); }

    /** Mean per-token probability (MoCo's cascade confidence), or empty when there are no log-probabilities. */
    public OptionalDouble meanTokenProbability() {
        return logprobs.stream().mapToDouble(TokenLogprob::probability).average();
    }
}

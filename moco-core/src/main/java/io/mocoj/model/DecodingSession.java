package io.mocoj.model;

/**
 * A sequence being decoded by one {@link LogitsModel}, holding its KV cache. Not thread-safe;
 * different sessions of one model may be used from different threads at once.
 */
public interface DecodingSession extends AutoCloseable {

    /** Feeds tokens (a batched prefill when there are several). */
    void append(int... tokens);

    /** Number of tokens in the sequence so far. */
    int length();

    /**
     * Raw logits over the whole vocabulary for the token after the current sequence.
     * Requires at least one appended token. The returned array is a copy.
     */
    float[] logits();

    /** Log-softmax of {@link #logits()}: natural-log probabilities summing (in probability) to 1. */
    default float[] logProbabilities() {
        return Distributions.logSoftmax(logits());
    }

    /**
     * The next-token distribution: the softmax of {@link #logits()} computed in double precision
     * (maximum subtracted, sum in double), so even tokens far below the top keep their relative
     * weight. The values sum to 1 within double rounding; a new array.
     */
    default double[] probabilities() {
        return Distributions.softmax(logits());
    }

    /** Whether {@link #hiddenState(int)} is available for this session's model. */
    default boolean hasHiddenStates() { return false; }

    /**
     * The model's final hidden state at {@code position} (0-based, below {@link #length()}): the
     * last layer's output after the final normalisation, i.e. the vector the output layer turns
     * into that position's next-token logits ({@link LogitsModel#hiddenSize()} values; a copy).
     *
     * @throws UnsupportedOperationException when the model does not expose hidden states
     */
    default float[] hiddenState(int position) {
        throw new UnsupportedOperationException(getClass().getName() + " does not expose hidden states");
    }

    /** An independent copy of this session (same tokens, same cache) that can diverge from it. */
    DecodingSession fork();

    /** Frees the session's cache. */
    @Override
    void close();
}

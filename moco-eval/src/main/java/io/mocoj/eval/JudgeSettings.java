package io.mocoj.eval;

/**
 * How a judge model is asked.
 *
 * @param maxAttempts how many times to ask before recording a failed score (at least 1; default 3)
 * @param maxTokens   the judge's output budget per attempt (default 512)
 */
public record JudgeSettings(int maxAttempts, int maxTokens) {
    public JudgeSettings {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
    }

    /** Three attempts, 512 tokens. */
    public static JudgeSettings defaults() { return new JudgeSettings(3, 512); }
}

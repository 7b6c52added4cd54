package io.mocoj.model;

/** Tokens a call consumed, as reported by the model (or estimated when it reports nothing). */
public record TokenUsage(long promptTokens, long completionTokens) {
    public static final TokenUsage ZERO = new TokenUsage(0, 0);

    public long totalTokens() { return promptTokens + completionTokens; }

    public TokenUsage plus(TokenUsage o) {
        return new TokenUsage(promptTokens + o.promptTokens, completionTokens + o.completionTokens);
    }
}

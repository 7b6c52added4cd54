package io.mocoj;

/**
 * The run stopped because a model of the pool (or the judge) failed too often: its first calls all
 * failed, more than the allowed share of its calls failed, or its preflight request failed.
 * Responses received before the stop are in the response cache, so a re-run does not repeat them.
 */
public class ModelFailureException extends RunFailedException {
    private final String model;
    private final long calls;
    private final long failedCalls;
    private final String firstError;

    public ModelFailureException(String message, String model, long calls, long failedCalls, String firstError) {
        super(message, null);
        this.model = model;
        this.calls = calls;
        this.failedCalls = failedCalls;
        this.firstError = firstError;
    }

    /** The model that failed. */
    public String model() { return model; }

    /** Calls of the model whose outcome was known when the run stopped. */
    public long calls() { return calls; }

    /** How many of them failed (after retries). */
    public long failedCalls() { return failedCalls; }

    /** The first error the model gave. */
    public String firstError() { return firstError; }
}

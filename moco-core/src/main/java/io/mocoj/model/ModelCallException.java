package io.mocoj.model;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed model call. Transient failures (rate limits, server errors, time-outs, connection
 * resets) may succeed when retried; permanent ones (bad request, authentication, unknown model)
 * will not. Messages never contain secrets.
 */
public class ModelCallException extends RuntimeException {
    private final String model;
    private final boolean transientFailure;
    private final int httpStatus;
    private final Duration retryAfter;

    public ModelCallException(String model, String message, boolean transientFailure, int httpStatus,
                              Duration retryAfter, Throwable cause) {
        super(Secrets.redact(model + ": " + message), cause);
        this.model = model;
        this.transientFailure = transientFailure;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public static ModelCallException transientFailure(String model, String message) {
        return new ModelCallException(model, message, true, 0, null, null);
    }

    public static ModelCallException permanent(String model, String message) {
        return new ModelCallException(model, message, false, 0, null, null);
    }

    /** The name of the model that failed. */
    public String model() { return model; }

    /** Whether retrying may help. */
    public boolean transientFailure() { return transientFailure; }

    /** The HTTP status, or 0 when the failure did not come from an HTTP response. */
    public int httpStatus() { return httpStatus; }

    /** How long the server asked us to wait before retrying, when it said so. */
    public Optional<Duration> retryAfter() { return Optional.ofNullable(retryAfter); }
}

package io.mocoj.internal.engine;

import io.mocoj.model.ModelCallException;
import java.time.Duration;

/**
 * Stops hammering an endpoint that keeps failing at the transport level (refused or reset
 * connections, time-outs, HTTP 5xx): after {@code threshold} consecutive such attempts the breaker
 * opens and attempts fail at once without a request; after {@code cooldown} one probe is let
 * through, and a success closes it again. Thread-safe.
 */
final class CircuitBreaker {
    private final String model;
    private final int threshold;
    private final long cooldownNanos;
    private int consecutive;
    private long openedAt = -1;
    private boolean probing;
    private String lastError;

    CircuitBreaker(String model, int threshold, Duration cooldown) {
        this.model = model;
        this.threshold = threshold;
        this.cooldownNanos = cooldown.toNanos();
    }

    /** Whether a failure is a transport failure (what the breaker counts). */
    static boolean isTransport(ModelCallException e) {
        return e.transientFailure() && (e.httpStatus() == 0 || e.httpStatus() >= 500);
    }

    /** Throws a permanent failure when the breaker is open; otherwise lets the attempt go. */
    synchronized void admit() {
        if (openedAt < 0) return;
        if (!probing && System.nanoTime() - openedAt >= cooldownNanos) {
            probing = true;
            return;
        }
        throw ModelCallException.permanent(model, "not sent: the circuit breaker is open after " + consecutive
                + " consecutive transport failures of this endpoint (last: " + lastError + ")");
    }

    synchronized void success() {
        consecutive = 0;
        openedAt = -1;
        probing = false;
    }

    synchronized void failure(ModelCallException e) {
        if (!isTransport(e)) {
            if (probing) probing = false;
            return;
        }
        consecutive++;
        lastError = stripModel(e.getMessage());
        if (probing || consecutive >= threshold) {
            openedAt = System.nanoTime();
            probing = false;
        }
    }

    /** Opens the breaker at once (a failed preflight). */
    synchronized void trip(String error) {
        consecutive = Math.max(consecutive, threshold);
        lastError = error;
        openedAt = System.nanoTime();
    }

    private String stripModel(String message) {
        return message != null && message.startsWith(model + ": ") ? message.substring(model.length() + 2) : message;
    }
}

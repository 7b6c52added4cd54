package io.mocoj.sim;

import io.mocoj.model.ModelCallException;
import io.mocoj.sim.internal.Draws;
import java.time.Duration;

/** Simulated failures and latency, drawn per call number (see "Faults and latency" in the docs). */
final class Faults {
    private static final long P_FAULT = 101, P_LATENCY = 102;

    private final String name;
    private final long base;
    private final FailureMode failure;
    private final double errorRate;
    private final double rateLimitRate;
    private final long retryAfterMs;
    private final double timeoutRate;
    private final long timeoutMs;
    private final double latencyMs;
    private final double jitterMs;

    Faults(String name, long base, FailureMode failure, double errorRate, double rateLimitRate, long retryAfterMs,
           double timeoutRate, long timeoutMs, double latencyMs, double jitterMs) {
        this.name = name;
        this.base = base;
        this.failure = failure;
        this.errorRate = errorRate;
        this.rateLimitRate = rateLimitRate;
        this.retryAfterMs = retryAfterMs;
        this.timeoutRate = timeoutRate;
        this.timeoutMs = timeoutMs;
        this.latencyMs = latencyMs;
        this.jitterMs = jitterMs;
    }

    /** Throws the failure drawn for call number {@code call}, if any. */
    void inject(long call) {
        if (failure != FailureMode.NONE) {
            throw new ModelCallException(name, "simulated failure: HTTP " + failure.httpStatus() + " (" + failure.specName() + ")",
                    failure.transientFailure(), failure.httpStatus(), null, null);
        }
        if (rateLimitRate == 0 && errorRate == 0 && timeoutRate == 0) return;
        double u = Draws.uniform(base, P_FAULT, call);
        if (u < rateLimitRate) {
            throw new ModelCallException(name, "simulated rate limit: HTTP 429, retry after " + retryAfterMs + " ms", true, 429,
                    Duration.ofMillis(retryAfterMs), null);
        }
        if (u < rateLimitRate + errorRate) {
            throw new ModelCallException(name, "simulated server error: HTTP 500", true, 500, null, null);
        }
        if (u < rateLimitRate + errorRate + timeoutRate) {
            sleep(timeoutMs);
            throw new ModelCallException(name, "simulated time-out after " + timeoutMs + " ms", true, 0, null, null);
        }
    }

    /** The latency of call number {@code call}: uniform within ± jitter around the mean, at least 0. */
    double latencyFor(long call) {
        if (latencyMs <= 0 && jitterMs <= 0) return 0;
        double u = Draws.uniform(base, P_LATENCY, call);
        return Math.max(0, latencyMs + jitterMs * (2 * u - 1));
    }

    void sleep(double ms) {
        if (ms <= 0) return;
        try {
            Thread.sleep(Duration.ofNanos((long) (ms * 1_000_000)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException(name, "interrupted while simulating latency", true, 0, null, e);
        }
    }
}

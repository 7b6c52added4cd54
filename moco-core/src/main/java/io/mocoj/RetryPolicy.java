package io.mocoj;

import java.time.Duration;

/**
 * How transient failures (HTTP 429 and 5xx, time-outs, connection resets) are retried:
 * exponential backoff with full jitter, never shorter than a server's Retry-After.
 *
 * @param maxRetries  retries after the first attempt (0 disables retrying)
 * @param baseDelay   delay before the first retry (doubled each time, then jittered)
 * @param maxDelay    cap on any single delay, Retry-After included
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(60));
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        if (baseDelay.isNegative() || maxDelay.isNegative()) throw new IllegalArgumentException("delays must be >= 0");
    }

    /** The delay before retry number {@code retry} (1-based), given a uniform random {@code u} in [0, 1). */
    public Duration delay(int retry, double u, Duration retryAfter) {
        double exp = baseDelay.toNanos() * Math.pow(2, Math.min(30, retry - 1));
        long jittered = (long) (Math.min(exp, maxDelay.toNanos()) * (0.5 + 0.5 * u));
        long floor = retryAfter == null ? 0 : retryAfter.toNanos();
        return Duration.ofNanos(Math.min(Math.max(jittered, floor), Math.max(maxDelay.toNanos(), 0)));
    }
}

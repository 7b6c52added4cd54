package io.mocoj.internal.engine;

import io.mocoj.ModelFailurePolicy;
import java.time.Duration;

/**
 * When a model counts as unhealthy and what the run then does.
 *
 * @param firstCalls        a model whose first this-many calls all fail is unhealthy
 * @param maxFailureShare   a model with more than this share of failed calls is unhealthy
 * @param minCallsForShare  during the run the share rule waits for this many calls (at the end it always applies)
 * @param policy            stop or continue (degraded) when a model is unhealthy
 * @param preflight         send one small request to every remote endpoint before the method starts
 * @param breakerThreshold  consecutive transport failures of an endpoint that open its circuit breaker
 * @param breakerCooldown   how long an open breaker refuses calls before letting one probe through
 */
public record HealthSettings(int firstCalls, double maxFailureShare, int minCallsForShare, ModelFailurePolicy policy,
                             boolean preflight, int breakerThreshold, Duration breakerCooldown) {
    public static final HealthSettings DEFAULTS =
            new HealthSettings(5, 0.10, 20, ModelFailurePolicy.STOP, true, 5, Duration.ofSeconds(30));

    public HealthSettings {
        if (firstCalls < 1) throw new IllegalArgumentException("firstCalls must be >= 1, was " + firstCalls);
        if (!(maxFailureShare >= 0 && maxFailureShare < 1)) {
            throw new IllegalArgumentException("maxFailureShare must be in [0, 1), was " + maxFailureShare);
        }
        if (breakerThreshold < 1) throw new IllegalArgumentException("breakerThreshold must be >= 1, was " + breakerThreshold);
    }
}

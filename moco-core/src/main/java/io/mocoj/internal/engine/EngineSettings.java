package io.mocoj.internal.engine;

import io.mocoj.RetryPolicy;
import java.nio.file.Path;
import java.util.Map;

/**
 * Engine limits: overall concurrency, per-endpoint concurrency and requests-per-minute, retry
 * policy, optional on-disk cache directory, model health rules.
 */
public record EngineSettings(int concurrency, Map<String, Integer> perModelConcurrency, int defaultPerModelConcurrency,
                             Map<String, Double> requestsPerMinute, RetryPolicy retry, Path cacheDir, HealthSettings health) {
    public EngineSettings {
        perModelConcurrency = Map.copyOf(perModelConcurrency);
        requestsPerMinute = Map.copyOf(requestsPerMinute);
        health = health == null ? HealthSettings.DEFAULTS : health;
    }

    public EngineSettings(int concurrency, Map<String, Integer> perModelConcurrency, int defaultPerModelConcurrency,
                          Map<String, Double> requestsPerMinute, RetryPolicy retry, Path cacheDir) {
        this(concurrency, perModelConcurrency, defaultPerModelConcurrency, requestsPerMinute, retry, cacheDir, HealthSettings.DEFAULTS);
    }
}

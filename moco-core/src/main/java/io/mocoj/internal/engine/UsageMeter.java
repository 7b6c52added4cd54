package io.mocoj.internal.engine;

import io.mocoj.RunReport.ModelUsage;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TokenUsage;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of one model in one phase. */
final class UsageMeter {
    private final ModelEndpoint model;
    private final LongAdder calls = new LongAdder();
    private final LongAdder cached = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final Object latencyLock = new Object();
    private long[] latenciesNanos = new long[64];
    private int latencyCount;

    UsageMeter(ModelEndpoint model) { this.model = model; }

    void success(TokenUsage usage, boolean fromCache, long latencyNanos) {
        calls.increment();
        promptTokens.add(usage.promptTokens());
        completionTokens.add(usage.completionTokens());
        if (fromCache) {
            cached.increment();
        } else {
            addLatency(latencyNanos);
        }
    }

    void failure(long latencyNanos) {
        calls.increment();
        failed.increment();
        addLatency(latencyNanos);
    }

    void retry() { retries.increment(); }

    private void addLatency(long nanos) {
        synchronized (latencyLock) {
            if (latencyCount == latenciesNanos.length) latenciesNanos = Arrays.copyOf(latenciesNanos, latencyCount * 2);
            latenciesNanos[latencyCount++] = nanos;
        }
    }

    ModelUsage snapshot() {
        double mean = 0, p95 = 0;
        synchronized (latencyLock) {
            if (latencyCount > 0) {
                long[] sorted = Arrays.copyOf(latenciesNanos, latencyCount);
                Arrays.sort(sorted);
                double sum = 0;
                for (long v : sorted) sum += v;
                mean = sum / latencyCount / 1e6;
                p95 = sorted[(int) Math.min(latencyCount - 1, Math.ceil(0.95 * latencyCount) - 1)] / 1e6;
            }
        }
        TokenUsage tokens = new TokenUsage(promptTokens.sum(), completionTokens.sum());
        double cost = model.pricing().known() ? model.pricing().cost(tokens) : Double.NaN;
        return new ModelUsage(model.name(), calls.sum(), cached.sum(), failed.sum(), retries.sum(),
                tokens.promptTokens(), tokens.completionTokens(), mean, p95, cost);
    }
}

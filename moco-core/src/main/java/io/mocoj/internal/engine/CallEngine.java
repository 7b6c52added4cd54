package io.mocoj.internal.engine;

import io.mocoj.ProgressEvent;
import io.mocoj.ProgressListener;
import io.mocoj.RunReport.ModelUsage;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.Secrets;
import io.mocoj.model.TokenLogprob;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model call of a run goes through here: response cache (in memory for the run, on disk
 * when configured), concurrency limits (overall and per endpoint), requests-per-minute limits,
 * retries with exponential backoff and jitter honouring Retry-After, and usage accounting.
 * Identical concurrent requests are sent once.
 */
public final class CallEngine {
    private static final Logger LOG = LoggerFactory.getLogger(CallEngine.class);

    /** Which part of a run a call belongs to (usage is reported per part). */
    public enum Phase { METHOD, BASELINE, JUDGE }

    private final EngineSettings settings;
    private final ResponseCache disk;
    private final ProgressListener listener;
    private final Semaphore global;
    private final Map<String, Semaphore> perModel = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<MemoKey, CompletableFuture<Generation>> memo = new ConcurrentHashMap<>();

    /** Identical requests to the same model within a run share one call. */
    private record MemoKey(String identity, GenerationRequest request) {}
    private final Map<String, UsageMeter> meters = new ConcurrentHashMap<>();
    private final SplittableRandom jitterSeed;
    private final PoolHealth health;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final CallLog log = new CallLog();

    public CallEngine(EngineSettings settings, ProgressListener listener, long seed) {
        this.settings = settings;
        this.health = new PoolHealth(settings.health());
        this.listener = listener;
        this.global = new Semaphore(settings.concurrency(), true);
        this.disk = settings.cacheDir() == null ? null : new ResponseCache(settings.cacheDir());
        this.jitterSeed = new SplittableRandom(seed ^ 0x5DEECE66DL);
        settings.requestsPerMinute().forEach((m, rpm) -> limiters.put(m, new RateLimiter(rpm)));
    }

    /** Calls {@code model}, or answers from the cache; throws {@link ModelCallException} when retries are exhausted. */
    public Generation call(ModelEndpoint model, GenerationRequest request, Phase phase) {
        checkStop();
        UsageMeter meter = meter(model, phase);
        MemoKey key = new MemoKey(model.identity(), request);
        CompletableFuture<Generation> mine = new CompletableFuture<>();
        CompletableFuture<Generation> existing = memo.putIfAbsent(key, mine);
        if (existing != null) {
            // an identical request of this run, answered or failed for good: never sent again
            Generation g;
            try {
                g = await(existing, model);
            } catch (RuntimeException e) {
                meter.failure(0);
                log.add(model, null, null, 0, true, errorText(e, model));
                listener.onEvent(new ProgressEvent.CallFinished(model.name(), true, true, Duration.ZERO));
                throw e;
            }
            meter.success(g.usage(), true, 0);
            log.add(model, g.text(), g.usage(), 0, true, null);
            listener.onEvent(new ProgressEvent.CallFinished(model.name(), true, false, Duration.ZERO));
            return g;
        }
        String diskKey = disk == null ? null : ResponseCache.key(key.identity(), request);
        if (disk != null) {
            Optional<Generation> hit = disk.get(diskKey);
            if (hit.isPresent()) {
                mine.complete(hit.get());
                meter.success(hit.get().usage(), true, 0);
                health.success(model.name());
                log.add(model, hit.get().text(), hit.get().usage(), 0, true, null);
                listener.onEvent(new ProgressEvent.CallFinished(model.name(), true, false, Duration.ZERO));
                return hit.get();
            }
        }
        long start = System.nanoTime();
        try {
            Generation g = scrub(callWithRetries(model, request, meter));
            long latency = System.nanoTime() - start;
            if (disk != null) disk.put(diskKey, g);
            mine.complete(g);
            meter.success(g.usage(), false, latency);
            health.success(model.name());
            log.add(model, g.text(), g.usage(), latency, false, null);
            listener.onEvent(new ProgressEvent.CallFinished(model.name(), false, false, Duration.ofNanos(latency)));
            return g;
        } catch (RuntimeException e) {
            // kept in the memo: a later phase of this run asking the same gets the same failure without a request
            mine.completeExceptionally(e);
            long latency = System.nanoTime() - start;
            meter.failure(latency);
            if (!(e instanceof io.mocoj.RunFailedException)) health.failure(model.name(), stripModel(String.valueOf(e.getMessage()), model.name()));
            log.add(model, null, null, latency, false, errorText(e, model));
            listener.onEvent(new ProgressEvent.CallFinished(model.name(), false, true, Duration.ofNanos(latency)));
            throw e;
        }
    }

    /**
     * A generation with every registered secret removed (a server may echo the key in its answer):
     * what the cache, the journal, the run log and the other models of the pool see.
     */
    static Generation scrub(Generation g) {
        if (!Secrets.any()) return g;
        boolean dirty = Secrets.containsKnown(g.text()) || g.samples().stream().anyMatch(Secrets::containsKnown)
                || g.logprobs().stream().anyMatch(t -> Secrets.containsKnown(t.token()));
        if (!dirty) return g;
        List<TokenLogprob> lps = g.logprobs().stream().map(t -> new TokenLogprob(Secrets.redactKnown(t.token()), t.logprob(),
                t.top().stream().map(a -> new TokenLogprob.Alternative(Secrets.redactKnown(a.token()), a.logprob())).toList())).toList();
        LOG.warn("a model's answer contained a configured API key; it was replaced by {} before anything was stored", Secrets.MASK);
        return new Generation(Secrets.redactKnown(g.text()), g.finishReason(), g.usage(), lps,
                g.samples().stream().map(Secrets::redactKnown).toList());
    }

    /**
     * Counts work a method did itself on an in-process model (a decoding session of a
     * {@link io.mocoj.model.LogitsModel}, no request through this engine) as one call of
     * {@code model}, so that accounting stays exact.
     */
    public void recordLocal(ModelEndpoint model, io.mocoj.model.TokenUsage usage, long latencyNanos, Phase phase) {
        meter(model, phase).success(usage, false, latencyNanos);
    }

    private static Generation await(CompletableFuture<Generation> f, ModelEndpoint model) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ModelCallException.permanent(model.name(), "interrupted while waiting for an identical request");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private Generation callWithRetries(ModelEndpoint model, GenerationRequest request, UsageMeter meter) {
        CircuitBreaker breaker = breaker(model);
        int attempt = 0;
        while (true) {
            attempt++;
            checkStop();
            breaker.admit();
            ModelCallException failure;
            try {
                Generation g = attemptOnce(model, request);
                breaker.success();
                return g;
            } catch (ModelCallException e) {
                failure = e;
            } catch (UncheckedIOException e) {
                failure = new ModelCallException(model.name(), "I/O error: " + e.getCause().getMessage(), true, 0, null, e);
            } catch (RuntimeException e) {
                // an endpoint bug or an unexpected library failure: permanent, and the real cause is kept
                failure = new ModelCallException(model.name(), "the endpoint failed: " + RunContext.describe(e), false, 0, null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelCallException(model.name(), "interrupted", false, 0, null, e);
            }
            breaker.failure(failure);
            if (!failure.transientFailure() || attempt > settings.retry().maxRetries()) {
                if (failure.transientFailure()) {
                    throw new ModelCallException(model.name(), "gave up after " + attempt + " attempts: "
                            + stripModel(failure.getMessage(), model.name()), false, failure.httpStatus(), null, failure);
                }
                throw failure;
            }
            double u;
            synchronized (jitterSeed) {
                u = jitterSeed.nextDouble();
            }
            Duration delay = settings.retry().delay(attempt, u, failure.retryAfter().orElse(null));
            meter.retry();
            LOG.debug("retrying {} in {} ms after: {}", model.name(), delay.toMillis(), failure.getMessage());
            listener.onEvent(new ProgressEvent.Retrying(model.name(), attempt, delay, failure.getMessage()));
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelCallException(model.name(), "interrupted while waiting to retry", false, 0, null, e);
            }
        }
    }

    /** A failed call's error for the run log: the message without the model's name (which the record names already). */
    private static String errorText(RuntimeException e, ModelEndpoint model) {
        return e instanceof ModelCallException ? stripModel(String.valueOf(e.getMessage()), model.name()) : RunContext.describe(e);
    }

    private static String stripModel(String message, String model) {
        return message.startsWith(model + ": ") ? message.substring(model.length() + 2) : message;
    }

    private Generation attemptOnce(ModelEndpoint model, GenerationRequest request) throws InterruptedException {
        Semaphore local = perModel.computeIfAbsent(model.name(),
                n -> new Semaphore(settings.perModelConcurrency().getOrDefault(n, settings.defaultPerModelConcurrency()), true));
        RateLimiter limiter = limiters.get(model.name());
        if (limiter != null) limiter.acquire();
        local.acquire();
        try {
            global.acquire();
            try {
                return model.generate(request);
            } finally {
                global.release();
            }
        } finally {
            local.release();
        }
    }

    private CircuitBreaker breaker(ModelEndpoint model) {
        return breakers.computeIfAbsent(model.name(), n -> new CircuitBreaker(n, settings.health().breakerThreshold(),
                settings.health().breakerCooldown()));
    }

    /** Throws the run's stop signal if a model turned unhealthy under the STOP policy. */
    void checkStop() {
        var stop = health.stopSignal();
        if (stop != null) throw stop;
    }

    PoolHealth health() { return health; }

    CallLog callLog() { return log; }

    /** A failed preflight: the model is unhealthy, and its breaker opens when the failure was at the transport level. */
    void preflightFailed(ModelEndpoint model, ModelCallException e) {
        String error = stripModel(String.valueOf(e.getMessage()), model.name());
        health.preflightFailed(model.name(), error);
        if (CircuitBreaker.isTransport(e)) breaker(model).trip(error);
    }

    private UsageMeter meter(ModelEndpoint model, Phase phase) {
        return meters.computeIfAbsent(phase + "\u0000" + model.name(), k -> new UsageMeter(model));
    }

    /** Usage per model of one phase, in the given pool order (models never called show zeros). */
    public List<ModelUsage> usage(List<ModelEndpoint> pool, Phase phase) {
        List<ModelUsage> out = new ArrayList<>();
        for (ModelEndpoint m : pool) out.add(meter(m, phase).snapshot());
        return out;
    }

    /** Usage of one model in one phase. */
    public ModelUsage usage(ModelEndpoint model, Phase phase) { return meter(model, phase).snapshot(); }

}

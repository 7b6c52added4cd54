package io.mocoj.internal.engine;

import io.mocoj.RunReport.PreflightResult;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the method starts, one small request (one output token) to every remote endpoint, all at
 * once, so that a dead server or a bad key is reported within seconds instead of after every
 * call's retries. A transient failure is tried once more after a short pause; an endpoint that has
 * not answered within {@link #TIMEOUT} counts as failed. Preflight requests bypass the cache and
 * are not counted in the usage of any phase.
 */
final class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final GenerationRequest PING = GenerationRequest.builder()
            .messages(List.of(ChatMessage.user("Reply with the single word OK.")))
            .maxTokens(1).temperature(0).build();

    private Preflight() {}

    private record Ping(PreflightResult result, ModelCallException failure) {}

    /** Checks every remote model; failures are reported to the engine's health, results returned in pool order. */
    static List<PreflightResult> check(List<ModelEndpoint> models, CallEngine engine) {
        List<ModelEndpoint> remote = models.stream().filter(ModelEndpoint::remote).toList();
        if (remote.isEmpty()) return List.of();
        List<PreflightResult> out = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Ping>> futures = new ArrayList<>();
            for (ModelEndpoint m : remote) futures.add(ex.submit(() -> ping(m)));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (int i = 0; i < remote.size(); i++) {
                ModelEndpoint m = remote.get(i);
                Ping p;
                try {
                    p = futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    futures.get(i).cancel(true);
                    String msg = "no answer to the preflight request within " + TIMEOUT.toSeconds() + " s";
                    p = new Ping(new PreflightResult(m.name(), false, null, msg), ModelCallException.transientFailure(m.name(), msg));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted during the preflight", e);
                } catch (ExecutionException e) {
                    String msg = RunContext.describe(e.getCause());
                    p = new Ping(new PreflightResult(m.name(), false, null, msg), ModelCallException.permanent(m.name(), msg));
                }
                if (p.result().ok()) {
                    LOG.debug("preflight of {} answered in {} ms", m.name(), p.result().latencyMs());
                } else {
                    LOG.warn("preflight of {} failed: {}", m.name(), p.result().error());
                    engine.preflightFailed(m, p.failure());
                }
                out.add(p.result());
            }
            ex.shutdownNow();
        }
        return out;
    }

    private static Ping ping(ModelEndpoint m) {
        long start = System.nanoTime();
        ModelCallException last = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                m.generate(PING);
                return new Ping(new PreflightResult(m.name(), true, (System.nanoTime() - start) / 1e6, null), null);
            } catch (ModelCallException e) {
                last = e;
                if (!e.transientFailure()) break;
            } catch (RuntimeException e) {
                last = new ModelCallException(m.name(), RunContext.describe(e), false, 0, null, e);
                break;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String msg = last.getMessage().startsWith(m.name() + ": ") ? last.getMessage().substring(m.name().length() + 2) : last.getMessage();
        return new Ping(new PreflightResult(m.name(), false, null, msg), last);
    }
}

package io.mocoj.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One model served by several replicas (vLLM data-parallel replicas, Ray Serve LLM deployments,
 * llama.cpp servers): each call goes to the healthy replica with the fewest calls in flight. A replica
 * whose call fails transiently (refused connection, time-out, 5xx, 429) is taken out for a cool-down
 * (its Retry-After, else 2 s doubling to 60 s while it keeps failing) and the call is retried at once
 * on another replica; only when every replica has failed this call, or is cooling down, does the
 * failure reach the engine (transient, with a Retry-After of the shortest cool-down left, so the
 * engine's backoff waits for a replica to come back). Permanent failures (400, 401, 404) are not the
 * replica's fault and are passed on unchanged. {@link #replicaUsage()} reports calls, failures and
 * latency per replica.
 *
 * <p>Every replica must serve the same model: responses are cached under this endpoint's identity,
 * whichever replica answered.
 */
public final class ReplicatedEndpoint implements ModelEndpoint {
    static final Duration FIRST_COOL_DOWN = Duration.ofSeconds(2), MAX_COOL_DOWN = Duration.ofSeconds(60);

    private final String name;
    private final List<Replica> replicas;
    private final Set<Capability> capabilities;
    private final String identity;
    private final LongSupplier clock;
    private final AtomicLong turn = new AtomicLong();

    /** Calls, failures and latency of one replica. */
    public record ReplicaUsage(String replica, long calls, long failures, long coolDowns, double meanLatencyMs) {}

    private static final class Replica {
        final String label;
        final ModelEndpoint endpoint;
        final AtomicInteger inFlight = new AtomicInteger();
        final LongAdder calls = new LongAdder(), failures = new LongAdder(), coolDowns = new LongAdder(), latencyNanos = new LongAdder();
        volatile long coolUntil;
        volatile int consecutiveFailures;

        Replica(String label, ModelEndpoint endpoint) {
            this.label = label;
            this.endpoint = endpoint;
        }
    }

    /**
     * @param labels   how each replica is named in usage and messages (e.g. its base URL)
     * @param replicas the endpoints, one per replica, all for the same model
     */
    public ReplicatedEndpoint(String name, List<String> labels, List<? extends ModelEndpoint> replicas) {
        this(name, labels, replicas, System::nanoTime);
    }

    ReplicatedEndpoint(String name, List<String> labels, List<? extends ModelEndpoint> replicas, LongSupplier clock) {
        this.name = Objects.requireNonNull(name, "name");
        if (replicas.size() < 2) throw new IllegalArgumentException("a replicated model needs at least 2 replicas, got " + replicas.size());
        if (labels.size() != replicas.size()) throw new IllegalArgumentException("one label per replica: " + labels.size() + " labels, " + replicas.size() + " replicas");
        if (new HashSet<>(labels).size() != labels.size()) throw new IllegalArgumentException("replicas of " + name + " are listed twice: " + labels);
        List<Replica> rs = new ArrayList<>();
        Set<Capability> caps = EnumSet.allOf(Capability.class);
        for (int i = 0; i < replicas.size(); i++) {
            rs.add(new Replica(labels.get(i), replicas.get(i)));
            caps.retainAll(replicas.get(i).capabilities());
        }
        this.replicas = List.copyOf(rs);
        this.capabilities = Set.copyOf(caps);
        this.identity = "replicated:" + replicas.get(0).identity().replaceFirst("@.*", "") + "|" + String.join("|", labels.stream().sorted().toList());
        this.clock = clock;
    }

    @Override public String name() { return name; }
    @Override public Set<Capability> capabilities() { return capabilities; }
    @Override public String identity() { return identity; }
    @Override public ModelPricing pricing() { return replicas.get(0).endpoint.pricing(); }
    @Override public boolean simulated() { return replicas.stream().allMatch(r -> r.endpoint.simulated()); }

    @Override
    public Generation generate(GenerationRequest request) {
        Set<Replica> tried = new HashSet<>();
        List<String> errors = new ArrayList<>();
        while (true) {
            Replica r = pick(tried);
            if (r == null) {
                long now = clock.getAsLong();
                long wait = replicas.stream().mapToLong(x -> Math.max(0, x.coolUntil - now)).filter(w -> w > 0).min().orElse(0);
                throw new ModelCallException(name, (errors.isEmpty() ? "every replica is cooling down after failures"
                        : "every replica failed this call: " + String.join("; ", errors)), true, 0,
                        wait > 0 ? Duration.ofNanos(wait) : null, null);
            }
            tried.add(r);
            r.inFlight.incrementAndGet();
            long start = clock.getAsLong();
            try {
                Generation g = r.endpoint.generate(request);
                r.calls.increment();
                r.latencyNanos.add(clock.getAsLong() - start);
                r.consecutiveFailures = 0;
                return g;
            } catch (ModelCallException e) {
                r.calls.increment();
                r.failures.increment();
                if (!e.transientFailure()) throw e;
                coolDown(r, e.retryAfter().orElse(null));
                errors.add(r.label + ": " + e.getMessage());
            } finally {
                r.inFlight.decrementAndGet();
            }
        }
    }

    private void coolDown(Replica r, Duration retryAfter) {
        int k = ++r.consecutiveFailures;
        Duration d = retryAfter != null ? retryAfter
                : FIRST_COOL_DOWN.multipliedBy(1L << Math.min(k - 1, 10)).compareTo(MAX_COOL_DOWN) > 0 ? MAX_COOL_DOWN
                : FIRST_COOL_DOWN.multipliedBy(1L << Math.min(k - 1, 10));
        r.coolUntil = clock.getAsLong() + d.toNanos();
        r.coolDowns.increment();
    }

    /** The untried, not cooling replica with the fewest calls in flight; ties rotate. */
    private Replica pick(Set<Replica> tried) {
        long now = clock.getAsLong();
        int n = replicas.size();
        int offset = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
        Replica best = null;
        for (int i = 0; i < n; i++) {
            Replica r = replicas.get((offset + i) % n);
            if (tried.contains(r) || r.coolUntil - now > 0) continue;
            if (best == null || r.inFlight.get() < best.inFlight.get()) best = r;
        }
        return best;
    }

    /** Usage per replica, in the order given. */
    public List<ReplicaUsage> replicaUsage() {
        List<ReplicaUsage> out = new ArrayList<>();
        for (Replica r : replicas) {
            long ok = r.calls.sum() - r.failures.sum();
            out.add(new ReplicaUsage(r.label, r.calls.sum(), r.failures.sum(), r.coolDowns.sum(),
                    ok == 0 ? 0 : r.latencyNanos.sum() / 1e6 / ok));
        }
        return out;
    }

    /** The replicas' endpoints, in order. */
    public List<ModelEndpoint> replicas() { return replicas.stream().map(r -> r.endpoint).toList(); }

    @Override public String toString() { return "ReplicatedEndpoint[" + name + " over " + replicas.stream().map(r -> r.label).toList() + "]"; }
}

package io.mocoj.internal.engine;

import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A judge (or other scoring model) whose calls go through the run's engine while a run executes:
 * cache, retries, circuit breaker, health and usage accounting (phase JUDGE). Outside a run it
 * calls the model directly.
 */
public final class EngineBoundEndpoint implements ModelEndpoint {
    private final ModelEndpoint delegate;
    private final AtomicReference<CallEngine> engine = new AtomicReference<>();

    public EngineBoundEndpoint(ModelEndpoint delegate) { this.delegate = delegate; }

    public ModelEndpoint delegate() { return delegate; }

    void bind(CallEngine e) { engine.set(e); }

    void unbind() { engine.set(null); }

    @Override public String name() { return delegate.name(); }
    @Override public Set<Capability> capabilities() { return delegate.capabilities(); }
    @Override public String identity() { return delegate.identity(); }
    @Override public boolean simulated() { return delegate.simulated(); }
    @Override public boolean remote() { return delegate.remote(); }
    @Override public ModelPricing pricing() { return delegate.pricing(); }

    @Override
    public Generation generate(GenerationRequest request) {
        CallEngine e = engine.get();
        return e == null ? delegate.generate(request) : e.call(delegate, request, CallEngine.Phase.JUDGE);
    }

    @Override public String toString() { return delegate.toString(); }
}

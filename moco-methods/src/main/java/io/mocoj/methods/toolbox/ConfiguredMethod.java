package io.mocoj.methods.toolbox;

import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Base of every method in this module: an immutable configuration (factory + validated
 * hyperparameters) whose fluent setters return validated copies. A setter goes through
 * {@link #with(String, Object)}, which re-parses all values with the factory's
 * {@link io.mocoj.method.ParameterSpec}s, so the fluent path and the JSON config path give
 * identical error messages.
 *
 * @param <SELF> the concrete method type returned by the fluent setters
 */
public abstract class ConfiguredMethod<SELF extends ConfiguredMethod<SELF>> implements CollaborationMethod {
    private final MethodFactory factory;
    private final Hyperparameters hyperparameters;

    protected ConfiguredMethod(MethodFactory factory, Hyperparameters hyperparameters) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
    }

    @Override public final String name() { return factory.name(); }

    @Override public final Level level() { return factory.level(); }

    @Override public final Hyperparameters hyperparameters() { return hyperparameters; }

    /** The factory that made this method (its name, description and parameter specs). */
    public final MethodFactory factory() { return factory; }

    /**
     * A copy with one hyperparameter set to {@code value} (a config-style value: number, string,
     * boolean or list), validated exactly as a config file value would be.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    @SuppressWarnings("unchecked")
    public SELF with(String key, Object value) {
        Map<String, Object> raw = new LinkedHashMap<>(hyperparameters.asMap());
        raw.put(key, value);
        return (SELF) factory.create(raw);
    }

    @Override public String toString() { return name() + hyperparameters; }
}

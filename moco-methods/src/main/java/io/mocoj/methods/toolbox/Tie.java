package io.mocoj.methods.toolbox;

import java.util.List;

/** How a vote between equally frequent answers is decided (MoCo's {@code tie} hyperparameter). */
public enum Tie {
    /** Uniformly at random among the tied answers, from the run's seeded randomness. */
    RANDOM("random"),
    /** The tied answer given by the model with the best mean dev score (pool order among equal scores). */
    DEV_BASED("dev-based"),
    /** The tied answer given by the model that comes first in the pool. */
    MODEL_ORDER("model-order");

    private final String configName;

    Tie(String configName) { this.configName = configName; }

    /** The value used in MoCo configs, e.g. {@code dev-based}. */
    public String configName() { return configName; }

    /** Parses a config value; the error lists the accepted names. */
    public static Tie fromConfigName(String name) {
        for (Tie t : values()) if (t.configName.equals(name)) return t;
        throw new IllegalArgumentException("unknown tie rule '" + name + "'; accepted: " + configNames(List.of(values())));
    }

    /** Config names of the given rules, e.g. for a {@link io.mocoj.method.ParameterSpec#choice}. */
    public static List<String> configNames(List<Tie> ties) {
        return ties.stream().map(Tie::configName).toList();
    }

    @Override public String toString() { return configName; }
}

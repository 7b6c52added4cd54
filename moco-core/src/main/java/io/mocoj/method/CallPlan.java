package io.mocoj.method;

import java.util.Map;
import java.util.Objects;

/**
 * The model calls a method will make, known before it runs (for dry runs): per model name, and the formula
 * they come from, e.g. {@code "each model once per test example"}.
 *
 * @param callsPerModel calls per model name (before the response cache and in-flight de-duplication)
 * @param formula       how the counts follow from the pool, the splits and the hyperparameters
 * @param exact         true when the counts are exact, false when they are an upper bound (response-dependent methods)
 */
public record CallPlan(Map<String, Long> callsPerModel, String formula, boolean exact) {
    public CallPlan {
        callsPerModel = Map.copyOf(callsPerModel);
        Objects.requireNonNull(formula, "formula");
    }
}

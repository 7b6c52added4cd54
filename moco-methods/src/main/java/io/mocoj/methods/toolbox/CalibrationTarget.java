package io.mocoj.methods.toolbox;

import io.mocoj.method.ParameterSpec;
import java.util.Map;

/**
 * What a router is calibrated to on dev (RouteLLM-style threshold calibration): the share of
 * queries sent to the strong (most expensive) model, or a cost per 1,000 queries. In configs:
 * {@code "calibrate": {"strong_share": 0.3}} or {@code "calibrate": {"cost_per_1k": 2.0}}.
 *
 * @param strongShare target share of queries for the strong model in [0, 1], or null
 * @param costPer1k   target cost per 1,000 queries (in the models' price unit), or null
 */
public record CalibrationTarget(Double strongShare, Double costPer1k) {
    public static final String KEY = "calibrate";

    public CalibrationTarget {
        if ((strongShare == null) == (costPer1k == null)) throw new IllegalArgumentException("give exactly one of strong_share and cost_per_1k");
        if (strongShare != null && !(strongShare >= 0 && strongShare <= 1)) throw new IllegalArgumentException("strong_share must be in [0, 1]");
        if (costPer1k != null && !(costPer1k >= 0)) throw new IllegalArgumentException("cost_per_1k must be >= 0");
    }

    public static CalibrationTarget strongShare(double share) { return new CalibrationTarget(share, null); }

    public static CalibrationTarget costPer1k(double cost) { return new CalibrationTarget(null, cost); }

    /** The {@code calibrate} hyperparameter every router declares. */
    public static ParameterSpec parameter() {
        return new ParameterSpec(KEY, ParameterSpec.Type.NUMBER_MAP, null,
                "an object with exactly one key: strong_share (a number in [0, 1]) or cost_per_1k (a number >= 0)",
                v -> {
                    try {
                        from(castMap(v));
                        return true;
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                }, "calibrate the router on dev to a strong-model share or a cost per 1,000 queries");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> castMap(Object v) { return (Map<String, Double>) v; }

    /** From the config value, or null when {@code value} is null. */
    public static CalibrationTarget from(Map<String, Double> value) {
        if (value == null) return null;
        if (value.size() != 1) throw new IllegalArgumentException("calibrate takes exactly one key");
        if (value.containsKey("strong_share")) return strongShare(value.get("strong_share"));
        if (value.containsKey("cost_per_1k")) return costPer1k(value.get("cost_per_1k"));
        throw new IllegalArgumentException("unknown calibrate key " + value.keySet());
    }

    /** The config form. */
    public Map<String, Double> asConfig() {
        return strongShare != null ? Map.of("strong_share", strongShare) : Map.of("cost_per_1k", costPer1k);
    }
}

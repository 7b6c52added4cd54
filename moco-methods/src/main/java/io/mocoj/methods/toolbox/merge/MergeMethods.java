package io.mocoj.methods.toolbox.merge;

import io.mocoj.methods.toolbox.merge.GeneralizedTaskArithmetic.Sparsify;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The merge methods by name, mergekit style. Options (all numbers, booleans as 0/1 or true/false):
 *
 * <table>
 *   <caption>merge methods</caption>
 *   <tr><th>name</th><th>base</th><th>options (default)</th></tr>
 *   <tr><td>{@code linear}</td><td>no</td><td>{@code normalize} (false)</td></tr>
 *   <tr><td>{@code task_arithmetic}</td><td>yes</td><td>{@code lambda} (1)</td></tr>
 *   <tr><td>{@code ties}</td><td>yes</td><td>{@code density} (0.2), {@code normalize} (true), {@code lambda} (1)</td></tr>
 *   <tr><td>{@code dare_linear}</td><td>yes</td><td>{@code density} (0.5), {@code lambda} (1)</td></tr>
 *   <tr><td>{@code dare_ties}</td><td>yes</td><td>{@code density} (1, MoCo's default: no drop), {@code normalize} (false, as MoCo), {@code lambda} (1)</td></tr>
 *   <tr><td>{@code breadcrumbs}</td><td>yes</td><td>{@code density} (0.9), {@code gamma} (0.01), {@code lambda} (1)</td></tr>
 *   <tr><td>{@code breadcrumbs_ties}</td><td>yes</td><td>as breadcrumbs, plus {@code normalize} (true)</td></tr>
 *   <tr><td>{@code model_stock}</td><td>yes</td><td>none (≥ 2 models)</td></tr>
 *   <tr><td>{@code slerp}</td><td>no</td><td>{@code t} (0.5; exactly 2 models)</td></tr>
 * </table>
 */
public final class MergeMethods {
    private MergeMethods() {}

    private record Entry(Set<String> options, Function<Options, MergeMethod> make) {}

    private static final Map<String, Entry> METHODS = new LinkedHashMap<>();

    static {
        METHODS.put("linear", new Entry(Set.of("normalize"), o -> new Linear(o.bool("normalize", false))));
        METHODS.put("task_arithmetic", new Entry(Set.of("lambda"), o -> gta(o, "task_arithmetic", Sparsify.NONE, false, false, 1)));
        METHODS.put("ties", new Entry(Set.of("density", "normalize", "lambda"), o -> gta(o, "ties", Sparsify.MAGNITUDE, true, true, 0.2)));
        METHODS.put("dare_linear", new Entry(Set.of("density", "lambda"), o -> gta(o, "dare_linear", Sparsify.RANDOM, false, false, 0.5)));
        METHODS.put("dare_ties", new Entry(Set.of("density", "normalize", "lambda"), o -> gta(o, "dare_ties", Sparsify.RANDOM, true, false, 1)));
        METHODS.put("breadcrumbs", new Entry(Set.of("density", "gamma", "lambda"), o -> gta(o, "breadcrumbs", Sparsify.BAND, false, false, 0.9)));
        METHODS.put("breadcrumbs_ties", new Entry(Set.of("density", "gamma", "normalize", "lambda"),
                o -> gta(o, "breadcrumbs_ties", Sparsify.BAND, true, true, 0.9)));
        METHODS.put("model_stock", new Entry(Set.of(), o -> new ModelStock()));
        METHODS.put("slerp", new Entry(Set.of("t"), o -> new Slerp(o.number("t", 0.5))));
    }

    private static MergeMethod gta(Options o, String name, Sparsify s, boolean consensus, boolean normalizeDefault, double densityDefault) {
        return new GeneralizedTaskArithmetic(name, s, consensus, o.bool("normalize", normalizeDefault), o.number("density", densityDefault),
                o.number("gamma", s == Sparsify.BAND ? 0.01 : 0), o.number("lambda", 1));
    }

    /** Every registered name, in the order of the table above. */
    public static List<String> names() { return List.copyOf(METHODS.keySet()); }

    /** A method with its default options. */
    public static MergeMethod byName(String name) { return byName(name, Map.of()); }

    /**
     * A method by name with options.
     *
     * @throws IllegalArgumentException naming the unknown method or option, or the bad value
     */
    public static MergeMethod byName(String name, Map<String, ?> options) {
        Entry e = METHODS.get(name);
        if (e == null) throw new IllegalArgumentException("unknown merge method '" + name + "'; known: " + names());
        for (String k : options.keySet()) {
            if (!e.options().contains(k)) {
                throw new IllegalArgumentException("merge method " + name + " has no option '" + k + "'"
                        + (e.options().isEmpty() ? " (it takes none)" : "; its options: " + e.options()));
            }
        }
        return e.make().apply(new Options(name, options));
    }

    private record Options(String method, Map<String, ?> values) {
        double number(String key, double fallback) {
            Object v = values.get(key);
            if (v == null) return fallback;
            if (v instanceof Number n) return n.doubleValue();
            throw new IllegalArgumentException("merge method " + method + ": option " + key + " must be a number, was " + v);
        }

        boolean bool(String key, boolean fallback) {
            Object v = values.get(key);
            if (v == null) return fallback;
            if (v instanceof Boolean b) return b;
            if (v instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) return n.doubleValue() == 1;
            throw new IllegalArgumentException("merge method " + method + ": option " + key + " must be true or false, was " + v);
        }
    }
}

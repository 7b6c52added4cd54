package io.mocoj.method;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validated, typed hyperparameter values of one method (every declared parameter, defaults filled in).
 * Build with {@link #parse}, which converts config values to their declared types and fails with a
 * message naming the key, the value and what is allowed.
 */
public final class Hyperparameters {
    /** Keys shared by every method (generation settings); never reported as unknown. */
    public static final List<String> SHARED_KEYS = List.of("max_response_length", "temperature", "top_p", "batch_size", "seed");

    private final Map<String, Object> values;
    private final List<String> warnings;

    private Hyperparameters(Map<String, Object> values, List<String> warnings) {
        this.values = Collections.unmodifiableMap(values);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Validates raw values (from JSON or the builder) against specs. Unknown keys produce a
     * warning naming the closest known key; wrong types or ranges throw {@link IllegalArgumentException}.
     */
    public static Hyperparameters parse(String methodName, List<ParameterSpec> specs, Map<String, ?> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (ParameterSpec s : specs) byName.put(s.name(), s);
        for (ParameterSpec s : specs) out.put(s.name(), s.defaultValue());
        for (var e : raw.entrySet()) {
            ParameterSpec s = byName.get(e.getKey());
            if (s == null) {
                if (!SHARED_KEYS.contains(e.getKey())) {
                    List<String> known = new ArrayList<>(byName.keySet());
                    known.addAll(SHARED_KEYS);
                    warnings.add("unknown hyperparameter '" + e.getKey() + "' for method " + methodName
                            + " is ignored" + closest(e.getKey(), known).map(c -> " (did you mean '" + c + "'?)").orElse(""));
                }
                continue;
            }
            out.put(s.name(), convert(methodName, s, e.getValue()));
        }
        return new Hyperparameters(out, warnings);
    }

    /** Hyperparameters with defaults only. */
    public static Hyperparameters defaults(String methodName, List<ParameterSpec> specs) {
        return parse(methodName, specs, Map.of());
    }

    static Object convert(String method, ParameterSpec s, Object v) {
        if (v == null) return null;
        Object c;
        try {
            c = switch (s.type()) {
                case INT -> toInt(v);
                case DOUBLE -> toDouble(v);
                case BOOLEAN -> toBool(v);
                case STRING -> toStr(v);
                case INT_LIST -> toList(v).stream().map(Hyperparameters::toInt).toList();
                case DOUBLE_LIST -> toList(v).stream().map(Hyperparameters::toDouble).toList();
                case STRING_LIST -> toList(v).stream().map(Hyperparameters::toStr).toList();
                case INT_MATRIX -> toList(v).stream().map(row -> toList(row).stream().map(Hyperparameters::toInt).toList()).toList();
                case NUMBER_MAP -> toNumberMap(v);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("hyperparameter '" + s.name() + "' of method " + method + " has value "
                    + render(v) + ", expected " + s.allowed(), e);
        }
        if (!s.check().test(c)) {
            throw new IllegalArgumentException("hyperparameter '" + s.name() + "' of method " + method + " has value "
                    + render(v) + ", expected " + s.allowed());
        }
        return c;
    }

    private static String render(Object v) {
        return v instanceof String s ? "\"" + io.mocoj.config.Quoted.cap(s) + "\"" : io.mocoj.config.Quoted.cap(String.valueOf(v));
    }

    private static int toInt(Object v) {
        if (v instanceof Integer i) return i;
        return io.mocoj.config.ExactNumbers.toInt(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "the value");
    }

    private static double toDouble(Object v) {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
        throw new IllegalArgumentException("not a finite number");
    }

    private static boolean toBool(Object v) {
        if (v instanceof Boolean b) return b;
        // MoCo's configs write flags as 0/1 (e.g. "fast_merge_flag": 1)
        if ((v instanceof Integer || v instanceof Long) && (((Number) v).longValue() == 0 || ((Number) v).longValue() == 1)) {
            return ((Number) v).longValue() == 1;
        }
        throw new IllegalArgumentException("not a boolean");
    }

    private static String toStr(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof Enum<?> e) return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        throw new IllegalArgumentException("not a string");
    }

    private static Map<String, Double> toNumberMap(Object v) {
        if (!(v instanceof Map<?, ?> m)) throw new IllegalArgumentException("not an object");
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), toDouble(e.getValue()));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static List<?> toList(Object v) {
        if (v instanceof List<?> l) return l;
        throw new IllegalArgumentException("not a list");
    }

    /** The known name closest to {@code key} by edit distance, if it is close enough to be a likely misspelling. */
    public static java.util.Optional<String> closest(String key, List<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), k);
            if (d < bestD) { bestD = d; best = k; }
        }
        return bestD <= Math.max(2, key.length() / 2) ? java.util.Optional.ofNullable(best) : java.util.Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** Warnings produced while parsing (unknown keys). */
    public List<String> warnings() { return warnings; }

    /** All values by name (defaults filled in). */
    public Map<String, Object> asMap() { return values; }

    public int getInt(String name) { return (Integer) require(name); }
    public double getDouble(String name) { return (Double) require(name); }
    public boolean getBoolean(String name) { return (Boolean) require(name); }
    public String getString(String name) { return (String) values.get(checkDeclared(name)); }

    /** A {@link ParameterSpec.Type#NUMBER_MAP} value (an object of numbers in JSON), or null when not set. */
    @SuppressWarnings("unchecked")
    public Map<String, Double> getMap(String name) { return (Map<String, Double>) values.get(checkDeclared(name)); }

    @SuppressWarnings("unchecked")
    public <T> List<T> getList(String name) { return (List<T>) values.get(checkDeclared(name)); }

    private Object require(String name) {
        Object v = values.get(checkDeclared(name));
        return Objects.requireNonNull(v, () -> "hyperparameter '" + name + "' has no value and no default");
    }

    private String checkDeclared(String name) {
        if (!values.containsKey(name)) throw new IllegalArgumentException("undeclared hyperparameter '" + name + "'");
        return name;
    }

    @Override public String toString() { return values.toString(); }
}

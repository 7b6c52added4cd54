package io.mocoj.method;

import java.util.Map;
import java.util.TreeMap;

/** Finds methods by their MoCo names (fluent constructors for each method: {@code io.mocoj.methods.Methods} in moco-methods). */
public final class MethodRegistry {
    private MethodRegistry() {}

    /** Every method factory on the class path, by name. */
    public static Map<String, MethodFactory> all() {
        Map<String, MethodFactory> m = new TreeMap<>();
        for (MethodFactory f : io.mocoj.plugin.Plugins.load(MethodFactory.class)) m.put(f.name(), f);
        return m;
    }

    /** The factory for a name, or a clear error listing the known names. */
    public static MethodFactory byName(String name) {
        Map<String, MethodFactory> all = all();
        MethodFactory f = all.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown method " + io.mocoj.config.Quoted.of(name)
                    + (name.length() > 200 ? java.util.Optional.<String>empty() : Hyperparameters.closest(name, java.util.List.copyOf(all.keySet()))).map(c -> " (did you mean '" + c + "'?)").orElse("")
                    + "; known methods: " + (all.isEmpty() ? "none (add io.mocoj:moco-methods to the class path)" : String.join(", ", all.keySet())));
        }
        return f;
    }
}

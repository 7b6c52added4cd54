package io.mocoj.eval.internal.ifeval;

import java.util.List;
import java.util.Map;

/** Typed access to one instruction's kwargs; a missing or mistyped value throws (the instruction then fails). */
record Kwargs(Map<String, Object> map) {
    Kwargs {
        if (map == null) throw new IllegalArgumentException("no kwargs");
    }

    String text(String key) {
        if (map.get(key) instanceof String s) return s;
        throw new IllegalArgumentException("kwarg " + key + " is not a string: " + map.get(key));
    }

    String text(String key, String def) {
        Object v = map.get(key);
        if (v == null && !map.containsKey(key)) return def;
        if (v instanceof String s) return s;
        throw new IllegalArgumentException("kwarg " + key + " is not a string: " + v);
    }

    int number(String key) {
        if (map.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        throw new IllegalArgumentException("kwarg " + key + " is not a whole number: " + map.get(key));
    }

    List<String> texts(String key) {
        if (map.get(key) instanceof List<?> l) {
            return l.stream().map(o -> {
                if (o instanceof String s) return s;
                throw new IllegalArgumentException("kwarg " + key + " holds a non-string: " + o);
            }).toList();
        }
        throw new IllegalArgumentException("kwarg " + key + " is not a list: " + map.get(key));
    }
}

package io.mocoj.datasets.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value from a streaming parser into plain Java values (String, Long, BigInteger,
 * Double, BigDecimal only when it does not fit a double, Boolean, null, unmodifiable List and Map).
 * Short repeated strings (labels such as a domain or country) are shared within one reader.
 */
final class JsonValues {
    private static final int DEDUP_MAX_LENGTH = 48;
    private static final int DEDUP_MAX_ENTRIES = 4096;
    private final Map<String, String> shared = new HashMap<>();

    /** Reads the value at the parser's current token; leaves the parser on the value's last token. */
    Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) throw new IOException("no JSON value");
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = share(p.currentName());
                    p.nextToken();
                    m.put(key, read(p));
                }
                yield Collections.unmodifiableMap(m);
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(read(p));
                yield Collections.unmodifiableList(l);
            }
            case VALUE_STRING -> share(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT, LONG -> p.getLongValue();
                default -> p.getBigIntegerValue();
            };
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected token " + t);
        };
    }

    private String share(String s) {
        if (s.length() > DEDUP_MAX_LENGTH) return s;
        String prior = shared.get(s);
        if (prior != null) return prior;
        if (shared.size() < DEDUP_MAX_ENTRIES) shared.put(s, s);
        return s;
    }

    /** "a string", "an object", ... for error messages. */
    static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof String) return "a string";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "an array";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger) return "an integer";
        if (v instanceof Number) return "a number";
        return "a " + v.getClass().getSimpleName();
    }

    static String describe(JsonToken t) {
        if (t == null) return "the end of the file";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}

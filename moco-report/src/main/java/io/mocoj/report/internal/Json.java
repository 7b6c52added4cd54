package io.mocoj.report.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Short human-readable text for small JSON values (hyperparameters, a degraded-run note). */
final class Json {
    private Json() {}

    static String brief(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return "";
        if (n.isBoolean() && n.asBoolean()) return "the run log marks this run as degraded";
        if (n.isValueNode()) return n.asText();
        List<String> parts = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> parts.add(e.isObject() ? "(" + brief(e) + ")" : brief(e)));
            return String.join(", ", parts);
        }
        n.fields().forEachRemaining(f -> parts.add(f.getKey() + ": " + (f.getValue().isContainerNode()
                ? (f.getValue().isArray() ? "[" + brief(f.getValue()) + "]" : "{" + brief(f.getValue()) + "}") : brief(f.getValue()))));
        return String.join("; ", parts);
    }
}

package io.mocoj.method;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One hyperparameter of a method: its MoCo name, type, default and allowed values.
 *
 * @param name         the config key (e.g. {@code percentage})
 * @param type         the value type
 * @param defaultValue the default (null means "not set")
 * @param allowed      a human description of what is allowed (for error messages)
 * @param check        accepts valid values (already converted to {@code type})
 * @param description  one line for docs
 */
public record ParameterSpec(String name, Type type, Object defaultValue, String allowed, Predicate<Object> check, String description) {

    /** Value types a hyperparameter can have. */
    public enum Type { INT, DOUBLE, BOOLEAN, STRING, INT_LIST, DOUBLE_LIST, STRING_LIST, INT_MATRIX, NUMBER_MAP }

    public ParameterSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        check = check == null ? v -> true : check;
        allowed = allowed == null ? type.name().toLowerCase(java.util.Locale.ROOT) : allowed;
        description = description == null ? "" : description;
    }

    public static ParameterSpec integer(String name, Integer def, int min, int max, String description) {
        return new ParameterSpec(name, Type.INT, def, "a whole number in [" + min + ", " + max + "]",
                v -> (int) v >= min && (int) v <= max, description);
    }

    public static ParameterSpec real(String name, Double def, double min, double max, String description) {
        return new ParameterSpec(name, Type.DOUBLE, def, "a number in [" + min + ", " + max + "]",
                v -> (double) v >= min && (double) v <= max, description);
    }

    public static ParameterSpec bool(String name, boolean def, String description) {
        return new ParameterSpec(name, Type.BOOLEAN, def, "true or false", null, description);
    }

    public static ParameterSpec choice(String name, String def, List<String> options, String description) {
        return new ParameterSpec(name, Type.STRING, def, "one of " + options, options::contains, description);
    }

    public static ParameterSpec text(String name, String def, String description) {
        return new ParameterSpec(name, Type.STRING, def, "a string", null, description);
    }

    public static ParameterSpec list(String name, Type listType, List<?> def, String description) {
        return new ParameterSpec(name, listType, def, "a list (" + listType.name().toLowerCase(java.util.Locale.ROOT) + ")", null, description);
    }
}

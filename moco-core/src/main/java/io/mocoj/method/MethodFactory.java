package io.mocoj.method;

import java.util.List;
import java.util.Map;

/**
 * Creates a method from config hyperparameters; found by name with {@link java.util.ServiceLoader}
 * (see {@link MethodRegistry#byName}).
 */
public interface MethodFactory {
    /** The MoCo config name. */
    String name();

    Level level();

    /** One line saying what the method does. */
    String description();

    /** The method's own hyperparameters with defaults and allowed values. */
    List<ParameterSpec> parameters();

    /** Creates a configured method; throws {@link IllegalArgumentException} for invalid values. */
    default CollaborationMethod create(Map<String, ?> rawHyperparameters) {
        return create(Hyperparameters.parse(name(), parameters(), rawHyperparameters));
    }

    CollaborationMethod create(Hyperparameters hyperparameters);
}

package io.mocoj.spec;

import io.mocoj.model.ModelEndpoint;
import java.util.List;

/**
 * Turns model specs of some schemes into endpoints. Implementations are found with
 * {@link java.util.ServiceLoader}, so adding a module (providers, local) adds its schemes.
 */
public interface ModelSpecResolver {

    /** The schemes handled, e.g. {@code ["openai"]}. */
    List<String> schemes();

    /** One line per accepted form, with an example, for error messages and docs. */
    List<String> forms();

    /**
     * Creates the endpoint. The context carries what some schemes need (the task, for simulated
     * models that know the gold answers). Throws {@link IllegalArgumentException} with a clear
     * message for a malformed spec.
     */
    ModelEndpoint resolve(ModelSpec spec, SpecContext context);
}

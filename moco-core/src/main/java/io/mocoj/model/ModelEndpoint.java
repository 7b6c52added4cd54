package io.mocoj.model;

import java.util.Set;

/**
 * A named language model that can be called. Implementations are thread-safe: the engine calls
 * {@link #generate} from many virtual threads at once, within the limits it is configured with.
 *
 * <p>Richer capabilities are separate interfaces a model may also implement:
 * {@link LogitsModel} (full next-token distributions) and {@link WeightsModel} (named tensors).
 */
public interface ModelEndpoint {

    /** A short human-readable name, unique within a pool (used in reports and configs). */
    String name();

    /** What this model can do. Must be consistent with the interfaces it implements. */
    Set<Capability> capabilities();

    /**
     * Generates a response. Blocking; called from virtual threads.
     *
     * @throws ModelCallException when the call fails; {@link ModelCallException#transientFailure()}
     *         tells the engine whether retrying may help
     */
    Generation generate(GenerationRequest request);

    /**
     * A stable identity of the model behind this endpoint (provider, address, model id, weights
     * hash), used as part of the response-cache key. It must never contain a secret.
     */
    default String identity() { return getClass().getName() + ":" + name(); }

    /** Whether this is a simulated model; reports and logs label such models "simulated". */
    default boolean simulated() { return false; }

    /**
     * Whether calls go over the network to a server (the engine then sends a preflight request
     * before the method starts, see {@code RunBuilder.preflight}).
     */
    default boolean remote() { return false; }

    /** Price of a call, when known; {@link ModelPricing#UNKNOWN} otherwise. */
    default ModelPricing pricing() { return ModelPricing.UNKNOWN; }

    default boolean has(Capability capability) { return capabilities().contains(capability); }
}

package io.mocoj.model;

import java.util.List;

/**
 * A base model with one LoRA adapter applied at inference (e.g. a {@code gguf:base.gguf?lora=a.gguf}
 * model). Several such models on one base can be composed into a new adapter without copying the
 * base (LoraHub, Model Swarms' fast merge).
 */
public interface AdapterModel extends WeightsModel {

    /** Identifies the base weights: equal for adapters applied to the same base model. */
    String baseIdentity();

    /**
     * A model on the same base whose adapter is {@code Σ wᵢ · adapterᵢ} taken pair by pair
     * ({@code A = Σ wᵢ Aᵢ}, {@code B = Σ wᵢ Bᵢ}, each adapter's own scale folded into its B).
     *
     * @throws IllegalArgumentException when the models have different bases, several adapters,
     *                                  or adapters of different shapes
     */
    AdapterModel composeAdapters(String name, List<? extends AdapterModel> models, double[] weights);
}

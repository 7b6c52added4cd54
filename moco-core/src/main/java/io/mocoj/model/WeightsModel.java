package io.mocoj.model;

import java.util.List;
import java.util.Map;

/**
 * A model whose parameters can be read and recombined (model soups, task arithmetic, TIES/DARE,
 * model swarms, extrapolation).
 */
public interface WeightsModel extends ModelEndpoint {

    /** Names of all parameter tensors, in file order. */
    List<String> tensorNames();

    /** Shape of a tensor, outermost dimension first (row-major). */
    int[] shape(String tensorName);

    /** A tensor's values as floats (dequantised on demand; a fresh array the caller may modify). */
    float[] tensor(String tensorName);

    /**
     * Identifies the architecture (family, every tensor name and shape, vocabulary): models with
     * equal fingerprints can be merged tensor by tensor.
     */
    String architectureFingerprint();

    /**
     * A new in-memory model with the given tensors replaced (all others shared with this one),
     * named {@code name}. No file is written.
     */
    WeightsModel withTensors(String name, Map<String, float[]> replacements);

    /**
     * As {@link #withTensors}, but the new model may keep the given arrays instead of copying them
     * (a merge hands over arrays it made for the purpose, so the merged model costs one F32 copy,
     * not two). The caller must not modify the arrays afterwards. By default, {@link #withTensors}.
     */
    default WeightsModel adoptTensors(String name, Map<String, float[]> replacements) {
        return withTensors(name, replacements);
    }
}

package io.mocoj.methods.toolbox.merge;

/**
 * One way of combining the same tensor of several models (mergekit's "merge method"): a small
 * class, registered by name in {@link MergeMethods}. {@link WeightMerge} streams the models tensor
 * by tensor and calls {@link #merge} once per tensor, from several threads for different tensors.
 */
public interface MergeMethod {

    /** The registered name, e.g. {@code ties}. */
    String name();

    /** Whether the method works on task vectors and so needs a base model. */
    boolean needsBase();

    /** Models the method needs at least (SLERP: exactly 2, see {@link #maxModels()}). */
    default int minModels() { return 1; }

    default int maxModels() { return Integer.MAX_VALUE; }

    /** Combines one tensor: reads {@link TensorJob#inputs()} (and base), writes {@link TensorJob#out()}. */
    void merge(TensorJob job);
}

package io.mocoj.train;

import io.mocoj.model.ModelEndpoint;

/**
 * A model with {@link io.mocoj.model.Capability#TRAIN}: it can be fine-tuned, and the result is a
 * new endpoint (this one is left unchanged).
 */
public interface TrainableModel extends ModelEndpoint {
    /**
     * Fine-tunes a copy of this model. Blocking; reports each step to the request's listener.
     *
     * @throws IllegalArgumentException for bad data or settings, before any training
     * @throws TrainingException        when training fails (a NaN loss, a failed remote job, ...)
     */
    ModelEndpoint fineTune(FineTuneRequest request);

    /**
     * Refuses, before any work, settings this model can never apply whatever the data, so that a
     * method can check the settings of its jobs before its first call. {@link #fineTune} checks
     * them again. The default accepts every setting.
     *
     * @param steps   optimiser steps (0: epochs)
     * @param options the names of the request's {@link FineTuneRequest#options() options}
     * @throws IllegalArgumentException naming the setting and what to use instead
     */
    default void checkSettings(TrainingObjective objective, int steps, double learningRate, java.util.Set<String> options) { }
}

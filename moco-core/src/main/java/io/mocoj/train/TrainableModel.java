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
}

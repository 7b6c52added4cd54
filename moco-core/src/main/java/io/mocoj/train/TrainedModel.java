package io.mocoj.train;

import io.mocoj.model.ModelEndpoint;
import java.util.List;

/**
 * A model a method fine-tuned during a run ({@link io.mocoj.method.MethodContext#fineTune}).
 *
 * @param label     the method's name for this training job (unique in the run, e.g. {@code iter1-gen-agent0})
 * @param model     the fine-tuned endpoint (use it like any pool model)
 * @param base      the model it was trained from
 * @param objective SFT, DPO or GRPO
 * @param examples  number of training rows
 * @param losses    the loss of every optimiser step, in order
 * @param tokens    tokens trained, as the backend reported them (an estimate from its throughput; 0 when unknown)
 * @param seconds   wall time of the training call
 * @param directory where the adapter, data and manifest were written, or null when the run has no log directory
 * @param spec      a model spec that loads the result again (e.g. {@code gguf:BASE?lora=DIR/adapter.gguf}), or null
 */
public record TrainedModel(String label, ModelEndpoint model, ModelEndpoint base, TrainingObjective objective, int examples,
                           List<Double> losses, long tokens, double seconds, String directory, String spec) {
    public TrainedModel {
        losses = List.copyOf(losses);
    }
}

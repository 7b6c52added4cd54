package io.mocoj.method;

import io.mocoj.model.ModelEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A model fine-tuned during a run ({@link MethodContext#fineTune}).
 *
 * @param model     the trained endpoint
 * @param directory where the adapter (or model), checkpoints, rows and {@code manifest.json} are
 * @param spec      a model spec that loads the result later ({@code gguf:BASE?lora=ADAPTER}), or null when there is none
 * @param losses    the loss of every optimiser step, in order (steps resumed from a checkpoint are not repeated)
 * @param tokens    tokens trained (approximate: the backend's tokens per second times the training time; 0 when unknown)
 * @param elapsed   wall time of the training call
 */
public record FineTuned(ModelEndpoint model, Path directory, String spec, List<Double> losses, long tokens, Duration elapsed) {
    public FineTuned {
        losses = List.copyOf(losses);
    }

    /** The last step's loss, or NaN when no step ran. */
    public double finalLoss() { return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1); }
}

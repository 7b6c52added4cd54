package io.mocoj.train;

import java.time.Duration;
import java.util.Map;

/**
 * One optimiser step finished.
 *
 * @param step            1-based step just done
 * @param totalSteps      steps of the run
 * @param loss            the step's loss (NaN when a remote job did not report one)
 * @param learningRate    the rate used for the step
 * @param gradNorm        global gradient norm before clipping (NaN when unknown)
 * @param tokensPerSecond trained tokens per second over the run so far (NaN when unknown)
 * @param eta             estimated time to the end of the run
 * @param metrics         objective-specific values (e.g. {@code margin} for DPO, {@code reward} for GRPO)
 */
public record TrainingProgress(int step, int totalSteps, double loss, double learningRate, double gradNorm,
                               double tokensPerSecond, Duration eta, Map<String, Double> metrics) {
    public TrainingProgress {
        metrics = Map.copyOf(metrics);
    }
}

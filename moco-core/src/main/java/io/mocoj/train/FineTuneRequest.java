package io.mocoj.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What to fine-tune on and how, for any {@link TrainableModel} (local or remote). Backend-specific
 * settings (micro-batch sizes, LoRA dropout, ...) live in the backend's own configuration.
 *
 * @param objective    SFT, DPO or GRPO
 * @param examples     the training rows (their kind must suit the objective)
 * @param steps        optimiser steps (0: {@code epochs} passes over the data)
 * @param epochs       passes over the data when {@code steps} is 0
 * @param learningRate peak learning rate (0: the backend's default)
 * @param loraRank     LoRA rank, or 0 for full fine-tuning
 * @param seed         seed of data order, initialisation, dropout and sampling
 * @param outputDir    where to write checkpoints and the result (null: keep it in memory only)
 * @param suffix       name suffix of the resulting model
 * @param reward       GRPO's reward (null for the other objectives)
 * @param listener     receives one event per step
 */
public record FineTuneRequest(TrainingObjective objective, List<TrainingExample> examples, int steps, int epochs,
                              double learningRate, int loraRank, long seed, Path outputDir, String suffix,
                              RewardFunction reward, Consumer<TrainingProgress> listener) {
    public FineTuneRequest {
        Objects.requireNonNull(objective, "objective");
        examples = List.copyOf(examples);
        if (examples.isEmpty()) throw new IllegalArgumentException("no training examples");
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, was " + steps);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) throw new IllegalArgumentException("learning rate must be >= 0, was " + learningRate);
        if (loraRank < 0) throw new IllegalArgumentException("LoRA rank must be >= 0 (0 = full fine-tuning), was " + loraRank);
        if (objective == TrainingObjective.GRPO && reward == null) throw new IllegalArgumentException("GRPO needs a reward function");
        if (suffix == null) suffix = "ft";
        if (listener == null) listener = p -> { };
    }

    public static Builder builder(TrainingObjective objective, List<TrainingExample> examples) {
        return new Builder(objective, examples);
    }

    /** Builder for {@link FineTuneRequest}. */
    public static final class Builder {
        private final TrainingObjective objective;
        private final List<TrainingExample> examples;
        private int steps;
        private int epochs = 1;
        private double learningRate;
        private int loraRank;
        private long seed = 42;
        private Path outputDir;
        private String suffix = "ft";
        private RewardFunction reward;
        private Consumer<TrainingProgress> listener;

        private Builder(TrainingObjective objective, List<TrainingExample> examples) {
            this.objective = objective;
            this.examples = examples;
        }

        public Builder steps(int v) { steps = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder loraRank(int v) { loraRank = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder outputDir(Path v) { outputDir = v; return this; }
        public Builder suffix(String v) { suffix = v; return this; }
        public Builder reward(RewardFunction v) { reward = v; return this; }
        public Builder listener(Consumer<TrainingProgress> v) { listener = v; return this; }

        public FineTuneRequest build() {
            return new FineTuneRequest(objective, examples, steps, epochs, learningRate, loraRank, seed, outputDir, suffix, reward, listener);
        }
    }
}

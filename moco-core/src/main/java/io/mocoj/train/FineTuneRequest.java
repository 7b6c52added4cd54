package io.mocoj.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What to fine-tune on and how, for any {@link TrainableModel} (local or remote). Settings beyond
 * these (LoRA alpha, dropout and targets, GRPO group size, ...) go in {@link #options()}, named as
 * in {@link #OPTIONS}; a backend refuses an option it cannot apply.
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
 * @param options      further settings by name (keys of {@link #OPTIONS}; empty: the backend's defaults)
 * @param deferral     objective DEFERRAL's mentor log-probabilities and head (null for the other objectives)
 */
public record FineTuneRequest(TrainingObjective objective, List<TrainingExample> examples, int steps, int epochs,
                              double learningRate, int loraRank, long seed, Path outputDir, String suffix,
                              RewardFunction reward, Consumer<TrainingProgress> listener, Map<String, Object> options,
                              DeferralTarget deferral) {

    /**
     * The option names: {@code lora_alpha}, {@code lora_dropout} (numbers), {@code lora_targets}
     * (a list of q, k, v, o, gate, up, down), {@code group_size}, {@code prompts_per_step},
     * {@code max_completion_tokens} (GRPO), {@code temperature} (GRPO sampling),
     * {@code weight_decay}, {@code schedule} (cosine, linear, constant), {@code warmup_steps},
     * {@code batch_tokens}, {@code micro_batch_tokens}, {@code max_length},
     * {@code checkpoint_every}, {@code dpo_beta}.
     */
    public static final List<String> OPTIONS = List.of("lora_alpha", "lora_dropout", "lora_targets", "group_size", "prompts_per_step",
            "max_completion_tokens", "temperature", "weight_decay", "schedule", "warmup_steps", "batch_tokens", "micro_batch_tokens",
            "max_length", "checkpoint_every", "dpo_beta");

    public FineTuneRequest {
        Objects.requireNonNull(objective, "objective");
        examples = List.copyOf(examples);
        if (examples.isEmpty()) throw new IllegalArgumentException("no training examples");
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, was " + steps);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) throw new IllegalArgumentException("learning rate must be >= 0, was " + learningRate);
        if (loraRank < 0) throw new IllegalArgumentException("LoRA rank must be >= 0 (0 = full fine-tuning), was " + loraRank);
        if (objective == TrainingObjective.GRPO && reward == null) throw new IllegalArgumentException("GRPO needs a reward function");
        if ((objective == TrainingObjective.DEFERRAL) != (deferral != null)) {
            throw new IllegalArgumentException(objective == TrainingObjective.DEFERRAL
                    ? "objective deferral needs the mentor's log-probabilities and a head (a DeferralTarget; api_collm builds them)"
                    : "a DeferralTarget belongs to objective deferral, not " + objective.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (deferral != null) {
            if (deferral.mentorLogProbs().size() != examples.size()) {
                throw new IllegalArgumentException("objective deferral: " + examples.size() + " rows but mentor log-probabilities for "
                        + deferral.mentorLogProbs().size());
            }
            for (int i = 0; i < examples.size(); i++) {
                if (!(examples.get(i) instanceof TrainingExample.Completion)) {
                    throw new IllegalArgumentException("objective deferral: training row " + (i + 1) + " is not a {prompt, completion} row");
                }
            }
        }
        if (suffix == null) suffix = "ft";
        if (listener == null) listener = p -> { };
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (!OPTIONS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown fine-tuning option '" + e.getKey() + "'; the options are " + OPTIONS);
            }
            if (e.getValue() == null) throw new IllegalArgumentException("fine-tuning option '" + e.getKey() + "' has no value");
        }
    }


    /** A request without a {@link DeferralTarget} (every objective but DEFERRAL). */
    public FineTuneRequest(TrainingObjective objective, List<TrainingExample> examples, int steps, int epochs, double learningRate,
                           int loraRank, long seed, Path outputDir, String suffix, RewardFunction reward,
                           Consumer<TrainingProgress> listener, Map<String, Object> options) {
        this(objective, examples, steps, epochs, learningRate, loraRank, seed, outputDir, suffix, reward, listener, options, null);
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
        private final Map<String, Object> options = new LinkedHashMap<>();
        private DeferralTarget deferral;

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
        /** Objective DEFERRAL's mentor log-probabilities and head. */
        public Builder deferral(DeferralTarget v) { deferral = v; return this; }
        /** Sets one of the {@link #OPTIONS}. */
        public Builder option(String name, Object value) { options.put(name, value); return this; }

        public FineTuneRequest build() {
            return new FineTuneRequest(objective, examples, steps, epochs, learningRate, loraRank, seed, outputDir, suffix, reward, listener, options, deferral);
        }
    }
}

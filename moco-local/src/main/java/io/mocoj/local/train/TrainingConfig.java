package io.mocoj.local.train;

import io.mocoj.train.RewardFunction;
import io.mocoj.train.TrainingObjective;
import java.nio.file.Path;

/**
 * Settings of a local training run ({@link Trainer}). Build with {@link #builder()}; defaults
 * follow TRL/PEFT where they have one.
 *
 * @param objective          SFT, DPO or GRPO
 * @param lora               adapters to train, or null for full fine-tuning
 * @param steps              optimiser steps (0: {@code epochs} passes over the data)
 * @param epochs             passes over the data when {@code steps} is 0
 * @param learningRate       peak learning rate (default 2e-4 with LoRA, 2e-5 without)
 * @param schedule           decay after warm-up
 * @param warmupSteps        linear warm-up from 0 to the peak
 * @param minLearningRate    the rate the decay ends at
 * @param weightDecay        decoupled (AdamW) weight decay of matrices (not of norms and biases)
 * @param beta1              Adam's first-moment decay
 * @param beta2              Adam's second-moment decay
 * @param adamEpsilon        Adam's epsilon
 * @param maxGradNorm        clip the global gradient norm to this (0: no clipping)
 * @param batchTokens        tokens per optimiser step (examples are added until the next would exceed it; at least one)
 * @param microBatchTokens   most tokens in one forward/backward pass; a step's micro-batches accumulate gradients
 * @param maxLength          longest sequence allowed (0: the model's context length)
 * @param threads            worker threads
 * @param seed               seed of data order, LoRA initialisation, dropout and sampling
 * @param dpoBeta            DPO's beta
 * @param groupSize          GRPO: completions sampled per prompt
 * @param promptsPerStep     GRPO: prompts per optimiser step
 * @param maxCompletionTokens GRPO: longest sampled completion
 * @param temperature        GRPO: sampling temperature
 * @param clipEpsilon        GRPO: ratio clipping range
 * @param klBeta             GRPO: weight of the KL penalty to the reference model
 * @param reward             GRPO: the verifiable reward
 * @param checkpointEvery    write a checkpoint every N steps (0: never)
 * @param checkpointDir      where checkpoints go (needed when {@code checkpointEvery > 0})
 * @param resume             continue from the newest checkpoint in {@code checkpointDir} when there is one
 * @param deferral           DEFERRAL (Co-LLM): the mentor's log-probabilities and the head (null for the other objectives)
 */
public record TrainingConfig(TrainingObjective objective, LoraConfig lora, int steps, int epochs, double learningRate,
                             Schedule schedule, int warmupSteps, double minLearningRate, double weightDecay, double beta1,
                             double beta2, double adamEpsilon, double maxGradNorm, int batchTokens, int microBatchTokens,
                             int maxLength, int threads, long seed, double dpoBeta, int groupSize, int promptsPerStep,
                             int maxCompletionTokens, double temperature, double clipEpsilon, double klBeta,
                             RewardFunction reward, int checkpointEvery, Path checkpointDir, boolean resume,
                             io.mocoj.train.DeferralTarget deferral) {

    /** Learning-rate decay after warm-up. */
    public enum Schedule { COSINE, LINEAR, CONSTANT }

    public TrainingConfig {
        if (objective == null) throw new IllegalArgumentException("objective is required (SFT, DPO or GRPO)");
        if (schedule == null) schedule = Schedule.COSINE;
        positive("epochs", epochs);
        nonNegative("steps", steps);
        nonNegative("warmupSteps", warmupSteps);
        positive("batchTokens", batchTokens);
        positive("microBatchTokens", microBatchTokens);
        positive("threads", threads);
        positive("groupSize", groupSize);
        positive("promptsPerStep", promptsPerStep);
        positive("maxCompletionTokens", maxCompletionTokens);
        nonNegative("maxLength", maxLength);
        nonNegative("checkpointEvery", checkpointEvery);
        finite("learningRate", learningRate, 0);
        finite("minLearningRate", minLearningRate, 0);
        finite("weightDecay", weightDecay, 0);
        finite("maxGradNorm", maxGradNorm, 0);
        finite("dpoBeta", dpoBeta, 0);
        finite("klBeta", klBeta, 0);
        finite("clipEpsilon", clipEpsilon, 0);
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Adam betas must be in [0, 1)");
        if (!(adamEpsilon > 0)) throw new IllegalArgumentException("adamEpsilon must be > 0");
        if (checkpointEvery > 0 && checkpointDir == null) throw new IllegalArgumentException("checkpointEvery needs a checkpointDir");
        if (objective == TrainingObjective.GRPO && reward == null) throw new IllegalArgumentException("GRPO needs a reward function");
        if ((objective == TrainingObjective.DEFERRAL) != (deferral != null)) {
            throw new IllegalArgumentException("objective DEFERRAL and a DeferralTarget go together (objective " + objective + ")");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, was " + v);
    }

    private static void nonNegative(String name, int v) {
        if (v < 0) throw new IllegalArgumentException(name + " must be >= 0, was " + v);
    }

    private static void finite(String name, double v, double min) {
        if (!(v >= min) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " must be a finite number >= " + min + ", was " + v);
    }

    /** The peak learning rate in effect (the default when 0 was given). */
    public double peakLearningRate() {
        return learningRate > 0 ? learningRate : lora != null ? 2e-4 : 2e-5;
    }

    /** The learning rate of 0-based step {@code step} of {@code total}. */
    public double learningRateAt(int step, int total) {
        double peak = peakLearningRate();
        if (step < warmupSteps) return peak * (step + 1) / (warmupSteps + 1);
        int decaySteps = Math.max(1, total - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double min = Math.min(minLearningRate, peak);
        return switch (schedule) {
            case CONSTANT -> peak;
            case LINEAR -> peak + (min - peak) * progress;
            case COSINE -> min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.objective = objective; b.lora = lora; b.steps = steps; b.epochs = epochs; b.learningRate = learningRate;
        b.schedule = schedule; b.warmupSteps = warmupSteps; b.minLearningRate = minLearningRate; b.weightDecay = weightDecay;
        b.beta1 = beta1; b.beta2 = beta2; b.adamEpsilon = adamEpsilon; b.maxGradNorm = maxGradNorm; b.batchTokens = batchTokens;
        b.microBatchTokens = microBatchTokens; b.maxLength = maxLength; b.threads = threads; b.seed = seed; b.dpoBeta = dpoBeta;
        b.groupSize = groupSize; b.promptsPerStep = promptsPerStep; b.maxCompletionTokens = maxCompletionTokens;
        b.temperature = temperature; b.clipEpsilon = clipEpsilon; b.klBeta = klBeta; b.reward = reward;
        b.checkpointEvery = checkpointEvery; b.checkpointDir = checkpointDir; b.resume = resume; b.deferral = deferral;
        return b;
    }

    /** Builder for {@link TrainingConfig}. */
    public static final class Builder {
        private TrainingObjective objective = TrainingObjective.SFT;
        private LoraConfig lora = LoraConfig.of(16);
        private int steps;
        private int epochs = 1;
        private double learningRate;
        private Schedule schedule = Schedule.COSINE;
        private int warmupSteps;
        private double minLearningRate;
        private double weightDecay;
        private double beta1 = 0.9, beta2 = 0.999, adamEpsilon = 1e-8;
        private double maxGradNorm = 1.0;
        private int batchTokens = 4096, microBatchTokens = 1024, maxLength;
        private int threads = Runtime.getRuntime().availableProcessors();
        private long seed = 42;
        private double dpoBeta = 0.1;
        private int groupSize = 4, promptsPerStep = 2, maxCompletionTokens = 64;
        private double temperature = 1.0, clipEpsilon = 0.2, klBeta = 0.04;
        private RewardFunction reward;
        private int checkpointEvery;
        private Path checkpointDir;
        private boolean resume = true;
        private io.mocoj.train.DeferralTarget deferral;

        private Builder() {}

        public Builder objective(TrainingObjective v) { objective = v; return this; }
        /** LoRA adapters, or null for full fine-tuning. */
        public Builder lora(LoraConfig v) { lora = v; return this; }
        public Builder fullFineTuning() { lora = null; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder schedule(Schedule v) { schedule = v; return this; }
        public Builder warmupSteps(int v) { warmupSteps = v; return this; }
        public Builder minLearningRate(double v) { minLearningRate = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder adam(double b1, double b2, double eps) { beta1 = b1; beta2 = b2; adamEpsilon = eps; return this; }
        public Builder maxGradNorm(double v) { maxGradNorm = v; return this; }
        public Builder batchTokens(int v) { batchTokens = v; return this; }
        public Builder microBatchTokens(int v) { microBatchTokens = v; return this; }
        public Builder maxLength(int v) { maxLength = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder dpoBeta(double v) { dpoBeta = v; return this; }
        public Builder groupSize(int v) { groupSize = v; return this; }
        public Builder promptsPerStep(int v) { promptsPerStep = v; return this; }
        public Builder maxCompletionTokens(int v) { maxCompletionTokens = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder clipEpsilon(double v) { clipEpsilon = v; return this; }
        public Builder klBeta(double v) { klBeta = v; return this; }
        public Builder reward(RewardFunction v) { reward = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder checkpointDir(Path v) { checkpointDir = v; return this; }
        public Builder resume(boolean v) { resume = v; return this; }
        /** DEFERRAL's mentor log-probabilities and head. */
        public Builder deferral(io.mocoj.train.DeferralTarget v) { deferral = v; return this; }

        public TrainingConfig build() {
            return new TrainingConfig(objective, lora, steps, epochs, learningRate, schedule, warmupSteps, minLearningRate, weightDecay,
                    beta1, beta2, adamEpsilon, maxGradNorm, batchTokens, microBatchTokens, maxLength, threads, seed, dpoBeta,
                    groupSize, promptsPerStep, maxCompletionTokens, temperature, clipEpsilon, klBeta, reward, checkpointEvery,
                    checkpointDir, resume, deferral);
        }
    }
}

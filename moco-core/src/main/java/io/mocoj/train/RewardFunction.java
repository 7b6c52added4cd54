package io.mocoj.train;

/** A verifiable reward for GRPO: how good one sampled completion of a prompt is (e.g. 1 if correct, else 0). */
@FunctionalInterface
public interface RewardFunction {
    double reward(TrainingExample.Prompt example, String completion);

    /** 1 when the completion, trimmed, equals the example's answer, else 0. */
    static RewardFunction exactAnswer() {
        return (e, c) -> e.answer() != null && c.trim().equals(e.answer().trim()) ? 1.0 : 0.0;
    }

    /** 1 when the completion contains the example's answer, else 0. */
    static RewardFunction containsAnswer() {
        return (e, c) -> e.answer() != null && c.contains(e.answer().trim()) ? 1.0 : 0.0;
    }
}

package io.mocoj.train;

import java.util.List;
import java.util.function.Consumer;

/**
 * What objective {@link TrainingObjective#DEFERRAL} needs besides the rows (Co-LLM, Shen et al.
 * 2024): the frozen mentor's log-probability of every completion token of every row, the deferral
 * head to start from, its learning rate, and where the trained head is delivered. The trainer
 * maximises {@code log((1 − σ(z))·p_model(y) + σ(z)·p_mentor(y))} per completion token, with
 * {@code z = w·h + b} on the model's final (normed) hidden state {@code h}; the model and the head
 * both receive its gradient.
 *
 * @param mentorLogProbs    per row, the mentor's natural-log probability of each completion token, in the
 *                          model's tokenisation (the row as the chat template renders it, cut at the
 *                          request's {@code max_length} when it has one)
 * @param initialHead       the head to start from: one weight per hidden unit, then the bias
 * @param headLearningRate  the head's peak learning rate (it follows the model's schedule)
 * @param trainedHead       receives the trained head (same layout as {@code initialHead}) when training ends
 */
public record DeferralTarget(List<float[]> mentorLogProbs, double[] initialHead, double headLearningRate, Consumer<double[]> trainedHead) {
    public DeferralTarget {
        mentorLogProbs = List.copyOf(mentorLogProbs);
        initialHead = initialHead.clone();
        if (initialHead.length < 2) throw new IllegalArgumentException("the deferral head needs at least one weight and the bias");
        if (!(headLearningRate >= 0) || Double.isInfinite(headLearningRate)) {
            throw new IllegalArgumentException("the deferral head's learning rate must be >= 0, was " + headLearningRate);
        }
        if (trainedHead == null) trainedHead = h -> { };
        for (int i = 0; i < mentorLogProbs.size(); i++) {
            for (float v : mentorLogProbs.get(i)) {
                if (!(v <= 0) || Float.isInfinite(v)) {
                    throw new IllegalArgumentException("row " + (i + 1) + ": a mentor log-probability must be finite and <= 0, was " + v);
                }
            }
        }
    }

    @Override public double[] initialHead() { return initialHead.clone(); }
}

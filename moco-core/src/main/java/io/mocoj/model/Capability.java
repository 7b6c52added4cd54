package io.mocoj.model;

/** What a model can do beyond nothing; methods declare the capabilities they need. */
public enum Capability {
    /** Generates text for chat messages. */
    TEXT,
    /** Returns per-token log-probabilities (with top-k alternatives) of what it generated. */
    LOGPROBS,
    /** Gives the full next-token distribution for any prefix, step by step ({@link LogitsModel}). */
    LOGITS,
    /** Exposes its named parameter tensors and can be rebuilt from modified ones ({@link WeightsModel}). */
    WEIGHTS,
    /** Can be fine-tuned in place (supervised, preference or RL). */
    TRAIN
}

package io.mocoj.model;

/** What a model can do beyond nothing; methods declare the capabilities they need. */
public enum Capability {
    /** Generates text for chat messages. */
    TEXT,
    /** Returns per-token log-probabilities (with top-k alternatives) of what it generated. */
    LOGPROBS,
    /** Gives the full next-token distribution for any prefix, step by step ({@link LogitsModel}). */
    LOGITS,
    /**
     * An <em>approximate</em> next-token distribution for any prefix: a server's top-k
     * log-probabilities of the token after the prompt plus a partial answer (OpenAI-compatible
     * servers that continue a final assistant message: vLLM, llama.cpp's server), with the mass
     * outside the top k kept as an explicit tail ({@link TopTokens}). Methods that combine
     * distributions can run over it, labelled approximate; see docs/methods/logit-level.md.
     */
    APPROX_LOGITS,
    /** Exposes its named parameter tensors and can be rebuilt from modified ones ({@link WeightsModel}). */
    WEIGHTS,
    /** Can be fine-tuned in place (supervised, preference or RL). */
    TRAIN
}

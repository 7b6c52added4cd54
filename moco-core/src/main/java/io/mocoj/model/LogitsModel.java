package io.mocoj.model;

/**
 * A model that gives its full next-token distribution at every step, through stateful decoding
 * sessions with a KV cache. Several models sharing a vocabulary can decode one sequence in
 * lock-step (logit fusion, contrastive decoding, nudging, …).
 */
public interface LogitsModel extends ModelEndpoint {

    Tokenizer tokenizer();

    /**
     * Formats chat messages with the model's chat template and tokenizes them, ready for
     * {@link DecodingSession#append}; {@code addGenerationPrompt} opens the assistant's turn.
     */
    int[] encodeChat(java.util.List<ChatMessage> messages, boolean addGenerationPrompt);

    /** Starts an empty session (no tokens yet). Close it to free its KV cache. */
    DecodingSession newSession();

    /** Width of {@link DecodingSession#hiddenState(int)} vectors, or 0 when the model does not expose hidden states. */
    default int hiddenSize() { return 0; }

    /** Identifies the vocabulary; two models can be combined token-wise only if these are equal. */
    String vocabularyFingerprint();
}

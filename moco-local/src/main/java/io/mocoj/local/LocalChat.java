package io.mocoj.local;

import io.mocoj.local.internal.ChatFormat;
import java.util.Map;

/** Chooses how a model's conversations are rendered, from its GGUF metadata. */
final class LocalChat {
    private LocalChat() {}

    static ChatFormat forMetadata(Map<String, Object> metadata) {
        return (messages, addGenerationPrompt) -> {
            throw new UnsupportedOperationException("chat templates are not wired in yet");
        };
    }
}

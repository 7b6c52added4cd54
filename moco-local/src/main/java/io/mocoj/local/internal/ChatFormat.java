package io.mocoj.local.internal;

import io.mocoj.model.ChatMessage;
import java.util.List;

/** Renders a conversation to the prompt text a model was trained on. */
@FunctionalInterface
public interface ChatFormat {
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);
}

package io.mocoj.local.chat;

import io.mocoj.model.ChatMessage;
import java.util.List;

/** Turns chat messages into the prompt text a model was trained on. */
@FunctionalInterface
public interface ChatRenderer {
    /**
     * Renders the conversation.
     *
     * @param addGenerationPrompt end with the opening of the assistant's turn
     * @throws ChatTemplateException when the template rejects the conversation or fails
     */
    String render(List<ChatMessage> messages, boolean addGenerationPrompt);
}

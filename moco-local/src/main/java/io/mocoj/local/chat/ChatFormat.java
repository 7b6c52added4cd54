package io.mocoj.local.chat;

import io.mocoj.model.ChatMessage;
import io.mocoj.model.Role;
import java.util.List;

/**
 * Built-in chat formats, used when a model file carries no {@code tokenizer.chat_template}. Each
 * reproduces the published template of its family for plain system/user/assistant messages.
 */
public enum ChatFormat implements ChatRenderer {
    /** {@code <|im_start|>role\n…<|im_end|>\n} (Qwen 2/2.5/3, SmolLM, many fine-tunes); no default system prompt. */
    CHATML {
        @Override
        public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            StringBuilder out = new StringBuilder();
            for (ChatMessage m : messages) {
                out.append("<|im_start|>").append(roleName(m.role())).append('\n').append(m.text()).append("<|im_end|>\n");
            }
            if (addGenerationPrompt) {
                out.append("<|im_start|>assistant\n");
            }
            return out.toString();
        }
    },
    /** Llama 3 headers: {@code <|begin_of_text|><|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>}, content trimmed. */
    LLAMA3 {
        @Override
        public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            StringBuilder out = new StringBuilder("<|begin_of_text|>");
            for (ChatMessage m : messages) {
                out.append("<|start_header_id|>").append(roleName(m.role())).append("<|end_header_id|>\n\n")
                        .append(m.text().strip()).append("<|eot_id|>");
            }
            if (addGenerationPrompt) {
                out.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
            }
            return out.toString();
        }
    },
    /**
     * Llama 2 chat: {@code <s>[INST] <<SYS>>\n…\n<</SYS>>\n\nuser [/INST] answer </s>}. Roles must
     * alternate user/assistant after an optional system message; the format has no generation
     * prompt of its own (the text after {@code [/INST]} is the assistant's).
     */
    LLAMA2 {
        @Override
        public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
            List<ChatMessage> turns = messages;
            String system = null;
            if (!messages.isEmpty() && messages.get(0).role() == Role.SYSTEM) {
                system = messages.get(0).text();
                turns = messages.subList(1, messages.size());
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < turns.size(); i++) {
                ChatMessage m = turns.get(i);
                Role expected = i % 2 == 0 ? Role.USER : Role.ASSISTANT;
                if (m.role() != expected) {
                    throw new ChatTemplateException("Llama 2 chat format: message " + (i + (system == null ? 0 : 1))
                            + " is " + roleName(m.role()) + " but roles must alternate user/assistant/user/assistant/...");
                }
                String content = i == 0 && system != null ? "<<SYS>>\n" + system + "\n<</SYS>>\n\n" + m.text() : m.text();
                if (m.role() == Role.USER) {
                    out.append("<s>[INST] ").append(content.strip()).append(" [/INST]");
                } else {
                    out.append(' ').append(content.strip()).append(" </s>");
                }
            }
            return out.toString();
        }
    };

    /** The role names chat templates use. */
    public static String roleName(Role role) {
        return switch (role) {
            case SYSTEM -> "system";
            case USER -> "user";
            case ASSISTANT -> "assistant";
        };
    }
}

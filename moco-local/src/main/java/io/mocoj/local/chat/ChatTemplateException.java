package io.mocoj.local.chat;

/** A chat template could not be parsed or rejected the conversation (e.g. through {@code raise_exception}). */
public class ChatTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}

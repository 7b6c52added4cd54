package io.mocoj.local.tokenizer;

/** The kind of a vocabulary entry, as GGUF's {@code tokenizer.ggml.token_type} numbers it. */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    /** The type for a GGUF token_type value; values outside 1..6 are {@link #UNDEFINED}. */
    public static TokenType fromGguf(long value) {
        return value >= 1 && value <= 6 ? values()[(int) value] : UNDEFINED;
    }

    /** Control, user-defined and unknown tokens are matched as whole strings before normal tokenization. */
    public boolean isSpecial() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}

package io.mocoj.local.tokenizer;

import io.mocoj.local.tokenizer.internal.PreTokenizer;
import java.util.List;
import java.util.Locale;

/** The byte-level BPE pre-tokenizers this library reproduces, keyed by GGUF's {@code tokenizer.ggml.pre}. */
public enum PreTokenizerType {
    /** Llama 3 (also Falcon 3, Pixtral): digit groups of up to three; whole-word vocabulary hits skip merging. */
    LLAMA3(List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral")),
    /** Qwen 2 / 2.5 / 3: like Llama 3 with single digits. */
    QWEN2(List.of("qwen2", "deepseek-r1-qwen")),
    /** SmolLM: single digits, then the GPT-2 pattern. */
    SMOLLM(List.of("smollm")),
    /** The GPT-2 pattern alone. */
    GPT2(List.of("gpt-2", "phi-2")),
    /** llama.cpp's default chain, used when the file names none. */
    DEFAULT(List.of("default"));

    private final List<String> ggufNames;

    PreTokenizerType(List<String> ggufNames) {
        this.ggufNames = ggufNames;
    }

    /** The {@code tokenizer.ggml.pre} values that select this type. */
    public List<String> ggufNames() {
        return ggufNames;
    }

    /**
     * The type for a {@code tokenizer.ggml.pre} value ({@code null} or empty means {@link #DEFAULT}).
     *
     * @throws IllegalArgumentException for names this library does not implement
     */
    public static PreTokenizerType fromGgufName(String name) {
        if (name == null || name.isEmpty()) {
            return DEFAULT;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (PreTokenizerType type : values()) {
            if (type.ggufNames.contains(lower)) {
                return type;
            }
        }
        StringBuilder known = new StringBuilder();
        for (PreTokenizerType type : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(String.join(", ", type.ggufNames));
        }
        throw new IllegalArgumentException("tokenizer.ggml.pre = '" + name
                + "' is not a supported pre-tokenizer; supported: " + known);
    }

    PreTokenizer create() {
        return switch (this) {
            case LLAMA3 -> PreTokenizer.llama3();
            case QWEN2 -> PreTokenizer.qwen2();
            case SMOLLM -> PreTokenizer.smollm();
            case GPT2 -> PreTokenizer.gpt2();
            case DEFAULT -> PreTokenizer.llamaCppDefault();
        };
    }
}

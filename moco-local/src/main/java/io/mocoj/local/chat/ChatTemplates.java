package io.mocoj.local.chat;

import io.mocoj.local.tokenizer.GgufTokenizer;
import java.util.Map;
import java.util.Set;

/**
 * Chooses how to format chats for a GGUF model: its {@code tokenizer.chat_template} when present,
 * otherwise the known format of its family ({@link ChatFormat}).
 */
public final class ChatTemplates {
    private static final Set<String> CHATML_ARCHITECTURES = Set.of("qwen2", "qwen3", "qwen2moe", "qwen3moe");

    private ChatTemplates() {}

    /**
     * The renderer for a model: its Jinja template (with its BOS/EOS token texts), else the
     * family format from {@link #fallbackFormat}.
     *
     * @throws ChatTemplateException when there is neither a template nor a known family format
     */
    public static ChatRenderer forModel(Map<String, Object> metadata, GgufTokenizer tokenizer) {
        Object template = metadata.get("tokenizer.chat_template");
        if (template instanceof String source && !source.isBlank()) {
            String bos = tokenizer.bos() >= 0 ? tokenizer.vocabularyText(tokenizer.bos()) : "";
            String eos = tokenizer.eos() >= 0 ? tokenizer.vocabularyText(tokenizer.eos()) : "";
            return ChatTemplate.of(source, bos, eos);
        }
        return fallbackFormat(metadata, tokenizer);
    }

    /**
     * The built-in format for a model without a template: ChatML for Qwen 2/3 architectures, the
     * SmolLM pre-tokenizer or a vocabulary with {@code <|im_start|>}; Llama 3 headers for the
     * Llama 3 pre-tokenizer or a vocabulary with {@code <|start_header_id|>}; Llama 2
     * {@code [INST]} for {@code llama} models with a SentencePiece vocabulary.
     *
     * @throws ChatTemplateException when none applies
     */
    public static ChatFormat fallbackFormat(Map<String, Object> metadata, GgufTokenizer tokenizer) {
        String arch = metadata.get("general.architecture") instanceof String a ? a : "";
        String pre = metadata.get("tokenizer.ggml.pre") instanceof String p ? p : "";
        if (CHATML_ARCHITECTURES.contains(arch) || pre.equals("smollm") || pre.startsWith("qwen")
                || tokenizer.tokenId("<|im_start|>") >= 0) {
            return ChatFormat.CHATML;
        }
        if (tokenizer.tokenId("<|start_header_id|>") >= 0) {
            return ChatFormat.LLAMA3;
        }
        if (arch.equals("llama") && tokenizer.kind() == GgufTokenizer.Kind.SENTENCE_PIECE) {
            return ChatFormat.LLAMA2;
        }
        throw new ChatTemplateException("the model (architecture '" + arch + "', pre-tokenizer '" + pre
                + "') has no tokenizer.chat_template and no known chat format; pass a template with ChatTemplate.of");
    }
}

package io.mocoj.local.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mocoj.local.fixtures.FixtureMetadata;
import io.mocoj.local.tokenizer.GgufTokenizer;
import io.mocoj.local.tokenizer.GgufTokenizers;
import io.mocoj.model.ChatMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Template selection from real fixture metadata. */
class ChatTemplatesTest {
    private static Map<String, Object> metadata(String fixture) throws IOException {
        return FixtureMetadata.read(Path.of("src/test/resources/fixtures", fixture));
    }

    @Test
    void fileTemplateIsUsedWithTheModelsBosToken() throws IOException {
        Map<String, Object> m = metadata("vocab-llama3-bpe.gguf");
        GgufTokenizer tokenizer = GgufTokenizers.fromMetadata(m);
        ChatRenderer renderer = ChatTemplates.forModel(m, tokenizer);
        assertInstanceOf(ChatTemplate.class, renderer);
        String text = renderer.render(List.of(ChatMessage.user("Hi")), true);
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", text);
        // the rendered prompt tokenizes with the special tokens as single ids
        int[] ids = tokenizer.tokenize(text, false, true);
        assertEquals(128000, ids[0]);
        assertEquals(128006, ids[1]);
    }

    @Test
    void fallbacksByFamily() throws IOException {
        Map<String, Object> smollm = metadata("vocab-smollm-bpe.gguf");
        assertEquals(ChatFormat.CHATML, ChatTemplates.forModel(smollm, GgufTokenizers.fromMetadata(smollm)));
        Map<String, Object> llama2 = new java.util.HashMap<>(metadata("tiny-llama-spm-q8_0.gguf"));
        llama2.remove("tokenizer.chat_template");
        assertEquals(ChatFormat.LLAMA2, ChatTemplates.forModel(llama2, GgufTokenizers.fromMetadata(llama2)));
        Map<String, Object> llama3 = new java.util.HashMap<>(metadata("vocab-llama3-bpe.gguf"));
        llama3.remove("tokenizer.chat_template");
        assertEquals(ChatFormat.LLAMA3, ChatTemplates.forModel(llama3, GgufTokenizers.fromMetadata(llama3)));
        Map<String, Object> gpt2 = metadata("vocab-gpt2-bpe.gguf");
        // the gpt2 fixture shares the Qwen-style specials, so it is recognised as ChatML
        assertEquals(ChatFormat.CHATML, ChatTemplates.forModel(gpt2, GgufTokenizers.fromMetadata(gpt2)));
    }

    @Test
    void unknownFamilyWithoutTemplateFails() throws IOException {
        Map<String, Object> m = new java.util.HashMap<>(metadata("vocab-llama3-bpe.gguf"));
        m.remove("tokenizer.chat_template");
        m.put("general.architecture", "gemma");
        m.put("tokenizer.ggml.tokens", ((List<?>) m.get("tokenizer.ggml.tokens")).subList(0, 128000));
        m.put("tokenizer.ggml.token_type", ((List<?>) m.get("tokenizer.ggml.token_type")).subList(0, 128000));
        m.remove("tokenizer.ggml.bos_token_id");
        m.remove("tokenizer.ggml.eos_token_id");
        GgufTokenizer tokenizer = GgufTokenizers.fromMetadata(m);
        assertThrows(ChatTemplateException.class, () -> ChatTemplates.forModel(m, tokenizer));
    }
}

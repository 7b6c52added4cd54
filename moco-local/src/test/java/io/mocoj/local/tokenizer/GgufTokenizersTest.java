package io.mocoj.local.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.local.fixtures.FixtureMetadata;
import io.mocoj.local.tokenizer.internal.ByteLevel;
import io.mocoj.local.tokenizer.internal.PreTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metadata validation, BOS/EOS handling and hand-checked pre-tokenizer splits. */
class GgufTokenizersTest {

    private static Map<String, Object> tinyBpe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", "qwen2");
        // byte-level: "a", "b", "ab", "Ġ" (space), "Ġab", and a control token
        m.put("tokenizer.ggml.tokens", List.of("a", "b", "ab", "\u0120", "\u0120ab", "<|end|>"));
        m.put("tokenizer.ggml.token_type", List.of(1L, 1L, 1L, 1L, 1L, 3L));
        m.put("tokenizer.ggml.merges", List.of("a b", "\u0120 ab"));
        m.put("tokenizer.ggml.bos_token_id", 5L);
        m.put("tokenizer.ggml.eos_token_id", 5L);
        return m;
    }

    @Test
    void mergesApplyInRankOrder() {
        GgufTokenizer t = GgufTokenizers.fromMetadata(tinyBpe());
        assertArrayEquals(new int[] {2, 4}, t.encode("ab ab", false));
        assertArrayEquals(new int[] {2, 4, 5}, t.encode("ab ab<|end|>", true));
        // without parseSpecial the control token is plain text; '<', '|', … are not in this
        // vocabulary and are dropped like llama.cpp does
        assertArrayEquals(new int[] {2, 4, 1}, t.encode("ab ab<|end|>b", false));
        assertEquals("ab ab<|end|>", t.decode(new int[] {2, 4, 5}));
        assertArrayEquals(new int[] {5}, t.endTokens());
    }

    @Test
    void addSpecialFollowsTheFileFlags() {
        Map<String, Object> m = tinyBpe();
        m.put("tokenizer.ggml.add_bos_token", true);
        m.put("tokenizer.ggml.add_eos_token", true);
        GgufTokenizer t = GgufTokenizers.fromMetadata(m);
        assertArrayEquals(new int[] {5, 2, 5}, t.tokenize("ab", true, false));
        assertArrayEquals(new int[] {2}, t.tokenize("ab", false, false));
    }

    @Test
    void badMetadataGivesClearErrors() {
        Map<String, Object> noModel = tinyBpe();
        noModel.remove("tokenizer.ggml.model");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgufTokenizers.fromMetadata(noModel))
                .getMessage().contains("tokenizer.ggml.model"));
        Map<String, Object> wordPiece = tinyBpe();
        wordPiece.put("tokenizer.ggml.model", "bert");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgufTokenizers.fromMetadata(wordPiece))
                .getMessage().contains("'bert'"));
        Map<String, Object> unknownPre = tinyBpe();
        unknownPre.put("tokenizer.ggml.pre", "chatglm-bpe");
        String message = assertThrows(IllegalArgumentException.class, () -> GgufTokenizers.fromMetadata(unknownPre)).getMessage();
        assertTrue(message.contains("chatglm-bpe") && message.contains("llama-bpe"), message);
        Map<String, Object> badType = tinyBpe();
        badType.put("tokenizer.ggml.token_type", List.of(1L, 1L, "x", 1L, 1L, 3L));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgufTokenizers.fromMetadata(badType))
                .getMessage().contains("token_type[2]"));
        Map<String, Object> badMerge = tinyBpe();
        badMerge.put("tokenizer.ggml.merges", List.of("ab"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GgufTokenizers.fromMetadata(badMerge))
                .getMessage().contains("merges[0]"));
        GgufTokenizer t = GgufTokenizers.fromMetadata(tinyBpe());
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {6}));
    }

    @Test
    void gpt2ByteMappingIsTheStandardOne() {
        // space -> U+0120 'Ġ', newline -> U+010A 'Ċ', 0xFF stays 'ÿ', 0xAD -> U+0143
        assertEquals("\u0120\u010A\u00FF", ByteLevel.encode(" \n") + "\u00FF");
        assertEquals("\u0143", ByteLevel.encode("\u00AD").substring(1)); // U+00AD is C2 AD in UTF-8
    }

    @Test
    void preTokenizerSplitsByHand() {
        assertEquals(List.of("Hello", " world", "!!", " ", "123", "4", " ", " x", "\n\n", "'ll"),
                PreTokenizer.llama3().split("Hello world!! 1234  x\n\n'll"));
        assertEquals(List.of("a", "1", "2", "3", " b"), PreTokenizer.qwen2().split("a123 b"));
        assertEquals(List.of("Hello", " world", " 1234", "  ", " x"), PreTokenizer.gpt2().split("Hello world 1234   x"));
        assertEquals(List.of("x", " ", "1", "2", " y"), PreTokenizer.smollm().split("x 12 y"));
    }

    @Test
    void realLlama2VocabularyBasics() throws IOException {
        GgufTokenizer t = GgufTokenizers.fromMetadata(FixtureMetadata.read(Path.of("src/test/resources/fixtures/tiny-llama-spm-q8_0.gguf")));
        assertEquals(GgufTokenizer.Kind.SENTENCE_PIECE, t.kind());
        assertEquals(1, t.bos());
        assertTrue(t.addsBos() && t.addsSpacePrefix());
        int[] ids = t.tokenize("Hello", true, false);
        assertEquals(1, ids[0]);
        assertEquals("\u2581Hello", t.vocabularyText(ids[1]));
        assertEquals(" Hello", t.tokenText(ids[1]));
        // a byte token on its own is not whole UTF-8: tokenText falls back to the vocabulary text
        assertEquals("<0xE2>", t.tokenText(t.tokenId("<0xE2>")));
        assertEquals(TokenType.BYTE, t.tokenType(t.tokenId("<0xE2>")));
    }
}

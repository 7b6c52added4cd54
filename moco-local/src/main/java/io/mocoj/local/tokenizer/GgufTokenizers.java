package io.mocoj.local.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds tokenizers from GGUF metadata. The metadata map follows moco-local's GGUF convention:
 * integers are {@link Long}, floats {@link Double}, booleans {@link Boolean}, strings
 * {@link String}, arrays {@link List}.
 *
 * <p>Keys read: {@code tokenizer.ggml.model} ({@code gpt2} or {@code llama}), {@code .tokens},
 * {@code .scores}, {@code .token_type}, {@code .merges}, {@code .pre}, {@code .bos_token_id},
 * {@code .eos_token_id}, {@code .eot_token_id}, {@code .eom_token_id}, {@code .add_bos_token},
 * {@code .add_eos_token}, {@code .add_space_prefix}.
 */
public final class GgufTokenizers {
    private static final Logger LOG = LoggerFactory.getLogger(GgufTokenizers.class);
    private static final String P = "tokenizer.ggml.";

    /** Token texts llama.cpp takes as end-of-turn when the file names no EOT token. */
    private static final List<String> EOT_CANDIDATES = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>",
            "<｜end▁of▁sentence｜>");
    /** Token texts that end a generation whatever the file says. */
    private static final Set<String> END_OF_GENERATION_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>",
            "_<EOT>", "<|end_of_text|>");

    private GgufTokenizers() {}

    /**
     * Creates the tokenizer the metadata describes.
     *
     * @throws IllegalArgumentException when a key is missing, has the wrong type, or names an
     *                                  unsupported tokenizer model or pre-tokenizer
     */
    public static GgufTokenizer fromMetadata(Map<String, Object> metadata) {
        String model = string(metadata, P + "model", null);
        if (model == null) {
            throw new IllegalArgumentException("GGUF metadata has no " + P + "model: the file carries no tokenizer");
        }
        GgufTokenizer.Kind kind = switch (model) {
            case "gpt2" -> GgufTokenizer.Kind.BPE;
            case "llama" -> GgufTokenizer.Kind.SENTENCE_PIECE;
            default -> throw new IllegalArgumentException(P + "model = '" + model
                    + "' is not supported; supported: 'gpt2' (byte-level BPE) and 'llama' (SentencePiece)");
        };
        List<?> tokenList = list(metadata, P + "tokens", true);
        int n = tokenList.size();
        String[] tokens = new String[n];
        Map<String, Integer> ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (!(tokenList.get(i) instanceof String s)) {
                throw new IllegalArgumentException(P + "tokens[" + i + "] is " + describe(tokenList.get(i)) + ", expected a string");
            }
            tokens[i] = s;
            ids.put(s, i);
        }
        TokenType[] types = new TokenType[n];
        List<?> typeList = list(metadata, P + "token_type", false);
        if (typeList != null && typeList.size() != n) {
            throw new IllegalArgumentException(P + "token_type has " + typeList.size() + " entries but there are " + n + " tokens");
        }
        int outOfRange = 0, firstOutOfRange = -1;
        for (int i = 0; i < n; i++) {
            long v = typeList == null ? 1 : number(typeList, i, P + "token_type").longValue();
            if (v < 1 || v > 6) {
                if (outOfRange++ == 0) firstOutOfRange = i;
            }
            types[i] = typeList == null ? TokenType.NORMAL : TokenType.fromGguf(v);
        }
        if (outOfRange > 0) {
            org.slf4j.LoggerFactory.getLogger(GgufTokenizers.class).warn(
                    "{}token_type: {} of {} tokens have a type outside 1..6 (first: token {}); they are treated as undefined — the file may be corrupt",
                    P, outOfRange, n, firstOutOfRange);
        }
        float[] scores = new float[n];
        List<?> scoreList = list(metadata, P + "scores", false);
        if (scoreList != null) {
            if (scoreList.size() != n) {
                throw new IllegalArgumentException(P + "scores has " + scoreList.size() + " entries but there are " + n + " tokens");
            }
            for (int i = 0; i < n; i++) {
                scores[i] = number(scoreList, i, P + "scores").floatValue();
            }
        }
        Map<String, Integer> mergeRanks = new HashMap<>();
        PreTokenizerType pre = PreTokenizerType.DEFAULT;
        if (kind == GgufTokenizer.Kind.BPE) {
            List<?> merges = list(metadata, P + "merges", true);
            for (int i = 0; i < merges.size(); i++) {
                if (!(merges.get(i) instanceof String merge)) {
                    throw new IllegalArgumentException(P + "merges[" + i + "] is " + describe(merges.get(i)) + ", expected a string");
                }
                int space = merge.indexOf(' ', 1);
                if (space < 0) {
                    throw new IllegalArgumentException(P + "merges[" + i + "] = '" + merge + "' has no space between its two parts");
                }
                mergeRanks.putIfAbsent(merge.substring(0, space) + " " + merge.substring(space + 1), i);
            }
            pre = PreTokenizerType.fromGgufName(string(metadata, P + "pre", null));
        }
        boolean spm = kind == GgufTokenizer.Kind.SENTENCE_PIECE;
        int bos = tokenId(metadata, P + "bos_token_id", spm ? 1 : 11, n);
        int eos = tokenId(metadata, P + "eos_token_id", spm ? 2 : 11, n);
        int eot = tokenId(metadata, P + "eot_token_id", -1, n);
        int eom = tokenId(metadata, P + "eom_token_id", -1, n);
        if (eot < 0) {
            for (String candidate : EOT_CANDIDATES) {
                Integer id = ids.get(candidate);
                if (id != null) {
                    eot = id;
                    break;
                }
            }
        }
        List<Integer> ends = new ArrayList<>();
        for (int id : new int[] {eos, eot, eom}) {
            if (id >= 0) {
                ends.add(id);
            }
        }
        for (int i = 0; i < n; i++) {
            if (END_OF_GENERATION_TEXTS.contains(tokens[i])) {
                ends.add(i);
                if (types[i] != TokenType.CONTROL) {
                    LOG.debug("token {} '{}' ends generation; treating it as a control token", i, tokens[i]);
                    types[i] = TokenType.CONTROL;
                }
            }
        }
        if (eot >= 0 && types[eot] != TokenType.CONTROL) {
            types[eot] = TokenType.CONTROL;
        }
        boolean defaultAddBos = spm || pre == PreTokenizerType.LLAMA3;
        boolean addBos = bool(metadata, P + "add_bos_token", defaultAddBos);
        boolean addEos = bool(metadata, P + "add_eos_token", false);
        boolean addSpacePrefix = bool(metadata, P + "add_space_prefix", spm);
        int[] endTokens = GgufTokenizer.distinct(ends.stream().mapToInt(Integer::intValue).toArray());
        return new GgufTokenizer(kind, tokens, types, ids, scores, mergeRanks, pre, bos, eos, eot, endTokens,
                addBos, addEos, addSpacePrefix);
    }

    private static String string(Map<String, Object> metadata, String key, String fallback) {
        return typed(metadata, key, fallback, String.class, "a string");
    }

    private static boolean bool(Map<String, Object> metadata, String key, boolean fallback) {
        return typed(metadata, key, fallback, Boolean.class, "a boolean");
    }

    /** The value of {@code key} as {@code type}, {@code fallback} when absent, or an error naming the key and both types. */
    private static <T> T typed(Map<String, Object> metadata, String key, T fallback, Class<T> type, String expected) {
        Object value = metadata.get(key);
        if (value == null) {
            return fallback;
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalArgumentException("GGUF key " + key + " is " + describe(value) + ", expected " + expected);
    }

    private static List<?> list(Map<String, Object> metadata, String key, boolean required) {
        Object value = metadata.get(key);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("GGUF metadata has no " + key + ", which this tokenizer needs");
            }
            return null;
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("GGUF key " + key + " is " + describe(value) + ", expected an array");
    }

    private static Number number(List<?> list, int index, String key) {
        Object value = list.get(index);
        if (value instanceof Number num) {
            return num;
        }
        throw new IllegalArgumentException(key + "[" + index + "] is " + describe(value) + ", expected a number");
    }

    /** A token id key: absent → fallback (if within the vocabulary), out of range → ignored with a warning. */
    private static int tokenId(Map<String, Object> metadata, String key, int fallback, int vocabularySize) {
        Object value = metadata.get(key);
        if (value == null) {
            return fallback < vocabularySize ? fallback : -1;
        }
        if (!(value instanceof Number num)) {
            throw new IllegalArgumentException("GGUF key " + key + " is " + describe(value) + ", expected an integer");
        }
        long id = num.longValue();
        if (id < 0 || id >= vocabularySize) {
            LOG.warn("GGUF key {} = {} is outside the vocabulary (size {}); ignoring it", key, id, vocabularySize);
            return -1;
        }
        return (int) id;
    }

    private static String describe(Object value) {
        return value == null ? "null" : "a " + value.getClass().getSimpleName();
    }
}

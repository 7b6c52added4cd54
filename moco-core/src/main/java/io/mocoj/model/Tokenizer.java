package io.mocoj.model;

/**
 * Text to token ids and back, for models that expose their vocabulary. The main entry points
 * follow llama.cpp: {@link #tokenize(String, boolean, boolean)} ({@code llama_tokenize}) and
 * {@link #detokenize(int[], boolean, boolean)} ({@code llama_detokenize}).
 */
public interface Tokenizer {
    /**
     * Encodes the text's own tokens: never adds BOS or EOS, whatever {@code parseSpecial} says
     * (the same as {@code tokenize(text, false, parseSpecial)}). To feed a prompt to a model the
     * way llama.cpp does, use {@link #tokenize(String, boolean, boolean)} with {@code addSpecial}
     * true.
     *
     * @param parseSpecial match control tokens (such as {@code <|im_end|>}) written in the text
     */
    int[] encode(String text, boolean parseSpecial);

    /**
     * Tokenizes like llama.cpp's {@code llama_tokenize(text, add_special, parse_special)}.
     *
     * @param addSpecial   add the special tokens the vocabulary asks for: BOS first when
     *                     {@link #addsBos()} ({@code tokenizer.ggml.add_bos_token}, defaulting per
     *                     vocabulary type as in llama.cpp), EOS last when {@link #addsEos()}
     * @param parseSpecial match control tokens written in the text; when false they are plain text
     */
    default int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        int[] body = encode(text, parseSpecial);
        boolean bos = addSpecial && addsBos() && bos() >= 0;
        if (!bos) return body;
        int[] out = new int[body.length + 1];
        out[0] = bos();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Decodes token ids to text (special tokens rendered as their text). */
    String decode(int[] tokens);

    /**
     * Decodes like llama.cpp's {@code llama_detokenize(tokens, remove_special, unparse_special)}.
     *
     * @param removeSpecial  drop a leading BOS (when the vocabulary adds one) and a trailing EOS
     *                       (when it adds one)
     * @param unparseSpecial render control tokens as their text; when false they produce nothing
     */
    default String detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        int from = 0, to = tokens.length;
        if (removeSpecial && addsBos() && to > 0 && tokens[0] == bos()) from++;
        int[] kept = java.util.Arrays.copyOfRange(tokens, from, to);
        if (!unparseSpecial) {
            int[] ends = endTokens();
            kept = java.util.Arrays.stream(kept).filter(t -> t != bos() && java.util.Arrays.stream(ends).noneMatch(e -> e == t)).toArray();
        }
        return decode(kept);
    }

    /** The text of one token as it appears in output (byte-level pieces decoded where whole). */
    String tokenText(int token);

    int vocabularySize();

    /** The beginning-of-sequence token, or -1. */
    int bos();

    /** Whether {@code tokenize(text, true, …)} puts {@link #bos()} first. */
    default boolean addsBos() { return false; }

    /** Whether {@code tokenize(text, true, …)} appends an end-of-sequence token. */
    default boolean addsEos() { return false; }

    /** Token ids that end a generation (EOS, EOT, …). */
    int[] endTokens();
}

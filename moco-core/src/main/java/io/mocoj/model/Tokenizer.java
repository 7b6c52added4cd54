package io.mocoj.model;

/** Text to token ids and back, for models that expose their vocabulary. */
public interface Tokenizer {
    /** Encodes text (no special tokens added unless the text contains them and {@code parseSpecial}). */
    int[] encode(String text, boolean parseSpecial);

    /** Decodes token ids to text. */
    String decode(int[] tokens);

    /** The text of one token as it appears in output (byte-level pieces decoded where whole). */
    String tokenText(int token);

    int vocabularySize();

    /** The beginning-of-sequence token, or -1. */
    int bos();

    /** Token ids that end a generation (EOS, EOT, …). */
    int[] endTokens();
}

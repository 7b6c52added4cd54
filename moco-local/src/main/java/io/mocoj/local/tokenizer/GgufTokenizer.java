package io.mocoj.local.tokenizer;

import io.mocoj.local.tokenizer.internal.BpeMerger;
import io.mocoj.local.tokenizer.internal.ByteLevel;
import io.mocoj.local.tokenizer.internal.PreTokenizer;
import io.mocoj.local.tokenizer.internal.SentencePieceMerger;
import io.mocoj.model.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tokenizer built from a GGUF file's {@code tokenizer.ggml.*} metadata that produces the same
 * token ids as llama.cpp: byte-level BPE ({@code gpt2}) or SentencePiece-style ({@code llama}).
 * Create one with {@link GgufTokenizers#fromMetadata}. Instances are immutable and thread-safe.
 */
public final class GgufTokenizer implements Tokenizer {

    /** The vocabulary kinds ({@code tokenizer.ggml.model}). */
    public enum Kind { BPE, SENTENCE_PIECE }

    private static final String SPACE_MARK = "\u2581";

    private final Kind kind;
    private final String[] tokens;
    private final TokenType[] types;
    private final Map<String, Integer> tokenIds;
    private final int[] specialsLongestFirst;
    private final int bos;
    private final int eos;
    private final int eot;
    private final int[] endTokens;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean addSpacePrefix;
    private final PreTokenizerType preTokenizerType;
    private final PreTokenizer preTokenizer;
    private final BpeMerger bpe;
    private final SentencePieceMerger sentencePiece;

    GgufTokenizer(Kind kind, String[] tokens, TokenType[] types, Map<String, Integer> tokenIds, float[] scores,
                  Map<String, Integer> mergeRanks, PreTokenizerType preTokenizerType, int bos, int eos, int eot,
                  int[] endTokens, boolean addBos, boolean addEos, boolean addSpacePrefix) {
        this.kind = kind;
        this.tokens = tokens;
        this.types = types;
        this.tokenIds = tokenIds;
        this.bos = bos;
        this.eos = eos;
        this.eot = eot;
        this.endTokens = endTokens;
        this.addBos = addBos;
        this.addEos = addEos;
        this.addSpacePrefix = addSpacePrefix;
        this.preTokenizerType = preTokenizerType;
        List<Integer> specials = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            if (types[id].isSpecial() && !tokens[id].isEmpty()) {
                specials.add(id);
            }
        }
        specials.sort(Comparator.comparingInt((Integer id) -> -tokens[id].length()).thenComparingInt(id -> id));
        this.specialsLongestFirst = specials.stream().mapToInt(Integer::intValue).toArray();
        if (kind == Kind.BPE) {
            this.preTokenizer = preTokenizerType.create();
            this.bpe = new BpeMerger(tokenIds, mergeRanks, preTokenizerType == PreTokenizerType.LLAMA3);
            this.sentencePiece = null;
        } else {
            this.preTokenizer = null;
            this.bpe = null;
            this.sentencePiece = new SentencePieceMerger(tokenIds, scores, this::byteToken);
        }
    }

    /** Byte-level BPE or SentencePiece. */
    public Kind kind() {
        return kind;
    }

    /** The BPE pre-tokenizer, or {@code null} for SentencePiece vocabularies. */
    public PreTokenizerType preTokenizerType() {
        return kind == Kind.BPE ? preTokenizerType : null;
    }

    /** Encodes the text's own tokens, never adding BOS/EOS (see {@link #tokenize(String, boolean, boolean)}). */
    @Override
    public int[] encode(String text, boolean parseSpecial) {
        return tokenize(text, false, parseSpecial);
    }

    /**
     * The same as {@link #tokenize(String, boolean, boolean)}; kept for existing callers.
     *
     * @deprecated a three-argument {@code encode} next to {@link #encode(String, boolean)} is easy
     *             to mix up with it; call {@code tokenize(text, addSpecial, parseSpecial)}
     */
    @Deprecated
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        return tokenize(text, addSpecial, parseSpecial);
    }

    /**
     * Encodes text like llama.cpp's {@code llama_tokenize}.
     *
     * @param addSpecial   prepend BOS (and append EOS) when the vocabulary asks for it
     *                     ({@code tokenizer.ggml.add_bos_token}, {@code add_eos_token}; when the
     *                     file does not say, llama.cpp's default for the vocabulary type)
     * @param parseSpecial match control tokens (e.g. {@code <|eot_id|>}) written in the text; when
     *                     false only user-defined tokens are matched and the rest is plain text
     */
    @Override
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        List<Object> fragments = partition(text, parseSpecial);
        List<Integer> out = new ArrayList<>();
        if (addSpecial && addBos && bos >= 0) {
            out.add(bos);
        }
        boolean previousWasSpecial = true;
        for (Object fragment : fragments) {
            if (fragment instanceof Integer special) {
                out.add(special);
                previousWasSpecial = true;
            } else if (kind == Kind.BPE) {
                for (String word : preTokenizer.split((String) fragment)) {
                    bpe.encodeWord(ByteLevel.encode(word), out);
                }
            } else {
                String piece = (addSpacePrefix && previousWasSpecial ? " " : "") + fragment;
                sentencePiece.encode(piece.replace(" ", SPACE_MARK), out);
                previousWasSpecial = false;
            }
        }
        if (addSpecial && addEos && eos >= 0) {
            out.add(eos);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Splits text around special tokens, longest token first, as llama.cpp does; returns Strings
     * (plain text) and Integers (special token ids).
     */
    private List<Object> partition(String text, boolean parseSpecial) {
        List<Object> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(text);
        for (int special : specialsLongestFirst) {
            TokenType type = types[special];
            if (!parseSpecial && (type == TokenType.CONTROL || type == TokenType.UNKNOWN)) {
                continue;
            }
            String needle = tokens[special];
            List<Object> next = new ArrayList<>(fragments.size() + 4);
            for (Object fragment : fragments) {
                if (!(fragment instanceof String plain)) {
                    next.add(fragment);
                    continue;
                }
                int from = 0;
                int at;
                while ((at = plain.indexOf(needle, from)) >= 0) {
                    if (at > from) {
                        next.add(plain.substring(from, at));
                    }
                    next.add(special);
                    from = at + needle.length();
                }
                if (from < plain.length()) {
                    next.add(from == 0 ? plain : plain.substring(from));
                }
            }
            fragments = next;
        }
        return fragments;
    }

    private int byteToken(int b) {
        Integer id = tokenIds.get(String.format("<0x%02X>", b));
        if (id == null) {
            id = tokenIds.get(String.valueOf((char) b));
        }
        if (id == null) {
            throw new IllegalArgumentException(String.format(
                    "the SentencePiece vocabulary has no byte token <0x%02X> (nor the character itself) "
                            + "to encode a character that is not in the vocabulary", b));
        }
        return id;
    }

    /**
     * Decodes token ids like llama.cpp's {@code llama_detokenize} with special tokens rendered
     * (their text is output) and no space clean-up; for SentencePiece vocabularies with
     * {@code add_space_prefix} the leading space of the first token is dropped. Invalid UTF-8 (a
     * multi-byte character cut between tokens) becomes U+FFFD.
     */
    @Override
    public String decode(int[] ids) {
        return pieces(ids, 0, ids.length, addSpacePrefix, true);
    }

    /**
     * Decodes like llama.cpp's {@code llama_detokenize}: with {@code removeSpecial} a leading BOS
     * (when {@link #addsBos()}) and a trailing EOS (when {@link #addsEos()}) are dropped; without
     * {@code unparseSpecial} control and unknown tokens produce no text. Then llama.cpp's space
     * clean-up as in {@link #detokenize(int[])}. {@code detokenize(ids, false, true)} is
     * {@link #detokenize(int[])}.
     */
    @Override
    public String detokenize(int[] ids, boolean removeSpecial, boolean unparseSpecial) {
        int from = 0, to = ids.length;
        boolean stripSpace = addSpacePrefix;
        if (removeSpecial && addBos && to > 0 && ids[0] == bos) {
            from = 1;
            stripSpace = false; // llama.cpp keeps the first word's space once BOS is removed
        }
        if (removeSpecial && addEos && to > from && ids[to - 1] == eos) to--;
        return cleanSpacesIfEnabled(pieces(ids, from, to, stripSpace, unparseSpecial));
    }

    /** The pieces of {@code ids[from, to)}; the first one loses a leading space when {@code stripSpace} (SentencePiece). */
    private String pieces(int[] ids, int from, int to, boolean stripSpace, boolean unparseSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            checkId(ids[i]);
            TokenType type = types[ids[i]];
            boolean hidden = !unparseSpecial && (type == TokenType.CONTROL || type == TokenType.UNKNOWN);
            byte[] piece = hidden ? new byte[0] : tokenBytes(ids[i]);
            int skip = i == from && stripSpace && kind == Kind.SENTENCE_PIECE && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            out.write(piece, skip, piece.length - skip);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Decodes exactly as llama.cpp's {@code llama_detokenize(…, remove_special=false,
     * unparse_special=true)}: {@link #decode} plus llama.cpp's space clean-up for the
     * pre-tokenizers that enable it (default, GPT-2, Llama 3): no space before {@code ? ! . ,},
     * {@code " ' "} becomes {@code "'"}, and no space before {@code 's 'm 're 've}. Unlike
     * {@link #decode}, this does not round-trip every text.
     */
    public String detokenize(int[] ids) {
        return cleanSpacesIfEnabled(decode(ids));
    }

    private String cleanSpacesIfEnabled(String text) {
        boolean cleanSpaces = kind == Kind.BPE && (preTokenizerType == PreTokenizerType.DEFAULT
                || preTokenizerType == PreTokenizerType.GPT2 || preTokenizerType == PreTokenizerType.LLAMA3);
        return cleanSpaces ? cleanSpaces(text) : text;
    }

    private static String cleanSpaces(String text) {
        if (text.isEmpty()) {
            return text;
        }
        // pass 1: " ?", " !", " .", " ," lose the space
        StringBuilder a = new StringBuilder().append(text.charAt(0));
        for (int i = 1; i < text.length(); i++) {
            char x = text.charAt(i);
            if (text.charAt(i - 1) == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) {
                a.setLength(a.length() - 1);
            }
            a.append(x);
        }
        // pass 2: a lone apostrophe between spaces loses both spaces
        // (llama.cpp blanks the skipped space in place, so it no longer counts as a space before
        // the next character)
        char[] chars = a.toString().toCharArray();
        StringBuilder b = new StringBuilder().append(chars[0]);
        for (int i = 1; i < chars.length; i++) {
            char x = chars[i];
            if (x == '\'' && i + 1 < chars.length && chars[i - 1] == ' ' && chars[i + 1] == ' ') {
                b.setLength(b.length() - 1);
                chars[++i] = '\0';
            }
            b.append(x);
        }
        // pass 3: " 's", " 'm", " 're", " 've" lose the space
        StringBuilder c = new StringBuilder().append(b.charAt(0));
        for (int i = 1; i < b.length(); i++) {
            char x = b.charAt(i);
            if (b.charAt(i - 1) == ' ' && x == '\'' && i + 1 < b.length()) {
                char x1 = b.charAt(i + 1);
                boolean drop = x1 == 's' || x1 == 'm';
                if (!drop && x1 != 't' && x1 != 'd' && i + 2 < b.length()) {
                    char x2 = b.charAt(i + 2);
                    drop = (x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e');
                }
                if (drop) {
                    c.setLength(c.length() - 1);
                }
            }
            c.append(x);
        }
        return c.toString();
    }

    /** The bytes a token stands for in output (special tokens: their text; unused/undefined: nothing). */
    public byte[] tokenBytes(int id) {
        checkId(id);
        TokenType type = types[id];
        String text = tokens[id];
        return switch (type) {
            case CONTROL, USER_DEFINED, UNKNOWN -> text.getBytes(StandardCharsets.UTF_8);
            case NORMAL -> {
                if (kind == Kind.BPE) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
                    ByteLevel.decodeInto(text, out);
                    yield out.toByteArray();
                }
                yield text.replace(SPACE_MARK, " ").getBytes(StandardCharsets.UTF_8);
            }
            case BYTE -> kind == Kind.SENTENCE_PIECE && text.length() == 6 && text.startsWith("<0x")
                    ? new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)}
                    : text.getBytes(StandardCharsets.UTF_8);
            case UNUSED, UNDEFINED -> new byte[0];
        };
    }

    /** The token's output text when its bytes are whole UTF-8; otherwise its vocabulary text. */
    @Override
    public String tokenText(int id) {
        byte[] bytes = tokenBytes(id);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return tokens[id];
        }
    }

    /** The token's text as stored in the vocabulary (byte-level or with U+2581 for spaces). */
    public String vocabularyText(int id) {
        checkId(id);
        return tokens[id];
    }

    /** The token's type. */
    public TokenType tokenType(int id) {
        checkId(id);
        return types[id];
    }

    /** The id of a vocabulary entry with exactly this text, or -1. */
    public int tokenId(String vocabularyText) {
        Integer id = tokenIds.get(vocabularyText);
        return id == null ? -1 : id;
    }

    @Override
    public int vocabularySize() {
        return tokens.length;
    }

    @Override
    public int bos() {
        return bos;
    }

    /** The end-of-sequence token, or -1. */
    public int eos() {
        return eos;
    }

    /** The end-of-turn token, or -1. */
    public int eot() {
        return eot;
    }

    /** Whether {@code tokenize(text, true, …)} prepends BOS. */
    @Override
    public boolean addsBos() {
        return addBos;
    }

    /** Whether {@code tokenize(text, true, …)} appends EOS. */
    @Override
    public boolean addsEos() {
        return addEos;
    }

    /** Whether SentencePiece encoding puts a space before text that starts the input or follows a special token. */
    public boolean addsSpacePrefix() {
        return addSpacePrefix;
    }

    @Override
    public int[] endTokens() {
        return endTokens.clone();
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size " + tokens.length + ")");
        }
    }

    static int[] distinct(int... ids) {
        Set<Integer> set = new LinkedHashSet<>();
        for (int id : ids) {
            if (id >= 0) {
                set.add(id);
            }
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "GgufTokenizer[" + kind + (kind == Kind.BPE ? ", pre=" + preTokenizerType : "") + ", vocabulary="
                + tokens.length + ", bos=" + bos + ", eos=" + eos + ", end=" + Arrays.toString(endTokens) + "]";
    }
}

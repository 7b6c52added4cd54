package io.mocoj.methods.testing;

import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.DecodingSession;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.TokenUsage;
import io.mocoj.model.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A LOGITS model whose next-token distribution is a function of the response text so far
 * (constructed in the test, so every decision of a token-level method is known in advance).
 * Token 0 is the end token, token 1 stands for the whole prompt; the others are the given pieces.
 * The tokenizer encodes greedily by longest piece. Tokens not named by the distribution get
 * probability 0 (logit −1e9); the named probabilities must sum to 1. {@link #generate} decodes
 * greedily from the same distribution. Optional hidden state per position: a function of the
 * response text before that position's next token.
 */
public final class ScriptedLogitsModel implements LogitsModel {
    public static final String END = "<end>";
    /** Counts response tokens run through sessions of this model (for accounting tests). */
    public final java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
    private final String name;
    private final List<String> pieces;
    private final java.util.function.BiFunction<String, String, Map<String, Double>> next;
    private final Function<String, float[]> hidden;
    private final int hiddenSize;
    private final ScriptedTokenizer tokenizer;

    public ScriptedLogitsModel(String name, List<String> pieces, Function<String, Map<String, Double>> next) {
        this(name, pieces, (prompt, soFar) -> next.apply(soFar), null, 0);
    }

    /**
     * @param next   the distribution after (prompt text, response so far)
     * @param hidden the hidden state at a position, from the response text up to and including that position's token
     */
    public ScriptedLogitsModel(String name, List<String> pieces, java.util.function.BiFunction<String, String, Map<String, Double>> next,
                               Function<String, float[]> hidden, int hiddenSize) {
        this.name = name;
        List<String> all = new ArrayList<>(List.of(END, "<prompt>"));
        all.addAll(pieces);
        this.pieces = List.copyOf(all);
        this.next = next;
        this.hidden = hidden;
        this.hiddenSize = hiddenSize;
        this.tokenizer = new ScriptedTokenizer();
    }

    /** Single characters: printable ASCII and the newline. */
    public static List<String> characters() {
        List<String> c = new ArrayList<>();
        for (char ch = 32; ch < 127; ch++) c.add(String.valueOf(ch));
        c.add("\n");
        return c;
    }

    @Override public String name() { return name; }
    @Override public Set<Capability> capabilities() { return EnumSet.of(Capability.TEXT, Capability.LOGITS); }
    @Override public boolean simulated() { return true; }
    @Override public Tokenizer tokenizer() { return tokenizer; }
    /** The message texts, one character piece each (characters outside the vocabulary are dropped), then token 1. */
    @Override public int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Integer> ids = new ArrayList<>();
        for (ChatMessage m : messages) {
            for (char ch : m.text().toCharArray()) {
                int id = pieces.indexOf(String.valueOf(ch));
                if (id >= 2) ids.add(id);
            }
        }
        ids.add(1);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
    @Override public String vocabularyFingerprint() { return String.join("\u0000", pieces); }
    @Override public int hiddenSize() { return hiddenSize; }
    @Override public DecodingSession newSession() { return new Session(new int[0]); }

    /** The distribution after {@code soFar}, as logits over the vocabulary. */
    float[] logitsAfter(String prompt, String soFar) {
        Map<String, Double> p = next.apply(prompt, soFar);
        float[] logits = new float[pieces.size()];
        Arrays.fill(logits, -1e9f);
        for (var e : p.entrySet()) {
            int id = pieces.indexOf(e.getKey());
            if (id < 0) throw new IllegalArgumentException(name + ": piece '" + e.getKey() + "' is not in the vocabulary");
            logits[id] = (float) Math.log(e.getValue());
        }
        return logits;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        StringBuilder out = new StringBuilder();
        int produced = 0;
        FinishReason reason = FinishReason.LENGTH;
        while (produced < request.maxTokens()) {
            float[] l = logitsAfter(request.lastUserText(), out.toString());
            int best = 0;
            for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
            produced++;
            if (best == 0) { reason = FinishReason.STOP; break; }
            out.append(pieces.get(best));
        }
        return new Generation(out.toString(), reason, new TokenUsage(1, produced), List.of(), List.of());
    }

    private final class Session implements DecodingSession {
        private int[] tokens;

        Session(int[] tokens) { this.tokens = tokens; }

        private int marker() {
            for (int i = 0; i < tokens.length; i++) if (tokens[i] == 1) return i;
            return -1;
        }

        private String text(int from, int to) {
            StringBuilder b = new StringBuilder();
            for (int i = Math.max(0, from); i < to; i++) if (tokens[i] > 1) b.append(pieces.get(tokens[i]));
            return b.toString();
        }

        private String response(int upTo) { return text(marker() + 1, upTo); }

        @Override public void append(int... t) {
            int[] all = Arrays.copyOf(tokens, tokens.length + t.length);
            System.arraycopy(t, 0, all, tokens.length, t.length);
            tokens = all;
            appended.addAndGet(t.length);
        }

        @Override public int length() { return tokens.length; }

        @Override public float[] logits() {
            if (tokens.length == 0) throw new IllegalStateException("no tokens");
            int m = marker();
            return logitsAfter(m < 0 ? "" : text(0, m), response(tokens.length));
        }

        @Override public boolean hasHiddenStates() { return hidden != null; }

        @Override public float[] hiddenState(int position) {
            if (hidden == null) return DecodingSession.super.hiddenState(position);
            return hidden.apply(response(position + 1)).clone();
        }

        @Override public DecodingSession fork() { return new Session(tokens.clone()); }

        @Override public void close() {}
    }

    private final class ScriptedTokenizer implements Tokenizer {
        @Override public int[] encode(String text, boolean parseSpecial) {
            List<Integer> ids = new ArrayList<>();
            int at = 0;
            while (at < text.length()) {
                int best = -1, bestLen = 0;
                for (int i = 2; i < pieces.size(); i++) {
                    String p = pieces.get(i);
                    if (p.length() > bestLen && text.startsWith(p, at)) { best = i; bestLen = p.length(); }
                }
                if (best < 0) throw new IllegalArgumentException(name + " cannot encode '" + text.charAt(at) + "'");
                ids.add(best);
                at += bestLen;
            }
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override public String decode(int[] ids) {
            StringBuilder b = new StringBuilder();
            for (int id : ids) if (id > 1) b.append(pieces.get(id));
            return b.toString();
        }

        @Override public String tokenText(int token) { return token > 1 ? pieces.get(token) : ""; }
        @Override public int vocabularySize() { return pieces.size(); }
        @Override public int bos() { return -1; }
        @Override public int[] endTokens() { return new int[] {0}; }
    }
}

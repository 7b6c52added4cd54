package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.DecodingSession;
import io.mocoj.model.Distributions;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.TokenUsage;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One model's side of a token-level collaboration: a decoding session opened on the task prompt,
 * the response tokens appended so far (its own or another model's text re-encoded with its own
 * tokenizer), and exact token accounting. Methods where several in-process models write one
 * response together (nudging, mentor collaboration) hold one decoder per model.
 *
 * <p>{@link #close()} frees the session and reports the decoder's tokens to the run's accounting
 * as one call of the model ({@link MethodContext#recordLocalDecoding}): prompt tokens = the
 * prefilled prompt, completion tokens = every response token run through the model.
 */
public final class LocalDecoder implements AutoCloseable {
    private final MethodContext context;
    private final LogitsModel model;
    private DecodingSession session;
    private final int promptTokens;
    private final long started = System.nanoTime();
    private int[] response = new int[0];
    private String text = "";
    private long processed;
    private boolean closed;
    private final LocalDecoder parent; // a fork adds its tokens to its parent's count instead of reporting them

    private LocalDecoder(MethodContext context, LogitsModel model, DecodingSession session, int promptTokens, LocalDecoder parent) {
        this.context = context;
        this.model = model;
        this.session = session;
        this.promptTokens = promptTokens;
        this.parent = parent;
    }

    /** Opens a session of {@code model} and prefills the chat-formatted {@code prompt} (assistant turn opened). */
    public static LocalDecoder open(MethodContext context, LogitsModel model, List<ChatMessage> prompt) {
        int[] ids = model.encodeChat(prompt, true);
        DecodingSession session = model.newSession();
        try {
            session.append(ids);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return new LocalDecoder(context, model, session, ids.length, null);
    }

    /**
     * An independent copy at the same position (sharing the prefilled cache, e.g. to try a patch);
     * its tokens are added to this decoder's count when it is closed.
     */
    public LocalDecoder fork() {
        LocalDecoder f = new LocalDecoder(context, model, session.fork(), 0, this);
        f.response = response.clone();
        f.text = text;
        return f;
    }

    /** The response tokens after {@code from} (e.g. what a fork wrote since it was made). */
    public int[] responseTokensFrom(int from) { return Arrays.copyOfRange(response, from, response.length); }

    /**
     * Continues from where {@code fork} (a fork of this decoder, not yet closed) stands, keeping
     * its cache instead of re-running its tokens; the fork is closed.
     */
    public void adopt(LocalDecoder fork) {
        if (fork.parent != this) throw new IllegalArgumentException("not a fork of this decoder");
        if (fork.closed) throw new IllegalStateException("the fork is closed");
        session.close();
        session = fork.session; // the fork's session (and cache) now belongs to this decoder
        response = fork.response;
        text = fork.text;
        processed += fork.processed;
        fork.closed = true;
    }

    public LogitsModel model() { return model; }

    /** The response so far, as this model's tokenizer decodes its response tokens. */
    public String text() { return text; }

    /** Number of response tokens in the sequence. */
    public int responseTokens() { return response.length; }

    /** Raw next-token logits after the current sequence. */
    public float[] logits() { return session.logits(); }

    /** Whether {@code token} ends a generation for this model. */
    public boolean isEnd(int token) {
        for (int e : model.tokenizer().endTokens()) if (e == token) return true;
        return false;
    }

    /** The text {@code token} would add to the response (decoding in context, so spaces and multi-byte characters come out right). */
    public String pieceText(int token) {
        int[] longer = Arrays.copyOf(response, response.length + 1);
        longer[response.length] = token;
        String next = model.tokenizer().decode(longer);
        if (next.startsWith(text)) return next.substring(text.length());
        int common = 0;
        while (common < Math.min(text.length(), next.length()) && text.charAt(common) == next.charAt(common)) common++;
        return next.substring(common);
    }

    /** Appends one of this model's own tokens. */
    public void accept(int token) {
        append(new int[] {token});
    }

    /** Appends text written elsewhere (another model), encoded with this model's tokenizer. */
    public void acceptText(String piece) {
        if (piece.isEmpty()) return;
        append(model.tokenizer().encode(piece, false));
    }

    private void append(int[] tokens) {
        if (tokens.length == 0) return;
        session.append(tokens);
        processed += tokens.length;
        int[] all = Arrays.copyOf(response, response.length + tokens.length);
        System.arraycopy(tokens, 0, all, response.length, tokens.length);
        response = all;
        text = model.tokenizer().decode(response);
    }

    /** The model's final hidden state at the last position of the sequence. */
    public float[] lastHiddenState() { return session.hiddenState(session.length() - 1); }

    /** Whether the model exposes hidden states. */
    public boolean hasHiddenStates() { return session.hasHiddenStates(); }

    /**
     * Picks a token from logits: argmax when {@code temperature} is 0, otherwise a draw from the
     * softmax of {@code logits / temperature} restricted to the smallest set of most likely tokens
     * whose mass reaches {@code topP} (nucleus sampling).
     */
    public static int pick(float[] logits, double temperature, double topP, RandomGenerator random) {
        if (temperature <= 0) return Distributions.argmax(logits);
        float[] scaled = new float[logits.length];
        for (int i = 0; i < logits.length; i++) scaled[i] = (float) (logits[i] / temperature);
        float[] lp = Distributions.logSoftmax(scaled);
        Integer[] order = new Integer[lp.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(lp[b], lp[a]));
        double mass = 0;
        int kept = 0;
        while (kept < order.length && (kept == 0 || mass < topP)) mass += Math.exp(lp[order[kept++]]);
        double u = random.nextDouble() * mass;
        for (int i = 0; i < kept; i++) {
            u -= Math.exp(lp[order[i]]);
            if (u <= 0) return order[i];
        }
        return order[kept - 1];
    }

    /** Probability of the most likely next token. */
    public static double topProbability(float[] logits) {
        float[] lp = Distributions.logSoftmax(logits);
        return Math.exp(lp[Distributions.argmax(lp)]);
    }

    /** Tokens this decoder ran through its model: the prompt and every appended response token. */
    public TokenUsage usage() { return new TokenUsage(promptTokens, processed); }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        session.close();
        if (parent != null) {
            synchronized (parent) { parent.processed += processed; }
        } else {
            context.recordLocalDecoding(model, usage(), System.nanoTime() - started);
        }
    }
}

package io.mocoj.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to generate: the conversation so far and the sampling settings.
 *
 * @param messages      the conversation, oldest first; never empty
 * @param maxTokens     upper bound on generated tokens (MoCo's {@code max_response_length})
 * @param temperature   sampling temperature; 0 means greedy
 * @param topP          nucleus sampling mass in (0, 1]
 * @param seed          sampling seed, or empty to let the model choose
 * @param stop          stop sequences (not included in the output)
 * @param samples       how many independent samples to draw (n); {@link Generation#samples()} holds the extra ones
 * @param logprobs      whether per-token log-probabilities are wanted
 * @param topLogprobs   how many alternatives per token when {@code logprobs} is set (0 for none)
 */
public record GenerationRequest(
        List<ChatMessage> messages,
        int maxTokens,
        double temperature,
        double topP,
        OptionalLong seed,
        List<String> stop,
        int samples,
        boolean logprobs,
        int topLogprobs) {

    public GenerationRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        stop = List.copyOf(Objects.requireNonNull(stop, "stop"));
        Objects.requireNonNull(seed, "seed");
        if (messages.isEmpty()) throw new IllegalArgumentException("a generation request needs at least one message");
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        if (samples <= 0) throw new IllegalArgumentException("samples must be positive, was " + samples);
        if (topLogprobs < 0) throw new IllegalArgumentException("topLogprobs must be >= 0, was " + topLogprobs);
    }

    /** A single user message with default settings (512 tokens, temperature 0.7, top-p 0.9). */
    public static GenerationRequest of(String userPrompt) {
        return builder().user(userPrompt).build();
    }

    public static Builder builder() { return new Builder(); }

    /** A builder pre-filled with this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.topP = topP;
        b.seed = seed;
        b.stop.addAll(stop);
        b.samples = samples;
        b.logprobs = logprobs;
        b.topLogprobs = topLogprobs;
        return b;
    }

    /** The text of the last user message (what most prompts are about), or "" if there is none. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) return messages.get(i).text();
        }
        return "";
    }

    /** Builder for {@link GenerationRequest}. */
    public static final class Builder {
        private final List<ChatMessage> messages = new ArrayList<>();
        private int maxTokens = 512;
        private double temperature = 0.7;
        private double topP = 0.9;
        private OptionalLong seed = OptionalLong.empty();
        private final List<String> stop = new ArrayList<>();
        private int samples = 1;
        private boolean logprobs;
        private int topLogprobs;

        private Builder() {}

        public Builder message(ChatMessage m) { messages.add(m); return this; }
        public Builder messages(List<ChatMessage> ms) { messages.addAll(ms); return this; }
        public Builder system(String text) { return message(ChatMessage.system(text)); }
        public Builder user(String text) { return message(ChatMessage.user(text)); }
        public Builder assistant(String text) { return message(ChatMessage.assistant(text)); }
        public Builder maxTokens(int v) { maxTokens = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder seed(long v) { seed = OptionalLong.of(v); return this; }
        public Builder noSeed() { seed = OptionalLong.empty(); return this; }
        public Builder stop(String... s) { stop.addAll(List.of(s)); return this; }
        public Builder samples(int n) { samples = n; return this; }
        public Builder logprobs(boolean wanted) { logprobs = wanted; return this; }
        public Builder topLogprobs(int k) { topLogprobs = k; if (k > 0) logprobs = true; return this; }

        public GenerationRequest build() {
            return new GenerationRequest(messages, maxTokens, temperature, topP, seed, stop, samples, logprobs, topLogprobs);
        }
    }
}

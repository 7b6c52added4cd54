package io.mocoj.providers.ollama;

import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaChatRequestParameters;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.model.langchain4j.LangChain4jModel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A model served by Ollama ({@code /api/chat}), called through LangChain4j's {@link OllamaChatModel}
 * with its retries switched off (the MoCo-J engine retries). Capability: TEXT (Ollama's chat API
 * returns no log-probabilities).
 *
 * <p>Max tokens become {@code num_predict}; temperature, top-p, stop sequences and the seed are
 * passed as Ollama options. Seeds outside the {@code int} range are folded with
 * {@link Long#hashCode(long)}, as Ollama's seed is a 32-bit integer. {@code n} samples are drawn
 * with {@code n} calls, sample {@code i} using seed {@code seed + i}. Failures are mapped as in
 * {@link io.mocoj.model.langchain4j.LangChain4jExceptions} (no {@code Retry-After} on this path).
 */
public final class OllamaModel implements ModelEndpoint {
    /** Where a default Ollama installation listens. */
    public static final String DEFAULT_BASE_URL = "http://localhost:11434";

    private final String baseUrl;
    private final String model;
    private final LangChain4jModel delegate;

    private OllamaModel(Builder b) {
        if (b.model == null || b.model.isBlank()) throw new IllegalArgumentException("Ollama model name must not be blank");
        this.model = b.model.strip();
        String url = Objects.requireNonNull(b.baseUrl, "baseUrl").strip();
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("Ollama model '" + model + "': base URL '" + b.baseUrl
                    + "' must start with http:// or https:// (e.g. " + DEFAULT_BASE_URL + ")");
        }
        this.baseUrl = url;
        OllamaChatModel chat = OllamaChatModel.builder()
                .baseUrl(baseUrl)
                .modelName(model)
                .timeout(b.timeout)
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build();
        this.delegate = LangChain4jModel.builder(chat)
                .name(b.name != null ? b.name : model)
                .identity(identityOf(baseUrl, model))
                .pricing(b.pricing)
                .parameters(OllamaModel::parameters)
                .build();
    }

    public static Builder builder() { return new Builder(); }

    static String identityOf(String baseUrl, String model) { return "ollama:" + baseUrl + "|" + model; }

    private static OllamaChatRequestParameters parameters(GenerationRequest r, java.util.OptionalLong seed) {
        OllamaChatRequestParameters.Builder b = OllamaChatRequestParameters.builder()
                .maxOutputTokens(r.maxTokens())
                .temperature(r.temperature())
                .topP(r.topP());
        if (!r.stop().isEmpty()) b.stopSequences(r.stop());
        if (seed.isPresent()) b.seed(toIntSeed(seed.getAsLong()));
        return b.build();
    }

    /** The 32-bit seed Ollama gets for a MoCo-J seed: unchanged when it fits, else {@link Long#hashCode(long)}. */
    public static int toIntSeed(long seed) {
        return seed >= Integer.MIN_VALUE && seed <= Integer.MAX_VALUE ? (int) seed : Long.hashCode(seed);
    }

    @Override public String name() { return delegate.name(); }

    @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }

    @Override public Generation generate(GenerationRequest request) { return delegate.generate(request); }

    /** {@code ollama:<baseUrl>|<model>}. */
    @Override public String identity() { return delegate.identity(); }

    /** Calls go to a server: the engine sends a preflight request before the method starts. */
    @Override public boolean remote() { return true; }

    @Override public ModelPricing pricing() { return delegate.pricing(); }

    public String baseUrl() { return baseUrl; }

    public String model() { return model; }

    @Override public String toString() { return "OllamaModel[" + name() + ", " + identity() + "]"; }

    /** Builder for {@link OllamaModel}. */
    public static final class Builder {
        private String name;
        private String baseUrl = DEFAULT_BASE_URL;
        private String model;
        private Duration timeout = Duration.ofSeconds(120);
        private ModelPricing pricing = ModelPricing.UNKNOWN;

        private Builder() {}

        /** The short name in reports (default: the model name). */
        public Builder name(String name) { this.name = name; return this; }

        /** Ollama's address (default {@value OllamaModel#DEFAULT_BASE_URL}). */
        public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

        /** The model tag, e.g. {@code llama3.2:1b}. Required. */
        public Builder model(String model) { this.model = model; return this; }

        /** Request time-out (default 120 s; the first call may load the model). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder pricing(ModelPricing pricing) { this.pricing = Objects.requireNonNull(pricing, "pricing"); return this; }

        public OllamaModel build() { return new OllamaModel(this); }
    }
}

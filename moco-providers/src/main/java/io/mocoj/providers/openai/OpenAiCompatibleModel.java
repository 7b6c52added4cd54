package io.mocoj.providers.openai;

import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.model.TokenUsage;
import io.mocoj.model.Secrets;
import io.mocoj.providers.internal.RetryAfter;
import io.mocoj.providers.openai.internal.ChatCompletionsWire;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model behind an OpenAI-compatible chat-completions endpoint: OpenAI itself, vLLM, the
 * llama.cpp server, LM Studio, and others. Capabilities: TEXT, (unless switched off) LOGPROBS, and
 * with {@link Builder#prefill(boolean)} APPROX_LOGITS (top-k next-token lists after a partial answer).
 *
 * <p>This endpoint speaks the chat-completions wire format itself (JDK {@link HttpClient} and
 * Jackson) rather than through LangChain4j's {@code OpenAiChatModel}: that model exposes
 * log-probabilities, but it reads only the first choice (so {@code n} samples would cost {@code n}
 * calls) and its exceptions carry no response headers (so {@code Retry-After} would be lost).
 * It never retries: the MoCo-J engine does, using {@link ModelCallException#transientFailure()} and
 * {@link ModelCallException#retryAfter()}.
 *
 * <p>Failures: HTTP 408, 409, 429 and 5xx, time-outs and connection failures are transient (with
 * the HTTP status and the server's {@code Retry-After} / {@code retry-after-ms} delay when sent);
 * other 4xx (bad request, authentication, unknown model) are permanent and carry the server's
 * error message. The API key never appears in messages, logs or {@link #identity()}.
 */
public final class OpenAiCompatibleModel implements ModelEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleModel.class);

    /** OpenAI's own API. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    private final String name;
    private final String baseUrl;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final ModelPricing pricing;
    private final boolean logprobsSupported;
    private final boolean nativeSamples;
    private final String maxTokensField;
    private final boolean prefill;
    private final Set<Capability> capabilities;
    private final HttpClient http;
    private final URI endpoint;
    private final Clock clock;

    private OpenAiCompatibleModel(Builder b) {
        this.model = requireText(b.model, "model");
        this.baseUrl = stripTrailingSlash(requireText(b.baseUrl, "baseUrl"));
        this.name = b.name != null ? b.name : model;
        this.apiKey = b.apiKey == null || b.apiKey.isBlank() ? null : b.apiKey.strip();
        Secrets.requireHeaderSafe(apiKey, "model '" + name + "'");
        Secrets.register(apiKey);
        this.timeout = b.timeout;
        this.pricing = b.pricing;
        this.logprobsSupported = b.logprobs;
        this.nativeSamples = b.nativeSamples;
        this.maxTokensField = b.maxTokensField;
        this.prefill = b.prefill;
        this.capabilities = !logprobsSupported ? Set.of(Capability.TEXT)
                : prefill ? Set.of(Capability.TEXT, Capability.LOGPROBS, Capability.APPROX_LOGITS)
                : Set.of(Capability.TEXT, Capability.LOGPROBS);
        this.clock = b.clock;
        try {
            this.endpoint = URI.create(baseUrl + "/chat/completions");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model '" + name + "': base URL '" + baseUrl + "' is not a valid URL", e);
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("model '" + name + "': base URL '" + baseUrl
                    + "' must start with http:// or https:// (e.g. http://127.0.0.1:8000/v1)");
        }
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(scheme.equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return name; }

    @Override public Set<Capability> capabilities() { return capabilities; }

    /** {@code openai:<baseUrl>|<model>}; never contains the key. */
    @Override public String identity() { return "openai:" + baseUrl + "|" + model; }

    /** Calls go to a server: the engine sends a preflight request before the method starts. */
    @Override public boolean remote() { return true; }

    @Override public ModelPricing pricing() { return pricing; }

    public String baseUrl() { return baseUrl; }

    public String model() { return model; }

    /** Whether an API key is configured (the key itself is not exposed). */
    public boolean hasApiKey() { return apiKey != null; }

    @Override
    public Generation generate(GenerationRequest request) {
        boolean withLogprobs = request.logprobs() && logprobsSupported;
        if (nativeSamples || request.samples() == 1) {
            return call(request, request.samples(), request.seed(), withLogprobs);
        }
        // The server does not support n > 1: one call per sample, seed shifted per sample.
        List<String> texts = new ArrayList<>();
        Generation first = null;
        TokenUsage usage = TokenUsage.ZERO;
        for (int i = 0; i < request.samples(); i++) {
            OptionalLong seed = request.seed().isPresent() ? OptionalLong.of(request.seed().getAsLong() + i) : OptionalLong.empty();
            Generation g = call(request, 1, seed, withLogprobs && i == 0);
            if (first == null) first = g;
            texts.add(g.text());
            usage = usage.plus(g.usage());
        }
        return new Generation(first.text(), first.finishReason(), usage, first.logprobs(), texts);
    }

    private Generation call(GenerationRequest request, int n, OptionalLong seed, boolean withLogprobs) {
        String body = ChatCompletionsWire.requestBody(model, request, n, seed, withLogprobs, maxTokensField, prefill);
        HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
        LOG.debug("POST {} model={} n={} logprobs={}", endpoint, model, n, withLogprobs);

        HttpResponse<String> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ModelCallException(name, "no response from " + baseUrl + " within " + timeout.toSeconds()
                    + " s (raise the timeout option if the model is slow)", true, 0, null, e);
        } catch (IOException e) {
            throw new ModelCallException(name, "connection to " + baseUrl + " failed: "
                    + redact(String.valueOf(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()))
                    + " (is the server running and is the base URL right?)",
                    true, 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException(name, "interrupted while waiting for " + baseUrl, false, 0, null, e);
        }

        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                Generation g = ChatCompletionsWire.parseResponse(response.body(), withLogprobs);
                if (withLogprobs && !g.hasLogprobs()) {
                    LOG.debug("model {} returned no logprobs although they were requested", name);
                }
                return g;
            } catch (ChatCompletionsWire.MalformedResponseException e) {
                // A 2xx whose body is not a chat completion (truncated JSON, an HTML page from a proxy, a
                // short body) is a transport failure, retried like a reset connection (as the OpenAI SDKs do).
                throw new ModelCallException(name, "HTTP " + status + " from " + baseUrl + " with a body that is not a chat completion ("
                        + e.getMessage() + "): " + ChatCompletionsWire.abbreviate(redact(response.body())), true, status, null, null);
            }
        }
        String serverMessage = ChatCompletionsWire.errorMessage(redact(response.body()));
        boolean transientFailure = status == 408 || status == 409 || status == 429 || status >= 500;
        Duration retryAfter = transientFailure ? RetryAfter.from(response.headers(), clock).orElse(null) : null;
        throw new ModelCallException(name, describe(status) + " from " + endpoint + ": " + serverMessage,
                transientFailure, status, retryAfter, null);
    }

    private String describe(int status) {
        return switch (status) {
            case 400 -> "bad request (HTTP 400)";
            case 401 -> "authentication failed (HTTP 401; check the API key"
                    + (apiKey == null ? ": none was configured" : "") + ")";
            case 403 -> "access denied (HTTP 403; check the API key's permissions)";
            case 404 -> "not found (HTTP 404; check the model name '" + model + "' and the base URL)";
            case 429 -> "rate limited (HTTP 429)";
            default -> status >= 500 ? "server error (HTTP " + status + ")" : "HTTP " + status;
        };
    }

    /** Removes this endpoint's key (any length) and every registered secret; never truncates. */
    private String redact(String message) {
        return Secrets.redact(message == null ? "" : message, apiKey == null ? List.of() : List.of(apiKey));
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleModel[" + name + ", " + identity() + (apiKey != null ? ", key set" : ", no key") + "]";
    }

    private static String requireText(String v, String what) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException(what + " must not be blank");
        return v.strip();
    }

    private static String stripTrailingSlash(String url) {
        String u = url;
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }

    /** Builder for {@link OpenAiCompatibleModel}. */
    public static final class Builder {
        private String name;
        private String baseUrl = OPENAI_BASE_URL;
        private String model;
        private String apiKey;
        private Duration timeout = Duration.ofSeconds(60);
        private ModelPricing pricing = ModelPricing.UNKNOWN;
        private boolean logprobs = true;
        private boolean nativeSamples = true;
        private String maxTokensField = "max_tokens";
        private boolean prefill;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The short name in reports (default: the model id). */
        public Builder name(String name) { this.name = name; return this; }

        /** The API root, e.g. {@code https://api.openai.com/v1} (default) or {@code http://127.0.0.1:8000/v1}. */
        public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

        /** The model id the server knows, e.g. {@code gpt-4o-mini}. Required. */
        public Builder model(String model) { this.model = model; return this; }

        /** The API key itself; optional (local servers usually need none). */
        public Builder apiKey(String apiKey) { this.apiKey = apiKey; return this; }

        /**
         * Reads the API key from the environment variable {@code variable}, looked up through
         * {@code env} (normally {@code System::getenv}); fails naming the variable when it is unset.
         */
        public Builder apiKeyFromEnv(String variable, UnaryOperator<String> env) {
            String v = env.apply(variable);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("environment variable " + variable
                        + " is not set; set it to the API key (or name another variable with key_env=...)");
            }
            this.apiKey = v;
            return this;
        }

        /** Request and connect time-out (default 60 s). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder pricing(ModelPricing pricing) { this.pricing = Objects.requireNonNull(pricing, "pricing"); return this; }

        /** Whether the server returns log-probabilities (default true); false drops the LOGPROBS capability. */
        public Builder logprobs(boolean supported) { this.logprobs = supported; return this; }

        /** Whether the server honours {@code n > 1} (default true); false draws samples one call at a time. */
        public Builder nativeSamples(boolean supported) { this.nativeSamples = supported; return this; }

        /** The name of the token-limit field: {@code max_tokens} (default) or {@code max_completion_tokens}. */
        public Builder maxTokensField(String field) {
            if (!"max_tokens".equals(field) && !"max_completion_tokens".equals(field)) {
                throw new IllegalArgumentException("max tokens field must be max_tokens or max_completion_tokens, was " + field);
            }
            this.maxTokensField = field;
            return this;
        }

        /**
         * Whether the server continues a final assistant message instead of answering it (vLLM with
         * {@code continue_final_message}, llama.cpp's server with assistant prefill; default false,
         * OpenAI's own API does not). With logprobs this adds {@link Capability#APPROX_LOGITS}: the
         * top-k next-token distribution after any partial answer, one call per token.
         */
        public Builder prefill(boolean supported) { this.prefill = supported; return this; }

        /** The clock used to turn a {@code Retry-After} date into a delay (tests). */
        public Builder clock(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); return this; }

        public OpenAiCompatibleModel build() { return new OpenAiCompatibleModel(this); }
    }
}

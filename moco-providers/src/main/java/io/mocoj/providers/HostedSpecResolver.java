package io.mocoj.providers;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.mistralai.MistralAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.langchain4j.LangChain4jModel;
import io.mocoj.providers.openai.OpenAiLangChain4j;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecResolver;
import io.mocoj.spec.SpecContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Model specs for hosted APIs through their LangChain4j modules: {@code anthropic:},
 * {@code gemini:} (Google AI Gemini), {@code mistral:} and {@code azure:} (Azure OpenAI, through
 * its OpenAI-compatible {@code /openai/v1} endpoint with LangChain4j's OpenAI module). Keys come
 * from environment variables ({@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY},
 * {@code MISTRAL_API_KEY}, {@code AZURE_OPENAI_API_KEY}, or the one named by {@code key_env}) and
 * are never part of a name, identity or message.
 *
 * <p>Retries: every LangChain4j model is built with {@code maxRetries(0)}, so MoCo-J's engine
 * retries exactly as for {@code openai:} (its retry policy, backoff and limits); LangChain4j's
 * exception types and HTTP status decide what is transient (429, 5xx, time-outs, connection
 * failures) and what is permanent (400, 401, 403, 404). These providers' {@code Retry-After}
 * headers are not visible through LangChain4j, so the engine's own backoff applies.
 */
public final class HostedSpecResolver implements ModelSpecResolver {
    private static final Set<String> OPTIONS = Set.of("key_env", "price_in", "price_out", "timeout", "name");

    /** Default environment variable of each scheme's API key. */
    public static final Map<String, String> DEFAULT_KEY_ENV = Map.of(
            "anthropic", "ANTHROPIC_API_KEY",
            "gemini", "GEMINI_API_KEY",
            "mistral", "MISTRAL_API_KEY",
            "azure", "AZURE_OPENAI_API_KEY");

    /** Where {@code azure:} takes the resource endpoint from when the spec has no {@code @URL}. */
    public static final String AZURE_ENDPOINT_ENV = "AZURE_OPENAI_ENDPOINT";

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private final UnaryOperator<String> env;

    /** Reads keys from the process environment. */
    public HostedSpecResolver() { this(System::getenv); }

    /** Reads keys through {@code env} (a variable name to its value, or null when unset). */
    public HostedSpecResolver(UnaryOperator<String> env) { this.env = Objects.requireNonNull(env, "env"); }

    @Override
    public List<String> schemes() { return List.of("anthropic", "gemini", "mistral", "azure"); }

    @Override
    public List<String> forms() {
        String opts = "[?key_env=VAR&price_in=X&price_out=Y&timeout=SECONDS&name=N]";
        return List.of(
                "anthropic:MODEL[@BASE_URL]" + opts + "  (Anthropic Messages API, key from $ANTHROPIC_API_KEY), e.g. anthropic:claude-3-5-haiku-latest",
                "gemini:MODEL[@BASE_URL]" + opts + "  (Google AI Gemini API, key from $GEMINI_API_KEY), e.g. gemini:gemini-2.0-flash",
                "mistral:MODEL[@BASE_URL]" + opts + "  (Mistral API, key from $MISTRAL_API_KEY), e.g. mistral:mistral-small-latest",
                "azure:DEPLOYMENT[@https://RESOURCE.openai.azure.com]" + opts
                        + "  (Azure OpenAI v1 API, key from $AZURE_OPENAI_API_KEY, endpoint from the spec or $AZURE_OPENAI_ENDPOINT), e.g. azure:gpt-4o-mini@https://my-resource.openai.azure.com");
    }

    @Override
    public ModelEndpoint resolve(ModelSpec spec, SpecContext context) {
        ProviderSpecResolver.checkOptions(spec, OPTIONS);
        String[] modelAndUrl = ProviderSpecResolver.splitModelAndUrl(spec);
        String model = modelAndUrl[0];
        String url = modelAndUrl[1];
        String key = key(spec);
        Duration timeout = ProviderSpecResolver.timeout(spec).orElse(DEFAULT_TIMEOUT);
        ChatModel chat;
        LangChain4jModel.Builder b;
        String address;
        try {
            switch (spec.scheme()) {
                case "anthropic" -> {
                    var m = AnthropicChatModel.builder().apiKey(key).modelName(model).timeout(timeout).maxRetries(0);
                    if (url != null) m.baseUrl(url);
                    chat = m.build();
                    b = LangChain4jModel.builder(chat);
                    address = url != null ? url : "api.anthropic.com";
                }
                case "gemini" -> {
                    var m = GoogleAiGeminiChatModel.builder().apiKey(key).modelName(model).timeout(timeout).maxRetries(0);
                    if (url != null) m.baseUrl(url);
                    chat = m.build();
                    b = LangChain4jModel.builder(chat);
                    address = url != null ? url : "generativelanguage.googleapis.com";
                }
                case "mistral" -> {
                    var m = MistralAiChatModel.builder().apiKey(key).modelName(model).timeout(timeout).maxRetries(0);
                    if (url != null) m.baseUrl(url);
                    chat = m.build();
                    b = LangChain4jModel.builder(chat);
                    address = url != null ? url : "api.mistral.ai";
                }
                case "azure" -> {
                    String endpoint = url != null ? url : env.apply(AZURE_ENDPOINT_ENV);
                    if (endpoint == null || endpoint.isBlank()) {
                        throw new IllegalArgumentException("azure: needs the resource endpoint: give it in the spec, e.g. azure:" + model
                                + "@https://my-resource.openai.azure.com, or set " + AZURE_ENDPOINT_ENV);
                    }
                    address = azureBaseUrl(endpoint.strip());
                    OpenAiChatModel m = OpenAiChatModel.builder().baseUrl(address).apiKey(key)
                            .customHeaders(Map.of("api-key", key)).modelName(model).timeout(timeout).maxRetries(0).build();
                    b = OpenAiLangChain4j.wrap(m);
                }
                default -> throw new IllegalArgumentException("scheme '" + spec.scheme() + "' is not handled here (handled: "
                        + String.join(", ", schemes()) + ")");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
        }
        return b.name(spec.option("name", model))
                .identity(spec.scheme() + ":" + model + "@" + address)
                .pricing(ProviderSpecResolver.pricing(spec))
                .redact(key)
                .build();
    }

    /**
     * The OpenAI-compatible base URL of an Azure OpenAI resource: {@code <endpoint>/openai/v1},
     * unless the endpoint already names a path under {@code /openai}.
     */
    static String azureBaseUrl(String endpoint) {
        String e = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return e.contains("/openai") ? e : e + "/openai/v1";
    }

    private String key(ModelSpec spec) {
        String var = spec.option("key_env").orElse(DEFAULT_KEY_ENV.get(spec.scheme()));
        if (var.isBlank()) throw new IllegalArgumentException("model spec '" + spec.text() + "': key_env is empty");
        String v = env.apply(var);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': environment variable " + var
                    + " is not set; set it to your " + spec.scheme() + " API key"
                    + (spec.option("key_env").isPresent() ? "" : ", or name another variable with ?key_env=VAR"));
        }
        return v;
    }
}

package io.mocoj.providers;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.mocoj.providers.ollama.OllamaModel;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.spec.EmbeddingSpecResolver;
import io.mocoj.spec.ModelSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code embedding_model} specs served by a server: {@code openai:MODEL[@BASE_URL][?key_env=VAR&timeout=S]}
 * (the OpenAI embeddings API or any compatible server, e.g. vLLM) and
 * {@code ollama:MODEL[@BASE_URL][?timeout=S]}, through LangChain4j's embedding models. Keys come
 * from the environment as for chat specs ({@code OPENAI_API_KEY} unless {@code key_env} names another).
 */
public final class ProviderEmbeddingSpecResolver implements EmbeddingSpecResolver {
    private static final Set<String> OPENAI_OPTIONS = Set.of("key_env", "timeout");
    private static final Set<String> OLLAMA_OPTIONS = Set.of("timeout");

    private final UnaryOperator<String> env;

    public ProviderEmbeddingSpecResolver() { this(System::getenv); }

    /** Reads API keys through {@code env} (a variable name to its value, or null when unset). */
    public ProviderEmbeddingSpecResolver(UnaryOperator<String> env) { this.env = Objects.requireNonNull(env, "env"); }

    @Override
    public Optional<EmbeddingModel> resolve(String text) {
        if (!text.startsWith("openai:") && !text.startsWith("ollama:")) return Optional.empty();
        ModelSpec spec = ModelSpec.parse(text);
        String[] modelAndUrl = ProviderSpecResolver.splitModelAndUrl(spec);
        if (spec.scheme().equals("ollama")) {
            ProviderSpecResolver.checkOptions(spec, OLLAMA_OPTIONS);
            var b = OllamaEmbeddingModel.builder().modelName(modelAndUrl[0])
                    .baseUrl(modelAndUrl[1] != null ? modelAndUrl[1] : OllamaModel.DEFAULT_BASE_URL);
            ProviderSpecResolver.timeout(spec).ifPresent(b::timeout);
            return Optional.of(b.build());
        }
        ProviderSpecResolver.checkOptions(spec, OPENAI_OPTIONS);
        String url = modelAndUrl[1] != null ? modelAndUrl[1] : OpenAiCompatibleModel.OPENAI_BASE_URL;
        String keyEnv = spec.option("key_env", ProviderSpecResolver.DEFAULT_KEY_ENV);
        String key = env.apply(keyEnv);
        if ((key == null || key.isBlank()) && !ProviderSpecResolver.isLocal(url)) {
            throw new IllegalArgumentException("embedding model spec '" + text + "': environment variable " + keyEnv
                    + " is not set; set it to your API key for " + url + (spec.option("key_env").isEmpty() ? ", or name another variable with ?key_env=VAR" : ""));
        }
        var b = OpenAiEmbeddingModel.builder().modelName(modelAndUrl[0]).baseUrl(url)
                .apiKey(key == null || key.isBlank() ? "none" : key);
        ProviderSpecResolver.timeout(spec).ifPresent(b::timeout);
        return Optional.of(b.build());
    }

    @Override
    public List<String> forms() {
        return List.of("openai:MODEL[@BASE_URL][?key_env=VAR&timeout=S]", "ollama:MODEL[@BASE_URL][?timeout=S]");
    }
}

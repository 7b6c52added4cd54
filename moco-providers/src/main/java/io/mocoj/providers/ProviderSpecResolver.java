package io.mocoj.providers;

import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.providers.ollama.OllamaModel;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecResolver;
import io.mocoj.spec.SpecContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Resolves the hosted and server-backed model specs: {@code openai:}, {@code vllm:},
 * {@code llamacpp:} (OpenAI-compatible chat completions) and {@code ollama:}. Registered through
 * {@code META-INF/services/io.mocoj.spec.ModelSpecResolver}; see {@code docs/models.md}.
 *
 * <p>API keys are read from the environment variable named by {@code key_env} (default
 * {@code OPENAI_API_KEY} for {@code openai:}); error messages name the variable, never its value.
 */
public final class ProviderSpecResolver implements ModelSpecResolver {
    private static final Set<String> OPENAI_OPTIONS = Set.of("key_env", "logprobs", "price_in", "price_out",
            "timeout", "name", "native_n", "max_tokens_field", "prefill");
    private static final Set<String> OLLAMA_OPTIONS = Set.of("price_in", "price_out", "timeout", "name");
    /** The variable {@code openai:} reads the key from unless {@code key_env} names another. */
    public static final String DEFAULT_KEY_ENV = "OPENAI_API_KEY";

    private final UnaryOperator<String> env;

    /** Reads API keys from the process environment. */
    public ProviderSpecResolver() { this(System::getenv); }

    /** Reads API keys through {@code env} (a variable name to its value, or null when unset). */
    public ProviderSpecResolver(UnaryOperator<String> env) { this.env = Objects.requireNonNull(env, "env"); }

    @Override
    public List<String> schemes() { return List.of("openai", "vllm", "llamacpp", "ollama", "openai-ft"); }

    @Override
    public List<String> forms() {
        return List.of(
                "openai:MODEL  (OpenAI API, key from $OPENAI_API_KEY), e.g. openai:gpt-4o-mini",
                "openai:MODEL@BASE_URL[|BASE_URL2|...][?key_env=VAR&logprobs=true|false&price_in=X&price_out=Y&timeout=SECONDS&name=N&native_n=true|false&max_tokens_field=max_tokens|max_completion_tokens&prefill=true|false]"
                        + "  (any OpenAI-compatible server), e.g. openai:qwen2.5-7b@http://127.0.0.1:8000/v1?key_env=MY_KEY&price_in=0.15&price_out=0.6",
                "vllm:MODEL@BASE_URL[?same options]  (vLLM server; key only with key_env), e.g. vllm:Qwen/Qwen2.5-7B-Instruct@http://127.0.0.1:8000/v1",
                "llamacpp:MODEL@BASE_URL[?same options]  (llama.cpp server; samples drawn one call each), e.g. llamacpp:local@http://127.0.0.1:8080/v1",
                "ollama:MODEL[@BASE_URL][?timeout=SECONDS&price_in=X&price_out=Y&name=N]  (Ollama, default http://localhost:11434), e.g. ollama:llama3.2:1b",
                "openai-ft:BASE_MODEL[@BASE_URL][?key_env=VAR&name=N&poll=SECONDS&max_wait=SECONDS&lr_multiplier=X&batch_size=N&beta=X]"
                        + "  (trainable through the OpenAI fine-tuning API; moco train), e.g. openai-ft:gpt-4o-mini-2024-07-18");
    }

    @Override
    public ModelEndpoint resolve(ModelSpec spec, SpecContext context) {
        return switch (spec.scheme()) {
            case "openai", "vllm", "llamacpp" -> openAiCompatible(spec);
            case "ollama" -> ollama(spec);
            case "openai-ft" -> fineTuning(spec);
            default -> throw new IllegalArgumentException("model spec '" + spec.text() + "': scheme '" + spec.scheme()
                    + "' is not handled here (handled: " + String.join(", ", schemes()) + ")");
        };
    }

    private ModelEndpoint openAiCompatible(ModelSpec spec) {
        checkOptions(spec, OPENAI_OPTIONS);
        String[] modelAndUrl = splitModelAndUrl(spec);
        String model = modelAndUrl[0];
        if (modelAndUrl[1] == null || !modelAndUrl[1].contains("|")) return openAiCompatible(spec, model, modelAndUrl[1]);
        // MODEL@URL1|URL2|...: one endpoint per replica behind a least-in-flight balancer
        List<String> urls = new java.util.ArrayList<>();
        for (String u : modelAndUrl[1].split("\\|", -1)) {
            String t = u.strip();
            if (!t.toLowerCase(Locale.ROOT).startsWith("http://") && !t.toLowerCase(Locale.ROOT).startsWith("https://")) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': replica '" + t + "' is not a base URL; list replicas as "
                        + "MODEL@http://h1:8000/v1|http://h2:8000/v1");
            }
            urls.add(t);
        }
        List<ModelEndpoint> replicas = new java.util.ArrayList<>();
        for (String u : urls) replicas.add(openAiCompatible(spec, model, u));
        try {
            return new io.mocoj.model.ReplicatedEndpoint(replicas.get(0).name(), urls, replicas);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
        }
    }

    private OpenAiCompatibleModel openAiCompatible(ModelSpec spec, String model, String url) {
        boolean isOpenAi = spec.scheme().equals("openai");
        if (url == null) {
            if (!isOpenAi) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': " + spec.scheme()
                        + ": needs the server's base URL, e.g. " + spec.scheme() + ":" + model + "@http://127.0.0.1:8000/v1");
            }
            url = OpenAiCompatibleModel.OPENAI_BASE_URL;
        }
        requireValidUrl(spec, url);
        OpenAiCompatibleModel.Builder b = OpenAiCompatibleModel.builder()
                .model(model)
                .baseUrl(url)
                .name(spec.option("name", model))
                .pricing(pricing(spec))
                .logprobs(booleanOption(spec, "logprobs", true))
                .nativeSamples(booleanOption(spec, "native_n", !spec.scheme().equals("llamacpp")))
                .maxTokensField(spec.option("max_tokens_field", "max_tokens"))
                .prefill(booleanOption(spec, "prefill", !isOpenAi)); // vLLM and llama.cpp continue a final assistant message
        timeout(spec).ifPresent(b::timeout);

        String keyEnv = spec.option("key_env").orElse(null);
        if (keyEnv != null) {
            if (keyEnv.isBlank()) throw new IllegalArgumentException("model spec '" + spec.text() + "': key_env is empty");
            b.apiKeyFromEnv(keyEnv, name -> requireEnv(spec, name));
        } else if (isOpenAi) {
            String key = env.apply(DEFAULT_KEY_ENV);
            if (key != null && !key.isBlank()) {
                if (!isLocal(url)) b.apiKey(key);
            } else if (!isLocal(url)) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': environment variable "
                        + DEFAULT_KEY_ENV + " is not set; set it to your API key for " + url
                        + ", or name another variable with ?key_env=VAR");
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
        }
    }

    private static final Set<String> FT_OPTIONS = Set.of("key_env", "name", "poll", "max_wait", "lr_multiplier", "batch_size", "beta");

    private io.mocoj.providers.openai.OpenAiFineTuning fineTuning(ModelSpec spec) {
        checkOptions(spec, FT_OPTIONS);
        String[] modelAndUrl = splitModelAndUrl(spec);
        String url = modelAndUrl[1] != null ? modelAndUrl[1] : OpenAiCompatibleModel.OPENAI_BASE_URL;
        String keyEnv = spec.option("key_env").orElse(DEFAULT_KEY_ENV);
        String key = env.apply(keyEnv);
        if ((key == null || key.isBlank()) && !isLocal(url)) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': environment variable " + keyEnv
                    + " is not set; set it to your API key for " + url + ", or name another variable with ?key_env=VAR");
        }
        io.mocoj.providers.openai.OpenAiFineTuning.Builder b = io.mocoj.providers.openai.OpenAiFineTuning.builder()
                .model(modelAndUrl[0]).baseUrl(url).name(spec.option("name", modelAndUrl[0])).apiKey(key);
        if (spec.options().containsKey("poll")) b.pollInterval(Duration.ofMillis(Math.round(positive(spec, "poll") * 1000)));
        if (spec.options().containsKey("max_wait")) b.maxWait(Duration.ofMillis(Math.round(positive(spec, "max_wait") * 1000)));
        if (spec.options().containsKey("lr_multiplier")) b.learningRateMultiplier(positive(spec, "lr_multiplier"));
        if (spec.options().containsKey("batch_size")) b.batchSize(spec.intOption("batch_size", 1));
        if (spec.options().containsKey("beta")) b.dpoBeta(positive(spec, "beta"));
        return b.build();
    }

    private static double positive(ModelSpec spec, String option) {
        double v = spec.doubleOption(option, 0);
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + option + " must be a positive number");
        }
        return v;
    }

    private String requireEnv(ModelSpec spec, String name) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': environment variable " + name
                    + " (named by key_env) is not set; set it to the API key");
        }
        return v;
    }

    private OllamaModel ollama(ModelSpec spec) {
        checkOptions(spec, OLLAMA_OPTIONS);
        String[] modelAndUrl = splitModelAndUrl(spec);
        if (modelAndUrl[1] != null) requireValidUrl(spec, modelAndUrl[1]);
        OllamaModel.Builder b = OllamaModel.builder()
                .model(modelAndUrl[0])
                .baseUrl(modelAndUrl[1] != null ? modelAndUrl[1] : OllamaModel.DEFAULT_BASE_URL)
                .name(spec.option("name", modelAndUrl[0]))
                .pricing(pricing(spec));
        timeout(spec).ifPresent(b::timeout);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
        }
    }

    /** {@code MODEL} or {@code MODEL@URL}; the URL is whatever follows the first {@code @} that starts one. */
    static String[] splitModelAndUrl(ModelSpec spec) {
        String body = spec.body().strip();
        int at = indexOfUrl(body);
        String model = at < 0 ? body : body.substring(0, at);
        String url = at < 0 ? null : body.substring(at + 1);
        if (at < 0 && body.contains("@")) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': the part after '@' must be a base URL starting with http:// or https://, e.g. "
                    + spec.scheme() + ":" + body.substring(0, body.indexOf('@')) + "@http://127.0.0.1:8000/v1");
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': the model name is missing, e.g. "
                    + spec.scheme() + ":gpt-4o-mini");
        }
        return new String[] {model.strip(), url};
    }

    private static int indexOfUrl(String body) {
        String lower = body.toLowerCase(Locale.ROOT);
        int http = lower.indexOf("@http://");
        int https = lower.indexOf("@https://");
        if (http < 0) return https;
        if (https < 0) return http;
        return Math.min(http, https);
    }

    static void checkOptions(ModelSpec spec, Set<String> allowed) {
        for (Map.Entry<String, String> e : spec.options().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': unknown option '" + e.getKey()
                        + "' for " + spec.scheme() + ": (accepted: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    static ModelPricing pricing(ModelSpec spec) {
        if (spec.option("price_in").isEmpty() && spec.option("price_out").isEmpty()) return ModelPricing.UNKNOWN;
        double in = spec.doubleOption("price_in", 0);
        double out = spec.doubleOption("price_out", 0);
        if (in < 0 || out < 0 || !Double.isFinite(in) || !Double.isFinite(out)) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': price_in and price_out must be >= 0 (price per million tokens)");
        }
        return ModelPricing.perMillionTokens(in, out);
    }

    /** Longest accepted time-out: a day (a larger one is a typo, and overflows the HTTP client's timers). */
    static final double MAX_TIMEOUT_SECONDS = 86_400;

    /** Checked before any key is looked up, so that a bad URL is reported as such (not as a missing key). */
    private static void requireValidUrl(ModelSpec spec, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("model spec " + io.mocoj.config.Quoted.of(spec.text()) + ": base URL "
                    + io.mocoj.config.Quoted.of(url) + " is not a valid URL (" + e.getReason() + " at index " + e.getIndex()
                    + "); write it like http://127.0.0.1:8000/v1");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("model spec " + io.mocoj.config.Quoted.of(spec.text()) + ": base URL "
                    + io.mocoj.config.Quoted.of(url) + " must start with http:// or https:// (e.g. http://127.0.0.1:8000/v1)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("model spec " + io.mocoj.config.Quoted.of(spec.text()) + ": base URL "
                    + io.mocoj.config.Quoted.of(url) + " has no host name (e.g. http://127.0.0.1:8000/v1)");
        }
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException("model spec " + io.mocoj.config.Quoted.of(spec.text()) + ": base URL port "
                    + uri.getPort() + " is outside 1-65535");
        }
    }

    static java.util.Optional<Duration> timeout(ModelSpec spec) {
        if (spec.option("timeout").isEmpty()) return java.util.Optional.empty();
        double seconds = spec.doubleOption("timeout", 0);
        if (!(seconds >= 0.001) || !(seconds <= MAX_TIMEOUT_SECONDS)) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': timeout must be a positive number of seconds, at most "
                    + (long) MAX_TIMEOUT_SECONDS + " (a day), was " + spec.option("timeout", ""));
        }
        return java.util.Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    private static boolean booleanOption(ModelSpec spec, String key, boolean fallback) {
        String v = spec.option(key).orElse(null);
        if (v == null) return fallback;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("model spec '" + spec.text() + "': option " + key + "=" + v
                    + " must be true or false");
        };
    }

    /**
     * Whether a base URL points at this machine or a private network, judged from the host text
     * alone (no DNS look-up): {@code localhost}, loopback, unspecified and private IPv4 addresses,
     * IPv6 loopback and unique-local addresses.
     */
    static boolean isLocal(String baseUrl) {
        String host;
        try {
            host = URI.create(baseUrl).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) return false;
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0.0.0.0")) return true;
        if (h.startsWith("fc") || h.startsWith("fd")) return h.contains(":");
        String[] parts = h.split("\\.");
        if (parts.length != 4) return false;
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                o[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                return false;
            }
            if (o[i] < 0 || o[i] > 255) return false;
        }
        return o[0] == 127 || o[0] == 10 || (o[0] == 192 && o[1] == 168) || (o[0] == 172 && o[1] >= 16 && o[1] <= 31);
    }
}

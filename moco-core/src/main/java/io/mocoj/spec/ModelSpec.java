package io.mocoj.spec;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed model spec string, the entries of a config's {@code model_names}.
 *
 * <p>Grammar: {@code scheme:body[?key=value[&key=value]...]}. The scheme says where the model
 * lives ({@code sim}, {@code openai}, {@code ollama}, {@code gguf}, …); the body's meaning belongs
 * to the scheme (a model name, {@code model@baseUrl}, a file path); options are URL-decoded.
 * See {@code docs/models.md} for every accepted form.
 */
public record ModelSpec(String text, String scheme, String body, Map<String, String> options) {

    public ModelSpec {
        Objects.requireNonNull(text);
        Objects.requireNonNull(scheme);
        Objects.requireNonNull(body);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Parses a spec; throws {@link IllegalArgumentException} naming the problem when it has no scheme. */
    public static ModelSpec parse(String text) {
        Objects.requireNonNull(text, "model spec");
        String t = text.strip();
        int colon = t.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("model spec '" + text + "' has no scheme (expected scheme:body, e.g. sim:a?accuracy=0.6)");
        }
        String scheme = t.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        String rest = t.substring(colon + 1);
        Map<String, String> options = new LinkedHashMap<>();
        int q = rest.lastIndexOf('?');
        String body = rest;
        if (q >= 0) {
            body = rest.substring(0, q);
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "true" : pair.substring(eq + 1);
                options.put(decode(k), decode(v));
            }
        }
        return new ModelSpec(text, scheme, body, options);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public Optional<String> option(String key) { return Optional.ofNullable(options.get(key)); }

    public String option(String key, String fallback) { return options.getOrDefault(key, fallback); }

    public double doubleOption(String key, double fallback) {
        String v = options.get(key);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model spec '" + text + "': option " + key + "=" + v + " is not a number");
        }
    }

    public int intOption(String key, int fallback) {
        String v = options.get(key);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model spec '" + text + "': option " + key + "=" + v + " is not a whole number");
        }
    }
}

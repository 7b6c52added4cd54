package io.mocoj.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-disk response cache: one small JSON file per (endpoint identity, full request), named by the
 * SHA-256 of both, written atomically (temp file then rename) so a crash never leaves a torn entry.
 * Temporary files left by a killed write are removed when the cache opens and are never read.
 * Every entry is validated when read (types, finish reason, non-negative token counts, finite
 * log-probabilities); an invalid one is treated as missing (the call is made again and the entry
 * rewritten), with one warning per run.
 */
final class ResponseCache {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
    private final Path dir;
    private final AtomicInteger invalid = new AtomicInteger();

    ResponseCache(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the response cache directory " + dir + " (" + Problems.describe(e)
                    + "); give a writable folder with --cache-dir or \"cache_dir\", or --no-cache", e);
        }
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, p -> Files.isDirectory(p) && p.getFileName().toString().length() == 2)) {
            for (Path shard : shards) TempFiles.removeStale(shard);
        } catch (IOException e) {
            LOG.debug("cannot list the cache shards of {}: {}", dir, e.toString());
        }
    }

    /** How many invalid entries were met (and ignored). */
    int invalidEntries() { return invalid.get(); }

    /** The cache key of a request to an endpoint: SHA-256 over a canonical rendering of both. */
    static String key(String identity, GenerationRequest r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("identity", identity);
        ArrayNode ms = n.putArray("messages");
        for (ChatMessage m : r.messages()) ms.addObject().put("role", m.role().name()).put("text", m.text());
        n.put("maxTokens", r.maxTokens());
        n.put("temperature", r.temperature());
        n.put("topP", r.topP());
        if (r.seed().isPresent()) n.put("seed", r.seed().getAsLong());
        ArrayNode stop = n.putArray("stop");
        r.stop().forEach(stop::add);
        n.put("samples", r.samples());
        n.put("logprobs", r.logprobs());
        n.put("topLogprobs", r.topLogprobs());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.MAPPER.writeValueAsBytes(n));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<Generation> get(String key) {
        Path p = path(key);
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(fromJson(Json.MAPPER.readTree(p.toFile())));
        } catch (IOException | RuntimeException e) {
            if (invalid.getAndIncrement() == 0) {
                LOG.warn("ignoring an invalid response cache entry {} ({}); the call is made again. Further invalid entries"
                        + " of this run are logged at debug level only", p, e.getMessage());
            } else {
                LOG.debug("ignoring invalid cache entry {}: {}", p, e.getMessage());
            }
            return Optional.empty();
        }
    }

    void put(String key, Generation g) {
        Path p = path(key);
        try {
            Files.createDirectories(p.getParent());
            Path tmp = Files.createTempFile(p.getParent(), TempFiles.PREFIX, ".json");
            try {
                Files.write(tmp, Json.MAPPER.writeValueAsBytes(toJson(g)));
                try {
                    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.warn("could not write cache entry {}: {}", p, e.getMessage());
        }
    }

    private Path path(String key) { return dir.resolve(key.substring(0, 2)).resolve(key + ".json"); }

    private static ObjectNode toJson(Generation g) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("text", g.text());
        n.put("finishReason", g.finishReason().name());
        n.put("promptTokens", g.usage().promptTokens());
        n.put("completionTokens", g.usage().completionTokens());
        ArrayNode lps = n.putArray("logprobs");
        for (TokenLogprob t : g.logprobs()) {
            ObjectNode o = lps.addObject().put("token", t.token()).put("logprob", t.logprob());
            ArrayNode top = o.putArray("top");
            for (TokenLogprob.Alternative a : t.top()) top.addObject().put("token", a.token()).put("logprob", a.logprob());
        }
        ArrayNode samples = n.putArray("samples");
        g.samples().forEach(samples::add);
        return n;
    }

    /** Reads an entry, checking every field's type and range; throws {@link IllegalArgumentException} naming the first problem. */
    static Generation fromJson(JsonNode n) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("not a JSON object");
        String text = text(n, "text");
        FinishReason reason;
        try {
            reason = FinishReason.valueOf(text(n, "finishReason"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"finishReason\" is not one of " + java.util.Arrays.toString(FinishReason.values()));
        }
        long prompt = count(n, "promptTokens");
        long completion = count(n, "completionTokens");
        List<TokenLogprob> lps = new ArrayList<>();
        for (JsonNode t : array(n, "logprobs")) {
            List<TokenLogprob.Alternative> top = new ArrayList<>();
            for (JsonNode a : array(t, "top")) top.add(new TokenLogprob.Alternative(text(a, "token"), logprob(a)));
            lps.add(new TokenLogprob(text(t, "token"), logprob(t), top));
        }
        List<String> samples = new ArrayList<>();
        for (JsonNode sample : array(n, "samples")) {
            if (!sample.isTextual()) throw new IllegalArgumentException("a sample is not a string");
            samples.add(sample.asText());
        }
        return new Generation(text, reason, new TokenUsage(prompt, completion), lps, samples);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("\"" + key + "\" is not a string");
        return v.asText();
    }

    private static long count(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException("\"" + key + "\" is not a whole number >= 0");
        }
        return v.asLong();
    }

    private static double logprob(JsonNode n) {
        JsonNode v = n.get("logprob");
        if (v != null && v.isTextual() && v.asText().equals("-Infinity")) return Double.NEGATIVE_INFINITY;
        if (v == null || !v.isNumber() || Double.isNaN(v.asDouble()) || v.asDouble() > 1e-9) {
            throw new IllegalArgumentException("\"logprob\" is not a number <= 0");
        }
        return v.asDouble();
    }

    private static Iterable<JsonNode> array(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return List.of();
        if (!v.isArray()) throw new IllegalArgumentException("\"" + key + "\" is not a list");
        for (JsonNode e : v) if (!key.equals("samples") && !e.isObject()) throw new IllegalArgumentException("an item of \"" + key + "\" is not an object");
        return v;
    }
}

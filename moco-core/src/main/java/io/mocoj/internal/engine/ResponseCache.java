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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-disk response cache: one small JSON file per (endpoint identity, full request), named by the
 * SHA-256 of both, written atomically (temp file then rename) so a crash never leaves a torn entry.
 */
final class ResponseCache {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
    private final Path dir;

    ResponseCache(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the response cache directory " + dir + ": " + e.getMessage(), e);
        }
    }

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
            LOG.warn("ignoring unreadable cache entry {}: {}", p, e.getMessage());
            return Optional.empty();
        }
    }

    void put(String key, Generation g) {
        Path p = path(key);
        try {
            Files.createDirectories(p.getParent());
            Path tmp = Files.createTempFile(p.getParent(), ".tmp-", ".json");
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

    private static Generation fromJson(JsonNode n) {
        List<TokenLogprob> lps = new ArrayList<>();
        for (JsonNode t : n.path("logprobs")) {
            List<TokenLogprob.Alternative> top = new ArrayList<>();
            for (JsonNode a : t.path("top")) top.add(new TokenLogprob.Alternative(a.get("token").asText(), a.get("logprob").asDouble()));
            lps.add(new TokenLogprob(t.get("token").asText(), t.get("logprob").asDouble(), top));
        }
        List<String> samples = new ArrayList<>();
        for (JsonNode s : n.path("samples")) samples.add(s.asText());
        return new Generation(n.get("text").asText(), FinishReason.valueOf(n.get("finishReason").asText()),
                new TokenUsage(n.get("promptTokens").asLong(), n.get("completionTokens").asLong()), lps, samples);
    }

}

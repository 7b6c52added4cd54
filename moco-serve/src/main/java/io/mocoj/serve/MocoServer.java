package io.mocoj.serve;

import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.mocoj.chat.CollaborationChatModel;
import io.mocoj.serve.internal.OpenAiWire;
import io.mocoj.serve.internal.OpenAiWire.BadRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves collaboration methods over the OpenAI chat-completions API: {@code POST /v1/chat/completions}
 * (plain and {@code "stream": true} server-sent events), {@code GET /v1/models} and {@code GET /health}.
 * Each served model is a {@link CollaborationChatModel}, chosen by the request's {@code model} field.
 *
 * <pre>{@code
 * MocoServer server = MocoServer.builder().model(chatModel).port(8080).start();
 * // ... any OpenAI client at http://127.0.0.1:8080/v1
 * server.stop(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Requests run on Helidon's virtual threads. At most {@code maxConcurrent} requests are answered
 * at once; more get 429 with {@code Retry-After}. With a bearer token set, every {@code /v1} request
 * must carry it. A request with {@code "moco_trace": true} gets the method's trace and per-model
 * usage in an extension field {@code moco}. {@link #stop(Duration)} refuses new requests (503), lets
 * those in flight finish within the grace period, then stops. Streaming sends the role chunk at once
 * and the answer when the method has finished (a method's answer is known only at its end).
 */
public final class MocoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MocoServer.class);

    private final Map<String, CollaborationChatModel> models;
    private final Map<String, Long> created = new LinkedHashMap<>();
    private final byte[] token;
    private final Semaphore permits;
    private final int maxConcurrent;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean draining;
    private final WebServer server;

    private MocoServer(Builder b) {
        this.models = new LinkedHashMap<>(b.models);
        long now = System.currentTimeMillis() / 1000;
        models.keySet().forEach(n -> created.put(n, now));
        this.token = b.token == null ? null : b.token.getBytes(StandardCharsets.UTF_8);
        this.maxConcurrent = b.maxConcurrent;
        this.permits = new Semaphore(b.maxConcurrent);
        this.server = WebServer.builder().host(b.host).port(b.port)
                .routing(r -> r.get("/health", this::health)
                        .get("/v1/models", (req, res) -> { if (authorized(req, res)) json(res, 200, OpenAiWire.models(created)); })
                        .post("/v1/chat/completions", this::completions))
                .build();
    }

    public static Builder builder() { return new Builder(); }

    /** Starts listening; returns this server. */
    public MocoServer start() {
        server.start();
        LOG.info("moco serve: listening on port {} with {}", server.port(), models.keySet());
        return this;
    }

    /** The port it listens on (the one chosen by the system when 0 was asked). */
    public int port() { return server.port(); }

    /** Requests answered so far, and requests turned away because all permits were taken. */
    public long served() { return served.get(); }

    public long rejected() { return rejected.get(); }

    /** Refuses new requests, waits up to {@code grace} for those in flight, then stops. */
    public void stop(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) LOG.warn("moco serve: stopping with {} requests still in flight after {}", inFlight.get(), grace);
        server.stop();
    }

    @Override public void close() { stop(Duration.ofSeconds(30)); }

    private void health(ServerRequest req, ServerResponse res) {
        var body = OpenAiWire.JSON.createObjectNode();
        body.put("status", draining ? "draining" : "ok").put("in_flight", inFlight.get()).put("max_concurrent", maxConcurrent)
                .put("served", served.get()).put("rejected", rejected.get());
        body.putArray("models").addAll(models.keySet().stream().map(n -> (com.fasterxml.jackson.databind.JsonNode) OpenAiWire.JSON.getNodeFactory().textNode(n)).toList());
        json(res, draining ? 503 : 200, body);
    }

    private void completions(ServerRequest req, ServerResponse res) throws IOException {
        if (!authorized(req, res)) return;
        if (draining) {
            error(res, new BadRequest(503, "server_error", null, "shutting_down", "the server is shutting down; retry on another replica"));
            return;
        }
        if (!permits.tryAcquire()) {
            rejected.incrementAndGet();
            res.header(HeaderNames.RETRY_AFTER, "1");
            error(res, new BadRequest(429, "requests", null, "rate_limit_exceeded",
                    "all " + maxConcurrent + " request slots are busy; retry after 1 s"));
            return;
        }
        inFlight.incrementAndGet();
        try {
            byte[] body = req.content().as(byte[].class);
            OpenAiWire.Completion c = OpenAiWire.parse(body);
            CollaborationChatModel model = models.get(c.model());
            if (model == null) {
                throw new BadRequest(404, "invalid_request_error", "model", "model_not_found",
                        "the model '" + cap(c.model()) + "' is not served here; served: " + String.join(", ", models.keySet()));
            }
            String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
            long now = System.currentTimeMillis() / 1000;
            if (c.stream()) {
                stream(res, c, model, id, now);
                served.incrementAndGet();
            } else {
                ChatResponse r = answer(model, c);
                // counted before the response is sent: a client that has its answer sees it counted
                served.incrementAndGet();
                json(res, 200, OpenAiWire.completion(id, c.model(), now, r, c.trace()));
            }
        } catch (BadRequest e) {
            error(res, e);
        } catch (UnsupportedFeatureException | IllegalArgumentException e) {
            error(res, new BadRequest(400, "invalid_request_error", null, null, e.getMessage()));
        } catch (LangChain4jException e) {
            LOG.warn("moco serve: a request failed: {}", e.getMessage());
            error(res, new BadRequest(502, "server_error", null, "upstream_failed", e.getMessage()));
        } finally {
            inFlight.decrementAndGet();
            permits.release();
        }
    }

    private static ChatResponse answer(CollaborationChatModel model, OpenAiWire.Completion c) {
        return model.chat(c.request());
    }

    private void stream(ServerResponse res, OpenAiWire.Completion c, CollaborationChatModel model, String id, long now) throws IOException {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        try (OutputStream out = res.outputStream()) {
            event(out, OpenAiWire.chunk(id, c.model(), now, "assistant", "", null).toString());
            ChatResponse r;
            try {
                r = answer(model, c);
            } catch (RuntimeException e) {
                event(out, OpenAiWire.error(e.getMessage() == null ? e.toString() : e.getMessage(), "server_error", null, "upstream_failed").toString());
                event(out, "[DONE]");
                return;
            }
            event(out, OpenAiWire.chunk(id, c.model(), now, null, r.aiMessage().text(), null).toString());
            event(out, OpenAiWire.chunk(id, c.model(), now, null, null, "stop").toString());
            if (c.includeUsage() || c.trace()) event(out, OpenAiWire.usageChunk(id, c.model(), now, r, c.trace()).toString());
            event(out, "[DONE]");
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private boolean authorized(ServerRequest req, ServerResponse res) {
        if (token == null) return true;
        String h = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        byte[] given = h.startsWith("Bearer ") ? h.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (MessageDigest.isEqual(given, token)) return true;
        error(res, new BadRequest(401, "invalid_request_error", null, "invalid_api_key",
                h.isEmpty() ? "missing bearer token: send 'Authorization: Bearer <token>'" : "invalid bearer token"));
        return false;
    }

    private static void error(ServerResponse res, BadRequest e) {
        json(res, e.status, OpenAiWire.error(e.getMessage(), e.type, e.param, e.code));
    }

    private static void json(ServerResponse res, int status, com.fasterxml.jackson.databind.JsonNode body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String cap(String s) { return s.length() <= 64 ? s : s.substring(0, 64) + "…"; }

    /** Builder for {@link MocoServer}. */
    public static final class Builder {
        private final Map<String, CollaborationChatModel> models = new LinkedHashMap<>();
        private String host = "127.0.0.1";
        private int port = 8080;
        private String token;
        private int maxConcurrent = 64;

        private Builder() {}

        /** Serves a model under its {@link CollaborationChatModel#name()}. */
        public Builder model(CollaborationChatModel m) {
            if (models.putIfAbsent(m.name(), m) != null) throw new IllegalArgumentException("two served models are named '" + m.name() + "'; give one another .name(...)");
            return this;
        }

        /** The interface to bind (default 127.0.0.1; use 0.0.0.0 to accept other hosts). */
        public Builder host(String h) { this.host = Objects.requireNonNull(h); return this; }

        /** The port (default 8080; 0 picks a free one). */
        public Builder port(int p) {
            if (p < 0 || p > 65535) throw new IllegalArgumentException("port must be 0-65535, was " + p);
            this.port = p;
            return this;
        }

        /** Requires {@code Authorization: Bearer <token>} on every /v1 request. */
        public Builder bearerToken(String t) {
            if (t != null && (t.isBlank() || t.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e))) {
                throw new IllegalArgumentException("the bearer token must be non-empty printable ASCII without spaces");
            }
            this.token = t;
            return this;
        }

        /** Requests answered at once (default 64); more get 429 with Retry-After. */
        public Builder maxConcurrent(int n) {
            if (n <= 0) throw new IllegalArgumentException("maxConcurrent must be positive, was " + n);
            this.maxConcurrent = n;
            return this;
        }

        public MocoServer build() {
            if (models.isEmpty()) throw new IllegalArgumentException("no model to serve: call .model(...)");
            return new MocoServer(this);
        }

        /** {@code build().start()}. */
        public MocoServer start() { return build().start(); }
    }
}

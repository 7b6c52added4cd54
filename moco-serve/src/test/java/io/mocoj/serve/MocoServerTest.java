package io.mocoj.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.chat.CollaborationChatModel;
import io.mocoj.methods.Methods;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MocoServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private MocoServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(Duration.ofSeconds(5));
    }

    private static CollaborationChatModel echo(String name, Duration latency) {
        return CollaborationChatModel.builder().name(name).models(new TestPools.EchoModel("echo", latency))
                .method(Methods.singleModel()).build();
    }

    private String base() { return "http://127.0.0.1:" + server.port(); }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void langChain4jsOpenAiClientTalksToAServedMethod() {
        server = MocoServer.builder().model(echo("moco-echo", Duration.ZERO)).port(0).start();
        OpenAiChatModel client = OpenAiChatModel.builder().baseUrl(base() + "/v1").apiKey("unused").modelName("moco-echo")
                .maxRetries(0).build();
        assertEquals("echo heard: Hello there", client.chat("Hello there"));
    }

    @Test
    void aServedMethodIsAnOrdinaryModelOfAnotherRun() {
        // a routed pool served over HTTP, called by MoCo-J's own OpenAI-compatible endpoint inside a run
        Task task = TestPools.mcq(30, 60, List.of("algebra", "law"), 9);
        SimulatedModel good = SimulatedModel.builder(task).name("good").accuracy(1.0).seed(3).build();
        SimulatedModel bad = SimulatedModel.builder(task).name("bad").accuracy(0.0).seed(4).build();
        CollaborationChatModel routed = CollaborationChatModel.builder().name("best-of-pool").models(bad, good)
                .method(Methods.singleModel()).build();
        server = MocoServer.builder().model(routed).port(0).start();
        OpenAiCompatibleModel remote = OpenAiCompatibleModel.builder().name("served").baseUrl(base() + "/v1").model("best-of-pool")
                .apiKey("unused").logprobs(false).build();
        RunReport r = MoCo.run().models(remote).method(Methods.singleModel()).task(task).execute();
        assertEquals(60, r.summary().n());
        assertEquals(0, r.summary().failed());
        // single_model answers with the first model of the served pool ("bad", accuracy 0)
        assertEquals(0.0, r.meanScore(), "the served pool's first model answered every question, wrongly by construction");
        // the run sent one call per example, plus its preflight request (the baseline reuses the method's calls); the
        // server may see a few more: the engine's retries, and the JDK client's transparent resend of a request whose
        // pooled keep-alive connection the server had just closed
        RunReport.ModelUsage u = r.summary().usage().get(0);
        assertEquals(60, u.calls() - u.cachedCalls());
        assertTrue(server.served() >= 61 && server.served() <= 63 + u.retries(), server.served() + " served, " + u.retries() + " retries");
    }

    @Test
    void streamsServerSentEventsEndingWithDone() throws Exception {
        server = MocoServer.builder().model(echo("m", Duration.ZERO)).port(0).start();
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        for (String d : data.subList(0, data.size() - 1)) {
            JsonNode c = JSON.readTree(d);
            assertEquals("chat.completion.chunk", c.get("object").asText());
            for (JsonNode ch : c.get("choices")) {
                text.append(ch.path("delta").path("content").asText(""));
                if (!ch.get("finish_reason").isNull()) finish = ch.get("finish_reason").asText();
            }
            if (c.has("usage")) usage = c.get("usage");
        }
        assertEquals("echo heard: hi", text.toString());
        assertEquals("stop", finish);
        assertEquals(10, usage.get("total_tokens").asInt());
    }

    @Test
    void bearerTokenIsRequiredWhenSet() throws Exception {
        server = MocoServer.builder().model(echo("m", Duration.ZERO)).bearerToken("s3cret-token").port(0).start();
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> none = post("/v1/chat/completions", body, null);
        assertEquals(401, none.statusCode());
        assertEquals("invalid_api_key", JSON.readTree(none.body()).at("/error/code").asText());
        assertEquals(401, post("/v1/chat/completions", body, "wrong").statusCode());
        assertFalse(post("/v1/chat/completions", body, "wrong").body().contains("s3cret"), "the token is never echoed");
        assertEquals(200, post("/v1/chat/completions", body, "s3cret-token").statusCode());
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/models"))
                .header("Authorization", "Bearer s3cret-token").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("m", JSON.readTree(models.body()).at("/data/0/id").asText());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), "health needs no token");
    }

    @Test
    void badRequestsGetOpenAiStyleErrors() throws Exception {
        server = MocoServer.builder().model(echo("m", Duration.ZERO)).port(0).start();
        record Case(String body, int status, String param, String fragment) {}
        List<Case> cases = List.of(
                new Case("{not json", 400, null, "not valid JSON"),
                new Case("{\"model\":\"m\"}", 400, "messages", "non-empty array"),
                new Case("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}]}", 400, "messages", "role 'user'"),
                new Case("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":5}", 400, "temperature", "from 0.0 to 2.0"),
                new Case("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":3}", 400, "n", "n=1"),
                new Case("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":-1}", 400, "max_tokens", "positive integer"),
                new Case("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\"}]}", 400, "tools", "not supported"),
                new Case("{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", 404, "model", "served: m"),
                new Case("{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}", 400, "messages[0].role", "not supported"));
        for (Case c : cases) {
            HttpResponse<String> r = post("/v1/chat/completions", c.body(), null);
            assertEquals(c.status(), r.statusCode(), c.body());
            JsonNode e = JSON.readTree(r.body()).get("error");
            assertTrue(e.get("message").asText().contains(c.fragment()), c.body() + " -> " + e);
            if (c.param() != null) assertEquals(c.param(), e.get("param").asText(), c.body());
            assertTrue(e.has("type"));
        }
    }

    @Test
    void aFullServerAnswers429WithRetryAfter() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1), release = new java.util.concurrent.CountDownLatch(1);
        TestPools.EchoModel blocking = new TestPools.EchoModel("echo", Duration.ZERO) {
            @Override public io.mocoj.model.Generation generate(io.mocoj.model.GenerationRequest request) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.generate(request);
            }
        };
        server = MocoServer.builder().model(CollaborationChatModel.builder().name("slow").models(blocking).method(Methods.singleModel()).build())
                .maxConcurrent(1).port(0).start();
        String body = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/chat/completions", body, null);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());
        assertTrue(entered.await(20, java.util.concurrent.TimeUnit.SECONDS), "the first request is being answered");
        HttpResponse<String> second = post("/v1/chat/completions", body, null);
        release.countDown();
        assertEquals(429, second.statusCode());
        assertEquals("1", second.headers().firstValue("retry-after").orElse(""));
        assertEquals("rate_limit_exceeded", JSON.readTree(second.body()).at("/error/code").asText());
        assertEquals(200, first.get().statusCode());
        assertEquals(1, server.rejected());
    }

    @Test
    void stopLetsRequestsInFlightFinish() throws Exception {
        server = MocoServer.builder().model(echo("slow", Duration.ofMillis(1000))).port(0).start();
        String body = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"finish me\"}]}";
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/chat/completions", body, null);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!health().contains("\"in_flight\":1") && System.nanoTime() < deadline) Thread.sleep(10);
        MocoServer s = server;
        server = null;
        s.stop(Duration.ofSeconds(10));
        HttpResponse<String> r = inFlight.get();
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("echo heard: finish me"));
    }

    private String health() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void traceIsReturnedOnlyWhenAsked() throws Exception {
        server = MocoServer.builder().model(echo("m", Duration.ZERO)).port(0).start();
        String plain = post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null).body();
        assertFalse(JSON.readTree(plain).has("moco"));
        JsonNode traced = JSON.readTree(post("/v1/chat/completions",
                "{\"model\":\"m\",\"moco_trace\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null).body());
        assertEquals("single_model", traced.at("/moco/method").asText());
        assertEquals("echo", traced.at("/moco/models/0/model").asText());
        assertEquals(1, traced.at("/moco/models/0/calls").asInt());
        assertTrue(traced.at("/moco/models/0/cost").isNull(), "unknown price is null, not NaN");
    }

    @Test
    void sixtyFourConcurrentClientsAllGetAnswers() throws Exception {
        server = MocoServer.builder().model(echo("m", Duration.ofMillis(20))).maxConcurrent(64).port(0).start();
        int clients = 64, each = 4;
        List<Future<Integer>> done = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int id = c;
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < each; i++) {
                        HttpResponse<String> r = post("/v1/chat/completions",
                                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"client " + id + " request " + i + "\"}]}", null);
                        if (r.statusCode() == 200 && r.body().contains("client " + id + " request " + i)) ok++;
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> f : done) ok += f.get();
            assertEquals(clients * each, ok, "every request answered with its own text");
        }
        assertEquals(clients * each, server.served());
        assertEquals(0, server.rejected());
    }
}

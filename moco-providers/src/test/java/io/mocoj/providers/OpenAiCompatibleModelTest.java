package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TokenUsage;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleModelTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FAKE_KEY = "sk-test-0123456789abcdefSECRET";

    /** Two choices (listed out of order), usage, and log-probabilities with top alternatives on choice 0. */
    static final String COMPLETION = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"tiny",
             "choices":[
              {"index":1,"message":{"role":"assistant","content":"Five"},"finish_reason":"stop","logprobs":null},
              {"index":0,"message":{"role":"assistant","content":"Four"},"finish_reason":"length",
               "logprobs":{"content":[
                 {"token":"Fo","logprob":-0.25,"bytes":[70,111],"top_logprobs":[
                    {"token":"Fo","logprob":-0.25,"bytes":[70,111]},{"token":"4","logprob":-1.75,"bytes":[52]}]},
                 {"token":"ur","logprob":-0.01,"bytes":[117,114],"top_logprobs":[
                    {"token":"ur","logprob":-0.01,"bytes":[117,114]},{"token":"ty","logprob":-4.6,"bytes":[116,121]}]}
               ]}}
             ],
             "usage":{"prompt_tokens":21,"completion_tokens":4,"total_tokens":25}}
            """;

    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    OpenAiCompatibleModel model() {
        return OpenAiCompatibleModel.builder().name("tiny-model").baseUrl(server.baseUrl("/v1/")).model("tiny")
                .apiKeyFromEnv("MY_TEST_KEY", v -> v.equals("MY_TEST_KEY") ? FAKE_KEY : null)
                .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void textUsageSamplesAndLogprobsReachTheGeneration() throws Exception {
        server.enqueue(200, COMPLETION);
        Generation g = model().generate(GenerationRequest.builder().system("sys").user("2+2?")
                .samples(2).topLogprobs(2).build());

        assertEquals("Four", g.text());
        assertEquals(List.of("Four", "Five"), g.samples());
        assertEquals(FinishReason.LENGTH, g.finishReason());
        assertEquals(new TokenUsage(21, 4), g.usage());
        assertEquals(List.of(
                new TokenLogprob("Fo", -0.25, List.of(new TokenLogprob.Alternative("Fo", -0.25), new TokenLogprob.Alternative("4", -1.75))),
                new TokenLogprob("ur", -0.01, List.of(new TokenLogprob.Alternative("ur", -0.01), new TokenLogprob.Alternative("ty", -4.6)))),
                g.logprobs());
        assertEquals((Math.exp(-0.25) + Math.exp(-0.01)) / 2, g.meanTokenProbability().orElseThrow(), 1e-12);

        LoopbackServer.Recorded r = server.lastRequest();
        assertEquals("POST", r.method());
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer " + FAKE_KEY, r.header("Authorization"));
    }

    @Test
    void requestBodyCarriesEverySetting() throws Exception {
        server.enqueue(200, COMPLETION);
        model().generate(GenerationRequest.builder().system("be terse").user("hi").assistant("hello").user("2+2?")
                .maxTokens(77).temperature(0.4).topP(0.85).samples(3).seed(1234).stop("\n\n", "END")
                .topLogprobs(5).build());

        JsonNode body = JSON.readTree(server.lastRequest().body());
        assertEquals("tiny", body.get("model").asText());
        assertEquals(4, body.get("messages").size());
        assertEquals("system", body.get("messages").get(0).get("role").asText());
        assertEquals("be terse", body.get("messages").get(0).get("content").asText());
        assertEquals("user", body.get("messages").get(1).get("role").asText());
        assertEquals("assistant", body.get("messages").get(2).get("role").asText());
        assertEquals("2+2?", body.get("messages").get(3).get("content").asText());
        assertEquals(77, body.get("max_tokens").asInt());
        assertEquals(0.4, body.get("temperature").asDouble());
        assertEquals(0.85, body.get("top_p").asDouble());
        assertEquals(3, body.get("n").asInt());
        assertEquals(1234, body.get("seed").asLong());
        assertEquals("\n\n", body.get("stop").get(0).asText());
        assertEquals("END", body.get("stop").get(1).asText());
        assertTrue(body.get("logprobs").asBoolean());
        assertEquals(5, body.get("top_logprobs").asInt());
    }

    @Test
    void optionalFieldsAreLeftOutWhenNotAsked() throws Exception {
        server.enqueue(200, COMPLETION);
        Generation g = model().generate(GenerationRequest.of("hi"));
        JsonNode body = JSON.readTree(server.lastRequest().body());
        assertNull(body.get("seed"));
        assertNull(body.get("stop"));
        assertNull(body.get("logprobs"));
        assertNull(body.get("top_logprobs"));
        assertEquals(1, body.get("n").asInt());
        assertFalse(g.hasLogprobs(), "logprobs not asked for must not be returned");
    }

    @Test
    void rateLimitIsTransientWithRetryAfterSeconds() {
        server.enqueue(new LoopbackServer.Canned(429, Map.of("Retry-After", "7"),
                "{\"error\":{\"message\":\"Rate limit reached for tiny\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}", 0));
        ModelCallException e = assertThrows(ModelCallException.class, () -> model().generate(GenerationRequest.of("hi")));
        assertTrue(e.transientFailure());
        assertEquals(429, e.httpStatus());
        assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
        assertTrue(e.getMessage().contains("Rate limit reached for tiny"), e.getMessage());
        assertEquals("tiny-model", e.model());
    }

    @Test
    void retryAfterAsHttpDate() {
        server.enqueue(new LoopbackServer.Canned(503, Map.of("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT"), "overloaded", 0));
        OpenAiCompatibleModel m = OpenAiCompatibleModel.builder().baseUrl(server.baseUrl("/v1")).model("tiny")
                .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
        ModelCallException e = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("hi")));
        assertTrue(e.transientFailure());
        assertEquals(503, e.httpStatus());
        assertEquals(Duration.ofSeconds(30), e.retryAfter().orElseThrow());
        assertTrue(e.getMessage().contains("overloaded"));
    }

    @Test
    void serverErrorIsTransientWithoutRetryAfter() {
        server.enqueue(500, "{\"error\":{\"message\":\"internal error\"}}");
        ModelCallException e = assertThrows(ModelCallException.class, () -> model().generate(GenerationRequest.of("hi")));
        assertTrue(e.transientFailure());
        assertEquals(500, e.httpStatus());
        assertTrue(e.retryAfter().isEmpty());
    }

    @Test
    void unauthorizedIsPermanentAndNeverShowsTheKey() {
        // A server that echoes the key it got, as some do.
        server.enqueue(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + FAKE_KEY
                + ". You can find your API key at https://example.invalid\",\"code\":\"invalid_api_key\"}}");
        ModelCallException e = assertThrows(ModelCallException.class, () -> model().generate(GenerationRequest.of("hi")));
        assertFalse(e.transientFailure());
        assertEquals(401, e.httpStatus());
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains("Incorrect API key provided"), e.getMessage());
        assertFalse(e.getMessage().contains(FAKE_KEY), e.getMessage());
        assertFalse(e.getMessage().contains("0123456789abcdef"), e.getMessage());
        assertFalse(model().toString().contains(FAKE_KEY));
        assertFalse(model().identity().contains(FAKE_KEY));
    }

    @Test
    void badRequestAndUnknownModelArePermanentWithServerMessage() {
        server.enqueue(400, "{\"error\":{\"message\":\"max_tokens is too large\"}}");
        server.enqueue(404, "{\"error\":{\"message\":\"The model `tiny` does not exist\",\"code\":\"model_not_found\"}}");
        ModelCallException bad = assertThrows(ModelCallException.class, () -> model().generate(GenerationRequest.of("hi")));
        assertFalse(bad.transientFailure());
        assertEquals(400, bad.httpStatus());
        assertTrue(bad.getMessage().contains("max_tokens is too large"));
        ModelCallException missing = assertThrows(ModelCallException.class, () -> model().generate(GenerationRequest.of("hi")));
        assertFalse(missing.transientFailure());
        assertTrue(missing.getMessage().contains("does not exist [model_not_found]"), missing.getMessage());
        assertTrue(missing.getMessage().contains("check the model name 'tiny'"), missing.getMessage());
    }

    @Test
    void timeoutIsTransient() {
        server.enqueue(new LoopbackServer.Canned(200, Map.of(), COMPLETION, 2000));
        OpenAiCompatibleModel m = OpenAiCompatibleModel.builder().baseUrl(server.baseUrl("/v1")).model("tiny")
                .timeout(Duration.ofMillis(300)).build();
        ModelCallException e = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("hi")));
        assertTrue(e.transientFailure());
        assertTrue(e.getMessage().contains("no response"), e.getMessage());
    }

    @Test
    void refusedConnectionIsTransient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OpenAiCompatibleModel m = OpenAiCompatibleModel.builder().baseUrl("http://127.0.0.1:" + port + "/v1").model("tiny")
                .timeout(Duration.ofSeconds(2)).build();
        ModelCallException e = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("hi")));
        assertTrue(e.transientFailure());
        assertEquals(0, e.httpStatus());
        assertTrue(e.getMessage().contains("connection to http://127.0.0.1:" + port + "/v1 failed"), e.getMessage());
        assertTrue(e.getMessage().contains("is the server running and is the base URL right?"), e.getMessage());
    }

    @Test
    void loopedSamplesWhenServerLacksN() throws Exception {
        String one = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"A%d\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":%d}}";
        server.enqueue(200, one.formatted(1, 1)).enqueue(200, one.formatted(2, 2)).enqueue(200, one.formatted(3, 3));
        OpenAiCompatibleModel m = OpenAiCompatibleModel.builder().baseUrl(server.baseUrl("/v1")).model("tiny")
                .nativeSamples(false).logprobs(false).build();
        assertEquals(java.util.Set.of(Capability.TEXT), m.capabilities());
        Generation g = m.generate(GenerationRequest.builder().user("q").samples(3).seed(10).topLogprobs(3).build());
        assertEquals(List.of("A1", "A2", "A3"), g.samples());
        assertEquals(new TokenUsage(15, 6), g.usage());
        List<LoopbackServer.Recorded> reqs = server.requests();
        assertEquals(3, reqs.size());
        for (int i = 0; i < 3; i++) {
            JsonNode b = JSON.readTree(reqs.get(i).body());
            assertEquals(1, b.get("n").asInt());
            assertEquals(10 + i, b.get("seed").asLong());
            assertNull(b.get("logprobs"), "logprobs switched off must not be sent");
        }
        assertNull(reqs.get(0).header("Authorization"));
    }

    @Test
    void missingKeyVariableIsNamedAndBadUrlRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenAiCompatibleModel.builder()
                .apiKeyFromEnv("SOME_UNSET_VAR", v -> null));
        assertTrue(e.getMessage().contains("SOME_UNSET_VAR"));
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class, () -> OpenAiCompatibleModel.builder()
                .baseUrl("ftp://x").model("m").build());
        assertTrue(url.getMessage().contains("http://"));
        assertEquals("openai:http://h:1/v1|m",
                OpenAiCompatibleModel.builder().baseUrl("http://h:1/v1/").model("m").apiKey(FAKE_KEY).build().identity());
    }

    @Test
    void nonCompletionSuccessBodyIsTransient() {
        // issue #8: an unparseable 200 (truncated JSON, an HTML page) is retried, as the OpenAI SDKs retry transport failures
        server.enqueue(200, "<html>captive portal</html>");
        ModelCallException e = assertThrows(ModelCallException.class, () -> model().generate(GenerationRequest.of("hi")));
        assertTrue(e.transientFailure());
        assertEquals(200, e.httpStatus());
        assertTrue(e.getMessage().contains("captive portal"), e.getMessage());
    }
}

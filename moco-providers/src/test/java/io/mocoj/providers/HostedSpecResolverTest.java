package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.MoCo;
import io.mocoj.RetryPolicy;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code anthropic:}, {@code gemini:}, {@code mistral:} and {@code azure:} against loopback servers
 * that speak each provider's wire format (request paths, auth headers and JSON bodies as the
 * providers document them): the text, usage and finish reason come back, the key goes in the
 * provider's header and nowhere else, 429/5xx are transient (the engine retries), 401 is permanent.
 */
class HostedSpecResolverTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "test-key-7f3a9c";
    static final Map<String, String> ENV = Map.of("ANTHROPIC_API_KEY", KEY, "GEMINI_API_KEY", KEY, "MISTRAL_API_KEY", KEY,
            "AZURE_OPENAI_API_KEY", KEY, "OTHER_KEY", "other-key-123");

    static final String ANTHROPIC_OK = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-test",
             "content":[{"type":"text","text":"The answer is (B)."}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":21,"output_tokens":7}}""";
    static final String GEMINI_OK = """
            {"candidates":[{"content":{"parts":[{"text":"The answer is (B)."}],"role":"model"},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":21,"candidatesTokenCount":7,"totalTokenCount":28},"modelVersion":"gemini-test"}""";
    static final String OPENAI_STYLE_OK = """
            {"id":"c1","object":"chat.completion","created":1700000000,"model":"m",
             "choices":[{"index":0,"message":{"role":"assistant","content":"The answer is (B)."},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":21,"completion_tokens":7,"total_tokens":28}}""";

    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    static ModelEndpoint resolve(String spec) {
        return new HostedSpecResolver(ENV::get).resolve(ModelSpec.parse(spec), null);
    }

    static GenerationRequest request() {
        return GenerationRequest.builder().user("Which letter? A or B").maxTokens(64).temperature(0.0).topP(1.0).build();
    }

    @Test
    void anthropicMessagesApi() throws Exception {
        server.enqueue(200, ANTHROPIC_OK);
        ModelEndpoint m = resolve("anthropic:claude-test@" + server.baseUrl("/v1/") + "?price_in=1&price_out=5");
        Generation g = m.generate(request());
        assertAnswer(g);
        LoopbackServer.Recorded r = server.lastRequest();
        assertEquals("/v1/messages", r.path());
        assertEquals(KEY, r.header("x-api-key"));
        assertTrue(r.header("anthropic-version") != null, "Anthropic requires the anthropic-version header");
        JsonNode body = JSON.readTree(r.body());
        assertEquals("claude-test", body.path("model").asText());
        assertEquals(64, body.path("max_tokens").asInt());
        assertEquals("user", body.path("messages").get(0).path("role").asText());
        assertTrue(body.toString().contains("Which letter? A or B"));
        assertEquals(21e-6 * 1 + 7e-6 * 5, m.pricing().cost(g.usage()), 1e-12);
        assertEquals("anthropic:claude-test@" + server.baseUrl("/v1/"), m.identity());
    }

    @Test
    void geminiGenerateContent() throws Exception {
        server.enqueue(200, GEMINI_OK);
        ModelEndpoint m = resolve("gemini:gemini-test@" + server.baseUrl("/v1beta"));
        assertAnswer(m.generate(request()));
        LoopbackServer.Recorded r = server.lastRequest();
        assertEquals("/v1beta/models/gemini-test:generateContent", r.path());
        assertEquals(KEY, r.header("x-goog-api-key"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("Which letter? A or B", body.path("contents").get(0).path("parts").get(0).path("text").asText());
        assertEquals(64, body.path("generationConfig").path("maxOutputTokens").asInt());
    }

    @Test
    void mistralChatCompletions() throws Exception {
        server.enqueue(200, OPENAI_STYLE_OK);
        ModelEndpoint m = resolve("mistral:mistral-test@" + server.baseUrl("/v1") + "?key_env=OTHER_KEY");
        assertAnswer(m.generate(request()));
        LoopbackServer.Recorded r = server.lastRequest();
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer other-key-123", r.header("Authorization"));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("mistral-test", body.path("model").asText());
        assertEquals(64, body.path("max_tokens").asInt());
    }

    @Test
    void azureOpenAiV1() throws Exception {
        server.enqueue(200, OPENAI_STYLE_OK);
        ModelEndpoint m = resolve("azure:my-deployment@" + server.baseUrl(""));
        assertAnswer(m.generate(request()));
        LoopbackServer.Recorded r = server.lastRequest();
        assertEquals("/openai/v1/chat/completions", r.path());
        assertEquals(KEY, r.header("api-key"));
        assertEquals("my-deployment", JSON.readTree(r.body()).path("model").asText());
        assertTrue(m.capabilities().contains(Capability.LOGPROBS), "Azure OpenAI returns log-probabilities like OpenAI");
        assertEquals("https://r.openai.azure.com/openai/v1", HostedSpecResolver.azureBaseUrl("https://r.openai.azure.com/"));
    }

    @Test
    void rateLimitsAndServerErrorsAreTransientBadKeysPermanentAndTheKeyNeverShows() {
        for (String scheme : List.of("anthropic", "gemini", "mistral", "azure")) {
            String base = server.baseUrl(scheme.equals("gemini") ? "/v1beta" : scheme.equals("azure") ? "" : "/v1");
            ModelEndpoint m = resolve(scheme + ":x@" + base);
            server.enqueue(429, "{\"error\":{\"message\":\"rate limited\"}}");
            ModelCallException e429 = assertThrows(ModelCallException.class, () -> m.generate(request()), scheme);
            assertTrue(e429.transientFailure(), scheme + ": " + e429.getMessage());
            server.enqueue(503, "{\"error\":{\"message\":\"overloaded\"}}");
            assertTrue(assertThrows(ModelCallException.class, () -> m.generate(request())).transientFailure(), scheme);
            server.enqueue(401, "{\"error\":{\"message\":\"invalid key " + KEY + "\"}}");
            ModelCallException e401 = assertThrows(ModelCallException.class, () -> m.generate(request()), scheme);
            assertFalse(e401.transientFailure(), scheme + ": " + e401.getMessage());
            assertFalse(e401.getMessage().contains(KEY), scheme + " leaks the key: " + e401.getMessage());
            assertFalse(m.identity().contains(KEY) || m.name().contains(KEY));
        }
    }

    @Test
    void theEngineRetriesATransientFailureOnce() {
        server.enqueue(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        server.enqueue(200, ANTHROPIC_OK);
        ModelEndpoint m = resolve("anthropic:claude-test@" + server.baseUrl("/v1/"));
        Task task = new Task("hosted", TaskType.EXACT_MATCH, List.of(), List.of(Example.freeText("1", "Which letter? A or B", "B")));
        RunReport r = MoCo.run().models(m).task(task).evaluator(LAST_LETTER).method(ASK)
                .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(50))).baselines(false).execute();
        assertEquals(1.0, r.meanScore());
        assertEquals(2, server.requests().size(), "one retry, not LangChain4j's own retries on top of the engine's");
        assertEquals(1, r.summary().usage().get(0).retries());
        assertEquals(21, r.summary().usage().get(0).promptTokens());
    }

    @Test
    void missingKeysAndEndpointsAreClearErrorsBeforeAnyCall() {
        HostedSpecResolver none = new HostedSpecResolver(v -> null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> none.resolve(ModelSpec.parse("anthropic:claude-x"), null));
        assertTrue(e.getMessage().contains("ANTHROPIC_API_KEY is not set"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve("azure:dep"));
        assertTrue(e.getMessage().contains("AZURE_OPENAI_ENDPOINT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve("gemini:g?temperature=1"));
        assertTrue(e.getMessage().contains("unknown option 'temperature'"), e.getMessage());
        assertTrue(server.requests().isEmpty());
        // Registered through ServiceLoader: the accepted forms list names every scheme.
        String forms = ModelSpecs.acceptedForms();
        for (String s : List.of("anthropic:", "gemini:", "mistral:", "azure:")) assertTrue(forms.contains(s), forms);
    }

    static void assertAnswer(Generation g) {
        assertEquals("The answer is (B).", g.text());
        assertEquals(21, g.usage().promptTokens());
        assertEquals(7, g.usage().completionTokens());
    }

    static final Evaluator LAST_LETTER = new Evaluator() {
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String r) { return r.replaceAll(".*\\((\\w)\\).*", "$1"); }
        @Override public Score score(Example e, String r) { return Score.of(extractAnswer(e, r).equals(e.answer()) ? 1 : 0, extractAnswer(e, r)); }
    };

    static final CollaborationMethod ASK = new CollaborationMethod() {
        @Override public String name() { return "ask"; }
        @Override public Level level() { return Level.API; }
        @Override public Set<Capability> requiredCapabilities() { return Set.of(Capability.TEXT); }
        @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults("ask", List.of()); }
        @Override public MethodOutput run(MethodContext ctx) { return ctx.forEachTest((ex, i) -> ctx.answer(ctx.model(0), ex).text()); }
    };
}

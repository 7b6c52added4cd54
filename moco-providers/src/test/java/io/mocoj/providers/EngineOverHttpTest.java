package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.MoCo;
import io.mocoj.RetryPolicy;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
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

/** The run engine driving a real OpenAI-compatible HTTP server on loopback: retries, fail-fast on 401, logprobs. */
class EngineOverHttpTest {
    static final String OK = """
            {"id":"c","object":"chat.completion","model":"tiny","choices":[{"index":0,"message":{"role":"assistant","content":"42"},
             "finish_reason":"stop","logprobs":{"content":[{"token":"42","logprob":-0.1,"top_logprobs":[{"token":"42","logprob":-0.1}]}]}}],
             "usage":{"prompt_tokens":7,"completion_tokens":1,"total_tokens":8}}
            """;

    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    private static final Evaluator EXACT = new Evaluator() {
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String r) { return r.strip(); }
        @Override public Score score(Example e, String r) { return Score.of(r.strip().equals(e.answer()) ? 1 : 0, r.strip()); }
    };

    private static final CollaborationMethod ASK_WITH_LOGPROBS = new CollaborationMethod() {
        @Override public String name() { return "ask"; }
        @Override public Level level() { return Level.API; }
        @Override public Set<Capability> requiredCapabilities() { return Set.of(Capability.LOGPROBS); }
        @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults("ask", List.of()); }
        @Override public MethodOutput run(MethodContext ctx) {
            return ctx.forEachTest((ex, i) -> {
                var g = ctx.generate(ctx.model(0), ctx.settings().request(ex.input()).topLogprobs(1).build());
                ctx.trace().record(i, "confidence", Map.of("p", g.meanTokenProbability().orElse(-1)));
                return g.text();
            });
        }
    };

    private RunReport run(String key) {
        OpenAiCompatibleModel model = OpenAiCompatibleModel.builder().name("tiny").baseUrl(server.baseUrl("/v1"))
                .model("tiny").apiKeyFromEnv("K", v -> key).logprobs(true).timeout(Duration.ofSeconds(5)).build();
        Task task = new Task("http", TaskType.EXACT_MATCH, List.of(), List.of(Example.freeText("1", "What is 6 x 7?", "42")));
        return MoCo.run().models(model).task(task).evaluator(EXACT).method(ASK_WITH_LOGPROBS)
                .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofSeconds(2))).baselines(false).preflight(false).execute();
    }

    @Test
    void rateLimitedRequestIsRetriedAfterRetryAfterAndLogprobsReachTheMethod() {
        server.enqueue(new LoopbackServer.Canned(429, Map.of("Retry-After", "1"), "{\"error\":{\"message\":\"slow down\"}}", 0));
        server.enqueue(200, OK);
        long t = System.nanoTime();
        RunReport r = run("sk-abc");
        long waitedMs = (System.nanoTime() - t) / 1_000_000;
        assertEquals(1.0, r.meanScore());
        assertEquals(2, server.requests().size());
        assertEquals(1, r.summary().usage().get(0).retries());
        assertTrue(waitedMs >= 1000, "waited " + waitedMs + " ms, the server asked for 1 s");
        assertEquals(Math.exp(-0.1), (double) r.trace().get(0).data().get("p"), 1e-12);
    }

    @Test
    void unauthorizedFailsFastWithTheServersMessageAndNoKey() {
        server.enqueue(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-live-SECRET123\"}}");
        // the only model failed its only call: the run stops (exit 3 from the CLI) instead of reporting a score
        var e = assertThrows(io.mocoj.ModelFailureException.class, () -> run("sk-live-SECRET123"));
        assertEquals(1, server.requests().size(), "a 401 is not retried");
        assertEquals("tiny", e.model());
        assertEquals(1, e.failedCalls());
        String error = e.getMessage();
        assertTrue(error.contains("401") || error.toLowerCase().contains("api key"), error);
        assertFalse(error.contains("SECRET123"), error);
    }
}

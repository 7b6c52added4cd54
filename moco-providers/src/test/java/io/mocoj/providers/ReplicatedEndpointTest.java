package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.mocoj.MoCo;
import io.mocoj.RetryPolicy;
import io.mocoj.RunRecord;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ReplicatedEndpoint;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several loopback OpenAI-compatible stubs behind one {@code openai:MODEL@URL1|URL2|URL3} spec. */
class ReplicatedEndpointTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopAll() { servers.forEach(s -> s.stop(0)); }

    /** A stub replica answering every chat completion with "42" after {@code delayMs}; it stops itself after {@code dieAfter} requests. */
    private HttpServer replica(long delayMs, int dieAfter, AtomicInteger served) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            int k = served.incrementAndGet();
            if (k == dieAfter) new Thread(() -> s.stop(0)).start();
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] b = EngineOverHttpTest.OK.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        s.start();
        servers.add(s);
        return s;
    }

    private static String url(HttpServer s) { return "http://127.0.0.1:" + s.getAddress().getPort() + "/v1"; }

    private static final Evaluator EXACT = new Evaluator() {
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String r) { return r.strip(); }
        @Override public Score score(Example e, String r) { return Score.of(r.strip().equals(e.answer()) ? 1 : 0, r.strip()); }
    };

    private static final CollaborationMethod ASK = new CollaborationMethod() {
        @Override public String name() { return "ask"; }
        @Override public Level level() { return Level.API; }
        @Override public Set<Capability> requiredCapabilities() { return Set.of(Capability.TEXT); }
        @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults("ask", List.of()); }
        @Override public MethodOutput run(MethodContext ctx) { return ctx.forEachTest((ex, i) -> ctx.answer(ctx.model(0), ex).text()); }
    };

    private static Task task(int n) {
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < n; i++) test.add(Example.freeText("t" + i, "question " + i, "42"));
        return new Task("replicas", TaskType.EXACT_MATCH, List.of(), test);
    }

    @Test
    void aReplicaThatDiesMidRunLosesNothing(@TempDir Path logs) throws Exception {
        AtomicInteger a = new AtomicInteger(), b = new AtomicInteger(), c = new AtomicInteger();
        HttpServer ra = replica(5, -1, a), rb = replica(5, 15, b), rc = replica(5, -1, c);
        String spec = "openai:tiny@" + url(ra) + "|" + url(rb) + "|" + url(rc) + "?logprobs=false";
        ModelEndpoint m = new ProviderSpecResolver(k -> null).resolve(ModelSpec.parse(spec), SpecContext.of(null, 1));
        ReplicatedEndpoint rep = (ReplicatedEndpoint) m;
        int n = 150;
        RunReport r = MoCo.run().models(m).method(ASK).task(task(n)).evaluator(EXACT).concurrency(6)
                .retry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200))).logDir(logs).execute();

        assertEquals(n, r.summary().n());
        assertEquals(0, r.summary().failed(), "nothing lost: every call that hit the dead replica was retried on another");
        assertEquals(1.0, r.meanScore());
        List<ReplicatedEndpoint.ReplicaUsage> u = rep.replicaUsage();
        assertEquals(3, u.size());
        long succeeded = u.stream().mapToLong(x -> x.calls() - x.failures()).sum();
        assertEquals(n, succeeded, "one successful replica call per example: " + u);
        assertTrue(u.get(1).failures() >= 1, "the dead replica's failures are counted: " + u);
        assertTrue(u.get(1).calls() - u.get(1).failures() <= 15, "the dead replica answered at most 15: " + u);
        assertTrue(u.get(0).calls() > 40 && u.get(2).calls() > 40, "the live replicas share the rest: " + u);

        // the run itself shows what each replica did: the record for the run log, and the table
        assertEquals(1, r.record().replicas().size());
        RunRecord.ReplicaSet set = r.record().replicas().get(0);
        assertEquals("tiny", set.model());
        assertEquals(url(rb), set.replicas().get(1).replica());
        assertEquals(u.get(1).failures(), set.replicas().get(1).failures());
        String table = r.toTable();
        assertTrue(table.contains("replicas of tiny (whole run):"), table);
        assertTrue(table.contains(url(rb) + ": " + u.get(1).calls() + " calls, " + u.get(1).failures() + " failed"), table);
        Path log;
        try (var files = Files.list(logs)) {
            log = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        var logged = new com.fasterxml.jackson.databind.ObjectMapper().readTree(log.toFile()).get("record").get("replicas").get(0);
        assertEquals("tiny", logged.get("model").asText());
        assertEquals(u.get(1).failures(), logged.get("replicas").get(1).get("failures").asLong());
    }

    @Test
    void sequentialCallsAlternateOverEqualReplicas() throws Exception {
        // The least-in-flight rule under concurrency is checked without timing in moco-core's ReplicatedEndpointPickTest;
        // over HTTP, one call at a time makes the split exact whatever the machine's load.
        AtomicInteger a = new AtomicInteger(), b = new AtomicInteger();
        HttpServer ra = replica(0, -1, a), rb = replica(0, -1, b);
        ModelEndpoint m = new ProviderSpecResolver(k -> null).resolve(
                ModelSpec.parse("vllm:tiny@" + url(ra) + "|" + url(rb) + "?logprobs=false"), SpecContext.of(null, 1));
        RunReport r = MoCo.run().models(m).method(ASK).task(task(100)).evaluator(EXACT).concurrency(1).execute();
        assertEquals(0, r.summary().failed());
        assertEquals(50, a.get(), "equal replicas, ties rotate: " + a.get() + " vs " + b.get());
        assertEquals(50, b.get());
    }

    @Test
    void whenEveryReplicaIsDownTheFailureSaysSoAndIsTransient() throws Exception {
        AtomicInteger a = new AtomicInteger(), b = new AtomicInteger();
        HttpServer ra = replica(0, -1, a), rb = replica(0, -1, b);
        String ua = url(ra), ub = url(rb);
        ra.stop(0);
        rb.stop(0);
        ModelEndpoint m = new ProviderSpecResolver(k -> null).resolve(
                ModelSpec.parse("openai:tiny@" + ua + "|" + ub + "?logprobs=false"), SpecContext.of(null, 1));
        ModelCallException e = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("hi")));
        assertTrue(e.transientFailure());
        assertTrue(e.getMessage().contains("every replica failed this call"), e.getMessage());
        assertTrue(e.retryAfter().isPresent(), "the engine is told to wait for a cool-down to end");
        ModelCallException again = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("hi")));
        assertTrue(again.getMessage().contains("cooling down"), again.getMessage());
    }

    @Test
    void badReplicaListsAreRefused() {
        var resolver = new ProviderSpecResolver(k -> null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve(
                ModelSpec.parse("openai:tiny@http://127.0.0.1:1/v1|ftp://x"), SpecContext.of(null, 1)));
        assertTrue(e.getMessage().contains("is not a base URL"), e.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> resolver.resolve(
                ModelSpec.parse("openai:tiny@http://127.0.0.1:1/v1|http://127.0.0.1:1/v1"), SpecContext.of(null, 1)));
        assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    }
}

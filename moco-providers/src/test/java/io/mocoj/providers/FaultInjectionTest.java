package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue #8's fault campaign as a test: two OpenAI-compatible servers on loopback and one in-process
 * simulated endpoint fail about 20% of attempts with every kind of fault (429 with Retry-After,
 * 5xx, time-outs, resets, dropped connections, truncated / HTML / short / empty 200 bodies). The
 * run must lose nothing silently: every example answered correctly, and the engine's retry and
 * failure counts equal what was injected, attempt for attempt. A fourth endpoint whose every 200
 * is broken shows what is still lost after retries, counted in the usage and in the table.
 */
class FaultInjectionTest {
    enum Fault { NONE, RATE_LIMIT, SERVER_ERROR, UNAVAILABLE, TIMEOUT, RESET, DROP, TRUNCATED_JSON, HTML_PAGE, SHORT_BODY, EMPTY_BODY }

    static final int EXAMPLES = 60;
    static final double FAULT_RATE = 0.2;
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(2000);

    /** An OpenAI-compatible server whose every attempt draws a fault (seeded, per server) and answers "answer N" otherwise. */
    static final class FaultyServer implements AutoCloseable {
        final HttpServer server;
        final SplittableRandom random;
        final boolean alwaysBroken;
        final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
        final AtomicInteger requests = new AtomicInteger();
        private int faultsDrawn;

        FaultyServer(long seed, boolean alwaysBroken) throws IOException {
            this.random = new SplittableRandom(seed);
            this.alwaysBroken = alwaysBroken;
            for (Fault f : Fault.values()) injected.put(f, new AtomicInteger());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        }

        String baseUrl() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

        private Fault draw() {
            if (alwaysBroken) return Fault.TRUNCATED_JSON;
            synchronized (random) {
                if (random.nextDouble() >= FAULT_RATE) return Fault.NONE;
                Fault[] kinds = Fault.values();
                return kinds[1 + faultsDrawn++ % (kinds.length - 1)];   // every kind in turn
            }
        }

        private void handle(HttpExchange ex) throws IOException {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
            Fault f = draw();
            injected.get(f).incrementAndGet();
            String n = body.replaceAll("(?s).*question (\\d+).*", "$1");
            String ok = "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":"
                    + "{\"role\":\"assistant\",\"content\":\"answer " + n + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}";
            switch (f) {
                case NONE -> send(ex, 200, ok, Map.of());
                case RATE_LIMIT -> send(ex, 429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("retry-after-ms", "3"));
                case SERVER_ERROR -> send(ex, 500, "{\"error\":{\"message\":\"boom\"}}", Map.of());
                case UNAVAILABLE -> send(ex, 503, "<html>upstream unavailable</html>", Map.of());
                case TIMEOUT -> {
                    sleep(CLIENT_TIMEOUT.toMillis() + 300);
                    send(ex, 200, ok, Map.of());
                }
                case RESET -> {
                    byte[] part = ok.substring(0, 20).getBytes(StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, ok.length());
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(part);
                    } catch (IOException ignored) {
                        // the client saw the short body
                    }
                    ex.close();
                }
                case DROP -> ex.close();
                case TRUNCATED_JSON -> send(ex, 200, ok.substring(0, ok.length() / 2), Map.of());
                case HTML_PAGE -> send(ex, 200, "<!doctype html><html><body>Gateway says hello</body></html>", Map.of());
                case SHORT_BODY -> send(ex, 200, "{}", Map.of());
                case EMPTY_BODY -> send(ex, 200, "", Map.of());
            }
        }

        private static void send(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            } catch (IOException clientGone) {
                // the client timed out
            }
            ex.close();
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int faults() { return requests.get() - injected.get(Fault.NONE).get(); }

        @Override public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    /** A simulated in-process endpoint failing ~20% of attempts with transient errors of several shapes. */
    static final class FaultySimulated implements ModelEndpoint {
        final SplittableRandom random = new SplittableRandom(99);
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger faults = new AtomicInteger();

        @Override public String name() { return "sim-faulty"; }
        @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }
        @Override public boolean simulated() { return true; }

        @Override public Generation generate(GenerationRequest request) {
            attempts.incrementAndGet();
            int kind;
            synchronized (random) {
                kind = random.nextDouble() < FAULT_RATE ? random.nextInt(4) : -1;
            }
            if (kind >= 0) faults.incrementAndGet();
            switch (kind) {
                case 0 -> throw new ModelCallException(name(), "rate limited (HTTP 429)", true, 429, Duration.ofMillis(2), null);
                case 1 -> throw new ModelCallException(name(), "server error (HTTP 502)", true, 502, null, null);
                case 2 -> throw new ModelCallException(name(), "no response within 1 s", true, 0, null, null);
                case 3 -> throw new java.io.UncheckedIOException(new IOException("connection reset"));
                default -> {
                    String q = request.lastUserText();
                    return Generation.of("answer " + q.substring(q.lastIndexOf(' ') + 1));
                }
            }
        }
    }

    private static final Evaluator EXACT = new Evaluator() {
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String r) { return r.strip(); }
        @Override public Score score(Example e, String r) { return Score.of(r.strip().equals(e.answer()) ? 1 : 0, r.strip()); }
    };

    /** Every model answers; the output is the answer every reply agrees on (a lost reply would show as a missing vote). */
    static final AtomicInteger votesCast = new AtomicInteger();
    private static final CollaborationMethod EVERY_MODEL = new CollaborationMethod() {
        @Override public String name() { return "every_model"; }
        @Override public Level level() { return Level.TEXT; }
        @Override public Set<Capability> requiredCapabilities() { return Set.of(Capability.TEXT); }
        @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults(name(), List.of()); }
        @Override public MethodOutput run(MethodContext ctx) {
            return ctx.forEachTest((ex, i) -> {
                List<Generation> gs = ctx.parallel(ctx.models(), m -> {
                    try {
                        return ctx.answer(m, ex);
                    } catch (ModelCallException e) {
                        return null;
                    }
                });
                List<String> texts = gs.stream().filter(Objects::nonNull).map(Generation::text).distinct().toList();
                votesCast.addAndGet((int) gs.stream().filter(Objects::nonNull).count());
                if (texts.size() != 1) throw new IllegalStateException("replies disagree or none: " + texts);
                return texts.get(0);
            });
        }
    };

    @Test
    void twentyPercentFaultsOfEveryKindLoseNothingSilentlyAndAreCountedExactly() {
        try (FaultyServer s1 = new FaultyServer(1, false); FaultyServer s2 = new FaultyServer(2, false);
             FaultyServer broken = new FaultyServer(3, true)) {
            FaultySimulated sim = new FaultySimulated();
            OpenAiCompatibleModel m1 = http("http-1", s1), m2 = http("http-2", s2), mb = http("http-broken", broken);
            List<Example> test = new ArrayList<>();
            for (int i = 0; i < EXAMPLES; i++) test.add(Example.freeText("t" + i, "question " + i, "answer " + i));
            Task task = new Task("faults", TaskType.EXACT_MATCH, List.of(), test);
            RetryPolicy retry = new RetryPolicy(6, Duration.ofMillis(1), Duration.ofMillis(20));
            votesCast.set(0);
            RunReport r = MoCo.run().models(m1, m2, sim, mb).task(task).evaluator(EXACT).method(EVERY_MODEL)
                    .retry(retry).concurrency(16).baselines(false)
                    // the accounting of faults during the run is under test: no preflight request (it would meet the
                    // injected faults before any retry), and the always-broken server is kept to the end (DEGRADED)
                    .preflight(false).onModelFailure(io.mocoj.ModelFailurePolicy.CONTINUE)
                    .execute();

            assertEquals(0, r.summary().failed(), "no example failed");
            assertEquals(1.0, r.meanScore(), "every example got the right answer");
            assertEquals(3 * EXAMPLES, votesCast.get(), "every healthy model's vote was cast on every example");
            Map<String, RunReport.ModelUsage> usage = new ConcurrentHashMap<>();
            r.summary().usage().forEach(u -> usage.put(u.model(), u));
            for (var e : Map.of("http-1", s1, "http-2", s2).entrySet()) {
                RunReport.ModelUsage u = usage.get(e.getKey());
                FaultyServer s = e.getValue();
                assertEquals(EXAMPLES, u.calls());
                assertEquals(0, u.failedCalls(), e.getKey() + " lost a call");
                assertEquals(s.faults(), u.retries(), e.getKey() + ": one retry per injected fault " + s.injected);
                assertEquals(EXAMPLES + s.faults(), s.requests.get(), "every request was an attempt the engine counted");
            }
            assertEquals(sim.faults.get(), usage.get("sim-faulty").retries());
            assertEquals(EXAMPLES + sim.faults.get(), sim.attempts.get());
            double rate = (double) (s1.faults() + s2.faults()) / (s1.requests.get() + s2.requests.get());
            assertTrue(rate > 0.12 && rate < 0.28, "about 20% of attempts faulted: " + rate);
            for (Fault f : Fault.values()) {
                assertTrue(s1.injected.get(f).get() + s2.injected.get(f).get() > 0, "fault " + f + " was injected at least once");
            }
            // what is still lost after retries is counted and shown
            RunReport.ModelUsage lost = usage.get("http-broken");
            assertEquals(EXAMPLES, lost.failedCalls(), "every call to the broken server is lost, and counted");
            assertEquals((long) EXAMPLES * retry.maxRetries(), lost.retries(), "a broken 200 body is retried like a reset");
            assertEquals((long) EXAMPLES * (retry.maxRetries() + 1), broken.requests.get());
            assertEquals(EXAMPLES, r.summary().lostVotes(), "each lost call is a vote the method went on without");
            System.out.println("fault injection: http-1 " + s1.requests.get() + " attempts, " + s1.faults() + " faults " + s1.injected
                    + "; http-2 " + s2.requests.get() + " attempts, " + s2.faults() + " faults " + s2.injected
                    + "; sim " + sim.attempts.get() + " attempts, " + sim.faults.get() + " faults; broken " + broken.requests.get()
                    + " attempts, " + lost.failedCalls() + " calls lost and counted");
            String header = r.toTable().lines().filter(l -> l.startsWith("system")).findFirst().orElseThrow();
            String row = r.toTable().lines().filter(l -> l.startsWith("every_model")).findFirst().orElseThrow();
            assertTrue(header.contains("lost"), header);
            assertTrue(row.contains(" " + EXAMPLES + " "), "the lost calls are in the table: " + row);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static OpenAiCompatibleModel http(String name, FaultyServer s) {
        return OpenAiCompatibleModel.builder().name(name).baseUrl(s.baseUrl()).model("m").logprobs(false).timeout(CLIENT_TIMEOUT).build();
    }
}

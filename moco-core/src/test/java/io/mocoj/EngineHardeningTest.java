package io.mocoj;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.TestSupport.ScriptedModel;
import io.mocoj.internal.engine.RunLogWriter;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.Secrets;
import io.mocoj.model.TokenUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #8, silent loss and secrets at the engine level: each case failed before its fix. */
class EngineHardeningTest {

    private static RunBuilder base(ScriptedModel... models) {
        return MoCo.run().models(models).task(TestSupport.task(3, 12)).evaluator(TestSupport.EXACT)
                .retry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(2))).baselines(false)
                // these cases are about what a failed example records, so the run goes on past a failing model
                .onModelFailure(ModelFailurePolicy.CONTINUE);
    }

    /** Like majority vote: asks every model in parallel, a failed model gives null, all failed is an error. */
    private static CollaborationMethod askAll() {
        return new CollaborationMethod() {
            @Override public String name() { return "ask_all"; }
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
                    return gs.stream().filter(java.util.Objects::nonNull).findFirst()
                            .orElseThrow(() -> new IllegalStateException("every model's call failed for this example")).text();
                });
            }
        };
    }

    @Test
    void onePoolFailureCarriesTheRealCauseNotANullPointerException() {
        ScriptedModel a = new ScriptedModel("a");
        a.failure = n -> new ModelCallException("a", "authentication failed (HTTP 401; check the API key)", false, 401, null, null);
        RunReport r = base(a).method(askAll()).execute();
        assertEquals(12, r.summary().failed());
        String error = r.examples().get(0).error();
        assertFalse(error.contains("NullPointerException"), error);
        assertTrue(error.contains("every model's call failed") && error.contains("HTTP 401"), error);
    }

    @Test
    void everyModelFailingNamesTheFirstRealError() {
        ScriptedModel a = new ScriptedModel("a"), b = new ScriptedModel("b");
        a.failure = n -> new ModelCallException("a", "authentication failed (HTTP 401)", false, 401, null, null);
        b.failure = n -> new ModelCallException("b", "authentication failed (HTTP 401)", false, 401, null, null);
        RunReport r = base(a, b).method(askAll()).execute();
        assertTrue(r.examples().stream().allMatch(e -> e.error().contains("HTTP 401")), r.examples().get(0).error());
    }

    @Test
    void anEndpointBugIsAFailedCallWithItsClassAndMessage() {
        ScriptedModel a = new ScriptedModel("a");
        a.failure = n -> new IllegalStateException("parser state broken");
        RunReport r = base(a).method(TestSupport.firstModel(false)).execute();
        assertEquals(12, r.summary().usage().get(0).failedCalls());
        assertTrue(r.examples().get(0).error().contains("IllegalStateException: parser state broken"), r.examples().get(0).error());
    }

    @Test
    void invalidCacheEntriesAreTreatedAsMissing(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache");
        ScriptedModel a = new ScriptedModel("a");
        base(a).method(TestSupport.firstModel(false)).cacheDir(cache).execute();
        assertEquals(12, a.calls.get());
        List<Path> entries;
        try (Stream<Path> s = Files.walk(cache)) {
            entries = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(12, entries.size());
        // a wrong type, a negative count, a bad finish reason, a non-finite log-probability, not an object
        String[] broken = {"\"text\": 5", "\"promptTokens\": -3", "\"finishReason\": \"DONE\"", "\"completionTokens\": 1.5"};
        for (int i = 0; i < entries.size(); i++) {
            String json = Files.readString(entries.get(i));
            String bad = switch (i % 5) {
                case 0 -> json.replaceFirst("\"text\"\\s*:\\s*\"[^\"]*\"", broken[0]);
                case 1 -> json.replaceFirst("\"promptTokens\"\\s*:\\s*\\d+", broken[1]);
                case 2 -> json.replaceFirst("\"finishReason\"\\s*:\\s*\"[A-Z_]+\"", broken[2]);
                case 3 -> json.replaceFirst("\"completionTokens\"\\s*:\\s*\\d+", broken[3]);
                default -> "[1, 2]";
            };
            assertNotEquals(json, bad);
            Files.writeString(entries.get(i), bad);
        }
        RunReport r = base(a).method(TestSupport.firstModel(false)).cacheDir(cache).execute();
        assertEquals(24, a.calls.get(), "every invalid entry was called again");
        assertEquals(1.0, r.meanScore(), "and none of them was used");
        assertEquals(0, r.summary().usage().get(0).cachedCalls());
        RunReport again = base(a).method(TestSupport.firstModel(false)).cacheDir(cache).execute();
        assertEquals(24, a.calls.get(), "the entries were rewritten valid");
        assertEquals(12, again.summary().usage().get(0).cachedCalls());
    }

    @Test
    void staleTempFilesAreRemovedAndNeverRead(@TempDir Path dir) throws IOException {
        Path cache = dir.resolve("cache"), logs = dir.resolve("logs");
        ScriptedModel a = new ScriptedModel("a");
        base(a).method(TestSupport.firstModel(false)).cacheDir(cache).execute();
        Path shard;
        try (Stream<Path> s = Files.list(cache)) {
            shard = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path emptyTmp = Files.createFile(shard.resolve(".tmp-123.json"));
        Path oldTmp = Files.writeString(shard.resolve(".tmp-456.json"), "{\"text\":");
        Files.setLastModifiedTime(oldTmp, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Files.createDirectories(logs);
        Path logTmp = Files.createFile(logs.resolve(".tmp-789.json"));
        base(a).method(TestSupport.firstModel(false)).cacheDir(cache).logDir(logs).execute();
        assertFalse(Files.exists(emptyTmp));
        assertFalse(Files.exists(oldTmp));
        assertFalse(Files.exists(logTmp));
        try (Stream<Path> s = Files.list(logs)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).count(), "no temporary file left in the log dir");
        }
    }

    @Test
    void runLogsHaveAStableOrderOfMapsAndSets() {
        Map<String, Object> unordered = Map.of("k1", 1, "k2", 2, "k3", 3, "k4", 4, "k5", 5, "k6", 6, "k7", 7, "k8", 8, "k9", 9);
        CollaborationMethod traced = new CollaborationMethod() {
            @Override public String name() { return "traced"; }
            @Override public Level level() { return Level.API; }
            @Override public Set<Capability> requiredCapabilities() { return Set.of(); }
            @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults(name(), List.of()); }
            @Override public MethodOutput run(MethodContext ctx) {
                ctx.trace().record("unordered", unordered);
                return ctx.forEachTest((ex, i) -> ctx.answer(ctx.model(0), ex).text());
            }
        };
        ScriptedModel a = new ScriptedModel("a", Capability.TEXT, Capability.LOGPROBS, Capability.LOGITS, Capability.WEIGHTS, Capability.TRAIN);
        String json = RunLogWriter.toJson(base(a).method(traced).execute());
        int last = -1;
        for (int k = 1; k <= 9; k++) {
            int at = json.indexOf("\"k" + k + "\"");
            assertTrue(at > last, "trace keys in key order: " + json);
            last = at;
        }
        String caps = json.substring(json.indexOf("\"capabilities\""), json.indexOf(']', json.indexOf("\"capabilities\"")));
        assertTrue(caps.indexOf("LOGITS") < caps.indexOf("LOGPROBS") && caps.indexOf("LOGPROBS") < caps.indexOf("TEXT")
                && caps.indexOf("TEXT") < caps.indexOf("TRAIN") && caps.indexOf("TRAIN") < caps.indexOf("WEIGHTS"), caps);
    }

    @Test
    void sameSeedSameInputsGiveIdenticalRunLogsApartFromTimes() {
        // call ids and trace order are the plan's (see DeterministicTraceTest for a concurrent run); only times differ
        String first = withoutTimes(RunLogWriter.toJson(base(new ScriptedModel("a"), new ScriptedModel("b")).baselines(true).concurrency(1)
                .method(askAll()).execute()));
        String second = withoutTimes(RunLogWriter.toJson(base(new ScriptedModel("a"), new ScriptedModel("b")).baselines(true).concurrency(1)
                .method(askAll()).execute()));
        assertEquals(first, second);
    }

    static String withoutTimes(String json) {
        return json.replaceAll("\"(wallTime|meanLatencyMs|p95LatencyMs|latencyMs)\" : [0-9.Ee+-]+", "\"$1\" : 0")
                .replaceAll("\"(started|finished|startedAt|finishedAt|start|end)\" : \"[^\"]*\"", "\"$1\" : \"\"");
    }

    @Test
    void aKeyEchoedInAnAnswerIsWrittenNowhere(@TempDir Path dir) throws IOException {
        String key = "unit-test-key-" + Long.toHexString(System.nanoTime()) + "-x";
        Secrets.register(key);
        io.mocoj.model.ModelEndpoint echo = new io.mocoj.model.ModelEndpoint() {
            @Override public String name() { return "echo"; }
            @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }
            @Override public Generation generate(io.mocoj.model.GenerationRequest request) {
                return new Generation("your key is " + key, FinishReason.STOP, new TokenUsage(1, 1), List.of(), List.of());
            }
        };
        RunReport r = MoCo.run().models(echo).task(TestSupport.task(3, 12)).evaluator(TestSupport.EXACT).baselines(false)
                .method(TestSupport.firstModel(false)).cacheDir(dir.resolve("cache")).logDir(dir.resolve("logs")).execute();
        assertTrue(r.examples().get(0).output().contains(Secrets.MASK), r.examples().get(0).output());
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(p).contains(key), "the key is in " + p);
            }
        }
        assertFalse(RunLogWriter.toJson(r).contains(key));
    }

    @Test
    void aShortKeyEchoedInAnAnswerIsWrittenNowhere(@TempDir Path dir) throws IOException {
        // five letters no other text of the suite contains (registration is global to the JVM)
        StringBuilder k = new StringBuilder("Q");
        java.util.Random random = new java.util.Random();
        while (k.length() < 5) k.append("BCDFGHJKLMNPQRSTVWXZ".charAt(random.nextInt(20)));
        String key = k.toString();
        Secrets.register(key);
        io.mocoj.model.ModelEndpoint echo = new io.mocoj.model.ModelEndpoint() {
            @Override public String name() { return "echo"; }
            @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }
            @Override public Generation generate(io.mocoj.model.GenerationRequest request) {
                return new Generation("your key is " + key + ".", FinishReason.STOP, new TokenUsage(1, 1), List.of(), List.of("(" + key + ")"));
            }
        };
        RunReport r = MoCo.run().models(echo).task(TestSupport.task(3, 12)).evaluator(TestSupport.EXACT).baselines(false)
                .method(TestSupport.firstModel(false)).cacheDir(dir.resolve("cache")).logDir(dir.resolve("logs")).execute();
        assertEquals("your key is [redacted].", r.examples().get(0).output());
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            assertTrue(files.size() >= 2, "a cache entry and a run log: " + files);
            for (Path p : files) assertFalse(Files.readString(p).contains(key), "the key is in " + p);
        }
        assertFalse(RunLogWriter.toJson(r).contains(key));
    }

    /**
     * A model that fails permanently (HTTP 400, not retried) on the test questions whose number is in
     * {@code failOn}; a 4xx never opens the circuit breaker (5xx would, and refuse later calls), so the count is exact.
     */
    private static io.mocoj.model.ModelEndpoint failingOn(String name, java.util.function.IntPredicate failOn) {
        return new io.mocoj.model.ModelEndpoint() {
            @Override public String name() { return name; }
            @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }
            @Override public Generation generate(io.mocoj.model.GenerationRequest request) {
                String q = request.lastUserText();
                int number = Integer.parseInt(q.substring(q.lastIndexOf(' ') + 1));
                if (failOn.test(number)) throw new ModelCallException(name, "HTTP 400: refused", false, 400, null, null);
                return new Generation("answer t" + number, FinishReason.STOP, new TokenUsage(1, 1), List.of(), List.of());
            }
        };
    }

    @Test
    void votesLostToFailedCallsAreCountedPerMethodAndShown() throws IOException {
        // 12 test examples. a fails on 0-1; b on every one; c on 0-3. Examples 0-1 fail outright (their
        // lost calls are failed examples, not lost votes); 2-3 go on without 2 votes each, 4-11 without 1:
        // 2*2 + 8*1 = 12 lost votes, 2 failed examples
        RunReport r = MoCo.run().models(failingOn("a", i -> i < 2), failingOn("b", i -> true), failingOn("c", i -> i < 4))
                .task(TestSupport.task(3, 12)).evaluator(TestSupport.EXACT)
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(2))).baselines(true).preflight(false)
                .onModelFailure(ModelFailurePolicy.CONTINUE).method(askAll()).execute();
        assertEquals(2, r.summary().failed());
        assertEquals(12, r.summary().lostVotes());
        assertEquals(2 + 12 + 4, r.summary().usage().stream().mapToLong(RunReport.ModelUsage::failedCalls).sum(), "lost calls, all of them");
        for (RunReport.Baseline b : r.baselines()) assertEquals(0, b.summary().lostVotes(), "one model alone has no vote to lose");
        String table = r.toTable();
        String header = table.lines().filter(l -> l.startsWith("system")).findFirst().orElseThrow();
        String row = table.lines().filter(l -> l.startsWith("ask_all")).findFirst().orElseThrow();
        List<String> h = List.of(header.trim().split("\\s{2,}"));
        List<String> cells = List.of(row.trim().split("\\s{2,}"));
        assertEquals("12", cells.get(h.indexOf("lost votes")), table);
        assertEquals("18", cells.get(h.indexOf("lost")), table);
        Path log = Files.createTempFile("lost-votes", ".json");
        try {
            Files.writeString(log, RunLogWriter.toJson(r));
            assertEquals(12, RunLogSchema.assertValid(log).path("summary").path("lostVotes").asLong(), "in the run log, which the schema accepts");
        } finally {
            Files.delete(log);
        }
    }

    @Test
    void aKeyInAnErrorMessageIsRedacted() {
        String key = "errkey-" + Long.toHexString(System.nanoTime()) + "-abcdef";
        Secrets.register(key);
        ModelCallException e = new ModelCallException("m", "server said: bad key " + key + " (truncated...)", false, 401, null, null);
        assertFalse(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(Secrets.MASK));
    }
}

package io.mocoj;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.mocoj.TestSupport.ScriptedModel;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelPricing;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #7: a failing model is never hidden, and the run log is a complete record. */
class HonestRunsTest {

    /** Asks every model and answers with the first that succeeded (a vote that tolerates failed voters). */
    static final CollaborationMethod ANY_OF_ALL = new CollaborationMethod() {
        @Override public String name() { return "any_of_all"; }
        @Override public Level level() { return Level.TEXT; }
        @Override public Set<Capability> requiredCapabilities() { return Set.of(); }
        @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults(name(), List.of()); }
        @Override public MethodOutput run(MethodContext ctx) {
            return ctx.forEachTest((ex, i) -> {
                List<String> answers = ctx.parallel(ctx.models(), m -> {
                    try {
                        return ctx.answer(m, ex).text();
                    } catch (ModelCallException e) {
                        return null;
                    }
                });
                ctx.trace().record(i, "answers", Map.of("n", answers.stream().filter(a -> a != null).count()));
                return answers.stream().filter(a -> a != null).findFirst().orElse(null);
            });
        }
    };

    private static RunBuilder base(ScriptedModel... models) {
        return MoCo.run().models(models).task(TestSupport.task(0, 40)).evaluator(TestSupport.EXACT).method(ANY_OF_ALL)
                .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5))).concurrency(4);
    }

    private static ScriptedModel dead(String name) {
        ScriptedModel m = new ScriptedModel(name);
        m.failure = n -> new ModelCallException(name, "HTTP 401: invalid API key", false, 401, null, null);
        return m;
    }

    private static Path onlyLog(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.toList();
            assertEquals(1, all.size(), "exactly one file (no journal, no temp file): " + all);
            return all.get(0);
        }
    }

    @Test
    void aDeadModelOfThreeStopsTheRunByDefaultNamingItAndItsFirstError(@TempDir Path dir) throws IOException {
        ScriptedModel a = new ScriptedModel("a"), b = dead("b"), c = new ScriptedModel("c");
        var e = assertThrows(ModelFailureException.class, () -> base(a, b, c).logDir(dir).execute());
        assertEquals("b", e.model());
        assertTrue(e.failedCalls() >= 5, "stopped after the first 5 failures: " + e.failedCalls());
        assertEquals(e.calls(), e.failedCalls());
        assertTrue(e.getMessage().contains("HTTP 401: invalid API key"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-degraded"), e.getMessage());
        assertTrue(b.calls.get() < 40, "the run stopped early: " + b.calls.get() + " calls of b");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no stray journal or temp file");
        }
    }

    @Test
    void allowedToContinueTheReportTableAndLogSayDegradedAndFailedCallsAreNotResent(@TempDir Path dir) throws IOException {
        ScriptedModel a = new ScriptedModel("a"), b = dead("b"), c = new ScriptedModel("c");
        Run run = base(a, b, c).logDir(dir).onModelFailure(ModelFailurePolicy.CONTINUE).build();
        RunReport r = run.execute();
        assertEquals("degraded", r.status());
        assertEquals(1, r.degraded().size());
        assertEquals("b", r.degraded().get(0).model());
        assertEquals(40, r.degraded().get(0).failedCalls());
        assertTrue(r.degraded().get(0).firstError().contains("401"));
        assertEquals(40, b.calls.get(), "the baseline of b asks what the method asked: the failed calls are not sent again");
        assertEquals(40, r.baselines().get(1).summary().usage().get(0).failedCalls(), "but they count as failed in b's baseline");
        assertTrue(r.toTable().contains("any_of_all [DEGRADED]"), r.toTable());
        assertTrue(r.toTable().contains("DEGRADED result: model b"), r.toTable());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("DEGRADED: model b")), r.warnings().toString());
        JsonNode log = RunLogSchema.assertValid(run.logFile().orElseThrow());
        assertEquals("degraded", log.get("status").asText());
        assertEquals("b", log.get("degraded").get(0).get("model").asText());
        assertEquals(40, log.get("degraded").get(0).get("failedCalls").asInt());
    }

    @Test
    void anUnreachableEndpointOpensTheCircuitBreakerInsteadOfRetryingEveryCall() {
        ScriptedModel a = new ScriptedModel("a"), down = new ScriptedModel("down");
        down.failure = n -> ModelCallException.transientFailure("down", "connection refused");
        RunReport r = base(a, down).onModelFailure(ModelFailurePolicy.CONTINUE).baselines(false)
                .retry(new RetryPolicy(6, Duration.ofMillis(1), Duration.ofMillis(2))).execute();
        // 40 calls x 7 attempts without a breaker; with it: 5 consecutive failures, plus those already in flight
        assertTrue(down.calls.get() <= 5 + 4, "attempts sent to the dead endpoint: " + down.calls.get());
        assertEquals("down", r.degraded().get(0).model());
        assertTrue(r.examples().stream().allMatch(x -> x.error() == null), "model a answered every example");
    }

    @Test
    void moreThanTheAllowedShareOfFailuresIsUnhealthyAtTheEnd() {
        ScriptedModel a = new ScriptedModel("a"), flaky = new ScriptedModel("flaky");
        flaky.failure = n -> n % 7 == 0 ? ModelCallException.permanent("flaky", "HTTP 400: bad request") : null; // 5 of 40 = 12.5%
        var e = assertThrows(ModelFailureException.class, () -> base(a, flaky).concurrency(1).baselines(false).execute());
        assertEquals("flaky", e.model());
        assertTrue(e.getMessage().contains("more than the allowed 10.0%"), e.getMessage());
        RunReport r = base(a, flaky).concurrency(1).baselines(false).modelHealth(5, 0.2).execute();
        assertEquals("ok", r.status(), "12.5% is within a 20% allowance");
    }

    @Test
    void anOccasionalFailureIsNotUnhealthy() {
        ScriptedModel a = new ScriptedModel("a");
        a.failure = n -> n == 17 ? ModelCallException.permanent("a", "HTTP 400") : null;
        RunReport r = base(a).concurrency(1).baselines(false).execute();
        assertEquals("ok", r.status());
        assertEquals(List.of(), r.degraded());
    }

    @Test
    void aFailedPreflightStopsTheRunBeforeTheMethodCallsAnything() {
        ScriptedModel a = new ScriptedModel("a");
        ScriptedModel server = new RemoteScripted("server");
        server.failure = n -> new ModelCallException("server", "HTTP 401: invalid API key", false, 401, null, null);
        var e = assertThrows(ModelFailureException.class, () -> base(a, server).execute());
        assertEquals("server", e.model());
        assertTrue(e.getMessage().contains("preflight"), e.getMessage());
        assertEquals(1, server.calls.get(), "only the preflight request was sent");
        assertEquals(0, a.calls.get(), "the method never started");

        ScriptedModel ok = new RemoteScripted("ok");
        RunReport r = base(ok).baselines(false).logDir(null).execute();
        assertEquals(1, r.record().preflight().size());
        assertTrue(r.record().preflight().get(0).ok());
        assertEquals(41, ok.calls.get(), "one preflight request, then the 40 examples");
        assertEquals(40, r.summary().usage().get(0).calls(), "the preflight is not counted as a call of the method");

        ScriptedModel skipped = new RemoteScripted("skipped");
        base(skipped).baselines(false).preflight(false).execute();
        assertEquals(40, skipped.calls.get());
    }

    @Test
    void theSimulationNoteNamesExactlyTheSimulatedModels() {
        ScriptedModel simA = new SimScripted("sim:a"), real = new ScriptedModel("real"), simC = new SimScripted("sim:c");
        RunReport mixed = base(simA, real, simC).baselines(false).execute();
        String note = mixed.simulationNote().orElseThrow();
        assertEquals("NOTE: models sim:a, sim:c are SIMULATED; real is a real model.", note);
        assertFalse(note.contains("no real language model"), note);
        assertTrue(mixed.toTable().contains("[simulated: sim:a, sim:c]"), mixed.toTable());

        RunReport allSim = base(new SimScripted("sim:x")).baselines(false).execute();
        assertEquals("NOTE: every model of this run is SIMULATED (sim:x): no real language model was called.",
                allSim.simulationNote().orElseThrow());
        assertTrue(base(new ScriptedModel("r")).baselines(false).execute().simulationNote().isEmpty());
    }

    @Test
    void theRunLogIsACompleteRecordWithNullCostsAndValidAgainstTheSchema(@TempDir Path dir) throws IOException {
        ScriptedModel priced = new PricedScripted("priced"), free = new ScriptedModel("free");
        Run run = base(priced, free).logDir(dir).seed(7).build();
        run.execute();
        Path file = onlyLog(dir);
        String text = Files.readString(file);
        assertFalse(text.contains("NaN"), "no NaN anywhere");
        JsonNode log = RunLogSchema.assertValid(file);
        JsonNode usage = log.get("summary").get("usage");
        assertTrue(usage.get(0).get("cost").isNumber());
        assertEquals(40 * (10 * 1.0 + 3 * 2.0) / 1e6, usage.get(0).get("cost").asDouble(), 1e-12);
        assertTrue(usage.get(1).get("cost").isNull(), "a model without price has cost null");
        assertTrue(log.get("summary").get("totalCost").isNull());
        JsonNode ex = log.get("examples").get(3);
        assertEquals("answer t3", ex.get("gold").get(0).asText());
        assertEquals(2, ex.get("calls").size(), "both model calls of the example, with their text");
        assertEquals(Set.of("priced", "free"), Set.of(ex.get("calls").get(0).get("model").asText(), ex.get("calls").get(1).get("model").asText()));
        assertEquals("answer t3", ex.get("calls").get(0).get("response").asText());
        assertTrue(ex.get("cost").isNull(), "one of the calls has no price");
        JsonNode trace = null;
        for (JsonNode t : log.get("trace")) if (t.get("exampleIndex").asInt() == 3) trace = t;
        List<Integer> ids = new ArrayList<>();
        ex.get("calls").forEach(c -> ids.add(c.get("id").asInt()));
        List<Integer> referenced = new ArrayList<>();
        trace.get("calls").forEach(c -> referenced.add(c.asInt()));
        assertEquals(Set.copyOf(ids), Set.copyOf(referenced), "the trace event names the calls before it");
        JsonNode rec = log.get("record");
        assertEquals(7, rec.get("resolvedConfig").get("seed").asInt());
        assertEquals("stop", rec.get("resolvedConfig").get("modelHealth").get("onModelFailure").asText());
        assertEquals(40, rec.get("dataset").get("testSize").asInt());
        assertEquals("examples", rec.get("dataset").get("sha256Of").asText());
        assertTrue(rec.get("cores").asInt() >= 1);
        assertFalse(rec.get("mocojVersion").asText().isBlank());
        assertTrue(log.get("comparison").isNull() || log.get("comparison").isObject());
    }

    @Test
    void theRunLogFollowsTheUmaskLikeAnyOtherNewFile(@TempDir Path dir) throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        Set<PosixFilePermission> expected;
        try {
            expected = Files.getPosixFilePermissions(probe);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        Files.delete(probe);
        Run run = base(new ScriptedModel("a")).baselines(false).logDir(dir).build();
        run.execute();
        Set<PosixFilePermission> expectedNoExec = new java.util.HashSet<>(expected);
        assertEquals(expectedNoExec, Files.getPosixFilePermissions(run.logFile().orElseThrow()));
    }

    @Test
    void aFailFastExitLeavesNoProgressFile(@TempDir Path dir) throws IOException {
        ScriptedModel a = new ScriptedModel("a");
        a.failure = n -> n == 1 ? ModelCallException.permanent("a", "boom") : null;
        assertThrows(RunFailedException.class, () -> base(a).concurrency(1).failFast(true).logDir(dir).execute());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aRunWhoseScoresAllFailedHasNoScoreNotAZero(@TempDir Path dir) throws IOException {
        Evaluator noJudge = new Evaluator() {
            @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
            @Override public String prompt(Example e) { return e.input(); }
            @Override public String extractAnswer(Example e, String r) { return r; }
            @Override public Score score(Example e, String r) { return Score.failure("the judge gave no rating"); }
        };
        Run run = base(new ScriptedModel("a")).evaluator(noJudge).logDir(dir).build();
        RunReport r = run.execute();
        assertEquals("unscored", r.status());
        assertEquals(0, r.summary().scored());
        assertTrue(Double.isNaN(r.meanScore()));
        assertTrue(r.toTable().contains("none"), r.toTable());
        assertFalse(r.toTable().contains("0.0000"), r.toTable());
        assertNull(r.comparison());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("no test example could be scored; the first reason: the judge gave no rating")));
        JsonNode log = RunLogSchema.assertValid(run.logFile().orElseThrow());
        assertTrue(log.get("summary").get("mean").isNull());
        assertTrue(log.get("examples").get(0).get("score").isNull());
        assertEquals("the judge gave no rating", log.get("examples").get(0).get("scoreDetail").asText());
        assertTrue(run.logFile().get().getFileName().toString().contains("_unscored_"));
    }

    @Test
    void javaAndConfigDefaultsAgreeOnBaselines() {
        ScriptedModel a = new ScriptedModel("a");
        RunReport r = MoCo.run().models(a).task(TestSupport.task(0, 3)).evaluator(TestSupport.EXACT).method(ANY_OF_ALL).execute();
        assertEquals(1, r.baselines().size(), "baselines are on by default in Java, as in configs and the CLI");
        assertTrue(io.mocoj.config.MocoConfig.parse("{\"method\":\"m\",\"task\":\"t\",\"model_names\":[\"sim:a\"]}", null).baselines());
    }

    static class RemoteScripted extends ScriptedModel {
        RemoteScripted(String name) { super(name); }
        @Override public boolean remote() { return true; }
    }

    static final class SimScripted extends ScriptedModel {
        SimScripted(String name) { super(name); }
        @Override public boolean simulated() { return true; }
    }

    static final class PricedScripted extends ScriptedModel {
        PricedScripted(String name) { super(name); }
        @Override public ModelPricing pricing() { return ModelPricing.perMillionTokens(1.0, 2.0); }
    }
}

package io.mocoj;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.TestSupport.ScriptedModel;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelCallException;
import io.mocoj.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunEngineTest {

    private static RunBuilder base(ScriptedModel... models) {
        return MoCo.run().models(models).task(TestSupport.task(5, 40)).evaluator(TestSupport.EXACT)
                .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    @Test
    void scoresEveryTestExampleAndReportsUsage() {
        ScriptedModel a = new ScriptedModel("a");
        RunReport r = base(a).method(TestSupport.firstModel(false)).execute();
        assertEquals(40, r.examples().size());
        assertEquals(1.0, r.meanScore());
        assertEquals(40, r.summary().usage().get(0).calls());
        assertEquals(400, r.summary().usage().get(0).promptTokens());
        assertEquals(120, r.summary().usage().get(0).completionTokens());
        assertEquals(40, a.calls.get());
    }

    @Test
    void perModelConcurrencyIsNeverExceeded() {
        ScriptedModel a = new ScriptedModel("a");
        a.sleepMillis = 5;
        base(a).method(TestSupport.firstModel(false)).concurrency(50).concurrency("a", 3).execute();
        assertEquals(3, a.maxInFlight.get());
    }

    @Test
    void transientFailuresAreRetriedHonouringRetryAfter() {
        ScriptedModel a = new ScriptedModel("a");
        // every third attempt is rate limited with Retry-After 20 ms
        a.failure = n -> n % 3 == 0 ? new ModelCallException("a", "HTTP 429", true, 429, Duration.ofMillis(20), null) : null;
        List<ProgressEvent.Retrying> retries = new CopyOnWriteArrayList<>();
        RunReport r = base(a).method(TestSupport.firstModel(false))
                .listener(e -> { if (e instanceof ProgressEvent.Retrying x) retries.add(x); }).execute();
        assertEquals(1.0, r.meanScore());
        assertFalse(retries.isEmpty());
        for (ProgressEvent.Retrying x : retries) assertTrue(x.delay().toMillis() >= 5, "retry delay honours Retry-After up to the cap");
        assertEquals(retries.size(), r.summary().usage().get(0).retries());
    }

    @Test
    void permanentFailuresFailTheExampleOnlyAndAreNotRetried() {
        ScriptedModel a = new ScriptedModel("a");
        a.failure = n -> n == 1 ? new ModelCallException("a", "HTTP 401: invalid API key", false, 401, null, null) : null;
        RunReport r = base(a).concurrency(1).method(TestSupport.firstModel(false)).execute();
        assertEquals(40, a.calls.get(), "no retry of a permanent failure");
        assertEquals(1, r.summary().failed());
        assertEquals(39 / 40.0, r.meanScore(), 1e-12);
        RunReport.ExampleResult failed = r.examples().stream().filter(RunReport.ExampleResult::failed).findFirst().orElseThrow();
        assertTrue(failed.error().contains("invalid API key"), failed.error());
    }

    @Test
    void exhaustedRetriesFailTheExampleWithTheLastReason() {
        ScriptedModel a = new ScriptedModel("a");
        a.failure = n -> n <= 4 ? ModelCallException.transientFailure("a", "HTTP 503") : null;
        RunReport r = base(a).concurrency(1).method(TestSupport.firstModel(false)).execute();
        assertEquals(1, r.summary().failed());
        // whichever example got the first permit failed (examples start in no fixed order)
        String error = r.examples().stream().filter(RunReport.ExampleResult::failed).findFirst().orElseThrow().error();
        assertTrue(error.contains("gave up after 4 attempts"), error);
    }

    @Test
    void failFastStopsTheRun() {
        ScriptedModel a = new ScriptedModel("a");
        a.failure = n -> n == 5 ? ModelCallException.permanent("a", "boom") : null;
        assertThrows(RunFailedException.class, () -> base(a).concurrency(1).failFast(true).method(TestSupport.firstModel(false)).execute());
    }

    @Test
    void devEvaluationRunsOncePerModel() {
        ScriptedModel a = new ScriptedModel("a"), b = new ScriptedModel("b");
        RunReport r = base(a, b).baselines(false).method(TestSupport.firstModel(true)).execute();
        assertEquals(5 + 40, a.calls.get());
        assertEquals(5, b.calls.get());
        assertEquals("dev_evaluation", r.trace().get(0).event());
    }

    @Test
    void aRunKilledMidwayResumesWithoutRepeatingFinishedCalls(@TempDir Path dir) {
        Path cache = dir.resolve("cache");
        ScriptedModel crashing = new ScriptedModel("a");
        crashing.failure = n -> n > 25 ? ModelCallException.permanent("a", "process killed") : null;
        assertThrows(RunFailedException.class, () -> base(crashing).concurrency(1).failFast(true).cacheDir(cache)
                .method(TestSupport.firstModel(false)).execute());
        assertEquals(26, crashing.calls.get());

        ScriptedModel healthy = new ScriptedModel("a");
        RunReport r = base(healthy).cacheDir(cache).method(TestSupport.firstModel(false)).execute();
        assertEquals(40 - 25, healthy.calls.get(), "only unfinished examples call the model");
        assertEquals(1.0, r.meanScore());
        assertEquals(25, r.summary().usage().get(0).cachedCalls());

        ScriptedModel again = new ScriptedModel("a");
        base(again).cacheDir(cache).method(TestSupport.firstModel(false)).execute();
        assertEquals(0, again.calls.get(), "a finished run re-run makes zero calls");
    }

    @Test
    void baselinesReuseIdenticalCallsAndReportEachModel() {
        ScriptedModel a = new ScriptedModel("a"), b = new ScriptedModel("b");
        RunReport r = base(a, b).baselines(true).method(TestSupport.firstModel(false)).execute();
        assertEquals(40, a.calls.get(), "model a's baseline prompts equal the method's: sent once");
        assertEquals(40, b.calls.get());
        assertEquals(2, r.baselines().size());
        assertEquals(40, r.baselines().get(0).summary().usage().get(0).cachedCalls());
        assertTrue(r.toTable().contains("a alone"));
    }

    @Test
    void runLogIsWrittenAtomicallyAndTheJournalRemoved(@TempDir Path dir) throws IOException {
        ScriptedModel a = new ScriptedModel("a");
        base(a).logDir(dir).method(TestSupport.firstModel(false)).execute();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of("unit_1_1.0000_first_model.json"), names);
        }
        RunLogSchema.assertValid(dir.resolve("unit_1_1.0000_first_model.json"));
        String json = Files.readString(dir.resolve("unit_1_1.0000_first_model.json"));
        assertTrue(json.contains("\"output\" : \"answer t39\""));
    }

    @Test
    void missingCapabilityIsRefusedNamingTheModel() {
        ScriptedModel a = new ScriptedModel("a"), b = new ScriptedModel("b", Capability.TEXT, Capability.LOGPROBS);
        var e = assertThrows(IllegalArgumentException.class,
                () -> base(b, a).method(TestSupport.firstModel(false, Capability.LOGPROBS)).build());
        assertTrue(e.getMessage().contains("needs LOGPROBS but model 'a'"), e.getMessage());
    }

    @Test
    void logitsCapabilityRequiresTheInterface() {
        ScriptedModel liar = new ScriptedModel("liar", Capability.TEXT, Capability.LOGITS);
        var e = assertThrows(IllegalArgumentException.class,
                () -> base(liar).method(TestSupport.firstModel(false, Capability.LOGITS)).build());
        assertTrue(e.getMessage().contains("model 'liar'"), e.getMessage());
    }

    @Test
    void invalidCombinationsFailAtBuildTimeWithNoFiles(@TempDir Path dir) throws IOException {
        ScriptedModel a = new ScriptedModel("a"), a2 = new ScriptedModel("a");
        assertThrows(IllegalArgumentException.class, () -> base(a, a2).logDir(dir).method(TestSupport.firstModel(false)).build());
        assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a).task(TestSupport.task(1, 1)).build());
        assertThrows(IllegalArgumentException.class, () -> base(a).method(TestSupport.firstModel(false)).requestsPerMinute("zz", 10).build());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void limitTakesTheFirstExamplesOfEachSplit() {
        ScriptedModel a = new ScriptedModel("a");
        Task t = TestSupport.task(5, 40);
        RunReport r = MoCo.run().models(a).task(t).evaluator(TestSupport.EXACT).limit(7).method(TestSupport.firstModel(true)).execute();
        assertEquals(7, r.examples().size());
        assertEquals(5 + 7, a.calls.get());
    }
}

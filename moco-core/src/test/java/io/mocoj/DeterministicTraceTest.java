package io.mocoj;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.internal.engine.RunLogWriter;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Call ids and the order of trace events within an example are a function of the method's plan:
 * two runs whose calls finish in different orders (random latencies, 40 examples and nested
 * parallel blocks in flight at once) write the same run log, times apart.
 */
class DeterministicTraceTest {

    /** Answers after a random delay drawn from its own generator, so each run finishes calls in another order. */
    private static ModelEndpoint jittery(String name, long timingSeed) {
        Random delays = new Random(timingSeed);
        return new ModelEndpoint() {
            @Override public String name() { return name; }
            @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT); }
            @Override public Generation generate(GenerationRequest request) {
                long ms;
                synchronized (delays) {
                    ms = delays.nextInt(4);
                }
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                String q = request.lastUserText();
                return new Generation(name + " on " + q.substring(Math.max(0, q.length() - 24)), FinishReason.STOP,
                        new TokenUsage(q.length(), 3), List.of(), List.of());
            }
        };
    }

    /** Drafts from every model at once, then two critiques of each draft at once, tracing inside the branches. */
    private static CollaborationMethod draftAndCritique() {
        return new CollaborationMethod() {
            @Override public String name() { return "draft_and_critique"; }
            @Override public Level level() { return Level.TEXT; }
            @Override public Set<Capability> requiredCapabilities() { return Set.of(Capability.TEXT); }
            @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults(name(), List.of()); }
            @Override public MethodOutput run(MethodContext ctx) {
                ctx.trace().record("start", Map.of("models", ctx.models().size()));
                return ctx.forEachTest((ex, i) -> {
                    List<String> drafts = ctx.parallel(ctx.models(), m -> {
                        String d = ctx.answer(m, ex).text();
                        ctx.trace().record(i, "draft", Map.of("model", m.name()));
                        return d;
                    });
                    List<Integer> which = new ArrayList<>();
                    for (int k = 0; k < drafts.size(); k++) which.add(k);
                    List<String> critiques = ctx.parallel(which, k -> String.join(" | ", ctx.parallel(List.of(0, 1), round -> {
                        String c = ctx.ask(ctx.model((k + round + 1) % ctx.models().size()), "critique " + round + ": " + drafts.get(k)).text();
                        ctx.trace().record(i, "critique", Map.of("draft", k, "round", round));
                        return c;
                    })));
                    ctx.trace().record(i, "decide", Map.of("critiques", critiques.size()));
                    return drafts.get(0);
                });
            }
        };
    }

    private static String run(long timingSeed) {
        RunReport r = MoCo.run().models(jittery("a", timingSeed), jittery("b", timingSeed + 1), jittery("c", timingSeed + 2))
                .task(TestSupport.task(2, 40)).evaluator(TestSupport.EXACT).baselines(true).preflight(false).seed(7)
                .method(draftAndCritique()).execute();
        assertEquals(40 * (3 + 6), r.examples().stream().mapToInt(e -> e.calls().size()).sum());
        return EngineHardeningTest.withoutTimes(RunLogWriter.toJson(r));
    }

    @Test
    void twoRunsWithOtherTimingsWriteTheSameLogApartFromTimes() {
        String first = run(1);
        String second = run(2);
        String third = run(3);
        assertEquals(first, second);
        assertEquals(first, third);
    }

    @Test
    void idsAndTraceFollowThePlan() throws Exception {
        var log = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run(4));
        // ids: examples in order, each example's calls in plan order: drafts a, b, c, then the critiques of draft 0 (2), 1, 2
        int expected = 1;
        for (var e : log.path("examples")) {
            List<String> models = new ArrayList<>();
            for (var c : e.path("calls")) {
                assertEquals(expected++, c.path("id").asInt());
                models.add(c.path("model").asText());
            }
            assertEquals(List.of("a", "b", "c", "b", "c", "c", "a", "a", "b"), models, "plan order of example " + e.path("index"));
        }
        // within an example: draft a, b, c (each naming its own call), then critiques branch by branch, then decide (naming nothing new)
        var trace = log.path("trace");
        assertEquals("start", trace.get(0).path("event").asText());
        for (int i = 0; i < 40; i++) {
            List<String> events = new ArrayList<>();
            List<Integer> named = new ArrayList<>();
            for (var t : trace) {
                if (t.path("exampleIndex").asInt() != i) continue;
                events.add(t.path("event").asText() + (t.path("data").has("model") ? " " + t.path("data").path("model").asText()
                        : t.path("data").has("draft") ? " " + t.path("data").path("draft").asInt() + "/" + t.path("data").path("round").asInt() : ""));
                for (var c : t.path("calls")) named.add(c.asInt());
            }
            assertEquals(List.of("draft a", "draft b", "draft c", "critique 0/0", "critique 0/1", "critique 1/0", "critique 1/1",
                    "critique 2/0", "critique 2/1", "decide"), events);
            int first = 1 + 9 * i;
            List<Integer> all = new ArrayList<>();
            for (int k = 0; k < 9; k++) all.add(first + k);
            assertEquals(all, named, "every call named once, by the event after it");
        }
    }
}

package io.mocoj;

import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TokenUsage;
import io.mocoj.model.FinishReason;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Small real collaborators for engine tests: an echoing model, an exact-string evaluator, a one-model method. */
final class TestSupport {
    private TestSupport() {}

    /** A task whose example i asks "question i" and expects "answer i". */
    static Task task(int dev, int test) {
        List<Example> d = new ArrayList<>(), t = new ArrayList<>();
        for (int i = 0; i < dev; i++) d.add(Example.freeText("d" + i, "dev question " + i, "answer d" + i));
        for (int i = 0; i < test; i++) t.add(Example.freeText("t" + i, "test question " + i, "answer t" + i));
        return new Task("unit", TaskType.EXACT_MATCH, d, t);
    }

    /** Scores 1 when the response equals the reference exactly. */
    static final Evaluator EXACT = new Evaluator() {
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String r) { return r.strip(); }
        @Override public Score score(Example e, String r) { return Score.of(r.strip().equals(e.answer()) ? 1 : 0, r.strip()); }
    };

    /**
     * A model that answers "answer dN"/"answer tN" for "... question N" prompts, optionally failing
     * through {@code behaviour} (return null to answer normally, or throw).
     */
    static class ScriptedModel implements ModelEndpoint {
        final String name;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile Function<Integer, RuntimeException> failure = n -> null;
        volatile long sleepMillis;
        final Set<Capability> caps;

        ScriptedModel(String name, Capability... caps) {
            this.name = name;
            this.caps = caps.length == 0 ? Set.of(Capability.TEXT) : Set.of(caps);
        }

        @Override public String name() { return name; }
        @Override public Set<Capability> capabilities() { return caps; }

        @Override
        public Generation generate(GenerationRequest request) {
            int n = calls.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                if (sleepMillis > 0) Thread.sleep(sleepMillis);
                RuntimeException e = failure.apply(n);
                if (e != null) throw e;
                String q = request.lastUserText();
                String prefix = q.startsWith("dev") ? "d" : "t";
                String answer = "answer " + prefix + q.substring(q.lastIndexOf(' ') + 1);
                return new Generation(answer, FinishReason.STOP, new TokenUsage(10, 3), List.of(), List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** A method that asks one model every test example (and, if asked, looks at dev first). */
    static CollaborationMethod firstModel(boolean useDev, Capability... needs) {
        return new CollaborationMethod() {
            @Override public String name() { return "first_model"; }
            @Override public Level level() { return Level.API; }
            @Override public Set<Capability> requiredCapabilities() { return Set.of(needs); }
            @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults(name(), List.of()); }
            @Override public MethodOutput run(MethodContext ctx) {
                if (useDev) ctx.trace().record("best", Map.of("model", ctx.devEvaluation().best()));
                return ctx.forEachTest((ex, i) -> ctx.answer(ctx.model(0), ex).text());
            }
        };
    }
}

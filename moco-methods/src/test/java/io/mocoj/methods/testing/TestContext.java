package io.mocoj.methods.testing;

import io.mocoj.method.DevEvaluation;
import io.mocoj.method.GenerationSettings;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A sequential {@link MethodContext} for unit tests of method logic: calls models directly,
 * computes the dev evaluation once on first use, counts calls per model, records the trace.
 */
public final class TestContext implements MethodContext {
    private final List<ModelEndpoint> models;
    private final Task task;
    private final Evaluator evaluator;
    private final GenerationSettings settings;
    private final RecordingTrace trace = new RecordingTrace();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<GenerationRequest> requests = new ArrayList<>();
    private DevEvaluation dev;

    public TestContext(List<? extends ModelEndpoint> models, Task task, Evaluator evaluator, long seed) {
        this.models = List.copyOf(models);
        this.task = task;
        this.evaluator = evaluator;
        this.settings = GenerationSettings.DEFAULTS.withSeed(seed);
    }

    @Override public List<ModelEndpoint> models() { return models; }
    @Override public Task task() { return task; }
    @Override public Evaluator evaluator() { return evaluator; }
    @Override public GenerationSettings settings() { return settings; }
    @Override public RecordingTrace trace() { return trace; }

    @Override
    public synchronized Generation generate(ModelEndpoint model, GenerationRequest request) {
        calls.computeIfAbsent(model.name(), k -> new AtomicInteger()).incrementAndGet();
        requests.add(request);
        return model.generate(request);
    }

    /** Calls made to a model so far (dev evaluation included). */
    public int calls(String modelName) {
        AtomicInteger c = calls.get(modelName);
        return c == null ? 0 : c.get();
    }

    /** Every request sent, in order. */
    public synchronized List<GenerationRequest> requests() { return List.copyOf(requests); }

    @Override
    public <T, R> List<R> parallel(List<T> items, Function<T, R> work) {
        List<R> out = new ArrayList<>(items.size());
        for (T t : items) out.add(work.apply(t));
        return out;
    }

    @Override
    public synchronized DevEvaluation devEvaluation() {
        if (dev == null) {
            List<Example> examples = task.dev();
            Generation[][] gens = new Generation[models.size()][examples.size()];
            Score[][] scores = new Score[models.size()][examples.size()];
            for (int m = 0; m < models.size(); m++) {
                for (int i = 0; i < examples.size(); i++) {
                    gens[m][i] = answer(models.get(m), examples.get(i));
                    scores[m][i] = evaluator.score(examples.get(i), gens[m][i].text());
                }
            }
            dev = new DevEvaluation() {
                @Override public List<Example> examples() { return examples; }
                @Override public int modelCount() { return models.size(); }
                @Override public Generation generation(int model, int example) { return gens[model][example]; }
                @Override public Score score(int model, int example) { return scores[model][example]; }
                @Override public int failures(int model) { return 0; }
            };
        }
        return dev;
    }

    @Override
    public MethodOutput forEachTest(ExampleSolver solver) {
        List<MethodOutput.Outcome> out = new ArrayList<>();
        List<Example> test = task.test();
        for (int i = 0; i < test.size(); i++) {
            try {
                out.add(MethodOutput.Outcome.success(solver.solve(test.get(i), i)));
            } catch (Exception e) {
                out.add(MethodOutput.Outcome.failure(e.toString()));
            }
        }
        return new MethodOutput(out);
    }

    @Override
    public RandomGenerator random(String stream) {
        long h = settings.seed() * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < stream.length(); i++) h = (h ^ stream.charAt(i)) * 0x100000001B3L;
        return new SplittableRandom(h);
    }

    /** Mean score of a method output on the test split. */
    public double meanTestScore(MethodOutput output) {
        double s = 0;
        for (int i = 0; i < task.test().size(); i++) {
            MethodOutput.Outcome o = output.outcomes().get(i);
            if (!o.failed()) s += evaluator.score(task.test().get(i), o.output()).value();
        }
        return s / task.test().size();
    }
}

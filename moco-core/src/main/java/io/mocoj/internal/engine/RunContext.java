package io.mocoj.internal.engine;

import io.mocoj.ProgressEvent;
import io.mocoj.ProgressListener;
import io.mocoj.RunFailedException;
import io.mocoj.method.DevEvaluation;
import io.mocoj.method.GenerationSettings;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.MethodOutput.Outcome;
import io.mocoj.method.Trace;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** The engine's {@link MethodContext}: all threads, calls, caching and bookkeeping of a method's run. */
public final class RunContext implements MethodContext {
    private final List<ModelEndpoint> models;
    private final Task task;
    private final Evaluator evaluator;
    private final GenerationSettings settings;
    private final CallEngine engine;
    private final CallEngine.Phase phase;
    private final ProgressListener listener;
    private final TraceCollector trace;
    private final int exampleConcurrency;
    private final boolean failFast;
    private final RunJournal journal;
    private final String phaseLabel;
    private final Object devLock = new Object();
    private volatile DevEvaluation dev;
    private volatile TrainingRunner training;

    RunContext(List<ModelEndpoint> models, Task task, Evaluator evaluator, GenerationSettings settings, CallEngine engine,
               CallEngine.Phase phase, String phaseLabel, ProgressListener listener, int exampleConcurrency, boolean failFast,
               RunJournal journal) {
        this.phaseLabel = phaseLabel;
        this.models = List.copyOf(models);
        this.task = task;
        this.evaluator = evaluator;
        this.settings = settings;
        this.engine = engine;
        this.phase = phase;
        this.listener = listener;
        this.exampleConcurrency = exampleConcurrency;
        this.failFast = failFast;
        this.journal = journal;
        this.trace = new TraceCollector(phaseLabel, engine.callLog());
    }

    @Override public List<ModelEndpoint> models() { return models; }

    @Override public Task task() { return task; }

    @Override public Evaluator evaluator() { return evaluator; }

    @Override public GenerationSettings settings() { return settings; }

    @Override public Trace trace() { return trace; }

    TraceCollector traceCollector() { return trace; }

    /** Lets the method fine-tune models (see {@link MethodContext#fineTune}), writing under {@code folder} (null: in memory). */
    void enableTraining(java.nio.file.Path folder, String method, java.util.Map<String, Object> hyperparameters) {
        this.training = new TrainingRunner(folder, method, hyperparameters, settings.seed(), listener, trace);
    }

    @Override
    public io.mocoj.train.TrainedModel fineTune(ModelEndpoint model, String label, io.mocoj.train.FineTuneRequest request) {
        TrainingRunner t = training;
        if (t == null) throw new UnsupportedOperationException("training is not enabled in the " + phaseLabel + " phase");
        return t.fineTune(model, label, request);
    }

    @Override
    public java.nio.file.Path saveArtifact(String label, String fileName, io.mocoj.train.ArtifactWriter writer, java.util.Map<String, Object> details) {
        TrainingRunner t = training;
        if (t == null) throw new UnsupportedOperationException("training is not enabled in the " + phaseLabel + " phase");
        return t.saveArtifact(label, fileName, writer, details);
    }

    /**
     * The first failed model call of the test example being solved on this thread (shared with the
     * threads it starts through {@link #parallel}): an example that then fails for another reason
     * (a method finding no answer, an exception of its own) still reports the real cause.
     */
    private static final InheritableThreadLocal<AtomicReference<String>> FIRST_CALL_FAILURE = new InheritableThreadLocal<>();

    @Override
    public Generation generate(ModelEndpoint model, GenerationRequest request) {
        try {
            return engine.call(model, request, phase);
        } catch (ModelCallException e) {
            AtomicReference<String> first = FIRST_CALL_FAILURE.get();
            if (first != null) first.compareAndSet(null, e.getMessage());
            throw e;
        }
    }

    @Override
    public void recordLocalDecoding(ModelEndpoint model, io.mocoj.model.TokenUsage usage, long latencyNanos) {
        engine.recordLocal(model, usage, latencyNanos, phase);
    }

    @Override
    public <T, R> List<R> parallel(List<T> items, Function<T, R> work) {
        if (items.size() == 1) return java.util.Collections.singletonList(work.apply(items.get(0)));
        CallScope.Scope scope = CallScope.current();
        // each branch numbers its calls and trace events under its own position: their order is the plan's, not the timing's
        List<CallScope.Cursor> branches = CallScope.fork(items.size());
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (int k = 0; k < items.size(); k++) {
                T item = items.get(k);
                CallScope.Cursor cursor = branches == null ? null : branches.get(k);
                futures.add(ex.submit(() -> CallScope.with(scope, cursor, () -> work.apply(item))));
            }
            List<R> out = new ArrayList<>(items.size());
            for (Future<R> f : futures) out.add(getUnwrapped(f));
            return out;
        }
    }

    private static <R> R getUnwrapped(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    @Override
    public DevEvaluation devEvaluation() {
        DevEvaluation d = dev;
        if (d != null) return d;
        synchronized (devLock) {
            if (dev == null) dev = computeDev();
            return dev;
        }
    }

    private DevEvaluation computeDev() {
        List<Example> exs = task.dev();
        int m = models.size(), n = exs.size();
        Generation[][] gens = new Generation[m][n];
        int[] failures = new int[m];
        long start = System.nanoTime();
        listener.onEvent(new ProgressEvent.PhaseStarted("dev", m * n));
        AtomicInteger done = new AtomicInteger();
        record Job(int model, int example) {}
        List<Job> jobs = new ArrayList<>(m * n);
        for (int e = 0; e < n; e++) for (int k = 0; k < m; k++) jobs.add(new Job(k, e));
        runBounded(jobs, job -> {
            boolean failed = false;
            try {
                gens[job.model()][job.example()] = answer(models.get(job.model()), exs.get(job.example()));
            } catch (RuntimeException e) {
                failed = true;
            }
            int k = done.incrementAndGet();
            listener.onEvent(finished("dev", job.example(), k, m * n, failed, start));
        });
        engine.checkStop();
        Score[][] scores = new Score[m][];
        for (int k = 0; k < m; k++) {
            List<String> outs = new ArrayList<>(n);
            for (int e = 0; e < n; e++) {
                if (gens[k][e] == null) failures[k]++;
                outs.add(gens[k][e] == null ? null : gens[k][e].text());
            }
            scores[k] = evaluator.scoreAll(exs, outs).toArray(Score[]::new);
        }
        listener.onEvent(new ProgressEvent.PhaseFinished("dev", Duration.ofNanos(System.nanoTime() - start)));
        DevEvaluation result = new DevEvaluationImpl(exs, gens, scores, failures);
        List<Double> means = new ArrayList<>();
        for (int k = 0; k < m; k++) means.add(result.meanScore(k));
        trace.record("dev_evaluation", java.util.Map.of("models", models.stream().map(ModelEndpoint::name).toList(),
                "mean_scores", means, "failures", java.util.Arrays.stream(failures).boxed().toList()));
        return result;
    }

    @Override
    public MethodOutput forEachTest(ExampleSolver solver) {
        List<Example> exs = task.test();
        int n = exs.size();
        Outcome[] outcomes = new Outcome[n];
        long start = System.nanoTime();
        String phaseName = phaseLabel;
        listener.onEvent(new ProgressEvent.PhaseStarted(phaseName, n));
        AtomicInteger done = new AtomicInteger();
        List<Integer> indices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) indices.add(i);
        runBounded(indices, i -> {
            Example ex = exs.get(i);
            Outcome o;
            AtomicReference<String> firstCallFailure = new AtomicReference<>();
            FIRST_CALL_FAILURE.set(firstCallFailure);
            try {
                CallScope.Scope scope = new CallScope.Scope(phaseName, i);
                String out = CallScope.with(scope, engine.callLog().root(scope), () -> solve(solver, ex, i));
                engine.checkStop();
                o = out == null ? Outcome.failure(withCause("the method produced no output", null, firstCallFailure.get()))
                        : Outcome.success(out);
            } catch (RunFailedException e) {
                throw e;
            } catch (Exception e) {
                engine.checkStop();
                String why = withCause(describe(e), e, firstCallFailure.get());
                if (failFast) {
                    throw new RunFailedException("example " + i + " (id " + ex.id() + ") failed and the run is fail-fast: " + why, e);
                }
                o = Outcome.failure(why);
            } finally {
                FIRST_CALL_FAILURE.remove();
            }
            outcomes[i] = o;
            if (journal != null) journal.append(phaseName, i, ex.id(), o.output(), o.error());
            listener.onEvent(finished(phaseName, i, done.incrementAndGet(), n, o.failed(), start));
        });
        listener.onEvent(new ProgressEvent.PhaseFinished(phaseName, Duration.ofNanos(System.nanoTime() - start)));
        return new MethodOutput(List.of(outcomes));
    }

    private static String solve(ExampleSolver solver, Example ex, int i) {
        try {
            return solver.solve(ex, i);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SolverException(e);
        }
    }

    /** Carries a checked exception of a solver through {@link CallScope#with}. */
    private static final class SolverException extends RuntimeException {
        SolverException(Exception cause) { super(cause.getMessage(), cause); }
    }

    static String describe(Throwable e) {
        if (e instanceof SolverException && e.getCause() != null) e = e.getCause();
        if (e instanceof ModelCallException) return e.getMessage();
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** {@code why}, followed by the first failed model call unless {@code e} already is (or wraps) that failure. */
    private static String withCause(String why, Throwable e, String firstCallFailure) {
        if (firstCallFailure == null) return why;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ModelCallException) return why;
            if (t.getCause() == t) break;
        }
        return why + " (first failed model call: " + firstCallFailure + ")";
    }

    private static ProgressEvent finished(String phase, int index, int done, int total, boolean failed, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        long eta = done == 0 ? 0 : (long) ((double) elapsed / done * (total - done));
        return new ProgressEvent.ExampleFinished(phase, index, done, total, failed, Duration.ofNanos(elapsed), Duration.ofNanos(eta));
    }

    /**
     * Runs {@code work} for every item on virtual threads, at most {@code exampleConcurrency} at once.
     * Every item gets its thread up front and waits for a permit inside it, so a finished item hands
     * its permit straight to a waiting one. A {@link RunFailedException} (fail-fast) makes the items
     * that have not started yet skip their work, and is rethrown.
     */
    private <T> void runBounded(List<T> items, java.util.function.Consumer<T> work) {
        Semaphore permits = new Semaphore(exampleConcurrency);
        java.util.concurrent.atomic.AtomicReference<RuntimeException> stop = new java.util.concurrent.atomic.AtomicReference<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(ex.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        if (stop.get() == null) work.accept(item);
                    } catch (RunFailedException e) {
                        stop.compareAndSet(null, e);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<?> f : futures) getUnwrapped(f);
        }
        if (stop.get() != null) throw stop.get();
    }

    @Override
    public RandomGenerator random(String stream) {
        return new SplittableRandom(mix(settings.seed() * 0x9E3779B97F4A7C15L + stream.hashCode()));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package io.mocoj.method;

import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Everything a method may use while it runs. Every model call goes through the engine
 * (concurrency limits, retries, response cache, accounting, progress).
 */
public interface MethodContext {

    /** The pool, in config order. */
    List<ModelEndpoint> models();

    default ModelEndpoint model(int index) { return models().get(index); }

    /** The task (dev and test splits, possibly limited). */
    Task task();

    /** Formats prompts and scores outputs for this task. */
    Evaluator evaluator();

    /** Shared generation settings and the run seed. */
    GenerationSettings settings();

    /** Calls a model through the engine. Throws {@link io.mocoj.model.ModelCallException} after retries are exhausted. */
    Generation generate(ModelEndpoint model, GenerationRequest request);

    /** Asks a model one user prompt with the run's generation settings. */
    default Generation ask(ModelEndpoint model, String userPrompt) {
        return generate(model, settings().request(userPrompt).build());
    }

    /** Asks a model the task's formatted prompt for an example. */
    default Generation answer(ModelEndpoint model, Example example) {
        return ask(model, evaluator().prompt(example));
    }

    /**
     * Accounts work the method did itself on an in-process model through a
     * {@link io.mocoj.model.DecodingSession} (which bypasses {@link #generate}): counted as one
     * call of {@code model} with these prompt (prefilled) and completion (decoded) tokens. Call it
     * once per decoding session, when the session ends.
     */
    default void recordLocalDecoding(ModelEndpoint model, io.mocoj.model.TokenUsage usage, long latencyNanos) {}

    /** Applies {@code work} to every item concurrently (on the engine's threads) and returns results in order. */
    <T, R> List<R> parallel(List<T> items, Function<T, R> work);

    /**
     * Each model's outputs and scores on the dev split, computed once per run (and cached on disk
     * with every other call), shared by every method that asks.
     */
    DevEvaluation devEvaluation();

    /**
     * Solves every test example concurrently. A failing example is recorded as failed with its
     * error and does not stop the others (unless the run is fail-fast); finished examples are
     * written to the run log as they complete.
     */
    MethodOutput forEachTest(ExampleSolver solver);

    /**
     * Fine-tunes {@code model} (which must be a {@link io.mocoj.train.TrainableModel}) with
     * {@code request}; {@code label} names the job (letters, digits, {@code -_.}; unique in the run).
     * The engine forwards every step as a {@link io.mocoj.ProgressEvent.TrainingStep}, records the
     * job in the trace (event {@code training}: sizes, an example row, the loss of every step), and,
     * when the run has a log directory, writes the rows, the adapter (checkpoints, so a killed run
     * resumes) and a {@code manifest.json} (method, data, hyperparameters, seed, base model hash)
     * under {@code LOGDIR/training/<task>-<method>-seed<seed>/<label>/}.
     *
     * @throws IllegalArgumentException when the model cannot train or the label is bad
     */
    default io.mocoj.train.TrainedModel fineTune(ModelEndpoint model, String label, io.mocoj.train.FineTuneRequest request) {
        throw new UnsupportedOperationException("this method context cannot train models");
    }

    /**
     * Saves a trained artifact that the trainer did not write (e.g. a classifier head fitted by
     * the method): {@code writer} writes the file, which the engine puts, when the run has a log
     * directory, at {@code LOGDIR/training/<task>-<method>-seed<seed>/<label>/<fileName>} next to
     * a {@code manifest.json} (method, job, kind {@code artifact}, file, its SHA-256, the run seed,
     * the method's hyperparameters and {@code details}); the trace gets the event
     * {@code training_artifact}. {@code label} follows {@link #fineTune}'s rules and must differ
     * from every job label of the run.
     *
     * @return the written file (absolute), or {@code null} when the run keeps results in memory
     */
    default java.nio.file.Path saveArtifact(String label, String fileName, io.mocoj.train.ArtifactWriter writer,
                                            java.util.Map<String, Object> details) {
        throw new UnsupportedOperationException("this method context cannot save trained artifacts");
    }

    /** Seeded randomness for this run (deterministic for a given seed; one stream per call site name). */
    RandomGenerator random(String stream);

    /** Where the method records what it did. */
    Trace trace();

    /** Solves one test example. */
    @FunctionalInterface
    interface ExampleSolver {
        String solve(Example example, int index) throws Exception;
    }
}

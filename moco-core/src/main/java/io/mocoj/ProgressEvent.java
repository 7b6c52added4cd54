package io.mocoj;

import java.time.Duration;

/** What a run reports while it goes. Listeners receive these from many threads. */
public sealed interface ProgressEvent {

    /** A phase (dev evaluation, method, baselines) started; {@code total} is its number of examples. */
    record PhaseStarted(String phase, int total) implements ProgressEvent {}

    /** One example of a phase finished (successfully or not), with an estimate of the time left in the phase. */
    record ExampleFinished(String phase, int index, int done, int total, boolean failed, Duration elapsed, Duration eta)
            implements ProgressEvent {}

    /** A model call finished ({@code cached}: answered from the response cache). */
    record CallFinished(String model, boolean cached, boolean failed, Duration latency) implements ProgressEvent {}

    /** A transient failure is being retried after {@code delay}. */
    record Retrying(String model, int attempt, Duration delay, String reason) implements ProgressEvent {}

    /**
     * One optimiser step of a fine-tuning job a method started ({@code label} names the job,
     * {@code model} the model being trained).
     */
    record TrainingStep(String label, String model, io.mocoj.train.TrainingProgress progress) implements ProgressEvent {}

    /** A phase finished. */
    record PhaseFinished(String phase, Duration elapsed) implements ProgressEvent {}
}

package io.mocoj;

import io.mocoj.internal.engine.Runner;

/** A validated run, ready to execute (see {@link RunBuilder#build()}). Executing it twice runs it twice. */
public final class Run {
    private final Runner.Plan plan;
    private volatile java.nio.file.Path lastLogFile;

    Run(Runner.Plan plan) { this.plan = plan; }

    /**
     * Runs the method (and the single-model baselines when asked), scores the outputs, writes the
     * run log when a log directory is set, and returns the report.
     *
     * @throws RunFailedException when the run is fail-fast and an example failed
     */
    public RunReport execute() {
        Runner.Result r = Runner.run(plan);
        lastLogFile = r.logFile();
        return r.report();
    }

    /** The run log written by the last {@link #execute()}, if a log directory was set. */
    public java.util.Optional<java.nio.file.Path> logFile() { return java.util.Optional.ofNullable(lastLogFile); }

    /**
     * What {@link #execute()} would do, without calling any model: the first {@code promptsShown} prompts as they will
     * be sent, the planned calls per model and the estimated cost.
     */
    public DryRun dryRun(int promptsShown) {
        if (promptsShown < 0) throw new IllegalArgumentException("promptsShown must be >= 0, was " + promptsShown);
        return DryRun.of(plan, promptsShown);
    }

    /** Warnings found while validating (unknown hyperparameters, ignored settings). */
    public java.util.List<String> warnings() { return plan.warnings(); }
}

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

    /** Warnings found while validating (unknown hyperparameters, ignored settings). */
    public java.util.List<String> warnings() { return plan.warnings(); }
}

package io.mocoj;

import io.mocoj.internal.engine.Runner;

/** A validated run, ready to execute (see {@link RunBuilder#build()}). Executing it twice runs it twice. */
public final class Run {
    private final Runner.Plan plan;

    Run(Runner.Plan plan) { this.plan = plan; }

    /**
     * Runs the method (and the single-model baselines when asked), scores the outputs, writes the
     * run log when a log directory is set, and returns the report.
     *
     * @throws RunFailedException when the run is fail-fast and an example failed
     */
    public RunReport execute() { return Runner.run(plan); }

    /** Warnings found while validating (unknown hyperparameters, ignored settings). */
    public java.util.List<String> warnings() { return plan.warnings(); }
}

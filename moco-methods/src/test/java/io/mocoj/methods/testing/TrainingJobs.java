package io.mocoj.methods.testing;

import io.mocoj.RunReport;
import io.mocoj.internal.engine.TrainingRunner;

/** The training jobs a run traced (event {@code training}). */
public final class TrainingJobs {
    private TrainingJobs() {}

    /** The job with this label; fails when the run traced none. */
    public static TrainingRunner.TrainingJob of(RunReport r, String label) {
        return r.trace().stream().filter(e -> e.event().equals("training")).map(e -> (TrainingRunner.TrainingJob) e.data().get("job"))
                .filter(j -> j.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no training job '" + label + "' in the trace"));
    }
}

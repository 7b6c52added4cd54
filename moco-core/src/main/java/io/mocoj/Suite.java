package io.mocoj;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The same pool and method over several tasks (see {@link RunBuilder#tasks(java.util.List)}): every task's run is
 * validated before any model is called, then the runs execute one after another, each writing its own run log.
 */
public final class Suite {
    private final List<io.mocoj.task.Task> tasks;
    private final List<Run> runs;

    Suite(List<io.mocoj.task.Task> tasks, List<Run> runs) {
        this.tasks = tasks;
        this.runs = runs;
    }

    /** One run per task, in order. */
    public List<Run> runs() { return runs; }

    /** Runs every task and returns one report with a row per task and the macro average. */
    public SuiteReport execute() {
        List<RunReport> reports = new ArrayList<>();
        for (Run r : runs) reports.add(r.execute());
        return new SuiteReport(reports);
    }

    /** What each task's run would do, without calling any model (see {@link Run#dryRun(int)}). */
    public List<DryRun> dryRun(int promptsShown) {
        List<DryRun> out = new ArrayList<>();
        for (Run r : runs) out.add(r.dryRun(promptsShown));
        return out;
    }

    /** The names of the tasks, in order. */
    public List<String> taskNames() { return tasks.stream().map(io.mocoj.task.Task::name).toList(); }

    /**
     * The reports of a suite.
     *
     * @param reports one per task, in order
     */
    public record SuiteReport(List<RunReport> reports) {
        public SuiteReport {
            reports = List.copyOf(reports);
        }

        /** The unweighted mean of the per-task mean scores (each task counts once, whatever its size). */
        public double macroAverage() {
            return reports.stream().mapToDouble(RunReport::meanScore).average().orElse(Double.NaN);
        }

        /** One row per task (type, examples, failed, mean with its 95% interval) and the macro average. */
        public String toTable() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%-26s %-20s %6s %6s %8s  %s%n", "task", "type", "n", "failed", "score", "95% interval"));
            for (RunReport r : reports) {
                var s = r.summary();
                b.append(String.format(Locale.ROOT, "%-26s %-20s %6d %6d %8.4f  [%.4f, %.4f]%n", r.task(), r.taskType().configName(),
                        s.n(), s.failed(), s.mean(), s.interval().low(), s.interval().high()));
            }
            b.append(String.format(Locale.ROOT, "%-26s %-20s %6d %6s %8.4f  (unweighted mean of the %d task scores)%n", "macro average", "",
                    reports.stream().mapToInt(r -> r.summary().n()).sum(), "", macroAverage(), reports.size()));
            return b.toString();
        }
    }
}

package io.mocoj;

import io.mocoj.method.GenerationSettings;
import io.mocoj.model.Capability;
import io.mocoj.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The result of a run: per-example outputs and scores, the mean with a 95% bootstrap interval,
 * per-model usage (calls, tokens, latency, errors, cost), the single-model baselines when asked
 * for, and the method's trace.
 */
public record RunReport(
        String method,
        Map<String, Object> hyperparameters,
        String task,
        TaskType taskType,
        List<ModelInfo> models,
        GenerationSettings settings,
        List<ExampleResult> examples,
        Summary summary,
        List<Baseline> baselines,
        List<TraceEvent> trace,
        Duration wallTime,
        List<String> warnings,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) FewShot fewShot) {

    /** A report of a zero-shot run. */
    public RunReport(String method, Map<String, Object> hyperparameters, String task, TaskType taskType, List<ModelInfo> models,
                     GenerationSettings settings, List<ExampleResult> examples, Summary summary, List<Baseline> baselines,
                     List<TraceEvent> trace, Duration wallTime, List<String> warnings) {
        this(method, hyperparameters, task, taskType, models, settings, examples, summary, baselines, trace, wallTime, warnings, null);
    }

    /**
     * How few-shot prompts were built, recorded in the run log as {@code fewShot} (null, and absent from the log, for
     * zero-shot runs).
     *
     * @param numFewshot the number of solved dev examples before each prompt
     * @param seed       the seed of their selection
     * @param devIds     their ids, in the order shown
     */
    public record FewShot(int numFewshot, long seed, List<String> devIds) {
        public FewShot {
            devIds = List.copyOf(devIds);
        }
    }

    public RunReport {
        hyperparameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hyperparameters));
        models = List.copyOf(models);
        examples = List.copyOf(examples);
        baselines = List.copyOf(baselines);
        trace = List.copyOf(trace);
        warnings = List.copyOf(warnings);
    }

    /** The method's mean score. */
    public double meanScore() { return summary.mean(); }

    /** The baseline with the highest mean, if baselines were run. */
    public Optional<Baseline> bestBaseline() {
        return baselines.stream().max(Comparator.comparingDouble(b -> b.summary().mean()));
    }

    /** Whether any model of the pool is simulated. */
    public boolean usesSimulatedModels() { return models.stream().anyMatch(ModelInfo::simulated); }

    /** A model of the pool. */
    public record ModelInfo(String name, String identity, boolean simulated, Set<Capability> capabilities) {
        public ModelInfo { capabilities = Set.copyOf(capabilities); }
    }

    /**
     * One test example's outcome.
     *
     * @param prompt    the task prompt of the example (what a single model would be asked)
     * @param output    the final output, or null when the example failed
     * @param extracted the answer the evaluator extracted
     * @param error     why the example failed, or null
     */
    public record ExampleResult(int index, String id, String prompt, String output, String extracted,
                                double score, boolean scoreFailed, String error, String group) {
        public boolean failed() { return error != null; }
    }

    /** Confidence interval bounds. */
    public record Interval(double low, double high, double level) {}

    /** Mean and spread of a group of examples. */
    public record GroupScore(int n, double mean) {}

    /**
     * Scores and usage of one run (the method's, or a baseline's).
     *
     * @param usage per-model usage, in pool order
     */
    public record Summary(int n, int failed, double mean, Interval interval, Map<String, GroupScore> byGroup,
                          List<ModelUsage> usage, Duration wallTime) {
        public Summary {
            byGroup = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byGroup));
            usage = List.copyOf(usage);
        }

        public long totalCalls() { return usage.stream().mapToLong(ModelUsage::calls).sum(); }

        public long totalTokens() { return usage.stream().mapToLong(u -> u.promptTokens() + u.completionTokens()).sum(); }

        /** Total cost, or NaN when any used model has no price. */
        public double totalCost() {
            double c = 0;
            for (ModelUsage u : usage) {
                if (u.calls() == 0) continue;
                if (Double.isNaN(u.cost())) return Double.NaN;
                c += u.cost();
            }
            return c;
        }
    }

    /**
     * What one model consumed.
     *
     * @param calls            logical calls (cache hits included)
     * @param cachedCalls      calls answered from the response cache (no request sent)
     * @param failedCalls      calls that failed after retries
     * @param retries          retried attempts
     * @param promptTokens     prompt tokens of all logical calls (cache hits count what they would have cost)
     * @param completionTokens completion tokens likewise
     * @param meanLatencyMs    mean latency of calls actually sent (0 if none)
     * @param p95LatencyMs     95th percentile latency of calls actually sent
     * @param cost             cost by the model's pricing, NaN when unknown
     */
    public record ModelUsage(String model, long calls, long cachedCalls, long failedCalls, long retries,
                             long promptTokens, long completionTokens, double meanLatencyMs, double p95LatencyMs,
                             double cost) {}

    /** One model alone on the test split. */
    public record Baseline(String model, Summary summary, List<ExampleResult> examples) {
        public Baseline { examples = List.copyOf(examples); }
    }

    /** One trace entry; {@code exampleIndex} is -1 for run-level events. */
    public record TraceEvent(int exampleIndex, String event, Map<String, Object> data) {}

    /**
     * A plain-text table: the method against every single model, with intervals, failed examples,
     * calls, lost calls (calls that still failed after every retry), tokens, cost and time.
     */
    public String toTable() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"system", "score", "95% CI", "n", "failed", "calls", "lost", "tokens", "cost", "wall"});
        rows.add(row(method + (usesSimulatedModels() ? " [simulated models]" : ""), summary));
        for (Baseline b : baselines) rows.add(row("  " + b.model() + " alone", b.summary()));
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        sb.append("task ").append(task).append(" (").append(taskType.configName()).append("), method ").append(method).append('\n');
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            for (int i = 0; i < r.length; i++) {
                String cell = r[i];
                sb.append(i == 0 ? pad(cell, w[i], false) : "  " + pad(cell, w[i], true));
            }
            sb.append('\n');
            if (k == 0) sb.append("-".repeat(java.util.Arrays.stream(w).sum() + 2 * (w.length - 1))).append('\n');
        }
        bestBaseline().ifPresent(b -> sb.append(String.format(Locale.ROOT, "method - best single model (%s): %+.4f%n",
                b.model(), summary.mean() - b.summary().mean())));
        return sb.toString();
    }

    private static String[] row(String name, Summary s) {
        double cost = s.totalCost();
        return new String[] {
                name,
                String.format(Locale.ROOT, "%.4f", s.mean()),
                String.format(Locale.ROOT, "[%.4f, %.4f]", s.interval().low(), s.interval().high()),
                Integer.toString(s.n()),
                Integer.toString(s.failed()),
                Long.toString(s.totalCalls()),
                Long.toString(s.usage().stream().mapToLong(ModelUsage::failedCalls).sum()),
                Long.toString(s.totalTokens()),
                Double.isNaN(cost) ? "-" : String.format(Locale.ROOT, "%.4f", cost),
                String.format(Locale.ROOT, "%.1fs", s.wallTime().toMillis() / 1000.0)
        };
    }

    private static String pad(String s, int w, boolean right) {
        if (s.length() >= w) return s;
        String sp = " ".repeat(w - s.length());
        return right ? sp + s : s + sp;
    }
}

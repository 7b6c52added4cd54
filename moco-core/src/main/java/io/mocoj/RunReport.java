package io.mocoj;

import io.mocoj.method.GenerationSettings;
import io.mocoj.model.Capability;
import io.mocoj.task.TaskType;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
 * for, the method's trace, the models that failed too often ({@link #degraded()}: when not empty
 * the result is DEGRADED), the paired comparison with the best single model, and the record of how
 * the run was made ({@link RunRecord}).
 */
@JsonPropertyOrder({"status", "degraded", "method", "task", "taskType"})
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
        List<DegradedModel> degraded,
        Comparison comparison,
        RunRecord record,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) FewShot fewShot) {

    /** A report of a zero-shot run without health, comparison or run record (hand-built reports, tests). */
    public RunReport(String method, Map<String, Object> hyperparameters, String task, TaskType taskType, List<ModelInfo> models,
                     GenerationSettings settings, List<ExampleResult> examples, Summary summary, List<Baseline> baselines,
                     List<TraceEvent> trace, Duration wallTime, List<String> warnings) {
        this(method, hyperparameters, task, taskType, models, settings, examples, summary, baselines, trace, wallTime, warnings,
                List.of(), null, null, null);
    }

    /** A report without health, comparison or run record, with its few-shot settings. */
    public RunReport(String method, Map<String, Object> hyperparameters, String task, TaskType taskType, List<ModelInfo> models,
                     GenerationSettings settings, List<ExampleResult> examples, Summary summary, List<Baseline> baselines,
                     List<TraceEvent> trace, Duration wallTime, List<String> warnings, FewShot fewShot) {
        this(method, hyperparameters, task, taskType, models, settings, examples, summary, baselines, trace, wallTime, warnings,
                List.of(), null, null, fewShot);
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
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
    }


    /** The same report with the paired comparison set. */
    public RunReport withComparison(Comparison c) {
        return new RunReport(method, hyperparameters, task, taskType, models, settings, examples, summary, baselines, trace,
                wallTime, warnings, degraded, c, record, fewShot);
    }

    /**
     * "ok", "degraded" (a model failed too often and the run went on) or "unscored" (no example could
     * be scored, or every example failed: the mean is no score).
     */
    @JsonProperty("status")
    public String status() {
        if (!degraded.isEmpty()) return "degraded";
        if (summary.n() > 0 && !summary.hasScore()) return "unscored";
        return "ok";
    }

    /** Whether a model of the pool failed too often during the run (see {@link #degraded()}). */
    public boolean degradedResult() { return !degraded.isEmpty(); }

    /** The simulated models of the pool, by name. */
    public List<String> simulatedModels() { return models.stream().filter(ModelInfo::simulated).map(ModelInfo::name).toList(); }

    /**
     * What to tell the reader about simulated models, or empty when none was used: which models
     * were simulated and, only when all were, that no real language model was called.
     */
    public Optional<String> simulationNote() {
        List<String> sim = simulatedModels();
        if (sim.isEmpty()) return Optional.empty();
        if (sim.size() == models.size()) {
            return Optional.of("NOTE: every model of this run is SIMULATED (" + String.join(", ", sim)
                    + "): no real language model was called.");
        }
        List<String> real = models.stream().filter(m -> !m.simulated()).map(ModelInfo::name).toList();
        return Optional.of("NOTE: " + (sim.size() == 1 ? "model " : "models ") + String.join(", ", sim)
                + (sim.size() == 1 ? " is" : " are") + " SIMULATED; " + String.join(", ", real)
                + (real.size() == 1 ? " is a real model" : " are real models") + ".");
    }

    /** One line per unhealthy model, or empty: what the DEGRADED mark means for this run. */
    public Optional<String> degradedNote() {
        if (degraded.isEmpty()) return Optional.empty();
        StringBuilder sb = new StringBuilder("DEGRADED result: ");
        for (int i = 0; i < degraded.size(); i++) {
            DegradedModel d = degraded.get(i);
            if (i > 0) sb.append("; ");
            sb.append("model ").append(d.model()).append(": ").append(d.reason())
                    .append("; ").append(d.failedCalls()).append(" of ").append(d.calls()).append(" calls failed; first error: ")
                    .append(d.firstError());
        }
        return Optional.of(sb.append(". The method ran without that model's answers where they failed.").toString());
    }

    /**
     * A model that failed too often during the run.
     *
     * @param reason     which rule it broke, in words
     * @param firstError the first error it gave
     */
    public record DegradedModel(String model, long calls, long failedCalls, String reason, String firstError) {}

    /** The preflight request to one remote endpoint; {@code latencyMs} is null when it failed. */
    public record PreflightResult(String model, boolean ok, Double latencyMs, String error) {}

    /**
     * One model call made for a test example.
     *
     * @param id        unique in the run; trace events name the calls before them by id
     * @param response  the response text, or null when the call failed
     * @param latencyMs time the request took, null when no request was sent (cached)
     * @param cached    answered from the response cache or by an identical earlier request of the run
     * @param error     why the call failed, or null
     * @param cost      by the model's pricing, null when the model has no price
     */
    public record ModelCall(int id, String model, String response, long promptTokens, long completionTokens,
                            Double latencyMs, boolean cached, String error, Double cost) {}

    /**
     * The method against its best single model, example by example, over the pairs where both
     * were scored (see moco-eval's {@code Aggregation.compare}).
     *
     * @param mcNemarPValue the exact McNemar p-value, null unless every score is 0 or 1
     */
    public record Comparison(String baseline, int pairs, int wins, int ties, int losses, double meanDifference,
                             Interval interval, double bootstrapPValue, Double mcNemarPValue) {}

    /** The method's mean score. */
    public double meanScore() { return summary.mean(); }

    /** The baseline with the highest mean, if baselines were run (baselines without any score are left out). */
    public Optional<Baseline> bestBaseline() {
        return baselines.stream().filter(b -> b.summary().hasScore()).max(Comparator.comparingDouble(b -> b.summary().mean()));
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
    public record ExampleResult(int index, String id, String prompt, List<String> gold, String output, String extracted,
                                @JsonIgnore double score, boolean scoreFailed, String scoreDetail, String error, String group,
                                List<ModelCall> calls) {
        public ExampleResult {
            gold = gold == null ? List.of() : List.copyOf(gold);
            calls = calls == null ? List.of() : List.copyOf(calls);
        }

        public ExampleResult(int index, String id, String prompt, String output, String extracted,
                             double score, boolean scoreFailed, String error, String group) {
            this(index, id, prompt, List.of(), output, extracted, score, scoreFailed, "", error, group, List.of());
        }

        public boolean failed() { return error != null; }

        /** The score, or null when scoring failed (it is then no score at all). */
        @JsonProperty("score")
        public Double scoreOrNull() { return scoreFailed ? null : score; }

        /** Cost of the example's calls, null when a called model has no price. */
        @JsonProperty("cost")
        public Double cost() {
            double c = 0;
            for (ModelCall call : calls) {
                if (call.cost() == null) return null;
                c += call.cost();
            }
            return c;
        }
    }

    /** Confidence interval bounds. */
    public record Interval(double low, double high, double level) {}

    /** Mean and spread of a group of examples. */
    public record GroupScore(int n, double mean) {}

    /**
     * Scores and usage of one run (the method's, or a baseline's).
     *
     * @param usage     per-model usage, in pool order
     * @param lostVotes answers the method went on without: calls of a test example that still failed
     *                  after every retry while the example itself got an output (a vote not cast, a
     *                  candidate or a draft missing); failed calls of failed examples are in {@code failed}
     */
    public record Summary(int n, int failed, int scoreFailed, double mean, Interval interval, Map<String, GroupScore> byGroup,
                          List<ModelUsage> usage, Duration wallTime, long lostVotes) {
        public Summary {
            byGroup = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byGroup));
            usage = List.copyOf(usage);
            if (lostVotes < 0) throw new IllegalArgumentException("lostVotes must not be negative, was " + lostVotes);
        }

        /** A summary without lost votes. */
        public Summary(int n, int failed, int scoreFailed, double mean, Interval interval, Map<String, GroupScore> byGroup,
                       List<ModelUsage> usage, Duration wallTime) {
            this(n, failed, scoreFailed, mean, interval, byGroup, usage, wallTime, 0);
        }

        public Summary(int n, int failed, double mean, Interval interval, Map<String, GroupScore> byGroup,
                       List<ModelUsage> usage, Duration wallTime) {
            this(n, failed, 0, mean, interval, byGroup, usage, wallTime);
        }

        /**
         * Whether the mean means anything: some example was scored and not every example failed
         * (a run where every example failed has mean 0 by MoCo's rule, which is no score).
         */
        public boolean hasScore() { return scored() > 0 && failed < n; }

        /** Examples with a score (the mean is over these; NaN when there are none). */
        @JsonProperty("scored")
        public int scored() { return n - scoreFailed; }

        @JsonProperty("totalCalls")
        public long totalCallsJson() { return totalCalls(); }

        @JsonProperty("totalTokens")
        public long totalTokensJson() { return totalTokens(); }

        /** Total cost, null when a used model has no price. */
        @JsonProperty("totalCost")
        public Double totalCostOrNull() {
            double c = totalCost();
            return Double.isNaN(c) ? null : c;
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

    /**
     * One trace entry; {@code exampleIndex} is -1 for run-level events; {@code calls} are the ids of
     * the example's model calls ({@link ExampleResult#calls()}) made since its previous trace event.
     */
    public record TraceEvent(int exampleIndex, String event, Map<String, Object> data, List<Integer> calls) {
        public TraceEvent {
            calls = calls == null ? List.of() : List.copyOf(calls);
        }

        public TraceEvent(int exampleIndex, String event, Map<String, Object> data) { this(exampleIndex, event, data, List.of()); }
    }

    /**
     * A plain-text table: the method against every single model, with intervals, failed examples,
     * calls, lost calls (calls that still failed after every retry), lost votes (those of them the
     * method went on without, see {@link Summary#lostVotes}), tokens, cost and time.
     */
    public String toTable() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"system", "score", "95% CI", "n", "failed", "unscored", "calls", "lost", "lost votes", "tokens", "cost", "wall"});
        rows.add(row(method + (degradedResult() ? " [DEGRADED]" : "") + (usesSimulatedModels() ? " [simulated: "
                + String.join(", ", simulatedModels()) + "]" : ""), summary));
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
        degradedNote().ifPresent(n -> sb.append(n).append('\n'));
        if (record() != null) {
            for (RunRecord.ReplicaSet set : record().replicas()) {
                sb.append("replicas of ").append(set.model()).append(" (whole run):");
                for (var u : set.replicas()) {
                    sb.append(String.format(Locale.ROOT, "%n  %s: %d calls, %d failed, %d cool-downs, mean %.0f ms",
                            u.replica(), u.calls(), u.failures(), u.coolDowns(), u.meanLatencyMs()));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String[] row(String name, Summary s) {
        double cost = s.totalCost();
        return new String[] {
                name,
                s.n() > 0 && s.failed() == s.n() ? "all failed" : s.scored() == 0 ? "none"
                        : String.format(Locale.ROOT, "%.4f", s.mean()),
                !s.hasScore() ? "-" : String.format(Locale.ROOT, "[%.4f, %.4f]", s.interval().low(), s.interval().high()),
                Integer.toString(s.n()),
                Integer.toString(s.failed()),
                Integer.toString(s.scoreFailed()),
                Long.toString(s.totalCalls()),
                Long.toString(s.usage().stream().mapToLong(ModelUsage::failedCalls).sum()),
                Long.toString(s.lostVotes()),
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

package io.mocoj.internal.engine;

import io.mocoj.ProgressListener;
import io.mocoj.RunReport;
import io.mocoj.RunReport.Baseline;
import io.mocoj.RunReport.ExampleResult;
import io.mocoj.RunReport.GroupScore;
import io.mocoj.RunReport.Summary;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.ReportComparator;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a validated run: preflight of remote endpoints, the method, then (if asked) every model
 * alone, then scoring, pool health, the paired comparison and the run log. A model that turns
 * unhealthy under the STOP policy ends the run with a {@link io.mocoj.ModelFailureException}.
 */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    /**
     * Everything a run needs, already validated by the builder.
     *
     * @param judges     scoring models whose calls go through the engine (and get a preflight)
     * @param provenance where the config and the data came from, for the run record
     */
    public record Plan(List<ModelEndpoint> models, CollaborationMethod method, Task task, Evaluator evaluator,
                       GenerationSettings settings, EngineSettings engine, int exampleConcurrency, boolean failFast,
                       boolean baselines, Path logDir, ProgressListener listener, int bootstrapResamples,
                       List<String> warnings, List<EngineBoundEndpoint> judges, Provenance provenance) {
        public Plan {
            judges = judges == null ? List.of() : List.copyOf(judges);
            provenance = provenance == null ? Provenance.NONE : provenance;
        }
    }

    /**
     * @param rawConfig     the config as read (secrets removed), or null
     * @param datasetSource where the data came from, or null
     * @param datasetSha256 SHA-256 of the data file, or null (the examples are hashed instead)
     */
    public record Provenance(Map<String, Object> rawConfig, String datasetSource, String datasetSha256) {
        public static final Provenance NONE = new Provenance(null, null, null);
    }

    private Runner() {}

    private static String journalName(Plan plan) {
        return ".progress-" + RunLogWriter.safe(plan.task().name()) + "-" + RunLogWriter.safe(plan.method().name()) + ".jsonl";
    }

    /** A finished run: its report and the run log written, if any. */
    public record Result(RunReport report, Path logFile) {}

    public static Result run(Plan plan) {
        long start = System.nanoTime();
        Instant started = Instant.now();
        CallEngine engine = new CallEngine(plan.engine(), plan.listener(), plan.settings().seed());
        Path journalFile = plan.logDir() == null ? null : plan.logDir().resolve(journalName(plan));
        if (plan.logDir() != null) TempFiles.removeStale(plan.logDir());
        RunJournal journal = journalFile == null ? null : new RunJournal(journalFile);
        plan.judges().forEach(j -> j.bind(engine));
        try {
            List<RunReport.PreflightResult> preflight = List.of();
            if (plan.engine().health().preflight()) {
                List<ModelEndpoint> all = new ArrayList<>(plan.models());
                plan.judges().stream().map(EngineBoundEndpoint::delegate).filter(j -> !all.contains(j)).forEach(all::add);
                preflight = Preflight.check(all, engine);
                engine.checkStop();
            }
            RunContext ctx = new RunContext(plan.models(), plan.task(), plan.evaluator(), plan.settings(), engine,
                    CallEngine.Phase.METHOD, "method", plan.listener(), plan.exampleConcurrency(), plan.failFast(), journal);
            ctx.enableTraining(plan.logDir() == null ? null
                            : TrainingRunner.folder(plan.logDir(), plan.task().name(), plan.method().name(), plan.settings().seed()),
                    plan.method().name(), plan.method().hyperparameters().asMap());
            long methodStart = System.nanoTime();
            MethodOutput output = plan.method().run(ctx);
            engine.checkStop();
            if (output.outcomes().size() != plan.task().test().size()) {
                throw new IllegalStateException("method " + plan.method().name() + " returned " + output.outcomes().size()
                        + " outputs for " + plan.task().test().size() + " test examples");
            }
            Duration methodTime = Duration.ofNanos(System.nanoTime() - methodStart);
            List<ExampleResult> results = score(plan, output, engine, "method");
            Summary summary = summarize(results, engine.usage(plan.models(), CallEngine.Phase.METHOD), methodTime, plan);

            List<Baseline> baselines = new ArrayList<>();
            if (plan.baselines()) {
                for (ModelEndpoint model : plan.models()) {
                    String label = "baseline " + model.name();
                    RunContext bctx = new RunContext(plan.models(), plan.task(), plan.evaluator(), plan.settings(), engine,
                            CallEngine.Phase.BASELINE, label, plan.listener(), plan.exampleConcurrency(), plan.failFast(), null);
                    long bStart = System.nanoTime();
                    MethodOutput bout = bctx.forEachTest((ex, i) -> bctx.answer(model, ex).text());
                    Duration bTime = Duration.ofNanos(System.nanoTime() - bStart);
                    List<ExampleResult> bres = score(plan, bout, engine, label);
                    baselines.add(new Baseline(model.name(),
                            summarize(bres, List.of(engine.usage(model, CallEngine.Phase.BASELINE)), bTime, plan), bres));
                }
            }
            engine.health().finish();
            engine.checkStop();
            List<String> order = new ArrayList<>(plan.models().stream().map(ModelEndpoint::name).toList());
            plan.judges().forEach(j -> { if (!order.contains(j.name())) order.add(j.name()); });
            List<RunReport.DegradedModel> degraded = engine.health().degraded(order);
            List<String> warnings = new ArrayList<>(plan.warnings());
            degraded.forEach(d -> warnings.add("DEGRADED: model " + d.model() + ": " + d.reason() + "; " + d.failedCalls()
                    + " of " + d.calls() + " calls failed; first error: " + d.firstError()));
            preflight.stream().filter(p -> !p.ok()).forEach(p -> warnings.add("preflight of " + p.model() + " failed: " + p.error()));
            if (summary.n() > 0 && summary.scored() == 0) {
                warnings.add("no test example could be scored; the first reason: " + firstScoreFailure(results));
            } else if (summary.n() > 0 && summary.failed() == summary.n()) {
                warnings.add("every test example failed, so the run has no score; the first error: " + results.get(0).error());
            }
            List<RunReport.ModelInfo> infos = plan.models().stream()
                    .map(m -> new RunReport.ModelInfo(m.name(), m.identity(), m.simulated(), m.capabilities())).toList();
            List<RunReport.TraceEvent> trace = ctx.traceCollector().events();
            List<RunReport.ModelUsage> judgeUsage = plan.judges().stream().map(j -> engine.usage(j.delegate(), CallEngine.Phase.JUDGE)).toList();
            RunReport draft = new RunReport(plan.method().name(), plan.method().hyperparameters().asMap(), plan.task().name(),
                    plan.task().type(), infos, plan.settings(), results, summary, baselines, trace,
                    Duration.ofNanos(System.nanoTime() - start), warnings, degraded, null,
                    RunRecords.of(plan, started, Instant.now(), preflight, judgeUsage), fewShotOf(plan));
            RunReport report = draft.withComparison(compare(draft));
            Path written = null;
            if (plan.logDir() != null) {
                written = RunLogWriter.write(plan.logDir(), report);
                LOG.info("run log written to {}", written);
            }
            return new Result(report, written);
        } finally {
            plan.judges().forEach(EngineBoundEndpoint::unbind);
            if (journal != null) {
                journal.close();
                try {
                    Files.deleteIfExists(journalFile);
                } catch (java.io.IOException e) {
                    LOG.warn("cannot delete the progress journal {}: {}", journalFile, e.getMessage());
                }
            }
        }
    }

    /** The few-shot settings of the run's prompts, for the log (null when zero-shot). */
    private static RunReport.FewShot fewShotOf(Plan plan) {
        if (!(plan.evaluator() instanceof io.mocoj.task.FewShotEvaluator f)) return null;
        return new RunReport.FewShot(f.shots().size(), f.seed(), f.shotIds());
    }

    private static String firstScoreFailure(List<ExampleResult> results) {
        return results.stream().filter(ExampleResult::scoreFailed).map(ExampleResult::scoreDetail).findFirst().orElse("unknown");
    }

    private static RunReport.Comparison compare(RunReport report) {
        for (ReportComparator c : io.mocoj.plugin.Plugins.load(ReportComparator.class)) {
            try {
                var r = c.compareWithBestBaseline(report);
                if (r.isPresent()) return r.get();
            } catch (RuntimeException e) {
                LOG.warn("paired comparison failed: {}", e.getMessage());
            }
        }
        return null;
    }

    private static List<ExampleResult> score(Plan plan, MethodOutput output, CallEngine engine, String phase) {
        List<Example> test = plan.task().test();
        List<String> outs = output.outcomes().stream().map(MethodOutput.Outcome::output).toList();
        List<Score> scores = plan.evaluator().scoreAll(test, outs);
        List<ExampleResult> results = new ArrayList<>(test.size());
        for (int i = 0; i < test.size(); i++) {
            Example ex = test.get(i);
            MethodOutput.Outcome o = output.outcomes().get(i);
            Score s = scores.get(i);
            boolean scoreFailed = !o.failed() && s.failed();
            results.add(new ExampleResult(i, ex.id(), plan.evaluator().prompt(ex), ex.answers(), o.output(), s.extracted(),
                    o.failed() ? 0 : s.value(), scoreFailed, s.detail(), o.error(), ex.group().orElse(null),
                    engine.callLog().calls(phase, i)));
        }
        return results;
    }

    /** Means over the scored examples (an example the method failed scores 0; one that could not be scored is left out). */
    private static Summary summarize(List<ExampleResult> results, List<RunReport.ModelUsage> usage, Duration wall, Plan plan) {
        double[] xs = results.stream().filter(r -> !r.scoreFailed()).mapToDouble(ExampleResult::score).toArray();
        int failed = (int) results.stream().filter(ExampleResult::failed).count();
        int scoreFailed = (int) results.stream().filter(ExampleResult::scoreFailed).count();
        Map<String, double[]> groups = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ExampleResult r : results) {
            if (r.group() == null || r.scoreFailed()) continue;
            groups.computeIfAbsent(r.group(), g -> new double[1])[0] += r.score();
            counts.merge(r.group(), 1, Integer::sum);
        }
        Map<String, GroupScore> byGroup = new LinkedHashMap<>();
        groups.forEach((g, sum) -> byGroup.put(g, new GroupScore(counts.get(g), sum[0] / counts.get(g))));
        RunReport.Interval interval = xs.length == 0 ? new RunReport.Interval(Double.NaN, Double.NaN, 0.95)
                : Statistics.bootstrapMean(xs, plan.bootstrapResamples(), 0.95, plan.settings().seed());
        // a call that failed after every retry in an example that still got an output: the method went on without that answer
        long lostVotes = results.stream().filter(r -> !r.failed()).flatMap(r -> r.calls().stream()).filter(c -> c.error() != null).count();
        return new Summary(results.size(), failed, scoreFailed, xs.length == 0 ? Double.NaN : Statistics.mean(xs),
                interval, byGroup, usage, wall, lostVotes);
    }
}

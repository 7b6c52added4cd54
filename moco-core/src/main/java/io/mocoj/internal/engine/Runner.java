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
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Executes a validated run: the method, then (if asked) every model alone, then scoring and the run log. */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    /** Everything a run needs, already validated by the builder. */
    public record Plan(List<ModelEndpoint> models, CollaborationMethod method, Task task, Evaluator evaluator,
                       GenerationSettings settings, EngineSettings engine, int exampleConcurrency, boolean failFast,
                       boolean baselines, Path logDir, ProgressListener listener, int bootstrapResamples,
                       List<String> warnings) {}

    private Runner() {}

    private static String journalName(Plan plan) {
        return ".progress-" + RunLogWriter.safe(plan.task().name()) + "-" + RunLogWriter.safe(plan.method().name()) + ".jsonl";
    }

    /** A finished run: its report and the run log written, if any. */
    public record Result(RunReport report, Path logFile) {}

    public static Result run(Plan plan) {
        long start = System.nanoTime();
        CallEngine engine = new CallEngine(plan.engine(), plan.listener(), plan.settings().seed());
        RunJournal journal = null;
        if (plan.logDir() != null) {
            TempFiles.removeStale(plan.logDir());
            journal = new RunJournal(plan.logDir().resolve(journalName(plan)));
        }
        try {
            RunContext ctx = new RunContext(plan.models(), plan.task(), plan.evaluator(), plan.settings(), engine,
                    CallEngine.Phase.METHOD, "method", plan.listener(), plan.exampleConcurrency(), plan.failFast(), journal);
            long methodStart = System.nanoTime();
            MethodOutput output = plan.method().run(ctx);
            if (output.outcomes().size() != plan.task().test().size()) {
                throw new IllegalStateException("method " + plan.method().name() + " returned " + output.outcomes().size()
                        + " outputs for " + plan.task().test().size() + " test examples");
            }
            Duration methodTime = Duration.ofNanos(System.nanoTime() - methodStart);
            List<ExampleResult> results = score(plan, output);
            Summary summary = summarize(results, engine.usage(plan.models(), CallEngine.Phase.METHOD), methodTime, plan);

            List<Baseline> baselines = new ArrayList<>();
            if (plan.baselines()) {
                for (ModelEndpoint model : plan.models()) {
                    RunContext bctx = new RunContext(plan.models(), plan.task(), plan.evaluator(), plan.settings(), engine,
                            CallEngine.Phase.BASELINE, "baseline " + model.name(), plan.listener(), plan.exampleConcurrency(), plan.failFast(), null);
                    long bStart = System.nanoTime();
                    MethodOutput bout = bctx.forEachTest((ex, i) -> bctx.answer(model, ex).text());
                    Duration bTime = Duration.ofNanos(System.nanoTime() - bStart);
                    List<ExampleResult> bres = score(plan, bout);
                    baselines.add(new Baseline(model.name(),
                            summarize(bres, List.of(engine.usage(model, CallEngine.Phase.BASELINE)), bTime, plan), bres));
                }
            }
            List<RunReport.ModelInfo> infos = plan.models().stream()
                    .map(m -> new RunReport.ModelInfo(m.name(), m.identity(), m.simulated(), m.capabilities())).toList();
            RunReport report = new RunReport(plan.method().name(), plan.method().hyperparameters().asMap(), plan.task().name(),
                    plan.task().type(), infos, plan.settings(), results, summary, baselines,
                    ctx.traceCollector().events(), Duration.ofNanos(System.nanoTime() - start), plan.warnings(), fewShotOf(plan));
            Path written = null;
            if (plan.logDir() != null) {
                written = RunLogWriter.write(plan.logDir(), report);
                LOG.info("run log written to {}", written);
                journal.close();
                journal = null;
                Files.deleteIfExists(plan.logDir().resolve(journalName(plan)));
            }
            return new Result(report, written);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (journal != null) journal.close();
        }
    }

    /** The few-shot settings of the run's prompts, for the log (null when zero-shot). */
    private static RunReport.FewShot fewShotOf(Plan plan) {
        if (!(plan.evaluator() instanceof io.mocoj.task.FewShotEvaluator f)) return null;
        return new RunReport.FewShot(f.shots().size(), f.seed(), f.shotIds());
    }

    private static List<ExampleResult> score(Plan plan, MethodOutput output) {
        List<Example> test = plan.task().test();
        List<String> outs = output.outcomes().stream().map(MethodOutput.Outcome::output).toList();
        List<Score> scores = plan.evaluator().scoreAll(test, outs);
        List<ExampleResult> results = new ArrayList<>(test.size());
        for (int i = 0; i < test.size(); i++) {
            Example ex = test.get(i);
            MethodOutput.Outcome o = output.outcomes().get(i);
            Score s = scores.get(i);
            results.add(new ExampleResult(i, ex.id(), plan.evaluator().prompt(ex), o.output(), s.extracted(),
                    o.failed() ? 0 : s.value(), s.failed(), o.error(), ex.group().orElse(null)));
        }
        return results;
    }

    private static Summary summarize(List<ExampleResult> results, List<RunReport.ModelUsage> usage, Duration wall, Plan plan) {
        double[] xs = results.stream().mapToDouble(ExampleResult::score).toArray();
        int failed = (int) results.stream().filter(ExampleResult::failed).count();
        Map<String, double[]> groups = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ExampleResult r : results) {
            if (r.group() == null) continue;
            groups.computeIfAbsent(r.group(), g -> new double[1])[0] += r.score();
            counts.merge(r.group(), 1, Integer::sum);
        }
        Map<String, GroupScore> byGroup = new LinkedHashMap<>();
        groups.forEach((g, sum) -> byGroup.put(g, new GroupScore(counts.get(g), sum[0] / counts.get(g))));
        return new Summary(xs.length, failed, Statistics.mean(xs),
                Statistics.bootstrapMean(xs, plan.bootstrapResamples(), 0.95, plan.settings().seed()), byGroup, usage, wall);
    }
}

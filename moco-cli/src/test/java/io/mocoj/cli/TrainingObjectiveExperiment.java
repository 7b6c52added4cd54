package io.mocoj.cli;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.eval.Evaluators;
import io.mocoj.internal.engine.Statistics;
import io.mocoj.internal.engine.TrainingRunner;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.testing.RuleJudged;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntBiFunction;

/**
 * Does a training-based method's training raise its dev objective against the untrained pool? A
 * pool of zoo models (real trained networks, docs/zoo.md) runs the method on a zoo skill; then each
 * pool model and the model its last training job produced (loaded again from the job's manifest
 * spec) answer every dev prompt {@code samples} times at the run's temperature, scored by the
 * task's evaluator (top_p 0.9, {@link #MEASURE_TOP_P}; the run itself samples with top_p 1.0). The objective is the pool's mean dev score; the change is paired per dev
 * example, with a 99% percentile-bootstrap interval.
 *
 * <p><b>Simulated judging:</b> the zoo models were not trained to judge, so their replies to
 * SPARTA's peer-judge prompts follow a published rule, a verifier: a response scores
 * {@code 1 + round(9·s)}, {@code s} the task evaluator's score of it for that question. The
 * duellers, debaters, their answers and every training job are the models' own.
 */
public final class TrainingObjectiveExperiment {
    private TrainingObjectiveExperiment() {}

    /**
     * The pool, the task's size and how answers are sampled (run and measurement alike). The task is the skill's
     * {@code (2026, dev, 4)} split; a {@code test} above 4 replaces its 4 test items by {@code test} held-out items (stream
     * 2027, none with the input of a dev item), so the dev split, and with it the training, stays that of the 4-item task.
     */
    public record Setup(Skill skill, List<String> pool, int dev, int test, int samples, double temperature, int maxTokens, long seed) {
        Task task() {
            if (test <= 4) return SkillTasks.task(skill, 2026, dev, test);
            List<Map<String, Object>> devRecords = SkillTasks.splits(skill, 2026, dev, 4).get("dev");
            java.util.Set<String> devInputs = SkillTasks.inputs(devRecords);
            List<Map<String, Object>> heldOut = new ArrayList<>();
            for (Map<String, Object> rec : SkillTasks.trainingRecords(skill, 2027, 20 * test, java.util.Set.of())) {
                if (heldOut.size() < test && !devInputs.contains(SkillTasks.inputs(List.of(rec)).iterator().next())) heldOut.add(rec);
            }
            if (heldOut.size() < test) throw new IllegalStateException("only " + heldOut.size() + " held-out items of " + skill + " are not in dev");
            return io.mocoj.datasets.Datasets.custom(skill.taskName()).type(skill.type()).description(skill.description())
                    .fromRecords(devRecords, heldOut);
        }
    }

    /** A pool entry {@code MODEL} or {@code MODEL.COPY} (a copy of zoo model MODEL named so, e.g. {@code base.2}). */
    static RuleJudged poolModel(Zoo zoo, String entry, ToIntBiFunction<String, String> judge) {
        int dot = entry.indexOf('.');
        String model = dot < 0 ? entry : entry.substring(0, dot);
        ModelEndpoint loaded = zoo.load(model, io.mocoj.local.LocalModelOptions.builder().threads(1).name(entry).build());
        return new RuleJudged(loaded, judge);
    }

    /** One pool model's mean dev score before and after (the same model when it was not trained). */
    public record ModelChange(String model, String job, double before, double after) {}

    /** A method's run: its jobs, the per-model scores and the pool's paired change with its 99% interval. */
    public record Result(String method, List<TrainingRunner.TrainingJob> jobs, List<ModelChange> models, double before, double after,
                         double change, double low, double high, double seconds, List<String> data, double[] perExample,
                         VersusBest versusBest) {
        /** Tokens trained over all jobs (the runner's estimate). */
        public long tokens() { return jobs.stream().mapToLong(TrainingRunner.TrainingJob::tokens).sum(); }

        @Override public String toString() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: pool dev %.3f -> %.3f, change %+.3f [%+.3f, %+.3f] (99%%), %d jobs, %d tokens, %.0f s",
                    method, before, after, change, low, high, jobs.size(), tokens(), seconds));
            for (String d : data) s.append(String.format(Locale.ROOT, "%n  data %s", d));
            for (ModelChange m : models) s.append(String.format(Locale.ROOT, "%n  %s %.3f -> %.3f (%s)", m.model(), m.before(), m.after(), m.job()));
            for (TrainingRunner.TrainingJob j : jobs) {
                s.append(String.format(Locale.ROOT, "%n  job %s: %d rows, loss %.4f -> %.4f", j.label(), j.examples(), j.losses().get(0), j.losses().get(j.losses().size() - 1)));
            }
            if (versusBest != null) s.append("\n  ").append(versusBest);
            return s.toString();
        }
    }

    /**
     * The method's own test output against the best single model of the pool on the same test items: the method's score per
     * test item (its one answer, as the run made it) minus the best model's in the run's single-model baseline (one answer
     * per item, sampled as the method's are), paired per item with a 99% bootstrap interval. The best model is chosen on dev (the untrained models' dev scores);
     * {@code testMeans} are every untrained model's test means (the best on test is shown too, it is not the one compared).
     * {@code trainedTestMeans} and {@code testChange}: the models the dev objective measures, on the held-out test items
     * instead (same samples and seeds), with the pool's paired change; the dev objective is measured on the prompts the
     * methods trained on, these are prompts no training saw.
     */
    public record VersusBest(int items, String answered, double method, String best, double bestScore, Map<String, Double> testMeans,
                             double difference, double low, double high, double[] perItem, double[] perItemVsTestBest,
                             Map<String, Double> trainedTestMeans, double testChange, double testChangeLow, double testChangeHigh,
                             double[] perItemTestChange) {
        @Override public String toString() {
            return String.format(Locale.ROOT, "test (%d items): method %.3f (%s), best single model on dev %s %.3f; method - best %+.3f [%+.3f, %+.3f] (99%%); the run's single-model baselines on test %s"
                            + "%n  test (held out, top_p 0.9 as the dev objective): trained models %s; the pool's change %+.3f [%+.3f, %+.3f] (99%%)",
                    items, method, answered, best, bestScore, difference, low, high, testMeans, trainedTestMeans, testChange, testChangeLow, testChangeHigh);
        }
    }

    /** The trace events that describe the training data a method built (set sizes, pairs, ties). */
    static final java.util.Set<String> DATA_EVENTS = java.util.Set.of("finetuning_data", "sparta_iteration", "stackelberg_iteration");

    /** The sizes of one iteration's training data, from its trace record. */
    static String describe(Object record) {
        if (record instanceof io.mocoj.methods.text.MultiagentFinetuning.IterationData d) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "iteration %d: %d debates, %d with consensus; rows (generation/critic)",
                    d.iteration(), d.debates(), d.withConsensus()));
            for (var a : d.agents()) b.append(String.format(Locale.ROOT, " %s %d/%d", a.agent(), a.generation(), a.critic()));
            return b.toString();
        }
        if (record instanceof io.mocoj.methods.text.Sparta.IterationRecord r) {
            return String.format(Locale.ROOT, "iteration %d: %d duels, %d pairs, %d ties", r.iteration(), r.duels(), r.pairs(), r.ties());
        }
        if (record instanceof io.mocoj.methods.text.SpartaStackelberg.IterationRecord r) {
            return String.format(Locale.ROOT, "iteration %d (%s): %d duels, %d rated, %d pairs, %d ties", r.iteration(), r.algorithm(), r.duels(), r.rated(), r.pairs(), r.ties());
        }
        return String.valueOf(record);
    }

    /** The verifier judge: {@code 1 + round(9·score)} of the response for the question's example. */
    static ToIntBiFunction<String, String> verifier(Task task, Evaluator evaluator) {
        Map<String, Example> byPrompt = new HashMap<>();
        for (Example e : task.dev()) byPrompt.put(evaluator.prompt(e), e);
        for (Example e : task.test()) byPrompt.put(evaluator.prompt(e), e);
        return (question, response) -> {
            Example e = byPrompt.get(question);
            if (e == null) throw new IllegalStateException("the judge was asked about a question that is not in the task: " + question);
            return (int) (1 + Math.round(9 * evaluator.score(e, response).value()));
        };
    }

    /**
     * Runs {@code method} on the pool and measures the dev objective before and after.
     *
     * @param jobKind which jobs produce a model's "after" ({@code "-gen-"}, {@code "-dpo-"}, {@code "-grpo-"}): its last such job
     */
    public static Result run(Setup s, String label, CollaborationMethod method, String jobKind, Path logs) {
        Task task = s.task();
        Evaluator evaluator = Evaluators.forTask(task);
        Zoo zoo = Zoo.shipped();
        List<ModelEndpoint> pool = new ArrayList<>();
        for (int m = 0; m < s.pool().size(); m++) pool.add(poolModel(zoo, s.pool().get(m), verifier(task, evaluator)));
        long t0 = System.nanoTime();
        RunReport r = MoCo.run().models(pool).method(method).task(task)
                .settings(new GenerationSettings(s.maxTokens(), s.temperature(), 1.0, 4, s.seed())).seed(s.seed()).logDir(logs).execute();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (Boolean.getBoolean("training.objective.verbose")) {
            r.trace().stream().filter(e -> !e.event().equals("training") && e.exampleIndex() < 0).forEach(e -> System.err.println(e.event() + " " + e.data()));
        }
        List<String> data = r.trace().stream().filter(e -> DATA_EVENTS.contains(e.event()))
                .map(e -> describe(e.data().values().iterator().next())).toList();
        List<TrainingRunner.TrainingJob> jobs = r.trace().stream().filter(e -> e.event().equals("training"))
                .map(e -> (TrainingRunner.TrainingJob) e.data().get("job")).toList();
        Map<String, TrainingRunner.TrainingJob> last = new LinkedHashMap<>();
        List<String> names = pool.stream().map(m -> ((RuleJudged) m).model().name()).toList();
        for (TrainingRunner.TrainingJob j : jobs) if (j.label().contains(jobKind)) last.put(poolModelOf(j.model(), names), j);

        int n = task.dev().size();
        double[] diff = new double[n];
        double before = 0, after = 0;
        List<ModelChange> changes = new ArrayList<>();
        List<ModelEndpoint> trainedModels = new ArrayList<>();
        for (int m = 0; m < pool.size(); m++) {
            ModelEndpoint base = ((RuleJudged) pool.get(m)).model();
            TrainingRunner.TrainingJob job = last.get(base.name());
            ModelEndpoint trained = job == null ? base : ModelSpecs.resolve(job.spec(), SpecContext.of(null, 1));
            trainedModels.add(trained);
            double[] b = devScores(base, task, evaluator, s), a = job == null ? b : devScores(trained, task, evaluator, s);
            double mb = Statistics.mean(b), ma = Statistics.mean(a);
            for (int i = 0; i < n; i++) diff[i] += (a[i] - b[i]) / pool.size();
            before += mb / pool.size();
            after += ma / pool.size();
            changes.add(new ModelChange(base.name(), job == null ? "not trained" : job.label(), mb, ma));
        }
        var interval = Statistics.bootstrapMean(diff, 4000, 0.99, s.seed());
        VersusBest versus = Boolean.getBoolean("training.objective.best") ? versusBest(r, pool, trainedModels, changes, task, evaluator, s) : null;
        return new Result(label, jobs, changes, before, after, Statistics.mean(diff), interval.low(), interval.high(), seconds, data, diff, versus);
    }

    /** The method's test output against the pool model with the best untrained dev score ({@link VersusBest}). */
    static VersusBest versusBest(RunReport r, List<ModelEndpoint> pool, List<ModelEndpoint> trained, List<ModelChange> changes, Task task,
                                 Evaluator evaluator, Setup s) {
        int n = task.test().size();
        double[] method = new double[n];
        for (RunReport.ExampleResult e : r.examples()) method[e.index()] = e.failed() || e.scoreOrNull() == null ? 0 : e.scoreOrNull();
        Map<String, Double> means = new LinkedHashMap<>();
        double[] best = null, testBest = null;
        String bestName = null;
        double bestDev = -1, top = -1;
        Map<String, Double> trainedMeans = new LinkedHashMap<>();
        double[] testChange = new double[n];
        for (int m = 0; m < pool.size(); m++) {
            ModelEndpoint base = ((RuleJudged) pool.get(m)).model();
            // against the method's output: the engine's single-model baseline of the run, sampled exactly as the method's
            // answers are (run seed, top_p 1.0, one answer per item)
            double[] t = baseline(r, base.name(), n);
            means.put(base.name(), Statistics.mean(t));
            // the trained models on held-out items: measured as the dev objective is (top_p MEASURE_TOP_P)
            double[] u = scores(base, task.test(), evaluator, s, MEASURE_TOP_P);
            double[] a = trained.get(m) == base ? u : scores(trained.get(m), task.test(), evaluator, s, MEASURE_TOP_P);
            trainedMeans.put(base.name(), Statistics.mean(a));
            for (int i = 0; i < n; i++) testChange[i] += (a[i] - u[i]) / pool.size();
            if (changes.get(m).before() > bestDev) {
                bestDev = changes.get(m).before();
                best = t;
                bestName = base.name();
            }
            if (Statistics.mean(t) > top) {
                top = Statistics.mean(t);
                testBest = t;
            }
        }
        double[] diff = new double[n], diffTestBest = new double[n];
        for (int i = 0; i < n; i++) {
            diff[i] = method[i] - best[i];
            diffTestBest[i] = method[i] - testBest[i];
        }
        var interval = Statistics.bootstrapMean(diff, 4000, 0.99, s.seed());
        String answered = r.trace().stream().filter(e -> e.event().equals("dev_selection")).map(e -> e.data().get("selection"))
                .map(x -> x instanceof io.mocoj.methods.toolbox.Training.Selection sel
                        ? String.format(Locale.ROOT, "answered by %s, dev %.3f of %s %s", sel.chosen(), sel.devScore(), sel.candidates(), sel.devScores())
                        : String.valueOf(x)).findFirst().orElse("debate and vote");
        if (r.comparison() != null) {
            var c = r.comparison();
            answered += String.format(Locale.ROOT, "; the engine's own comparison, one sample per item: method - %s %+.3f [%+.3f, %+.3f] (%.0f%%)",
                    c.baseline(), c.meanDifference(), c.interval().low(), c.interval().high(), 100 * c.interval().level());
        }
        var change = Statistics.bootstrapMean(testChange, 4000, 0.99, s.seed());
        return new VersusBest(n, answered, Statistics.mean(method), bestName, Statistics.mean(best), means, Statistics.mean(diff), interval.low(),
                interval.high(), diff, diffTestBest, trainedMeans, Statistics.mean(testChange), change.low(), change.high(), testChange);
    }

    /** The run's single-model baseline of {@code model}: its score per test item (failures score 0). */
    static double[] baseline(RunReport r, String model, int n) {
        RunReport.Baseline b = r.baselines().stream().filter(x -> x.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the run has no baseline of " + model));
        double[] out = new double[n];
        for (RunReport.ExampleResult e : b.examples()) out[e.index()] = e.failed() || e.scoreOrNull() == null ? 0 : e.scoreOrNull();
        return out;
    }

    /**
     * The pool model a job trained: {@code model} itself, or for a model fine-tuned before (a later iteration trains
     * {@code NAME-LABEL}, e.g. {@code base-b-iter0-dpo-base-b}) the longest pool name it starts with followed by {@code -}.
     */
    static String poolModelOf(String model, List<String> names) {
        if (names.contains(model)) return model;
        String best = model;
        for (String n : names) if (model.startsWith(n + "-") && (best.equals(model) || n.length() > best.length())) best = n;
        return best;
    }

    /** A model's mean score on every dev example over {@code samples} sampled answers (seeds 1000.., the run's temperature). */
    static double[] devScores(ModelEndpoint model, Task task, Evaluator evaluator, Setup s) {
        return scores(model, task.dev(), evaluator, s, MEASURE_TOP_P);
    }

    /**
     * The nucleus mass of the dev-objective measurement: the request builder's default 0.9 (the runs themselves sample with
     * top_p 1.0); kept because the CI tests' numbers were measured so. Comparisons with a run's own output use 1.0.
     */
    static final double MEASURE_TOP_P = 0.9;

    /** A model's mean score on each of {@code examples} over {@code samples} sampled answers (seeds 1000.., the run's temperature). */
    static double[] scores(ModelEndpoint model, List<Example> examples, Evaluator evaluator, Setup s, double topP) {
        double[] out = new double[examples.size()];
        for (int i = 0; i < out.length; i++) {
            Example e = examples.get(i);
            for (int k = 0; k < s.samples(); k++) {
                String text = model.generate(GenerationRequest.builder().user(evaluator.prompt(e)).maxTokens(s.maxTokens())
                        .temperature(s.temperature()).topP(topP).seed(1000L + k).build()).text();
                out[i] += evaluator.score(e, text).value() / s.samples();
            }
        }
        return out;
    }
    /** The four method settings of the test and the benchmark: (label, method, job kind). */
    public record Arm(String label, CollaborationMethod method, String jobKind) {}

    /**
     * Every method with {@code instructions} duel instructions (SPARTA; Stackelberg DPO plays two duels per instruction) and the
     * given learning rate and epochs.
     */
    public static List<Arm> arms(int instructions, double lr, int epochs, double sftLr, int sftEpochs, int rank) {
        return List.of(
                new Arm("text_multiagent_finetuning", io.mocoj.methods.Methods.multiagentFinetuning().rounds(1).sftEpochs(sftEpochs)
                        .sftLearningRate(sftLr).loraRank(rank), "-gen-"),
                new Arm("text_multiagent_finetuning rounds2", io.mocoj.methods.Methods.multiagentFinetuning().rounds(2).sftEpochs(sftEpochs)
                        .sftLearningRate(sftLr).loraRank(rank), "-gen-"),
                new Arm("text_multiagent_finetuning iterations2", io.mocoj.methods.Methods.multiagentFinetuning().rounds(1).iterations(2)
                        .sftEpochs(sftEpochs).sftLearningRate(sftLr).loraRank(rank), "-gen-"),
                new Arm("text_multiagent_finetuning rounds2 iterations2", io.mocoj.methods.Methods.multiagentFinetuning().rounds(2).iterations(2)
                        .sftEpochs(sftEpochs).sftLearningRate(sftLr).loraRank(rank), "-gen-"),
                new Arm("text_sparta", io.mocoj.methods.Methods.sparta().iterations(1).instructions(instructions).dpoLearningRate(lr)
                        .dpoEpochs(epochs).loraRank(rank), "-dpo-"),
                new Arm("text_sparta_stackelberg dpo", io.mocoj.methods.Methods.spartaStackelberg().iterations(1)
                        .with("num_instructions", instructions).with("num_duels_per_iteration", 2 * instructions).with("dpo_learning_rate", lr).with("dpo_epoch", epochs).with("lora_rank", rank), "-dpo-"),
                new Arm("text_sparta_stackelberg grpo", io.mocoj.methods.Methods.spartaStackelberg().iterations(1).trainingAlgorithm("grpo")
                        .with("num_instructions", instructions).with("grpo_learning_rate", lr).with("grpo_epoch", epochs).with("lora_rank", rank)
                        .with("grpo_num_generations", 4), "-grpo-"));
    }

    /**
     * {@code SKILL POOL(comma) DEV SAMPLES TEMPERATURE MAX_TOKENS INSTRUCTIONS LR EPOCHS SFT_LR SFT_EPOCHS RANK SEEDS(comma) [ARM...]}:
     * runs the arms once per seed and prints their results (the benchmark behind docs/methods/training-based.md).
     */
    public static void main(String[] args) throws Exception {
        List<Arm> arms = arms(Integer.parseInt(args[6]), Double.parseDouble(args[7]), Integer.parseInt(args[8]), Double.parseDouble(args[9]),
                Integer.parseInt(args[10]), Integer.parseInt(args[11]));
        List<String> only = args.length > 13 ? List.of(args).subList(13, args.length) : List.of();
        Path logs = java.nio.file.Files.createTempDirectory("training-objective");
        Map<String, List<double[]>> bySeed = new LinkedHashMap<>();
        for (String seed : args[12].split(",")) {
            Setup s = new Setup(Skill.valueOf(args[0].toUpperCase(Locale.ROOT)), List.of(args[1].split(",")), Integer.parseInt(args[2]),
                    Integer.getInteger("training.objective.test", 4),
                    Integer.parseInt(args[3]), Double.parseDouble(args[4]), Integer.parseInt(args[5]), Long.parseLong(seed));
            for (Arm a : arms) {
                if (!only.isEmpty() && !only.contains(a.label())) continue;
                Result r = run(s, a.label(), overridden(a.method(), System.getProperty("training.objective.set", "")), a.jobKind(),
                        logs.resolve(a.label().replace(' ', '-') + "-seed" + seed));
                System.out.println("seed " + seed + " " + r);
                System.out.flush();
                bySeed.computeIfAbsent(a.label(), k -> new ArrayList<>()).add(r.perExample());
                if (r.versusBest() != null) {
                    bySeed.computeIfAbsent(a.label() + " (test) - best single model on dev", k -> new ArrayList<>()).add(r.versusBest().perItem());
                    bySeed.computeIfAbsent(a.label() + " (test) - best single model on test", k -> new ArrayList<>()).add(r.versusBest().perItemVsTestBest());
                    bySeed.computeIfAbsent(a.label() + " pool change on held-out test items", k -> new ArrayList<>()).add(r.versusBest().perItemTestChange());
                }
            }
        }
        for (var e : bySeed.entrySet()) {
            if (e.getValue().size() < 2) continue;
            System.out.println(pooled(e.getKey(), e.getValue()));
        }
        if (only.size() == 2) {
            // two arms on the same seeds and dev split: the second's dev objective against the first's, paired per dev example
            List<double[]> a = bySeed.get(only.get(0)), b = bySeed.get(only.get(1)), d = new ArrayList<>();
            for (int k = 0; k < a.size(); k++) {
                double[] x = new double[a.get(k).length];
                for (int i = 0; i < x.length; i++) x[i] = b.get(k)[i] - a.get(k)[i];
                d.add(x);
            }
            System.out.println(pooled("'" + only.get(1) + "' - '" + only.get(0) + "' (dev objective after training)", d));
        }
    }

    /**
     * {@code method} with the hyperparameters of {@code settings}, {@code key=value} pairs separated by {@code ;} (numbers are
     * passed as numbers), e.g. {@code -Dtraining.objective.set="num_iterations=2;num_duels_per_iteration=100"}.
     */
    static CollaborationMethod overridden(CollaborationMethod method, String settings) {
        for (String kv : settings.split(";")) {
            if (kv.isBlank()) continue;
            if (kv.indexOf('=') < 1) {
                throw new IllegalArgumentException("-Dtraining.objective.set: '" + kv.strip() + "' is not key=value;"
                        + " write pairs such as \"num_iterations=2;dpo_learning_rate=2e-4\"");
            }
            String key = kv.substring(0, kv.indexOf('=')).trim(), text = kv.substring(kv.indexOf('=') + 1).trim();
            Object value;
            try {
                value = text.matches("-?\\d+") ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
            } catch (NumberFormatException notANumber) {
                value = text;
            }
            method = ((io.mocoj.methods.toolbox.ConfiguredMethod<?>) method).with(key, value);
        }
        return method;
    }

    /** Several runs (seeds) of one method on the same dev split, pooled: the change and its 99% interval. */
    public record Pooled(String method, int runs, double change, double low, double high) {
        @Override public String toString() {
            return String.format(Locale.ROOT, "pooled over %d seeds %s: change %+.3f [%+.3f, %+.3f] (99%%, per example the mean over seeds)",
                    runs, method, change, low, high);
        }
    }

    /**
     * Per dev example the mean of the runs' paired changes ({@link Result#perExample}), then the 99% percentile bootstrap over
     * the dev examples (the runs share the dev split and the measuring seeds).
     */
    public static Pooled pooled(String method, List<double[]> perExample) {
        double[] mean = new double[perExample.get(0).length];
        for (double[] r : perExample) for (int i = 0; i < mean.length; i++) mean[i] += r[i] / perExample.size();
        var interval = Statistics.bootstrapMean(mean, 4000, 0.99, 1);
        return new Pooled(method, perExample.size(), Statistics.mean(mean), interval.low(), interval.high());
    }
}

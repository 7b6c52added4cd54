package io.mocoj.examples.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.eval.Aggregation;
import io.mocoj.eval.PairedComparison;
import io.mocoj.local.LocalModel;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.zoo.Skill;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.Zoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training-based collaboration on the model zoo's trained models (docs/methods/training-based.md):
 * trained against untrained, with paired 99% bootstrap intervals over the same test items and fixed seeds.
 * <ul>
 *   <li>{@code api_collm}: generator {@code weak} (LoRA SFT on the dev split), mentor {@code reverse},
 *       on {@code zoo_reverse}. One training run at threshold 0.5 writes the deferral head; the head is
 *       then loaded by {@code deferral_head} for every threshold of the curve. Threshold 1 never defers
 *       (the trained generator alone), threshold 0 always does (the mentor's greedy answer).</li>
 *   <li>{@code api_trained_router} with {@code router_base_model} {@code zoo:base}: pool {@code reverse}
 *       and {@code kbqa} on a task mixing {@code zoo_reverse} and {@code zoo_kbqa} items (each scored by its
 *       skill's evaluator); untrained (one step at a learning rate of 1e-9) against trained.</li>
 * </ul>
 *
 * <pre>java -cp … io.mocoj.examples.bench.TrainedZooBenchmark [dev] [test] [logdir]</pre>
 */
public final class TrainedZooBenchmark {
    private TrainedZooBenchmark() {}

    /** Co-LLM's outcome: the training losses, the head's likelihoods, and per threshold the test scores and deferral rate. */
    public record CoLlmResult(List<Double> sftLosses, List<Double> labelLosses, List<Double> marginalLosses, double nllUntrainedHead,
                              double nllTrainedHead, double nllGeneratorAlone, double[] thresholds, List<List<Score>> scores, double[] rates) {
        /** The paired comparison of threshold {@code a}'s scores against threshold {@code b}'s. */
        public PairedComparison compare(int a, int b) { return AGG.compare(scores.get(a), scores.get(b)); }

        public double mean(int k) { return scores.get(k).stream().mapToDouble(Score::value).average().orElse(0); }
    }

    /** The LLM router's outcome: training losses, label counts, and the untrained and trained routers' test scores. */
    public record RouterResult(List<Double> losses, Map<String, Object> data, List<Score> untrained, List<Score> trained, double fallbacksUntrained,
                               double fallbacksTrained) {
        public PairedComparison compare() { return AGG.compare(trained, untrained); }
    }

    static final Aggregation AGG = new Aggregation(2000, 0.99, 42);

    public static CoLlmResult coLlm(Zoo zoo, int dev, int test, double[] thresholds, int sftSteps, Path logDir) {
        Task task = SkillTasks.task(Skill.REVERSE, SkillTasks.DEFAULT_SEED, dev, test);
        LocalModel generator = zoo.load("weak", 1), mentor = zoo.load("reverse", 1);
        GenerationSettings s = new GenerationSettings(24, 0.0, 1.0, 4, 11);
        var method = Methods.coLlm().with("sft_max_steps", sftSteps).with("sft_learning_rate", 2e-3).with("lora_rank", 8)
                .with("head_steps", 150).with("deferral_threshold", 0.5);
        RunReport trained = MoCo.run().models(generator, mentor).method(method).task(task).settings(s).seed(11).logDir(logDir).baselines(false).execute();
        Map<String, Object> head = event(trained, "deferral_head");
        var job = trainingJob(trained, "generator");
        // the trained generator is what the head was fitted on; load it again from its manifest's spec for the curve
        ModelEndpoint tunedGenerator = io.mocoj.spec.ModelSpecs.resolve(job.spec() + (job.spec().contains("?") ? "&" : "?") + "name=weak-collm&threads=1",
                new io.mocoj.spec.SpecContext(java.util.Optional.empty(), 1));
        Path headDir = Path.of(job.directory()).resolveSibling("deferral-head");
        List<List<Score>> scores = new ArrayList<>();
        double[] rates = new double[thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            RunReport r = MoCo.run().models(tunedGenerator, mentor).method(Methods.coLlm().with("deferral_head", headDir.toString())
                    .with("deferral_threshold", thresholds[k])).task(task).settings(s).seed(11).baselines(false).execute();
            scores.add(scores(r));
            rates[k] = ((Number) event(r, "deferral_rate").get("rate")).doubleValue();
        }
        return new CoLlmResult(job.losses(), doubles(head.get("label_losses")), doubles(head.get("marginal_losses")),
                num(head.get("marginal_nll_untrained_head")), num(head.get("marginal_nll_trained_head")), num(head.get("generator_only_nll")),
                thresholds.clone(), scores, rates);
    }

    /**
     * Co-LLM's two ways of training on the same rows (weak + reverse on zoo_reverse's dev split,
     * the last {@code heldout} rows held out): the marginal negative log-likelihood of the
     * reference tokens for the untrained pool (σ = ½), and after {@code joint} and {@code separate}
     * training, on the training rows and on the held-out ones; the {@code deferral_head} trace event
     * of each run.
     */
    public static Map<String, Map<String, Object>> coLlmObjectives(Zoo zoo, int rows, int heldout, int steps, double jointHeadRate, Path logDir) {
        Task task = SkillTasks.task(Skill.REVERSE, SkillTasks.DEFAULT_SEED, rows, 4);
        LocalModel generator = zoo.load("weak", 1), mentor = zoo.load("reverse", 1);
        GenerationSettings s = new GenerationSettings(8, 0.0, 1.0, 4, 11);
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (String objective : List.of("joint", "separate")) {
            var method = Methods.coLlm().with("training_objective", objective).with("sft_max_steps", steps).with("sft_learning_rate", 2e-3)
                    .with("lora_rank", 8).with("head_steps", 150).with("heldout_num", heldout).with("joint_head_learning_rate", jointHeadRate);
            RunReport r = MoCo.run().models(generator, mentor).method(method).task(task).settings(s).seed(11).logDir(logDir.resolve(objective))
                    .baselines(false).execute();
            out.put(objective, event(r, "deferral_head"));
        }
        return out;
    }

    public static RouterResult llmRouter(Zoo zoo, int devPerSkill, int testPerSkill, int steps, Path logDir) {
        Task reverse = SkillTasks.task(Skill.REVERSE, SkillTasks.DEFAULT_SEED, devPerSkill, testPerSkill);
        Task kbqa = SkillTasks.task(Skill.KBQA, SkillTasks.DEFAULT_SEED, devPerSkill, testPerSkill);
        List<Example> dev = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < devPerSkill; i++) { dev.add(reverse.dev().get(i)); dev.add(kbqa.dev().get(i)); }
        for (int i = 0; i < testPerSkill; i++) { test.add(reverse.test().get(i)); test.add(kbqa.test().get(i)); }
        Task mixed = new Task("zoo_reverse_kbqa", TaskType.EXACT_MATCH, dev, test);
        Evaluator ev = new BySkill(io.mocoj.eval.Evaluators.forTask(reverse), io.mocoj.eval.Evaluators.forTask(kbqa), kbqa);
        List<ModelEndpoint> pool = List.of(zoo.load("reverse", 1), zoo.load("kbqa", 1));
        String spec = "gguf:" + zoo.file("base") + "?threads=2&name=router";
        var method = Methods.trainedRouter().with("router_base_model", spec).with("router_lora_rank", 8).with("router_sft_learning_rate", 3e-3)
                .with("router_sft_max_steps", steps);
        GenerationSettings s = new GenerationSettings(24, 0.0, 1.0, 4, 13);
        RunReport untrained = MoCo.run().models(pool).method(method.with("router_sft_max_steps", 1).with("router_sft_learning_rate", 1e-9))
                .task(mixed).evaluator(ev).settings(s).seed(13).baselines(false).execute();
        RunReport trained = MoCo.run().models(pool).method(method).task(mixed).evaluator(ev).settings(s).seed(13).logDir(logDir)
                .baselines(false).execute();
        return new RouterResult(trainingJob(trained, "router").losses(), event(trained, "llm_router_data"), scores(untrained), scores(trained),
                fallbacks(untrained), fallbacks(trained));
    }

    /** Scores each item with its own skill's evaluator (kbqa items are recognised by id). */
    record BySkill(Evaluator reverse, Evaluator kbqa, Task kbqaTask) implements Evaluator {
        private Evaluator of(Example e) { return kbqaTask.test().contains(e) || kbqaTask.dev().contains(e) ? kbqa : reverse; }
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return of(e).prompt(e); }
        @Override public String extractAnswer(Example e, String response) { return of(e).extractAnswer(e, response); }
        @Override public Score score(Example e, String response) { return of(e).score(e, response); }
    }

    static double fallbacks(RunReport r) { return num(event(r, "llm_router_fallbacks").get("count")); }

    static List<Score> scores(RunReport r) {
        List<Score> out = new ArrayList<>();
        for (RunReport.ExampleResult e : r.examples()) out.add(Score.of(e.score(), ""));
        return out;
    }

    /** The data of the last run-level trace event with this name. */
    static Map<String, Object> event(RunReport r, String name) {
        List<RunReport.TraceEvent> t = r.trace();
        for (int i = t.size() - 1; i >= 0; i--) if (t.get(i).exampleIndex() < 0 && t.get(i).event().equals(name)) return t.get(i).data();
        throw new IllegalStateException("run traced no event " + name);
    }

    static io.mocoj.internal.engine.TrainingRunner.TrainingJob trainingJob(RunReport r, String label) {
        for (var e : r.trace()) {
            if (e.event().equals("training") && e.data().get("job") instanceof io.mocoj.internal.engine.TrainingRunner.TrainingJob j
                    && j.label().equals(label)) return j;
        }
        throw new IllegalStateException("run traced no training job " + label);
    }

    static List<Double> doubles(Object o) {
        List<Double> out = new ArrayList<>();
        for (Object x : (List<?>) o) out.add(num(x));
        return out;
    }

    static double num(Object o) { return ((Number) o).doubleValue(); }

    static String paired(PairedComparison c) {
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f] (99%%, %d pairs: %d wins, %d ties, %d losses)", c.meanDifference(), c.low(), c.high(),
                c.pairs(), c.wins(), c.ties(), c.losses());
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("collm-objectives")) {
            int rows = Integer.parseInt(args[1]), held = Integer.parseInt(args[2]), steps = Integer.parseInt(args[3]);
            double headRate = args.length > 4 ? Double.parseDouble(args[4]) : 0.01;
            System.out.printf(Locale.ROOT, "load average %.2f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            long t0 = System.nanoTime();
            var res = coLlmObjectives(Zoo.shipped(), rows, held, steps, headRate, Path.of(System.getProperty("java.io.tmpdir"), "mocoj-collm-objectives"));
            System.out.printf(Locale.ROOT, "api_collm objectives (weak + reverse, %d rows, %d held out, %d steps, joint head rate %s), %.0f s%n", rows, held, steps, headRate,
                    (System.nanoTime() - t0) / 1e9);
            for (var e : res.entrySet()) {
                Map<String, Object> d = e.getValue();
                System.out.printf(Locale.ROOT, "  %-8s train: untrained pool %.3f, trained %.3f (generator alone %.3f); held out: untrained pool %.3f,"
                        + " trained %.3f (generator alone %.3f); losses %s%n", e.getKey(), num(d.get("untrained_pool_nll")), num(d.get("trained_nll")),
                        num(d.get("generator_only_nll")), num(d.get("heldout_untrained_pool_nll")), num(d.get("heldout_trained_nll")),
                        num(d.get("heldout_generator_only_nll")), d.get("marginal_losses"));
            }
            return;
        }
        int dev = args.length > 0 ? Integer.parseInt(args[0]) : 100, test = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path logs = Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir"), "mocoj-trained-zoo");
        System.out.printf(Locale.ROOT, "load average %.2f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Zoo zoo = Zoo.shipped();
        double[] th = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0};
        long t0 = System.nanoTime();
        CoLlmResult c = coLlm(zoo, dev, test, th, 60, logs.resolve("collm"));
        System.out.printf(Locale.ROOT, "api_collm (weak + reverse, zoo_reverse, %d dev, %d test), %.0f s%n", dev, test, (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "  generator SFT loss %.3f -> %.3f; head label loss %.3f -> %.3f, marginal %.3f -> %.3f%n", c.sftLosses().get(0),
                c.sftLosses().get(c.sftLosses().size() - 1), c.labelLosses().get(0), c.labelLosses().get(c.labelLosses().size() - 1),
                c.marginalLosses().get(0), c.marginalLosses().get(c.marginalLosses().size() - 1));
        System.out.printf(Locale.ROOT, "  marginal NLL: trained head %.3f, head at 1/2 %.3f, generator alone %.3f%n", c.nllTrainedHead(),
                c.nllUntrainedHead(), c.nllGeneratorAlone());
        for (int k = 0; k < th.length; k++) System.out.printf(Locale.ROOT, "  threshold %.2f: deferral rate %.3f, score %.3f%n", th[k], c.rates()[k], c.mean(k));
        System.out.println("  collaboration (0.5) - generator alone (1.0): " + paired(c.compare(3, th.length - 1)));
        System.out.println("  collaboration (0.5) - mentor alone (0.0): " + paired(c.compare(3, 0)));
        t0 = System.nanoTime();
        RouterResult r = llmRouter(zoo, dev / 2, test / 2, 40, logs.resolve("router"));
        System.out.printf(Locale.ROOT, "api_trained_router LLM router (zoo:base; pool reverse + kbqa), %.0f s: loss %.3f -> %.3f, rows %s, labels %s%n",
                (System.nanoTime() - t0) / 1e9, r.losses().get(0), r.losses().get(r.losses().size() - 1), r.data().get("rows"), r.data().get("labels"));
        System.out.printf(Locale.ROOT, "  untrained %.3f (fallbacks %.0f), trained %.3f (fallbacks %.0f); trained - untrained %s%n",
                mean(r.untrained()), r.fallbacksUntrained(), mean(r.trained()), r.fallbacksTrained(), paired(r.compare()));
    }

    static double mean(List<Score> s) { return s.stream().mapToDouble(Score::value).average().orElse(0); }
}

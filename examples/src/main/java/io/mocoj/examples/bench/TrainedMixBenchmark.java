package io.mocoj.examples.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.eval.PairedComparison;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.zoo.SkillTasks;
import io.mocoj.zoo.Zoo;
import io.mocoj.zoo.ZooEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training options of four methods on the zoo's specialists over the mixed-skill task
 * {@code zoo_mix} (arith, reverse and sort items in turn), where the headroom is in telling the
 * skills apart (docs/methods/training-based.md, "Trained against untrained on zoo_mix"). Each
 * method runs twice with the same seed, pool and items: untrained (the role model as it ships)
 * and trained (its training option on the dev split); the paired difference over the same test
 * items comes with a 99% bootstrap interval, and the best single model of the pool is measured
 * alone on the same items ({@link ZooEvaluation#score}, greedy).
 * <ul>
 *   <li>{@code api_trained_router}, LLM router: {@code router_base_model} {@code zoo:base}; untrained = one
 *       SFT step at learning rate 1e-9 (its replies name no model, so each query goes to the best dev model).</li>
 *   <li>{@code api_switch_generation}: switcher from {@code zoo:base}; untrained the same with one step at 1e-9.</li>
 *   <li>{@code text_llm_blender}: ranker and fuser {@code team}; untrained = no {@code train_*_on_dev}.</li>
 *   <li>{@code api_switch_generation} at {@code patch_size} 48 with {@code min_prefix_patches} 0 ({@code switcher-first}):
 *       every training prefix is empty, so a row's label is the writer whose one-patch answers scored best.</li>
 *   <li>{@code text_agglm}: aggregator {@code zoo:team}, or {@code zoo:agg} ({@code agglm-agg}; {@code agglm-agg-greedy}: greedy at
 *       test, GRPO sampling at 0.7, 2 passes); untrained = one GRPO step at 1e-9.</li>
 * </ul>
 *
 * <pre>java -cp … io.mocoj.examples.bench.TrainedMixBenchmark [dev] [test] [logdir] [methods]</pre>
 */
public final class TrainedMixBenchmark {
    private TrainedMixBenchmark() {}

    /** Tokens per answer (as {@link ZooEvaluation#MAX_TOKENS}). */
    static final int TOKENS = ZooEvaluation.MAX_TOKENS;
    /** AggLM with {@code zoo:agg}: GRPO steps, group size and learning rate. */
    static final int AGG_STEPS = 60, AGG_GROUP = 8;
    static final double AGG_LR = 2e-3;
    /** The learning rate of the "untrained" variants' single step: no weight moves measurably. */
    static final double NO_LEARNING = 1e-9;

    /** One method's outcome on the mix: both variants' test scores, the training losses, the best single model alone. */
    public record Result(String method, List<String> pool, int dev, int test, List<Score> untrained, List<Score> trained,
                         Map<String, List<Double>> losses, String bestSingle, List<Score> bestSingleScores, double seconds,
                         Map<String, Object> notes) {
        /** Trained minus untrained, paired over the test items (99% bootstrap). */
        public PairedComparison gain() { return TrainedZooBenchmark.AGG.compare(trained, untrained); }

        /** Trained minus the best single model, paired. */
        public PairedComparison vsBestSingle() { return TrainedZooBenchmark.AGG.compare(trained, bestSingleScores); }

        /** The table row of docs/methods/training-based.md. */
        public String row() {
            StringBuilder l = new StringBuilder();
            for (Map.Entry<String, List<Double>> e : losses.entrySet()) {
                List<Double> v = e.getValue();
                if (!l.isEmpty()) l.append("; ");
                l.append(String.format(Locale.ROOT, "%s %.3f → %.3f (%d steps)", e.getKey(), v.get(0), v.get(v.size() - 1), v.size()));
            }
            PairedComparison g = gain();
            String best = "not measured";
            if (bestSingleScores != null) {
                PairedComparison b = vsBestSingle();
                best = String.format(Locale.ROOT, "%s %.3f (trained − it %+.3f [%+.3f, %+.3f])", bestSingle, TrainedZooBenchmark.mean(bestSingleScores),
                        b.meanDifference(), b.low(), b.high());
            }
            return String.format(Locale.ROOT, "| %s | %s | zoo_mix | %d | %.3f | %.3f | %+.3f [%+.3f, %+.3f] | %s | %s | %.0f s |",
                    method, String.join(", ", pool), dev, TrainedZooBenchmark.mean(untrained), TrainedZooBenchmark.mean(trained), g.meanDifference(),
                    g.low(), g.high(), best, l, seconds);
        }
    }

    /** The mixed task with {@code dev} and {@code test} items (seed 2026: the registered tasks' items). */
    public static Task task(int dev, int test) { return SkillTasks.mix(SkillTasks.MIX_SKILLS, SkillTasks.DEFAULT_SEED, dev, test); }

    static GenerationSettings settings(double temperature, long seed) { return new GenerationSettings(TOKENS, temperature, 1.0, 4, seed); }

    /** The LLM router: {@code zoo:base} fine-tuned on the dev labels (which specialist solved each query). */
    public static Result llmRouter(Zoo zoo, int dev, int test, int steps, Path logDir) {
        var method = Methods.trainedRouter().with("router_base_model", spec(zoo, "base", "router")).with("router_lora_rank", 8)
                .with("router_sft_learning_rate", 3e-3).with("router_sft_max_steps", steps);
        return compare("api_trained_router (LLM router, zoo:base)", zoo, List.of("arith", "reverse", "sort"), dev, test,
                method.with("router_sft_max_steps", 1).with("router_sft_learning_rate", NO_LEARNING), method, settings(0.0, 13), logDir,
                r -> Map.of("router", TrainedZooBenchmark.trainingJob(r, "router").losses()),
                r -> Map.of("llm_router_data", TrainedZooBenchmark.event(r, "llm_router_data"), "fallbacks", TrainedZooBenchmark.fallbacks(r)));
    }

    /** Switch generation with a switcher trained from {@code zoo:base} on scored random rollouts. */
    public static Result switcher(Zoo zoo, int dev, int test, int instances, int rollouts, int patch, int steps, Path logDir) {
        return switcher(zoo, dev, test, instances, rollouts, patch, 1, steps, logDir);
    }

    /**
     * The switcher with {@code min_prefix_patches} {@code minPrefix}: with 0 and a patch as long as
     * the answer ({@link #TOKENS}), every training prefix is empty, so each row's label is the
     * writer whose one-patch answers to that dev question scored best.
     */
    public static Result switcher(Zoo zoo, int dev, int test, int instances, int rollouts, int patch, int minPrefix, int steps, Path logDir) {
        var method = Methods.switchGeneration().with("selector_base_model", spec(zoo, "base", "switcher")).with("patch_size", patch)
                .with("min_prefix_patches", minPrefix)
                .with("training_instance_num", instances).with("rollout_per_instance", rollouts).with("selector_lora_rank", 8)
                .with("selector_sft_learning_rate", 3e-3).with("selector_sft_max_steps", steps);
        return compare("api_switch_generation (switcher from zoo:base, patch " + patch + (minPrefix == 0 ? ", min prefix 0" : "") + ")", zoo, List.of("arith", "reverse", "sort"), dev, test,
                method.with("selector_sft_max_steps", 1).with("selector_sft_learning_rate", NO_LEARNING), method, settings(0.0, 17), logDir,
                r -> Map.of("switcher", TrainedZooBenchmark.trainingJob(r, "switcher").losses()),
                r -> Map.of("switcher_data", TrainedZooBenchmark.event(r, "switcher_data")));
    }

    /** LLM-Blender with {@code team} as ranker and fuser, trained on dev pairs and dev fusions. */
    public static Result llmBlender(Zoo zoo, int dev, int test, boolean ranker, boolean fuser, int steps, Path logDir) {
        var method = Methods.llmBlender().with("ranker_model_name", "team").with("fuser_model_name", "team").with("top_k", 1)
                .with("ranker_max_response_length", 4).with("sft_lora_rank", 8).with("sft_max_steps", steps)
                .with("ranker_sft_learning_rate", 3e-3).with("fuser_sft_learning_rate", 3e-3);
        String which = ranker && fuser ? "ranker + fuser" : ranker ? "ranker" : "fuser";
        return compare("text_llm_blender (" + which + " team)", zoo, List.of("team", "arith", "reverse", "sort"), dev, test, method,
                method.with("train_ranker_on_dev", ranker).with("train_fuser_on_dev", fuser), settings(0.0, 19), logDir,
                r -> {
                    Map<String, List<Double>> m = new LinkedHashMap<>();
                    if (ranker) m.put("ranker", TrainedZooBenchmark.trainingJob(r, "ranker").losses());
                    if (fuser) m.put("fuser", TrainedZooBenchmark.trainingJob(r, "fuser").losses());
                    return m;
                }, r -> Map.of());
    }

    /** AggLM with {@code zoo:team} as the aggregator, GRPO-trained on the dev solution sets. */
    public static Result aggLm(Zoo zoo, int dev, int test, int steps, int group, double lr, Path logDir) {
        return aggLm(zoo, "team", dev, test, steps, group, lr, logDir);
    }

    /**
     * AggLM with the zoo model {@code aggregator} ({@code team}, or {@code agg}: taught to name a
     * random shown solution and copy its boxed answer, so its group rewards vary), GRPO-trained on
     * the dev solution sets.
     */
    public static Result aggLm(Zoo zoo, String aggregator, int dev, int test, int steps, int group, double lr, Path logDir) {
        return aggLm(zoo, aggregator, dev, test, steps, 1, group, lr, logDir);
    }

    /** {@link #aggLm(Zoo, String, int, int, int, int, double, Path)} with {@code epochs} passes over the training prompts (capped by {@code steps}). */
    public static Result aggLm(Zoo zoo, String aggregator, int dev, int test, int steps, int epochs, int group, double lr, Path logDir) {
        return aggLm(zoo, aggregator, dev, test, steps, epochs, group, lr, 0.7, null, 23, logDir);
    }

    /**
     * AggLM with {@code zoo:agg}, greedy at test: the run's temperature is 0 (the pool's answers and
     * the aggregator's test answer are greedy), GRPO samples its groups at 0.7 ({@code grpo_temperature}),
     * 2 passes over the training prompts (136 steps at 60 dev items), group 8, learning rate 2e-3.
     */
    public static Result aggLmGreedy(Zoo zoo, int dev, int test, long seed, Path logDir) {
        return aggLmGreedy(zoo, dev, test, seed, true, logDir);
    }

    /** {@link #aggLmGreedy(Zoo, int, int, long, Path)}; without {@code bestSingle} the specialists alone are not measured. */
    public static Result aggLmGreedy(Zoo zoo, int dev, int test, long seed, boolean bestSingle, Path logDir) {
        return aggLm(zoo, "agg", dev, test, 136, 2, AGG_GROUP, AGG_LR, 0.0, 0.7, seed, Map.of(), bestSingle, true, logDir);
    }

    /**
     * AggLM with every setting given: {@code temperature} is the run's (the pool's answers, the dev
     * solution sets and the aggregator's test answer; 0 is greedy), {@code grpoTemperature} GRPO's
     * sampling temperature (null: the run's), {@code seed} the run seed.
     */
    public static Result aggLm(Zoo zoo, String aggregator, int dev, int test, int steps, int epochs, int group, double lr, double temperature,
                               Double grpoTemperature, long seed, Path logDir) {
        return aggLm(zoo, aggregator, dev, test, steps, epochs, group, lr, temperature, grpoTemperature, seed, Map.of(), true, true, logDir);
    }

    /**
     * {@link #aggLm(Zoo, String, int, int, int, int, int, double, double, Double, long, Path)} with
     * further AggLM hyperparameters ({@code extra}, e.g. {@code lora_rank} 64: the benchmark's
     * default is 16), and {@code bestSingle} false to skip measuring the specialists alone. With
     * {@code shareCache} the two runs share a response cache (under {@code logDir}), so the trained
     * run reuses the pool's dev and test answers of the untrained one (the same calls, so the same
     * answers; only the aggregator's differ, and its trained and untrained identities differ).
     */
    public static Result aggLm(Zoo zoo, String aggregator, int dev, int test, int steps, int epochs, int group, double lr, double temperature,
                               Double grpoTemperature, long seed, Map<String, Object> extra, boolean bestSingle, boolean shareCache, Path logDir) {
        var method = Methods.aggLm().with("agg_model", spec(zoo, aggregator, "aggregator")).with("lora_rank", 16).with("train_batch_size", group)
                .with("sample_size", 2).with("max_steps", steps).with("max_epochs", epochs).with("learning_rate", lr);
        if (grpoTemperature != null) method = method.with("grpo_temperature", grpoTemperature);
        for (Map.Entry<String, Object> e : extra.entrySet()) method = method.with(e.getKey(), e.getValue());
        String label = "text_agglm (aggregator zoo:" + aggregator + ", group " + group + (temperature == 0 ? ", greedy test" : "")
                + (grpoTemperature != null ? ", GRPO at " + grpoTemperature : "") + (extra.isEmpty() ? "" : ", " + extra) + ")";
        return compare(label, zoo, List.of("arith", "reverse", "sort"), dev, test,
                method.with("max_steps", 1).with("learning_rate", NO_LEARNING), method, settings(temperature, seed), logDir, shareCache ? logDir.resolve("cache") : null,
                bestSingle,
                r -> Map.of("aggregator", TrainedZooBenchmark.trainingJob(r, "aggregator").losses()),
                r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("agglm_data", TrainedZooBenchmark.event(r, "agglm_data"));
                    if (r.trace().stream().anyMatch(e -> e.event().equals("agglm_rewards"))) {
                        m.put("mean_reward_per_step", TrainedZooBenchmark.event(r, "agglm_rewards").get("mean_reward_per_step"));
                    }
                    return m;
                });
    }

    /**
     * {@code agglm-x}: AggLM with {@code zoo:agg} at the settings the system properties give (defaults
     * those of {@link #aggLmGreedy}): {@code agg.steps} (136), {@code agg.epochs} (2), {@code agg.group}
     * (8), {@code agg.lr} (2e-3), {@code agg.temperature} (0), {@code agg.grpo_temperature} (0.7),
     * {@code agg.seeds} (comma-separated run seeds, 23), {@code agg.extra} (further hyperparameters,
     * {@code key=value,...}, e.g. {@code lora_rank=64,sample_size=1}), {@code agg.best} (false: skip the
     * specialists alone), {@code agg.cache} (false: the two runs share no response cache). With several
     * seeds it prints each and the pairs pooled over them.
     */
    static Result aggLmExperiment(Zoo zoo, int dev, int test, Path logDir) {
        Map<String, Object> extra = new LinkedHashMap<>();
        String x = System.getProperty("agg.extra", "");
        for (String kv : x.isBlank() ? new String[0] : x.split(",")) {
            String[] p = kv.split("=", 2);
            Object v;
            try { v = Integer.valueOf(p[1]); } catch (NumberFormatException e) {
                try { v = Double.valueOf(p[1]); } catch (NumberFormatException e2) { v = p[1]; }
            }
            extra.put(p[0].strip(), v);
        }
        List<Score> trained = new ArrayList<>(), untrained = new ArrayList<>();
        Result last = null;
        for (String seed : System.getProperty("agg.seeds", "23").split(",")) {
            last = aggLm(zoo, "agg", dev, test, Integer.getInteger("agg.steps", 136), Integer.getInteger("agg.epochs", 2),
                    Integer.getInteger("agg.group", AGG_GROUP), Double.parseDouble(System.getProperty("agg.lr", String.valueOf(AGG_LR))),
                    Double.parseDouble(System.getProperty("agg.temperature", "0")), Double.valueOf(System.getProperty("agg.grpo_temperature", "0.7")),
                    Long.parseLong(seed.strip()), extra, Boolean.parseBoolean(System.getProperty("agg.best", "true")),
                    Boolean.parseBoolean(System.getProperty("agg.cache", "true")), logDir.resolve("seed" + seed.strip()));
            System.out.println("seed " + seed.strip() + ": " + last.row());
            System.out.println("  seed " + seed.strip() + ": " + TrainedZooBenchmark.paired(last.gain()) + "; notes " + last.notes());
            StringBuilder u = new StringBuilder(), t = new StringBuilder();
            for (Score sc : last.untrained()) u.append(sc.value() >= 1 ? '1' : '0');
            for (Score sc : last.trained()) t.append(sc.value() >= 1 ? '1' : '0');
            System.out.println("  seed " + seed.strip() + " per item, untrained " + u + "\n  seed " + seed.strip() + " per item, trained   " + t);
            trained.addAll(last.trained());
            untrained.addAll(last.untrained());
        }
        System.out.println("pooled over the seeds: " + TrainedZooBenchmark.paired(TrainedZooBenchmark.AGG.compare(trained, untrained)));
        return last;
    }

    static String spec(Zoo zoo, String model, String name) { return "gguf:" + zoo.file(model) + "?threads=2&name=" + name; }

    private static Result compare(String label, Zoo zoo, List<String> poolNames, int dev, int test, CollaborationMethod untrained,
                                  CollaborationMethod trained, GenerationSettings s, Path logDir,
                                  java.util.function.Function<RunReport, Map<String, List<Double>>> losses,
                                  java.util.function.Function<RunReport, Map<String, Object>> notes) {
        return compare(label, zoo, poolNames, dev, test, untrained, trained, s, logDir, null, true, losses, notes);
    }

    /** As above; {@code cacheDir} (may be null) is a response cache both runs share; without {@code measureBestSingle} the best single model is not measured (null). */
    private static Result compare(String label, Zoo zoo, List<String> poolNames, int dev, int test, CollaborationMethod untrained,
                                  CollaborationMethod trained, GenerationSettings s, Path logDir, Path cacheDir, boolean measureBestSingle,
                                  java.util.function.Function<RunReport, Map<String, List<Double>>> losses,
                                  java.util.function.Function<RunReport, Map<String, Object>> notes) {
        Task task = task(dev, test);
        List<ModelEndpoint> pool = new ArrayList<>();
        for (String n : poolNames) pool.add(zoo.load(n, 1));
        long t0 = System.nanoTime();
        RunReport u = MoCo.run().models(pool).method(untrained).task(task).settings(s).seed(s.seed()).cacheDir(cacheDir).baselines(false).execute();
        long t1 = System.nanoTime();
        RunReport t = MoCo.run().models(pool).method(trained).task(task).settings(s).seed(s.seed()).logDir(logDir).cacheDir(cacheDir).baselines(false).execute();
        long t2 = System.nanoTime();
        double seconds = (t2 - t0) / 1e9;
        String best = null;
        List<Score> bestScores = null;
        for (String n : measureBestSingle ? poolNames : List.<String>of()) {
            if (n.equals("team")) continue; // the role model, not one of the specialists the method routes between
            List<Score> alone = ZooEvaluation.score(zoo.load(n, 1), task);
            if (best == null || TrainedZooBenchmark.mean(alone) > TrainedZooBenchmark.mean(bestScores)) { best = n; bestScores = alone; }
        }
        Map<String, Object> n = new LinkedHashMap<>(notes.apply(t));
        n.put("untrained_notes", notes.apply(u));
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("untrained_run_s", Math.round((t1 - t0) / 1e8) / 10.0);
        time.put("trained_run_s", Math.round((t2 - t1) / 1e8) / 10.0);
        for (var e : t.trace()) {
            if (e.event().equals("training") && e.data().get("job") instanceof io.mocoj.internal.engine.TrainingRunner.TrainingJob j) {
                time.put("training_" + j.label() + "_s", Math.round(j.seconds() * 10) / 10.0);
            }
        }
        time.put("best_single_s", Math.round((System.nanoTime() - t2) / 1e8) / 10.0);
        n.put("seconds", time);
        return new Result(label, poolNames, dev, test, TrainedZooBenchmark.scores(u), TrainedZooBenchmark.scores(t), losses.apply(t), best,
                bestScores, seconds, n);
    }

    public static void main(String[] args) {
        int dev = args.length > 0 ? Integer.parseInt(args[0]) : 150, test = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        Path logs = Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir"), "mocoj-trained-mix");
        String which = args.length > 3 ? args[3] : "router,switcher,blender,agglm";
        String zooDir = System.getProperty("zoo.dir"); // another built zoo (e.g. one with a re-trained agg), else the shipped one
        Zoo zoo = zooDir == null ? Zoo.shipped() : Zoo.open(Path.of(zooDir));
        System.out.printf(Locale.ROOT, "load average %.2f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Result> out = new ArrayList<>();
        for (String m : which.split(",")) {
            Result r = switch (m) {
                case "router" -> llmRouter(zoo, dev, test, 40, logs.resolve("router"));
                case "switcher" -> switcher(zoo, dev, test, dev, 4, 8, 60, logs.resolve("switcher"));
                case "switcher-first" -> switcher(zoo, dev, test, dev, 6, TOKENS, 0, 60, logs.resolve("switcher-first"));
                case "blender" -> llmBlender(zoo, dev, test, true, true, 60, logs.resolve("blender"));
                case "blender-ranker" -> llmBlender(zoo, dev, test, true, false, 60, logs.resolve("blender-ranker"));
                case "blender-fuser" -> llmBlender(zoo, dev, test, false, true, 60, logs.resolve("blender-fuser"));
                case "agglm" -> aggLm(zoo, dev, test, 60, 4, 2e-3, logs.resolve("agglm"));
                case "agglm-agg" -> aggLm(zoo, "agg", dev, test, Integer.getInteger("agg.steps", AGG_STEPS), Integer.getInteger("agg.epochs", 1),
                        Integer.getInteger("agg.group", AGG_GROUP), Double.parseDouble(System.getProperty("agg.lr", String.valueOf(AGG_LR))),
                        Double.parseDouble(System.getProperty("agg.temperature", "0.7")),
                        System.getProperty("agg.grpo_temperature") == null ? null : Double.valueOf(System.getProperty("agg.grpo_temperature")),
                        Long.getLong("agg.seed", 23), logs.resolve("agglm-agg"));
                case "agglm-agg-greedy" -> aggLmGreedy(zoo, dev, test, Long.getLong("agg.seed", 23), logs.resolve("agglm-agg-greedy"));
                case "agglm-x" -> aggLmExperiment(zoo, dev, test, logs.resolve("agglm-x"));
                default -> throw new IllegalArgumentException("unknown method " + m + "; use router, switcher, switcher-first, blender, blender-ranker, blender-fuser, agglm, agglm-agg, agglm-agg-greedy, agglm-x");
            };
            out.add(r);
            System.out.println(r.row());
            System.out.println("  " + TrainedZooBenchmark.paired(r.gain()) + "; notes " + r.notes());
            System.out.printf(Locale.ROOT, "  load average %.2f, process CPU %.0f s so far%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
        }
        System.out.println("| method | pool | task | dev items | untrained | trained | trained − untrained [99%] | best single model | training loss first → last | wall time |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : out) System.out.println(r.row());
    }
}

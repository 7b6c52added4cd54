package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code text_agglm} (Zhao et al., "The Majority is not always right: RL training for solution
 * aggregation"): an aggregator model is trained with reinforcement learning from verifiable rewards
 * to combine the pool's solutions.
 * <ol>
 *   <li>On (a {@code ratio} share of) dev, every model writes {@code sample_size} solutions per
 *       question; the {@code j}-th solution of every model forms solution set {@code j}.</li>
 *   <li>A set is <em>hard</em> when its most frequent extracted answer (the first one seen among
 *       equals) is wrong, else <em>easy</em>; all hard sets and as many easy ones (a seeded sample)
 *       become the training prompts: the question with the set's solutions.</li>
 *   <li>GRPO fine-tunes the aggregator ({@code agg_model}) with LoRA (rank 64, alpha 16, dropout 0.1
 *       on q/k/v/o), {@code train_batch_size} completions per prompt, reward 1 when the aggregated
 *       answer is correct (the task's score of it).</li>
 *   <li>At test every model answers once and the trained aggregator combines the answers.</li>
 * </ol>
 */
public final class AggLm extends ConfiguredMethod<AggLm> {
    public static final String NAME = "text_agglm";
    private static final Logger LOG = LoggerFactory.getLogger(AggLm.class);

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.text("agg_model", null, "the aggregator to train: a pool model's name or a model spec (default: the first pool model)"),
            ParameterSpec.real("learning_rate", 1e-4, 0, 1, "GRPO peak learning rate"),
            ParameterSpec.real("weight_decay", 1e-5, 0, 1, "AdamW weight decay"),
            ParameterSpec.choice("lr_scheduler", "cosine", List.of("cosine", "linear", "constant"), "learning-rate schedule"),
            ParameterSpec.integer("max_epochs", 1, 1, 1000, "passes over the training prompts"),
            ParameterSpec.integer("train_batch_size", 4, 2, 1024, "GRPO group size: completions sampled per training prompt"),
            ParameterSpec.integer("sample_size", 2, 1, 1000, "solution sets sampled per dev question"),
            ParameterSpec.real("ratio", 1.0, 0.0, 1.0, "share of the dev split used"),
            ParameterSpec.integer("max_steps", 0, 0, Integer.MAX_VALUE, "MoCo-J: cap on optimiser steps (0: max_epochs passes)"),
            ParameterSpec.real("grpo_temperature", null, 0.0, 10.0,
                    "MoCo-J: sampling temperature of GRPO's completions (default: the run's temperature, which the test answers use)"),
            ParameterSpec.integer("lora_rank", 64, 1, 4096, "MoCo-J: LoRA rank (MoCo fixes 64)"),
            ParameterSpec.real("lora_alpha", 16.0, 1e-9, 1e9, "MoCo-J: LoRA alpha (MoCo fixes 16)"),
            ParameterSpec.real("lora_dropout", 0.1, 0.0, 0.99, "MoCo-J: LoRA dropout (MoCo fixes 0.1)"),
            ParameterSpec.text("agglm_log_path", null, "MoCo's cache directory: accepted and ignored (results go under the run's log directory)"),
            new ParameterSpec("reuse_log", ParameterSpec.Type.INT, null, "0 or 1", null, "MoCo's cache reuse: accepted and ignored"));

    private final Hyperparameters h;

    AggLm(MethodFactory factory, Hyperparameters h) {
        super(factory, h);
        this.h = h;
    }

    /** A copy training this aggregator (a pool model's name or a model spec). */
    public AggLm aggregator(String nameOrSpec) { return with("agg_model", nameOrSpec); }

    /** A copy with {@code s} solution sets per dev question. */
    public AggLm sampleSize(int s) { return with("sample_size", s); }

    /** A copy with this GRPO group size. */
    public AggLm groupSize(int n) { return with("train_batch_size", n); }

    /** A copy stopping GRPO after {@code steps} optimiser steps (0: {@code max_epochs} passes). */
    public AggLm maxSteps(int steps) { return with("max_steps", steps); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        Debate.requireTeam(NAME, models, 2);
        Training.trainable(NAME, "agg_model", h.getString("agg_model"), models, 0);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        ModelEndpoint aggregator = Training.trainable(NAME, "agg_model", h.getString("agg_model"), models, 0);
        if (h.getString("agg_model") == null) LOG.warn("{}: no agg_model given; training the first pool model, {}", NAME, aggregator.name());
        DevScores.requireDev(context, NAME);
        List<Example> dev = DevScores.share(context, h.getDouble("ratio"));
        int s = h.getInt("sample_size");

        // 1. solution sets on dev, scored
        List<List<SolutionSet>> perQuestion = context.parallel(dev, e -> sampleSets(context, e, s));
        List<SolutionSet> sets = new ArrayList<>();
        perQuestion.forEach(sets::addAll);
        long incomplete = sets.stream().filter(x -> x.solutions() == null).count();
        List<SolutionSet> complete = sets.stream().filter(x -> x.solutions() != null).toList();

        // 2. hard sets and as many easy ones
        Selection selection = select(complete, context.settings().seed());
        Map<String, Example> byPrompt = new LinkedHashMap<>();
        List<TrainingExample> rows = new ArrayList<>();
        for (SolutionSet set : selection.training()) {
            String prompt = aggregationPrompt(context.evaluator().prompt(set.example()), set.solutions());
            byPrompt.putIfAbsent(prompt, set.example());
            rows.add(new TrainingExample.Prompt(prompt, set.example().answers().isEmpty() ? null : set.example().answers().get(0)));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dev_questions", dev.size());
        data.put("solution_sets", sets.size());
        data.put("incomplete_sets", incomplete);
        data.put("hard", selection.hard());
        data.put("easy", selection.easy());
        data.put("easy_kept", selection.easyKept());
        data.put("training_prompts", rows.size());
        context.trace().record("agglm_data", data);

        // 3. GRPO on the aggregator
        ModelEndpoint trained = aggregator;
        List<Double> rewards = java.util.Collections.synchronizedList(new ArrayList<>());
        if (rows.isEmpty()) {
            LOG.warn("{}: no hard solution set on dev (the majority is always right), so there is nothing to train on; the aggregator"
                    + " runs untrained", NAME);
            context.trace().record("agglm_untrained", Map.of("reason", "no hard solution sets on dev"));
        } else {
            io.mocoj.train.TrainedModel ft = context.fineTune(aggregator, "aggregator", FineTuneRequest.builder(TrainingObjective.GRPO, rows)
                    .epochs(h.getInt("max_epochs")).steps(h.getInt("max_steps")).learningRate(h.getDouble("learning_rate"))
                    .loraRank(h.getInt("lora_rank")).seed(context.settings().seed()).suffix("agglm")
                    .reward(Training.taskReward(context, byPrompt))
                    .option("lora_alpha", h.getDouble("lora_alpha")).option("lora_dropout", h.getDouble("lora_dropout"))
                    .option("lora_targets", List.of("q", "k", "v", "o")).option("group_size", h.getInt("train_batch_size"))
                    .option("prompts_per_step", 1).option("max_completion_tokens", context.settings().maxResponseLength())
                    .option("temperature", rolloutTemperature(context)).option("weight_decay", h.getDouble("weight_decay"))
                    .option("schedule", h.getString("lr_scheduler")).listener(p -> rewards.add(p.metrics().getOrDefault("reward", Double.NaN)))
                    .build());
            trained = ft.model();
            context.trace().record("agglm_rewards", Map.of("mean_reward_per_step", List.copyOf(rewards)));
        }

        // 4. test: every model answers, the aggregator combines
        ModelEndpoint agg = trained;
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<String> solutions = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (ModelEndpoint m : models) {
                try {
                    solutions.add(context.answer(m, example).text());
                } catch (ModelCallException e) {
                    failed.add(m.name());
                }
            }
            if (solutions.isEmpty()) throw new IllegalStateException("every model's call failed: " + failed);
            String out = context.ask(agg, aggregationPrompt(question, solutions)).text();
            context.trace().record(index, "aggregation", Map.of("solutions", solutions.size(), "failed_models", failed));
            return out;
        });
    }

    /** GRPO's sampling temperature: {@code grpo_temperature}, else the run's. */
    private double rolloutTemperature(MethodContext context) {
        return h.asMap().get("grpo_temperature") instanceof Double t ? t : context.settings().temperature();
    }

    /** The {@code s} solution sets of one dev question (null solutions when a call failed after retries). */
    private static List<SolutionSet> sampleSets(MethodContext context, Example e, int s) {
        List<SolutionSet> out = new ArrayList<>();
        for (int j = 0; j < s; j++) {
            List<String> texts = new ArrayList<>(), answers = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            boolean ok = true;
            for (ModelEndpoint m : context.models()) {
                Generation g;
                try {
                    g = j == 0 ? context.answer(m, e) // the first set is what dev evaluation asks (cached)
                            : context.generate(m, context.settings().request(context.evaluator().prompt(e)).seed(context.settings().seed() + j).build());
                } catch (ModelCallException ex) {
                    ok = false;
                    break;
                }
                Score score = context.evaluator().score(e, g.text());
                texts.add(g.text());
                answers.add(score.extracted());
                scores.add(score.value());
            }
            out.add(ok ? new SolutionSet(e, texts, answers, scores) : new SolutionSet(e, null, null, null));
        }
        return out;
    }

    /** One sampled solution per model for one question: texts, extracted answers and scores. */
    record SolutionSet(Example example, List<String> solutions, List<String> answers, List<Double> scores) {}

    /** The training sets: every hard set, then the kept easy sets; with the counts. */
    record Selection(List<SolutionSet> training, int hard, int easy, int easyKept) {}

    /**
     * Hard sets (the most frequent extracted answer, first seen among equals, scores below 1) and a
     * seeded sample of as many easy sets (all of them when there are fewer), in their dev order.
     */
    static Selection select(List<SolutionSet> sets, long seed) {
        List<SolutionSet> hard = new ArrayList<>(), easy = new ArrayList<>();
        for (SolutionSet set : sets) (isHard(set.answers(), set.scores()) ? hard : easy).add(set);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < easy.size(); i++) idx.add(i);
        Collections.shuffle(idx, new java.util.Random(new SplittableRandom(seed ^ 0xA661L).nextLong()));
        List<Integer> keep = new ArrayList<>(idx.subList(0, Math.min(easy.size(), hard.size())));
        Collections.sort(keep);
        List<SolutionSet> training = new ArrayList<>(hard);
        for (int i : keep) training.add(easy.get(i));
        return new Selection(training, hard.size(), easy.size(), keep.size());
    }

    /** Whether the majority answer (the first of the most frequent, empty answers included) is wrong. */
    static boolean isHard(List<String> answers, List<Double> scores) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String a : answers) counts.merge(a == null ? "" : a, 1, Integer::sum);
        String majority = null;
        int best = 0;
        for (Map.Entry<String, Integer> c : counts.entrySet()) if (c.getValue() > best) { best = c.getValue(); majority = c.getKey(); }
        int first = 0;
        while (!(answers.get(first) == null ? "" : answers.get(first)).equals(majority)) first++;
        return scores.get(first) < 1;
    }

    /** The question, the numbered solutions, and the request to produce one corrected final solution (what the aggregator is sent). */
    public static String aggregationPrompt(String question, List<String> solutions) {
        StringBuilder b = new StringBuilder("Problem:\n").append(question).append("\n\nProposed solutions:\n");
        for (int i = 0; i < solutions.size(); i++) {
            b.append("\n--- Solution ").append(i + 1).append(" ---\n").append(solutions.get(i).strip()).append('\n');
        }
        return b.append("\nSome, all or none of these solutions may be right. Check them, fix their mistakes, combine what is useful,"
                + " and write one complete, correct solution. Give the final answer in the format the solutions use.").toString();
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() {
            return "an aggregator trained by GRPO on dev solution sets where the majority is wrong combines the models' solutions";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public AggLm create(Hyperparameters hp) { return new AggLm(this, hp); }
    }
}

package io.mocoj.methods.api;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Continuations;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.task.Example;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.methods.toolbox.PeerJudge;
import io.mocoj.methods.toolbox.Prompts;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code api_switch_generation} (Feng et al., "Don't Throw Away Your Pretrained Model"): the
 * models write the answer together in patches of at most {@code patch_size} tokens; before each
 * patch a selector model reads the query and the patches so far (each tagged with its writer)
 * and names the model that writes the next one.
 *
 * <ol>
 *   <li>For each of the {@code max_response_length / patch_size} rounds: ask the selector; a
 *       reply naming no model picks one uniformly at random (seeded), as MoCo does.</li>
 *   <li>The chosen model continues the answer for up to {@code patch_size} tokens.</li>
 *   <li>A patch that ends before its token budget (the writer stopped) ends the answer, unless
 *       {@code wait_flag}, which appends " Wait," and goes on (s1-style); with
 *       {@code objective_flag} the last patch starts from " The final answer is".</li>
 * </ol>
 * The selector is the pool model named by {@code selector_model_name}. Without one, as in MoCo, a
 * switcher is trained first from {@code selector_base_model} (a pool model's name or a model spec
 * with capability TRAIN; default the first pool model):
 * <ol>
 *   <li>{@code training_instance_num} times: a dev question (seeded choice), a prefix of 1 (or
 *       {@code min_prefix_patches}) to {@code rounds − 3} patches by randomly chosen writers, then {@code rollout_per_instance}
 *       random-writer continuations to the end, each scored by the task's evaluator;</li>
 *   <li>each model's utility is the mean score of the rollouts whose next patch it wrote; the
 *       selector prompt at the prefix, answered with the best model's number, is one SFT row;</li>
 *   <li>LoRA SFT (rank 64, alpha 16, dropout 0.1 on q/k/v/o, learning rate 1e-5, 5 epochs, as
 *       MoCo) through the TRAIN API; the trained switcher then picks every test patch's writer.</li>
 * </ol>
 */
public final class SwitchGeneration extends ConfiguredMethod<SwitchGeneration> {
    public static final String NAME = "api_switch_generation";
    static final String WAIT = " Wait,";
    static final String FINAL_ANSWER = " The final answer is";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("patch_size", 25, 1, 1_000_000, "tokens per patch"),
            ParameterSpec.text("selector_model_name", null, "name of the pool model that picks each patch's writer (required)"),
            ParameterSpec.bool("objective_flag", false, "start the last patch with \" The final answer is\""),
            ParameterSpec.bool("wait_flag", false, "append \" Wait,\" to a patch that stopped early and go on, instead of ending the answer"),
            ParameterSpec.text("selector_base_model", null, "switcher training: the model to fine-tune (pool name or spec; default the first pool model)"),
            ParameterSpec.integer("training_instance_num", 500, 1, Integer.MAX_VALUE, "switcher training: prefixes sampled (SFT rows)"),
            ParameterSpec.integer("rollout_per_instance", 16, 1, Integer.MAX_VALUE, "switcher training: scored random continuations per prefix"),
            ParameterSpec.integer("min_prefix_patches", 1, 0, 1, "MoCo-J: switcher training prefixes have min_prefix_patches to rounds - 3"
                    + " patches (1: MoCo's rule; 0 also trains the first patch's writer, from an empty prefix)"),
            ParameterSpec.text("reward_model_name", null, "switcher training: the model (pool name or spec) that rates each rollout 1-10 as a judge;"
                    + " default: the task's evaluator scores them"),
            ParameterSpec.integer("reward_max_response_length", 16, 1, 1_000_000, "MoCo-J: tokens of the reward model's rating reply"),
            ParameterSpec.integer("selector_sft_epochs", 5, 1, 1000, "MoCo-J: switcher SFT epochs (MoCo: 5)"),
            ParameterSpec.integer("selector_sft_max_steps", 0, 0, Integer.MAX_VALUE, "MoCo-J: cap on switcher SFT steps (0: the epochs)"),
            ParameterSpec.real("selector_sft_learning_rate", 1e-5, 0, 1, "MoCo-J: switcher SFT learning rate (MoCo: 1e-5)"),
            ParameterSpec.integer("selector_lora_rank", 64, 1, 4096, "MoCo-J: switcher LoRA rank (MoCo: 64, alpha 16, dropout 0.1)"),
            new ParameterSpec("reward_model_gpu_id", ParameterSpec.Type.INT, null, "a whole number", null, "switcher training only (ignored)"),
            ParameterSpec.real("ratio", 1.0, 0.0, 1.0, "switcher training only"));

    private final int patchSize;
    private final String selectorName;
    private final boolean objectiveFlag;
    private final boolean waitFlag;
    private final Hyperparameters h;

    SwitchGeneration(MethodFactory factory, Hyperparameters h) {
        super(factory, h);
        this.patchSize = h.getInt("patch_size");
        this.selectorName = h.getString("selector_model_name");
        this.objectiveFlag = h.getBoolean("objective_flag");
        this.waitFlag = h.getBoolean("wait_flag");
        this.h = h;
    }

    /** A copy whose selector is the pool model with this name. */
    public SwitchGeneration selector(String modelName) { return with("selector_model_name", modelName); }

    /** A copy with another patch size (tokens). */
    public SwitchGeneration patchSize(int tokens) { return with("patch_size", tokens); }

    /** A copy with the objective ("The final answer is") and wait flags set. */
    public SwitchGeneration flags(boolean objective, boolean waitOnEarlyStop) {
        return with("objective_flag", objective).with("wait_flag", waitOnEarlyStop);
    }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        if (selectorName == null) {
            Training.trainable(NAME, "selector_base_model", h.getString("selector_base_model"), models, 0);
            if (h.getString("reward_model_name") != null) Training.find(NAME, "reward_model_name", h.getString("reward_model_name"), models);
            return;
        }
        if (!names.contains(selectorName)) {
            throw new IllegalArgumentException("hyperparameter 'selector_model_name' of method " + NAME + " is \"" + selectorName
                    + "\", which is not a model of the pool " + names + ": give the name of a pool model (an instruction-following"
                    + " model), or leave it out to train a switcher from selector_base_model (a trained switcher loads as its gguf: spec)");
        }
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        int rounds = Math.max(1, context.settings().maxResponseLength() / patchSize);
        ModelEndpoint selector = selectorName != null ? models.get(names.indexOf(selectorName)) : trainSwitcher(context, rounds);
        context.trace().record("switching", Map.of("selector", selector.name(), "patch_size", patchSize, "rounds", rounds,
                "trained_selector", selectorName == null));
        return context.forEachTest((example, index) -> {
            String query = context.evaluator().prompt(example);
            SplittableRandom random = new SplittableRandom(context.settings().seed() * 31 + example.id().hashCode());
            Written w = write(context, query, new ArrayList<>(), 0, rounds, random, selector);
            List<Map<String, Object>> traced = new ArrayList<>();
            for (Patch p : w.patches()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", p.model());
                m.put("chars", p.text().length());
                m.put("random_choice", p.random());
                traced.add(m);
            }
            context.trace().record(index, "patches", Map.of("patches", traced, "ended_by", w.endedBy()));
            return w.answer();
        });
    }

    /** An answer written in patches: the text, the patches and why it ended. */
    record Written(String answer, List<Patch> patches, String endedBy) {}

    /**
     * Continues {@code patches} (already written) from round {@code from} up to {@code rounds}:
     * before each patch {@code selector} names the writer (null: a uniformly random writer).
     */
    private Written write(MethodContext context, String query, List<Patch> patches, int from, int rounds, SplittableRandom random,
                          ModelEndpoint selector) {
        List<ModelEndpoint> models = context.models();
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        StringBuilder answer = new StringBuilder();
        for (Patch p : patches) if (!p.text().isEmpty()) answer.append(answer.isEmpty() ? "" : " ").append(p.text());
        String ended = "rounds";
        for (int round = from; round < rounds; round++) {
            if (round == rounds - 1 && objectiveFlag) answer.append(FINAL_ANSWER);
            int writer = selector == null ? -1 : Prompts.parseModelChoice(context.ask(selector, selectorPrompt(query, patches, names)).text(), names);
            boolean random_ = writer < 0;
            if (random_) writer = random.nextInt(models.size());
            var g = context.generate(models.get(writer), context.settings().request(Continuations.prompt(query, answer.toString()))
                    .maxTokens(patchSize).seed(selector == null ? random.nextLong() : context.settings().seed()).build());
            String text = g.text().strip();
            patches.add(new Patch(names.get(writer), text, random_));
            if (!text.isEmpty()) answer.append(answer.isEmpty() ? "" : " ").append(text);
            boolean stoppedEarly = g.finishReason() != FinishReason.LENGTH; // the writer ended its text before the budget
            if (stoppedEarly && round < rounds - 1) {
                if (!waitFlag) { ended = "writer_stopped"; break; }
                answer.append(WAIT);
            }
        }
        return new Written(answer.toString().strip(), patches, ended);
    }

    /** MoCo's switcher training: scored random rollouts from random prefixes become SFT rows (prefix → best next writer). */
    private ModelEndpoint trainSwitcher(MethodContext context, int rounds) {
        List<ModelEndpoint> models = context.models();
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        ModelEndpoint base = Training.trainable(NAME, "selector_base_model", h.getString("selector_base_model"), models, 0);
        List<Example> dev = DevScores.requireDev(context, NAME);
        SplittableRandom pick = new SplittableRandom(context.settings().seed() ^ 0x5717C4L);
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < h.getInt("training_instance_num"); i++) seeds.add(pick.nextLong());
        int rollouts = h.getInt("rollout_per_instance");
        int minPrefix = h.getInt("min_prefix_patches");
        String rewardName = h.getString("reward_model_name");
        ModelEndpoint rewardModel = rewardName == null ? null : Training.find(NAME, "reward_model_name", rewardName, models);
        java.util.concurrent.atomic.AtomicInteger unscored = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger tiedRows = new java.util.concurrent.atomic.AtomicInteger();
        Map<String, Integer> labels = new java.util.concurrent.ConcurrentHashMap<>();
        List<TrainingExample> rows = context.parallel(seeds, seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            Example e = dev.get(r.nextInt(dev.size()));
            String query = context.evaluator().prompt(e);
            int prefix = minPrefix + r.nextInt(Math.max(1, rounds - 2 - minPrefix)); // MoCo: randint(1, rounds - 3)
            Written start = write(context, query, new ArrayList<>(), 0, Math.min(prefix, rounds), r, null);
            double[] sum = new double[models.size()];
            int[] count = new int[models.size()];
            for (int k = 0; k < rollouts; k++) {
                List<Patch> copy = new ArrayList<>(start.patches());
                Written w = start.endedBy().equals("writer_stopped") ? start : write(context, query, copy, copy.size(), rounds, r.split(), null);
                if (w.patches().size() <= start.patches().size()) continue; // nothing was written after the prefix
                int first = names.indexOf(w.patches().get(start.patches().size()).model());
                Double reward = rollScore(context, rewardModel, e, query, w.answer());
                if (reward == null) { unscored.incrementAndGet(); continue; }
                sum[first] += reward;
                count[first]++;
            }
            int best = -1, scored = 0;
            boolean tied = true;
            for (int m = 0; m < models.size(); m++) {
                if (count[m] == 0) continue;
                scored++;
                if (best >= 0 && sum[m] / count[m] != sum[best] / count[best]) tied = false;
                if (best < 0 || sum[m] / count[m] > sum[best] / count[best]) best = m;
            }
            if (best < 0) return null;
            labels.merge(names.get(best), 1, Integer::sum);
            if (tied && scored > 1) tiedRows.incrementAndGet();
            return (TrainingExample) new TrainingExample.Completion(selectorPrompt(query, start.patches(), names), String.valueOf(best + 1));
        }).stream().filter(java.util.Objects::nonNull).toList();
        Map<String, Integer> labelCounts = new LinkedHashMap<>();
        for (String n : names) labelCounts.put(n, labels.getOrDefault(n, 0));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("instances", seeds.size());
        data.put("rows", rows.size());
        data.put("rollouts_per_instance", rollouts);
        data.put("min_prefix_patches", minPrefix);
        data.put("reward", rewardModel == null ? "task evaluator" : "reward model " + rewardModel.name());
        data.put("unscored_rollouts", unscored.get());
        data.put("labels", labelCounts);
        data.put("tied_rows", tiedRows.get()); // two or more writers scored, all with the same mean: the label is the first of them
        context.trace().record("switcher_data", data);
        if (rows.isEmpty()) {
            throw new IllegalStateException("method " + NAME + ": no training prefix had a continuation to score (every prefix ended the answer);"
                    + " raise max_response_length, set min_prefix_patches to 0 (MoCo-J: also train the first patch's writer from an empty prefix),"
                    + " or give selector_model_name");
        }
        return context.fineTune(base, "switcher", FineTuneRequest.builder(TrainingObjective.SFT, rows).epochs(h.getInt("selector_sft_epochs"))
                .steps(h.getInt("selector_sft_max_steps")).learningRate(h.getDouble("selector_sft_learning_rate"))
                .loraRank(h.getInt("selector_lora_rank")).seed(context.settings().seed()).suffix("switcher")
                .option("lora_alpha", 16.0).option("lora_dropout", 0.1).option("lora_targets", List.of("q", "k", "v", "o"))
                .option("schedule", "cosine").build()).model();
    }

    /**
     * A rollout's reward: the task evaluator's score, or with a reward model its 1-10 rating of the
     * answer to the query (null: its reply had no rating or the call failed; the rollout is not counted).
     */
    private Double rollScore(MethodContext context, ModelEndpoint rewardModel, Example e, String query, String answer) {
        if (rewardModel == null) return context.evaluator().score(e, answer).value();
        Integer rating = PeerJudge.score(context, rewardModel, query, answer, h.getInt("reward_max_response_length"));
        return rating == null ? null : rating.doubleValue();
    }

    record Patch(String model, String text, boolean random) {}

    /** The query, then every patch tagged with its writer's number and name, then the question. */
    static String selectorPrompt(String query, List<Patch> patches, List<String> names) {
        StringBuilder b = new StringBuilder("Several AI models write one answer together, one part at a time.\n\nQuestion:\n")
                .append(query).append("\n\nAnswer so far:");
        if (patches.isEmpty()) b.append(" (nothing yet)");
        for (Patch p : patches) {
            int n = names.indexOf(p.model()) + 1;
            b.append("\n[model ").append(n).append(" (").append(p.model()).append(") wrote:] ").append(p.text());
        }
        b.append("\n\nModels:");
        for (int i = 0; i < names.size(); i++) b.append("\n").append(i + 1).append(". ").append(names.get(i));
        return b.append("\n\nWhich model should write the next part of the answer? Reply with the model's number only.").toString();
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "models take turns writing patches of patch_size tokens; a selector model picks the writer of each patch";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public SwitchGeneration create(Hyperparameters hyperparameters) { return new SwitchGeneration(this, hyperparameters); }
    }
}

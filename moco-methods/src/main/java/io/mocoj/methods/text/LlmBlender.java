package io.mocoj.methods.text;

import io.mocoj.method.DevEvaluation;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.PairwiseRanking;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code text_llm_blender} (Jiang et al., 2023), with zero-shot ranker and fuser:
 * <ol>
 *   <li>every model answers;</li>
 *   <li>the ranker compares every pair of answers once (A/B) and counts wins (an unreadable
 *       verdict gives half a win each);</li>
 *   <li>the {@code top_k} answers by wins (pool order among equal wins) go, best first, to the
 *       fuser, whose answer is the output.</li>
 * </ol>
 * Ranker and fuser are pool models ({@code ranker_model_name}, {@code fuser_model_name}; the
 * first model by default). With {@code train_ranker_on_dev} the ranker is first fine-tuned (LoRA
 * SFT through the TRAIN API) on every dev pair of answers whose scores differ, to reply the letter
 * of the better one; with {@code train_fuser_on_dev} the fuser is fine-tuned to answer each dev
 * question's fusion prompt (its top-k answers by dev score) with the reference answer (for multiple
 * choice the correct option's text; the best answer when there is no reference).
 * Calls per test example: N + N(N − 1)/2 + 1.
 */
public final class LlmBlender extends ConfiguredMethod<LlmBlender> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LlmBlender.class);
    public static final String NAME = "text_llm_blender";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("top_k", 3, 1, 1000, "answers passed to the fuser"),
            ParameterSpec.text("ranker_model_name", null, "the pool model that judges pairs (default: the first model)"),
            ParameterSpec.integer("ranker_max_response_length", 128, 1, 1_000_000, "token limit of each verdict"),
            ParameterSpec.text("fuser_model_name", null, "the pool model that fuses the top answers (default: the first model)"),
            ParameterSpec.integer("fuser_max_response_length", null, 1, 1_000_000, "token limit of the fused answer (default: max_response_length)"),
            ParameterSpec.bool("train_ranker_on_dev", false, "fine-tune the ranker on dev pairs first (needs TRAIN)"),
            ParameterSpec.bool("train_fuser_on_dev", false, "fine-tune the fuser on dev first (needs TRAIN)"),
            ParameterSpec.integer("sft_lora_rank", 16, 0, 4096, "MoCo-J: LoRA rank of ranker and fuser fine-tuning (0: full)"),
            ParameterSpec.integer("sft_max_steps", 0, 0, Integer.MAX_VALUE, "MoCo-J: cap on optimiser steps of each fine-tuning (0: the epochs)"),
            ParameterSpec.integer("ranker_sft_batch_size", 1, 1, 1_000_000, "ranker fine-tuning batch size"),
            ParameterSpec.integer("ranker_sft_gradient_accumulation_steps", 16, 1, 1_000_000, "ranker fine-tuning accumulation"),
            ParameterSpec.real("ranker_sft_learning_rate", 1e-5, 0, 1, "ranker fine-tuning learning rate"),
            ParameterSpec.integer("ranker_sft_epoch", 3, 1, 1000, "ranker fine-tuning epochs"),
            ParameterSpec.integer("fuser_sft_batch_size", 1, 1, 1_000_000, "fuser fine-tuning batch size"),
            ParameterSpec.integer("fuser_sft_gradient_accumulation_steps", 16, 1, 1_000_000, "fuser fine-tuning accumulation"),
            ParameterSpec.real("fuser_sft_learning_rate", 1e-5, 0, 1, "fuser fine-tuning learning rate"),
            ParameterSpec.integer("fuser_sft_epoch", 3, 1, 1000, "fuser fine-tuning epochs"));

    private final int topK;
    private final String rankerName;
    private final int rankerMaxTokens;
    private final String fuserName;
    private final Integer fuserMaxTokens;
    private final Hyperparameters hp;

    LlmBlender(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.topK = hp.getInt("top_k");
        this.rankerName = hp.getString("ranker_model_name");
        this.rankerMaxTokens = hp.getInt("ranker_max_response_length");
        this.fuserName = hp.getString("fuser_model_name");
        this.fuserMaxTokens = (Integer) hp.asMap().get("fuser_max_response_length");
        this.hp = hp;
    }

    /** A copy passing the {@code k} best answers to the fuser. */
    public LlmBlender topK(int k) { return with("top_k", k); }

    /** A copy with this pool model (by name) as the ranker. */
    public LlmBlender ranker(String modelName) { return with("ranker_model_name", modelName); }

    /** A copy with this pool model (by name) as the fuser. */
    public LlmBlender fuser(String modelName) { return with("fuser_model_name", modelName); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        Debate.requireTeam(NAME, models, 2);
        poolModel(models, rankerName, "ranker_model_name");
        poolModel(models, fuserName, "fuser_model_name");
        if (hp.getBoolean("train_ranker_on_dev")) Training.requireTrain(NAME, models.get(poolModel(models, rankerName, "ranker_model_name")), "the ranker");
        if (hp.getBoolean("train_fuser_on_dev")) Training.requireTrain(NAME, models.get(poolModel(models, fuserName, "fuser_model_name")), "the fuser");
    }

    /** The pool model named {@code name} (its name, or its spec up to '?'); the first model when null. */
    static int poolModel(List<ModelEndpoint> models, String name, String option) {
        if (name == null) return 0;
        String bare = name.contains("?") ? name.substring(0, name.indexOf('?')) : name;
        for (int m = 0; m < models.size(); m++) if (models.get(m).name().equals(bare)) return m;
        throw new IllegalArgumentException(NAME + ": " + option + " '" + name + "' is not a model of the pool "
                + models.stream().map(ModelEndpoint::name).toList() + "; name one of them (or leave it out for the first)");
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        ModelEndpoint ranker = models.get(poolModel(models, rankerName, "ranker_model_name"));
        ModelEndpoint fuser = models.get(poolModel(models, fuserName, "fuser_model_name"));
        if (hp.getBoolean("train_ranker_on_dev")) ranker = trainOnDev(context, ranker, "ranker", rankerRows(context));
        if (hp.getBoolean("train_fuser_on_dev")) fuser = trainOnDev(context, fuser, "fuser", fuserRows(context));
        ModelEndpoint rankerUsed = ranker, fuserUsed = fuser;
        int fuserTokens = fuserMaxTokens == null ? context.settings().maxResponseLength() : fuserMaxTokens;
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<String> candidates = Debate.opening(context, example);
            Debate.record(context, example, index, 1, "answer", models, candidates, null);
            PairwiseRanking.Ranking ranking = PairwiseRanking.rank(context, rankerUsed, question, candidates, rankerMaxTokens);
            List<Integer> top = ranking.top(topK);
            context.trace().record(index, "ranking", Map.of("comparisons", ranking.comparisons(),
                    "wins", ranking.wins(), "top", top.stream().map(m -> models.get(m).name()).toList()));
            List<String> best = new ArrayList<>();
            for (int m : top) best.add(candidates.get(m));
            String fused = context.generate(fuserUsed, context.settings()
                    .request(TeamPrompts.fusion(question, best, context.task().type())).maxTokens(fuserTokens).build()).text();
            context.trace().record(index, "fusion", Map.of("model", fuserUsed.name(), "response", fused));
            return fused;
        });
    }

    /** LoRA SFT of {@code model} on {@code rows} with the {@code ranker_}/{@code fuser_} settings; the row counts are traced. */
    private ModelEndpoint trainOnDev(MethodContext context, ModelEndpoint model, String role, List<TrainingExample> rows) {
        context.trace().record(role + "_training_data", Map.of("rows", rows.size()));
        if (rows.isEmpty()) {
            LOG.warn("{}: no dev training rows for the {} (every dev pair scored alike); it runs untrained", NAME, role);
            return model;
        }
        return context.fineTune(model, role, FineTuneRequest.builder(TrainingObjective.SFT, rows).epochs(hp.getInt(role + "_sft_epoch"))
                .steps(hp.getInt("sft_max_steps")).learningRate(hp.getDouble(role + "_sft_learning_rate")).loraRank(hp.getInt("sft_lora_rank"))
                .seed(context.settings().seed()).suffix(role).build()).model();
    }

    /** Every dev pair (i &lt; j) of answers whose scores differ: the pairwise prompt, answered with the better one's letter. */
    static List<TrainingExample> rankerRows(MethodContext context) {
        DevEvaluation dev = context.devEvaluation();
        List<TrainingExample> rows = new ArrayList<>();
        for (int e = 0; e < dev.examples().size(); e++) {
            String q = context.evaluator().prompt(dev.examples().get(e));
            for (int i = 0; i < dev.modelCount(); i++) {
                for (int j = i + 1; j < dev.modelCount(); j++) {
                    if (dev.generation(i, e) == null || dev.generation(j, e) == null) continue;
                    double si = dev.score(i, e).value(), sj = dev.score(j, e).value();
                    if (si == sj) continue;
                    rows.add(new TrainingExample.Completion(TeamPrompts.pairwise(q, dev.generation(i, e).text(), dev.generation(j, e).text()),
                            si > sj ? "A" : "B"));
                }
            }
        }
        return rows;
    }

    /** Each dev question's fusion prompt over its top-k answers by dev score, answered with the reference (or the best answer). */
    List<TrainingExample> fuserRows(MethodContext context) {
        DevEvaluation dev = context.devEvaluation();
        List<TrainingExample> rows = new ArrayList<>();
        for (int e = 0; e < dev.examples().size(); e++) {
            Example ex = dev.examples().get(e);
            int example = e;
            List<Integer> order = new ArrayList<>();
            for (int m = 0; m < dev.modelCount(); m++) if (dev.generation(m, e) != null) order.add(m);
            if (order.isEmpty()) continue;
            order.sort(java.util.Comparator.comparingDouble((Integer m) -> -dev.score(m, example).value()));
            List<String> best = new ArrayList<>();
            for (int m : order.subList(0, Math.min(topK, order.size()))) best.add(dev.generation(m, e).text());
            String gold = ex.answers().isEmpty() ? null : ex.answers().get(0);
            if (gold != null && ex.choices() != null && ex.choices().containsKey(gold)) gold = ex.choices().get(gold);
            if (gold == null || gold.isBlank()) gold = best.get(0);
            rows.add(new TrainingExample.Completion(TeamPrompts.fusion(context.evaluator().prompt(ex), best, context.task().type()), gold));
        }
        return rows;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "all answer; a ranker compares answers pairwise and counts wins; the top-k are fused"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public LlmBlender create(Hyperparameters hp) { return new LlmBlender(this, hp); }
    }
}

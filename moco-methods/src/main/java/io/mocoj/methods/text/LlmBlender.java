package io.mocoj.methods.text;

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
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
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
 * first model by default). Fine-tuning them on dev ({@code train_ranker_on_dev},
 * {@code train_fuser_on_dev}) is refused until training is available.
 * Calls per test example: N + N(N − 1)/2 + 1.
 */
public final class LlmBlender extends ConfiguredMethod<LlmBlender> {
    public static final String NAME = "text_llm_blender";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("top_k", 3, 1, 1000, "answers passed to the fuser"),
            ParameterSpec.text("ranker_model_name", null, "the pool model that judges pairs (default: the first model)"),
            ParameterSpec.integer("ranker_max_response_length", 128, 1, 1_000_000, "token limit of each verdict"),
            ParameterSpec.text("fuser_model_name", null, "the pool model that fuses the top answers (default: the first model)"),
            ParameterSpec.integer("fuser_max_response_length", null, 1, 1_000_000, "token limit of the fused answer (default: max_response_length)"),
            ParameterSpec.bool("train_ranker_on_dev", false, "fine-tune the ranker on dev pairs first (not available yet)"),
            ParameterSpec.bool("train_fuser_on_dev", false, "fine-tune the fuser on dev first (not available yet)"),
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

    LlmBlender(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.topK = hp.getInt("top_k");
        this.rankerName = hp.getString("ranker_model_name");
        this.rankerMaxTokens = hp.getInt("ranker_max_response_length");
        this.fuserName = hp.getString("fuser_model_name");
        this.fuserMaxTokens = (Integer) hp.asMap().get("fuser_max_response_length");
        for (String option : List.of("train_ranker_on_dev", "train_fuser_on_dev")) {
            if (hp.getBoolean(option)) {
                throw new IllegalArgumentException(NAME + ": '" + option + "' (fine-tuning on dev) is not available in this version: "
                        + "model training comes with the training work; set it to false to rank and fuse zero-shot");
            }
        }
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
        ModelEndpoint ranker = models.get(poolModel(models, rankerName, "ranker_model_name"));
        ModelEndpoint fuser = models.get(poolModel(models, fuserName, "fuser_model_name"));
        int fuserTokens = fuserMaxTokens == null ? context.settings().maxResponseLength() : fuserMaxTokens;
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<String> candidates = Debate.opening(context, example);
            Debate.record(context, example, index, 1, "answer", models, candidates, null);
            PairwiseRanking.Ranking ranking = PairwiseRanking.rank(context, ranker, question, candidates, rankerMaxTokens);
            List<Integer> top = ranking.top(topK);
            context.trace().record(index, "ranking", Map.of("comparisons", ranking.comparisons(),
                    "wins", ranking.wins(), "top", top.stream().map(m -> models.get(m).name()).toList()));
            List<String> best = new ArrayList<>();
            for (int m : top) best.add(candidates.get(m));
            String fused = context.generate(fuser, context.settings()
                    .request(TeamPrompts.fusion(question, best, context.task().type())).maxTokens(fuserTokens).build()).text();
            context.trace().record(index, "fusion", Map.of("model", fuser.name(), "response", fused));
            return fused;
        });
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

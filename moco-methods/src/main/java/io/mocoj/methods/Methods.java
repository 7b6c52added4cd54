package io.mocoj.methods;

import io.mocoj.methods.api.Cascade;
import io.mocoj.methods.api.PromptRouting;
import io.mocoj.methods.api.SingleModel;
import io.mocoj.methods.text.MajorityVote;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.MethodFactory;
import io.mocoj.methods.toolbox.ConfiguredMethod;

/**
 * Fluent constructors for every method of this module, each returning the method with its
 * default hyperparameters; the returned objects' setters return validated copies, e.g.
 * {@code Methods.cascade().mode(CascadeMode.LOGIT).percentage(0.5)}. Setters validate with the
 * same rules (and messages) as JSON configs. For config names use
 * {@link io.mocoj.method.MethodRegistry#byName}.
 */
public final class Methods {
    private Methods() {}

    /** {@code single_model}: one model answers alone (model 0 unless {@link SingleModel#modelId(int)}). */
    public static SingleModel singleModel() { return defaults(new SingleModel.Factory()); }

    /** {@code text_majority_vote}: every model answers, the most frequent answer wins. */
    public static MajorityVote majorityVote() { return defaults(new MajorityVote.Factory()); }

    /** {@code api_cascade}: weak-to-strong models, deferring when not confident. */
    public static Cascade cascade() { return defaults(new Cascade.Factory()); }

    /** {@code api_prompt_routing}: the best dev model routes each query using model descriptions. */
    public static PromptRouting promptRouting() { return defaults(new PromptRouting.Factory()); }

    private static <M extends ConfiguredMethod<M>, F extends MethodFactory> M defaults(F factory) {
        @SuppressWarnings("unchecked")
        M m = (M) factory.create(Hyperparameters.defaults(factory.name(), factory.parameters()));
        return m;
    }

    /** {@code logit_logit_fusion} with its defaults. */
    public static io.mocoj.methods.logit.LogitFusion logitFusion() { return defaults(new io.mocoj.methods.logit.LogitFusion.Factory()); }

    /** {@code logit_logit_contrastive} with its defaults. */
    public static io.mocoj.methods.logit.LogitContrastive logitContrastive() {
        return defaults(new io.mocoj.methods.logit.LogitContrastive.Factory());
    }

    /** {@code weight_greedy_soup} with its defaults. */
    public static io.mocoj.methods.weight.GreedySoup greedySoup() { return defaults(new io.mocoj.methods.weight.GreedySoup.Factory()); }

    /** {@code weight_expo} with its defaults. */
    public static io.mocoj.methods.weight.Expo expo() { return defaults(new io.mocoj.methods.weight.Expo.Factory()); }

    /** {@code weight_dare_ties} with its defaults (set {@code base_model_name}). */
    public static io.mocoj.methods.weight.DareTies dareTies() { return defaults(new io.mocoj.methods.weight.DareTies.Factory()); }

    /** {@code weight_model_swarms} with its defaults. */
    public static io.mocoj.methods.weight.ModelSwarms modelSwarms() { return defaults(new io.mocoj.methods.weight.ModelSwarms.Factory()); }

    /** {@code weight_lorahub} with its defaults (every model a LoRA adapter on one base). */
    public static io.mocoj.methods.weight.LoraHub loraHub() { return defaults(new io.mocoj.methods.weight.LoraHub.Factory()); }
}

package io.mocoj.methods.logit;

import io.mocoj.method.DevEvaluation;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code logit_logit_contrastive} (DExperts / proxy-tuning style): the models are ranked on dev;
 * each test answer is decoded from {@code s = ℓ(top-1) + λ · Σᵢ₌₁..ₖ (ℓ(top-i) − ℓ(bottom-i))},
 * where ℓ are next-token log-probabilities (equivalent to logits: per-model constants cancel in
 * the softmax), {@code top-i} the i-th best and {@code bottom-i} the i-th worst dev model.
 * Over OpenAI-compatible servers (APPROX_LOGITS) the contrast is taken over the union of the
 * models' {@code top_logprobs} lists, an approximation ({@code TopTokensDecoding}).
 */
public final class LogitContrastive extends ConfiguredMethod<LogitContrastive> {
    public static final String NAME = "logit_logit_contrastive";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("k", 1, 0, 1000, "number of top and of bottom dev models contrasted (at least 1, at most half the pool)"),
            ParameterSpec.real("lambda_", 0.2, -100.0, 100.0, "weight of the summed contrast added to the best model's log-probabilities"),
            Decoding.TOP_LOGPROBS);

    private final int k;
    private final double lambda;
    private final int topLogprobs;

    LogitContrastive(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.k = hyperparameters.getInt("k");
        this.lambda = hyperparameters.getDouble("lambda_");
        this.topLogprobs = hyperparameters.getInt("top_logprobs");
    }

    public LogitContrastive k(int k) { return with("k", k); }

    public LogitContrastive lambda(double lambda) { return with("lambda_", lambda); }

    /** A copy asking servers for {@code k} alternatives per token (approximate pools only). */
    public LogitContrastive topLogprobs(int k) { return with("top_logprobs", k); }

    /** LOGITS (exact, in-process) or APPROX_LOGITS (servers) for the whole pool: checked by {@link #checkPool}. */
    @Override public Set<Capability> requiredCapabilities() { return EnumSet.noneOf(Capability.class); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        if (k < 1) {
            throw new IllegalArgumentException("hyperparameter 'k' of method " + NAME + " is 0: the contrast needs at least one top and one"
                    + " bottom model (k >= 1)");
        }
        if (2 * k > models.size()) {
            throw new IllegalArgumentException("hyperparameter 'k' of method " + NAME + " is " + k + " but the pool has " + models.size()
                    + " model(s): k top and k bottom models need at least " + 2 * k + " models");
        }
        LockStepDecoding.approximate(NAME, models);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        checkPool(context.models());
        List<ModelEndpoint> pool = context.models();
        boolean approximate = LockStepDecoding.approximate(NAME, pool);
        DevEvaluation dev = context.devEvaluation();
        List<Integer> ranking = dev.ranking();
        List<Integer> top = ranking.subList(0, k), bottom = ranking.subList(ranking.size() - k, ranking.size());
        List<ModelEndpoint> selected = new ArrayList<>();
        for (int i : top) selected.add(pool.get(i));
        for (int i : bottom) selected.add(pool.get(i));
        Map<String, Object> setup = new java.util.LinkedHashMap<>(Decoding.substrate(selected, approximate, topLogprobs));
        setup.putAll(Map.of("top", top.stream().map(i -> pool.get(i).name()).toList(),
                "bottom", bottom.stream().map(i -> pool.get(i).name()).toList(),
                "dev_scores", ranking.stream().map(dev::meanScore).toList(), "k", k, "lambda_", lambda));
        context.trace().record("contrast", setup);
        LockStepDecoding.Combiner contrast = lps -> {
            float[] s = lps.get(0).clone();
            float lam = (float) lambda;
            for (int i = 0; i < k; i++) {
                float[] hi = lps.get(i), lo = lps.get(k + i);
                for (int t = 0; t < s.length; t++) s[t] += lam * (hi[t] - lo[t]);
            }
            return s;
        };
        return context.forEachTest((example, index) -> {
            LockStepDecoding.Result r = Decoding.decode(context, selected, approximate, topLogprobs, example, index, contrast);
            context.trace().record(index, "contrast", Map.of("tokens", r.tokens(), "finish", r.finishReason().name(), "steps", r.steps()));
            return r.text();
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.LOGIT; }
        @Override public String description() {
            return "rank models on dev; decode from the best model's distribution pushed along top-k minus bottom-k";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public LogitContrastive create(Hyperparameters hyperparameters) { return new LogitContrastive(this, hyperparameters); }
    }
}

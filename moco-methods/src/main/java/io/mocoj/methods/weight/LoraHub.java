package io.mocoj.methods.weight;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.CmaEs;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.model.AdapterModel;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code weight_lorahub} (Huang et al. 2023): the pool is LoRA adapters on one base; a
 * gradient-free search (CMA-ES, from Apache Commons Math) looks for scalar weights {@code w} in
 * {@code [−lora_weight_bound, lora_weight_bound]} composing them pair by pair
 * ({@code A = Σ wᵢ Aᵢ}, {@code B = Σ wᵢ Bᵢ}), minimising {@code (1 − dev score) + regular_coef ·
 * mean |wᵢ|} on the first {@code lorahub_dev_samples} dev examples, from {@code w = 0}, within
 * {@code max_inference_step} evaluations. Candidates and the final model decode greedily, as in
 * MoCo.
 */
public final class LoraHub extends ConfiguredMethod<LoraHub> {
    public static final String NAME = "weight_lorahub";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("lorahub_dev_samples", 5, 1, 1_000_000, "dev examples the objective is measured on"),
            ParameterSpec.integer("max_inference_step", 20, 1, 100_000, "objective evaluations the search may spend"),
            ParameterSpec.real("lora_weight_bound", 1.5, 1e-9, 1000.0, "each weight stays in [-bound, bound]"),
            ParameterSpec.real("regular_coef", 0.05, 0.0, 1000.0, "L1 penalty: coefficient of the mean absolute weight"));

    private final Hyperparameters h;

    LoraHub(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.h = hyperparameters;
    }

    public LoraHub maxInferenceStep(int n) { return with("max_inference_step", n); }

    public LoraHub devSamples(int n) { return with("lorahub_dev_samples", n); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.WEIGHTS, Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        adapters(NAME, models);
    }

    /** The pool as LoRA adapters on one base, or an error naming the model that is not. */
    static List<AdapterModel> adapters(String method, List<ModelEndpoint> models) {
        List<AdapterModel> out = new ArrayList<>();
        for (ModelEndpoint m : models) {
            if (!(m instanceof AdapterModel a)) {
                throw new IllegalArgumentException("method " + method + " composes LoRA adapters, but model '" + m.name() + "' is not a base model"
                        + " with an adapter: give every model as gguf:base.gguf?lora=adapter.gguf");
            }
            if (!a.baseIdentity().equals(((AdapterModel) models.get(0)).baseIdentity())) {
                throw new IllegalArgumentException("method " + method + ": models '" + models.get(0).name() + "' and '" + m.name()
                        + "' are adapters on different base models; LoRA adapters compose only on one base");
            }
            out.add(a);
        }
        return out;
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<AdapterModel> pool = adapters(NAME, context.models());
        List<Example> dev = DevScores.requireDev(context, NAME);
        dev = dev.subList(0, Math.min(dev.size(), h.getInt("lorahub_dev_samples")));
        List<Example> samples = dev;
        double coef = h.getDouble("regular_coef");
        AdapterModel first = pool.get(0);
        List<Map<String, Object>> evaluations = new ArrayList<>();
        CmaEs.Result result = CmaEs.minimize(w -> {
            double score = DevScores.score(context, first.composeAdapters("lorahub-candidate", pool, w), samples, true).mean();
            double objective = (1 - score) + coef * Arrays.stream(w).map(Math::abs).average().orElse(0);
            evaluations.add(Map.of("weights", Arrays.stream(w).boxed().toList(), "dev_score", score, "objective", objective));
            return objective;
        }, new double[pool.size()], h.getDouble("lora_weight_bound"), h.getInt("max_inference_step"), context.settings().seed());
        AdapterModel hub = first.composeAdapters("lorahub", pool, result.best());
        context.trace().record("lorahub", Map.of("weights", Arrays.stream(result.best()).boxed().toList(), "objective", result.value(),
                "evaluations", evaluations, "dev_samples", samples.size()));
        return context.forEachTest((example, index) -> DevScores.answerGreedily(context, hub, example).text());
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.WEIGHT; }
        @Override public String description() {
            return "CMA-ES search for scalar weights composing LoRA adapters, on a few dev examples with an L1 penalty";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public LoraHub create(Hyperparameters hyperparameters) { return new LoraHub(this, hyperparameters); }
    }
}

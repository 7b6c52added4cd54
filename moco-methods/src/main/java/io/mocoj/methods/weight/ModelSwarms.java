package io.mocoj.methods.weight;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.ParticleSwarm;
import io.mocoj.methods.toolbox.SwarmParameters;
import io.mocoj.methods.toolbox.WeightPools;
import io.mocoj.methods.toolbox.merge.MergeMethods;
import io.mocoj.methods.toolbox.merge.WeightMerge;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.WeightsModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code weight_model_swarms} (Feng et al. 2024): each model is a particle in weight space; PSO
 * with inertia, personal best, global best and global worst (repel) terms and a decaying step,
 * utility = dev score; the global best answers the test.
 *
 * <p>Every PSO update is a linear combination of positions, so every position is a linear
 * combination {@code Σ cⱼ θⱼ} of the initial models' weights θⱼ. The swarm therefore runs on the
 * coefficient vectors c (particle i starts at the unit vector eᵢ with velocity eⱼ − eᵢ towards a
 * random other model j, as MoCo starts it) and a position becomes a model by one weighted sum:
 * the same trajectory as updating the weights themselves, without storing velocities or bests as
 * models. With {@code fast_merge_flag} the pool must be LoRA adapters on one base and a position
 * is the adapter {@code Σ cⱼ (Aⱼ, Bⱼ)} (MoCo's fast merge of adapter state dicts); without it the
 * full (effective) weights are combined.
 */
public final class ModelSwarms extends ConfiguredMethod<ModelSwarms> {
    public static final String NAME = "weight_model_swarms";

    static final List<ParameterSpec> PARAMETERS;

    static {
        List<ParameterSpec> p = new ArrayList<>(List.of(
                ParameterSpec.integer("max_iterations", 10, 1, 1000, "swarm iterations"),
                ParameterSpec.bool("fast_merge_flag", false, "the pool is LoRA adapters on one base: combine the adapters' A and B"
                        + " matrices instead of the full weights")));
        p.addAll(SwarmParameters.LONG.specs());
        PARAMETERS = List.copyOf(p);
    }

    private final Hyperparameters h;

    ModelSwarms(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.h = hyperparameters;
    }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.WEIGHTS, Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        if (models.size() < 2) throw new IllegalArgumentException("method " + NAME + " needs at least 2 models (particles), got " + models.size());
        WeightPools.sameArchitecture(NAME, models);
        if (h.getBoolean("fast_merge_flag")) LoraHub.adapters(NAME + " (fast_merge_flag)", models);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        checkPool(context.models());
        List<WeightsModel> pool = WeightPools.sameArchitecture(NAME, context.models());
        var dev = DevScores.requireDev(context, NAME);
        int n = pool.size();
        RandomGenerator random = context.random(NAME + ".swarm");
        List<double[]> x = new ArrayList<>(), v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = random.nextInt(n - 1);
            if (j >= i) j++;
            double[] xi = new double[n], vi = new double[n];
            xi[i] = 1;
            vi[j] = 1;
            vi[i] = -1;
            x.add(xi);
            v.add(vi);
        }
        ParticleSwarm.Search swarm = SwarmParameters.LONG.read(h).start(x, v, random);
        java.util.function.BiFunction<double[], String, WeightsModel> at = at(context.models(), pool);
        double[] best = swarm.optimize(h.getInt("max_iterations"), positions -> positions.stream()
                .mapToDouble(c -> DevScores.score(context, at.apply(c, "swarm-particle"), dev).mean()).toArray());
        WeightsModel winner = at.apply(best, "swarm-best");
        context.trace().record("model_swarms", Map.of("coefficients", Arrays.stream(best).boxed().toList(),
                "global_best_history", swarm.globalBestHistory(), "models", pool.stream().map(WeightsModel::name).toList()));
        return context.forEachTest((example, index) -> context.answer(winner, example).text());
    }

    /** Turns a coefficient vector into a model: adapters combined pair by pair (fast merge) or full weights. */
    private java.util.function.BiFunction<double[], String, WeightsModel> at(List<ModelEndpoint> models, List<WeightsModel> pool) {
        if (h.getBoolean("fast_merge_flag")) {
            List<io.mocoj.model.AdapterModel> adapters = LoraHub.adapters(NAME + " (fast_merge_flag)", models);
            return (c, name) -> adapters.get(0).composeAdapters(name, adapters, c);
        }
        WeightMerge linear = WeightMerge.using(MergeMethods.byName("linear"));
        return (c, name) -> linear.weights(c).merge(name, pool);
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.WEIGHT; }
        @Override public String description() { return "particle swarm search in weight space with dev score as utility; the best particle answers"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public ModelSwarms create(Hyperparameters hyperparameters) { return new ModelSwarms(this, hyperparameters); }
    }
}

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
 * {@code weight_dare_ties}: task vectors against {@code base_model_name}, DARE drop-and-rescale at
 * {@code density}, TIES sign election and disjoint (summed) merge, added to the base. The models'
 * weights are uniform (mode {@code average}) or found by particle swarm optimisation on dev (mode
 * {@code optimized}): particles are unnormalised scores whose softmax gives the weights.
 */
public final class DareTies extends ConfiguredMethod<DareTies> {
    public static final String NAME = "weight_dare_ties";

    static final List<ParameterSpec> PARAMETERS;

    static {
        List<ParameterSpec> p = new ArrayList<>(List.of(
                ParameterSpec.text("base_model_name", null, "the base model: a pool model's name or a model spec (gguf:/models/base.gguf)"),
                ParameterSpec.choice("mode", "average", List.of("average", "optimized"), "uniform weights, or weights optimised by PSO on dev"),
                ParameterSpec.integer("population", 5, 1, 1000, "mode optimized: particles"),
                ParameterSpec.integer("max_iterations", 5, 1, 1000, "mode optimized: swarm iterations"),
                ParameterSpec.real("density", 1.0, 1e-9, 1.0, "DARE: share of each task vector kept (1 = no drop, MoCo's default)")));
        p.addAll(SwarmParameters.SHORT.specs());
        PARAMETERS = List.copyOf(p);
    }

    private final Hyperparameters h;

    DareTies(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.h = hyperparameters;
    }

    public DareTies baseModelName(String spec) { return with("base_model_name", spec); }

    public DareTies mode(String mode) { return with("mode", mode); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.WEIGHTS, Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        WeightPools.base(NAME, h.getString("base_model_name"), WeightPools.sameArchitecture(NAME, models));
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<WeightsModel> pool = WeightPools.sameArchitecture(NAME, context.models());
        WeightsModel base = WeightPools.base(NAME, h.getString("base_model_name"), pool);
        WeightMerge merge = WeightMerge.using(MergeMethods.byName("dare_ties", Map.of("density", h.getDouble("density"))))
                .base(base).seed(context.settings().seed());
        int n = pool.size();
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0 / n);
        List<Double> history = List.of();
        if (h.getString("mode").equals("optimized")) {
            var dev = DevScores.requireDev(context, NAME);
            RandomGenerator random = context.random(NAME + ".swarm");
            List<double[]> x = new ArrayList<>(), v = new ArrayList<>();
            for (int p = 0; p < h.getInt("population"); p++) {
                double[] xi = new double[n], vi = new double[n];
                for (int d = 0; d < n; d++) {
                    xi[d] = random.nextDouble();
                    vi[d] = random.nextDouble() * 2 - 1;
                }
                x.add(xi);
                v.add(vi);
            }
            ParticleSwarm.Search swarm = SwarmParameters.SHORT.read(h).start(x, v, random);
            double[] best = swarm.optimize(h.getInt("max_iterations"), positions -> positions.stream()
                    .mapToDouble(p -> DevScores.score(context, merge.weights(softmax(p)).merge("dare-ties-candidate", pool), dev).mean())
                    .toArray());
            weights = softmax(best);
            history = swarm.globalBestHistory();
        }
        WeightsModel merged = merge.weights(weights).merge("dare-ties", pool);
        context.trace().record("dare_ties", Map.of("weights", Arrays.stream(weights).boxed().toList(), "base", base.name(),
                "density", h.getDouble("density"), "global_best_history", history));
        return context.forEachTest((example, index) -> context.answer(merged, example).text());
    }

    static double[] softmax(double[] x) {
        double max = Arrays.stream(x).max().orElse(0), sum = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) sum += out[i] = Math.exp(x[i] - max);
        for (int i = 0; i < x.length; i++) out[i] /= sum;
        return out;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.WEIGHT; }
        @Override public String description() {
            return "DARE drop-and-rescale + TIES sign election over task vectors against a base; uniform or PSO-optimised weights";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public DareTies create(Hyperparameters hyperparameters) { return new DareTies(this, hyperparameters); }
    }
}

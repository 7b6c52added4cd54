package io.mocoj.methods.weight;

import io.mocoj.method.DevEvaluation;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.WeightPools;
import io.mocoj.methods.toolbox.merge.MergeMethods;
import io.mocoj.methods.toolbox.merge.WeightMerge;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.WeightsModel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code weight_expo} (ExPO, Zheng et al. 2025): extrapolate from a weaker model to a stronger
 * one, {@code w = target + α (target − source) = (1 + α) target − α source}:
 * <ul>
 *   <li>{@code worst_to_best}: source the worst, target the best dev model;</li>
 *   <li>{@code topk_bottomk}: source the average of the bottom {@code k}, target of the top
 *       {@code k} ({@code k} capped at half the pool) — one weighted sum over 2k models;</li>
 *   <li>{@code pairs}: the pool is pairs (source, target, source, target, …); each pair is
 *       extrapolated and the best extrapolated model on dev answers.</li>
 * </ul>
 * {@code alpha_mode optimized} tries every {@code alpha_candidates} value on dev and keeps the best.
 */
public final class Expo extends ConfiguredMethod<Expo> {
    public static final String NAME = "weight_expo";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.choice("mode", "worst_to_best", List.of("worst_to_best", "topk_bottomk", "pairs"), "what is extrapolated from and to"),
            ParameterSpec.real("alpha", 0.3, -10.0, 10.0, "extrapolation strength (alpha_mode fixed)"),
            ParameterSpec.integer("k", 1, 1, 1000, "models averaged at each end (mode topk_bottomk)"),
            ParameterSpec.choice("alpha_mode", "fixed", List.of("fixed", "optimized"), "fixed alpha, or the best of alpha_candidates on dev"),
            ParameterSpec.list("alpha_candidates", ParameterSpec.Type.DOUBLE_LIST, List.of(0.1, 0.2, 0.3, 0.4, 0.5),
                    "alphas tried on dev (alpha_mode optimized)"));

    private final String mode, alphaMode;
    private final double alpha;
    private final int k;
    private final List<Double> candidates;

    Expo(MethodFactory factory, Hyperparameters h) {
        super(factory, h);
        mode = h.getString("mode");
        alphaMode = h.getString("alpha_mode");
        alpha = h.getDouble("alpha");
        k = h.getInt("k");
        candidates = h.<Number>getList("alpha_candidates").stream().map(Number::doubleValue).toList();
    }

    public Expo mode(String m) { return with("mode", m); }

    public Expo alpha(double a) { return with("alpha", a); }

    public Expo alphaMode(String m) { return with("alpha_mode", m); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.WEIGHTS, Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        if (mode.equals("pairs") ? models.size() % 2 != 0 : models.size() < 2) {
            throw new IllegalArgumentException("method " + NAME + " (mode " + mode + ") needs "
                    + (mode.equals("pairs") ? "an even number of models (source, target, source, target, …)" : "at least 2 models")
                    + ", got " + models.size());
        }
        if (alphaMode.equals("optimized") && candidates.isEmpty()) {
            throw new IllegalArgumentException("method " + NAME + ": alpha_mode optimized needs at least one alpha_candidates value");
        }
        WeightPools.sameArchitecture(NAME, models);
    }

    /** One extrapolation: models and the weights of their weighted sum at a given alpha. */
    private record Ends(List<WeightsModel> top, List<WeightsModel> bottom) {
        WeightsModel at(double a, String name) {
            List<WeightsModel> all = new ArrayList<>(top);
            all.addAll(bottom);
            double[] w = new double[all.size()];
            for (int i = 0; i < all.size(); i++) w[i] = i < top.size() ? (1 + a) / top.size() : -a / bottom.size();
            return WeightMerge.using(MergeMethods.byName("linear")).weights(w).merge(name, all);
        }
    }

    @Override
    public MethodOutput run(MethodContext context) {
        checkPool(context.models());
        List<WeightsModel> pool = WeightPools.sameArchitecture(NAME, context.models());
        List<Ends> options = new ArrayList<>();
        if (mode.equals("pairs")) {
            for (int i = 0; i < pool.size(); i += 2) options.add(new Ends(List.of(pool.get(i + 1)), List.of(pool.get(i))));
        } else {
            DevScores.requireDev(context, NAME);
            DevEvaluation dev = context.devEvaluation();
            List<Integer> r = dev.ranking();
            int kk = mode.equals("worst_to_best") ? 1 : Math.max(1, Math.min(k, pool.size() / 2));
            options.add(new Ends(r.subList(0, kk).stream().map(pool::get).toList(),
                    r.subList(r.size() - kk, r.size()).stream().map(pool::get).toList()));
        }
        List<Double> alphas = alphaMode.equals("optimized") ? candidates : List.of(alpha);
        boolean choose = alphas.size() > 1 || options.size() > 1;
        WeightsModel best = null;
        double bestScore = Double.NEGATIVE_INFINITY, bestAlpha = alphas.get(0);
        List<Map<String, Object>> tried = new ArrayList<>();
        for (Ends ends : options) {
            for (double a : alphas) {
                WeightsModel m = ends.at(a, "expo-" + ends.top().get(0).name() + "-a" + a);
                double s = choose ? DevScores.score(context, m, DevScores.requireDev(context, NAME)).mean() : Double.NaN;
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("target", ends.top().stream().map(WeightsModel::name).toList());
                t.put("source", ends.bottom().stream().map(WeightsModel::name).toList());
                t.put("alpha", a);
                if (choose) t.put("dev_score", s);
                tried.add(t);
                if (best == null || s > bestScore) {
                    best = m;
                    bestScore = s;
                    bestAlpha = a;
                }
            }
        }
        WeightsModel chosen = best;
        context.trace().record("expo", Map.of("mode", mode, "alpha", bestAlpha, "tried", tried));
        return context.forEachTest((example, index) -> context.answer(chosen, example).text());
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.WEIGHT; }
        @Override public String description() { return "extrapolate weights from weaker to stronger models: target + alpha (target - source)"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public Expo create(Hyperparameters hyperparameters) { return new Expo(this, hyperparameters); }
    }
}

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
 * {@code weight_greedy_soup} (Wortsman et al. 2022): sort the models by dev score; starting from
 * the best alone, add each next model to the soup (the uniform average of its members' weights)
 * only if the averaged model's dev score does not drop; answer the test with the final soup.
 */
public final class GreedySoup extends ConfiguredMethod<GreedySoup> {
    public static final String NAME = "weight_greedy_soup";

    GreedySoup(MethodFactory factory, Hyperparameters hyperparameters) { super(factory, hyperparameters); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.WEIGHTS, Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        WeightPools.sameArchitecture(NAME, models);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<WeightsModel> pool = WeightPools.sameArchitecture(NAME, context.models());
        var devSet = DevScores.requireDev(context, NAME);
        DevEvaluation dev = context.devEvaluation();
        List<Integer> order = dev.ranking();
        List<WeightsModel> soup = new ArrayList<>(List.of(pool.get(order.get(0))));
        WeightsModel current = soup.get(0);
        double score = dev.meanScore(order.get(0));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i : order.subList(1, order.size())) {
            List<WeightsModel> candidate = new ArrayList<>(soup);
            candidate.add(pool.get(i));
            WeightsModel merged = WeightMerge.using(MergeMethods.byName("linear"))
                    .merge("soup" + (steps.size() + 1), candidate);
            DevScores.Result r = DevScores.score(context, merged, devSet);
            boolean keep = r.mean() >= score;
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("added", pool.get(i).name());
            step.put("dev_score", r.mean());
            step.put("dev_failures", r.failures());
            step.put("kept", keep);
            steps.add(step);
            if (keep) {
                soup = candidate;
                current = merged;
                score = r.mean();
            }
        }
        WeightsModel finalSoup = current;
        context.trace().record("greedy_soup", Map.of("ingredients", soup.stream().map(WeightsModel::name).toList(),
                "dev_score", score, "steps", steps));
        return context.forEachTest((example, index) -> context.answer(finalSoup, example).text());
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.WEIGHT; }
        @Override public String description() {
            return "average models' weights greedily in dev order, keeping each only if the soup's dev score does not drop";
        }
        @Override public List<ParameterSpec> parameters() { return List.of(); }
        @Override public GreedySoup create(Hyperparameters hyperparameters) { return new GreedySoup(this, hyperparameters); }
    }
}

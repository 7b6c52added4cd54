package io.mocoj.methods.api;

import io.mocoj.method.DevEvaluation;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.CalibrationTarget;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Prompts;
import io.mocoj.methods.toolbox.RouterCalibration;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code api_prompt_routing}: the model with the best mean dev score becomes the router. For each
 * test example it is shown the query and every model's number, name and description
 * ({@code model_descriptions}, one per pool model, in pool order) and asked which model should
 * answer; that model then answers. A reply naming no model (by name or 1-based number) falls back
 * to the router itself, and the fallback is traced.
 */
public final class PromptRouting extends ConfiguredMethod<PromptRouting> {
    public static final String NAME = "api_prompt_routing";

    static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("model_descriptions", ParameterSpec.Type.STRING_LIST, null,
                    "a list of strings, one per pool model in pool order (required)", null,
                    "one description per pool model, in pool order, shown to the router"),
            CalibrationTarget.parameter());

    private final List<String> descriptions;
    private final CalibrationTarget target;

    PromptRouting(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        List<String> d = hyperparameters.getList("model_descriptions");
        this.descriptions = d == null ? null : List.copyOf(d);
        this.target = CalibrationTarget.from(hyperparameters.getMap(CalibrationTarget.KEY));
    }

    /** A copy calibrated on dev to this target (the router then also routes every dev query). */
    public PromptRouting calibrate(CalibrationTarget target) { return with(CalibrationTarget.KEY, target.asConfig()); }

    /** A copy with these model descriptions (one per pool model, in pool order). */
    public PromptRouting modelDescriptions(List<String> descriptions) { return with("model_descriptions", descriptions); }

    /** The descriptions, or null when not set. */
    public List<String> modelDescriptions() { return descriptions; }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        RouterCalibration.checkPrices(NAME, target, models);
        if (descriptions == null) {
            throw new IllegalArgumentException("method " + NAME + " needs hyperparameter 'model_descriptions': a list of "
                    + models.size() + " strings, one per model in pool order (" + names(models) + ")");
        }
        if (descriptions.size() != models.size()) {
            throw new IllegalArgumentException("hyperparameter 'model_descriptions' of method " + NAME + " has "
                    + descriptions.size() + " entries but the pool has " + models.size() + " models (" + names(models)
                    + "): give exactly one description per model, in pool order");
        }
        for (int i = 0; i < descriptions.size(); i++) {
            if (descriptions.get(i) == null || descriptions.get(i).isBlank()) {
                throw new IllegalArgumentException("hyperparameter 'model_descriptions' of method " + NAME + ": entry " + i
                        + " (for model '" + models.get(i).name() + "') is empty; describe what that model is good at");
            }
        }
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        int router = context.devEvaluation().best();
        ModelEndpoint routerModel = models.get(router);
        context.trace().record("router", Map.of("model", routerModel.name(),
                "dev_score", context.devEvaluation().meanScore(router)));
        DevEvaluation dev = context.devEvaluation();
        double[][] costs = RouterCalibration.devCosts(models, dev);
        int strong = RouterCalibration.strongModel(models.size(), costs);
        int bestOther = dev.ranking().stream().filter(m -> m != strong).findFirst().orElseThrow();
        long seed = context.settings().seed();
        RouterCalibration.Result cal = target == null ? null : calibrateOnDev(context, routerModel, names, strong, bestOther, costs);
        AtomicIntegerArray routedTo = new AtomicIntegerArray(models.size());

        MethodOutput output = context.forEachTest((example, index) -> {
            String reply = context.ask(routerModel, Prompts.routing(context.evaluator().prompt(example), names, descriptions)).text();
            int picked = Prompts.parseModelChoice(reply, names);
            boolean fallback = picked < 0;
            if (fallback) picked = router;
            int chosen = cal == null ? picked : cal.choose(RouterCalibration.choiceScore(picked == strong, seed, example.id()),
                    picked == strong ? bestOther : picked, picked);
            routedTo.incrementAndGet(chosen);
            context.trace().record(index, "route", Map.of("model", names.get(chosen), "router_pick", names.get(picked),
                    "fallback_to_router", fallback, "router_reply", abbreviate(reply)));
            return context.answer(models.get(chosen), example).text();
        });

        Map<String, Object> counts = new LinkedHashMap<>();
        for (int m = 0; m < models.size(); m++) counts.put(names.get(m), routedTo.get(m));
        context.trace().record("routed_to", counts);
        return output;
    }

    /** Routes every dev query with the router and calibrates the choice scores to the target. */
    private RouterCalibration.Result calibrateOnDev(MethodContext context, ModelEndpoint routerModel, List<String> names, int strong,
                                                    int bestOther, double[][] costs) {
        List<Example> dev = context.devEvaluation().examples();
        List<Integer> picks = context.parallel(dev, e -> {
            int p = Prompts.parseModelChoice(context.ask(routerModel, Prompts.routing(context.evaluator().prompt(e), names, descriptions)).text(), names);
            return p < 0 ? names.indexOf(routerModel.name()) : p;
        });
        double[] strongScore = new double[dev.size()];
        int[] other = new int[dev.size()];
        for (int q = 0; q < dev.size(); q++) {
            strongScore[q] = RouterCalibration.choiceScore(picks.get(q) == strong, context.settings().seed(), dev.get(q).id());
            other[q] = picks.get(q) == strong ? bestOther : picks.get(q);
        }
        RouterCalibration.Result cal = RouterCalibration.calibrate(target, strong, strongScore, other,
                RouterCalibration.devScores(context.devEvaluation()), costs);
        context.trace().record("calibration", RouterCalibration.trace(cal, target, names));
        return cal;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static String names(List<ModelEndpoint> models) {
        return String.join(", ", models.stream().map(ModelEndpoint::name).toList());
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "the best dev model reads the model descriptions and routes each query to the model that should answer it";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public PromptRouting create(Hyperparameters hyperparameters) { return new PromptRouting(this, hyperparameters); }
    }
}

package io.mocoj.methods.api;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code single_model}: one model of the pool answers every test example alone, the baseline
 * every collaboration method is compared with. Hyperparameter {@code model_id} (default 0)
 * picks the model by its 0-based position in the pool.
 */
public final class SingleModel extends ConfiguredMethod<SingleModel> {
    public static final String NAME = "single_model";

    static final List<ParameterSpec> PARAMETERS = List.of(
            new ParameterSpec("model_id", ParameterSpec.Type.INT, 0, "a whole number >= 0 (a 0-based position in the pool)",
                    v -> (int) v >= 0, "0-based position in the pool of the model that answers"));

    private final int modelId;

    SingleModel(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.modelId = hyperparameters.getInt("model_id");
    }

    /** A copy answering with the model at 0-based pool position {@code modelId}. */
    public SingleModel modelId(int modelId) { return with("model_id", modelId); }

    public int modelId() { return modelId; }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        if (modelId >= models.size()) {
            throw new IllegalArgumentException("hyperparameter 'model_id' of method " + NAME + " is " + modelId
                    + " but the pool has only " + models.size() + " model(s) (valid: 0.." + (models.size() - 1) + ")");
        }
    }

    @Override
    public java.util.Optional<io.mocoj.method.CallPlan> plannedCalls(List<ModelEndpoint> models, int devExamples, int testExamples) {
        if (modelId < 0 || modelId >= models.size()) return java.util.Optional.empty();
        return java.util.Optional.of(new io.mocoj.method.CallPlan(java.util.Map.of(models.get(modelId).name(), (long) testExamples),
                "model " + modelId + " once per test example", true));
    }

    @Override
    public MethodOutput run(MethodContext context) {
        checkPool(context.models());
        ModelEndpoint model = context.model(modelId);
        context.trace().record("single_model", java.util.Map.of("model", model.name(), "model_id", modelId));
        return context.forEachTest((example, index) -> context.answer(model, example).text());
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() { return "one model of the pool answers every test example alone (the baseline)"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public SingleModel create(Hyperparameters hyperparameters) { return new SingleModel(this, hyperparameters); }
    }
}

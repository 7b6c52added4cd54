package io.mocoj.methods.logit;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code logit_logit_fusion}: every test answer is decoded from the average of all models'
 * next-token distributions. The models decode in lock-step over one shared vocabulary, each with
 * its own KV cache; the run's temperature, top-p, length and seed apply to the averaged
 * distribution.
 */
public final class LogitFusion extends ConfiguredMethod<LogitFusion> {
    public static final String NAME = "logit_logit_fusion";

    LogitFusion(MethodFactory factory, Hyperparameters hyperparameters) { super(factory, hyperparameters); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.LOGITS); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        LockStepDecoding.sharedVocabulary(NAME, models);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<LogitsModel> models = LockStepDecoding.sharedVocabulary(NAME, context.models());
        context.trace().record("fusion", Map.of("models", models.stream().map(ModelEndpoint::name).toList()));
        return context.forEachTest((example, index) -> {
            LockStepDecoding.Result r = LockStepDecoding.decode(models, List.of(ChatMessage.user(context.evaluator().prompt(example))),
                    LockStepDecoding::meanProbability, Decoding.settings(context, index), null);
            context.trace().record(index, "fusion", Map.of("tokens", r.tokens(), "finish", r.finishReason().name(), "steps", r.steps()));
            return r.text();
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.LOGIT; }
        @Override public String description() { return "decode from the average of all models' next-token distributions"; }
        @Override public List<ParameterSpec> parameters() { return List.of(); }
        @Override public LogitFusion create(Hyperparameters hyperparameters) { return new LogitFusion(this, hyperparameters); }
    }
}

package io.mocoj.methods.logit;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.methods.toolbox.TopTokensDecoding;
import io.mocoj.model.Capability;
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
 *
 * <p>Over OpenAI-compatible servers ({@link Capability#APPROX_LOGITS}) the same average is taken
 * over each server's {@code top_logprobs} list instead ({@link TopTokensDecoding}; hyperparameter
 * {@code top_logprobs}, k): an approximation, recorded as such in the trace.
 */
public final class LogitFusion extends ConfiguredMethod<LogitFusion> {
    public static final String NAME = "logit_logit_fusion";

    static final List<ParameterSpec> PARAMETERS = List.of(Decoding.TOP_LOGPROBS);

    private final int topLogprobs;

    LogitFusion(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.topLogprobs = hyperparameters.getInt("top_logprobs");
    }

    /** A copy asking servers for {@code k} alternatives per token (approximate pools only). */
    public LogitFusion topLogprobs(int k) { return with("top_logprobs", k); }

    /** LOGITS (exact, in-process) or APPROX_LOGITS (servers) for the whole pool: checked by {@link #checkPool}. */
    @Override public Set<Capability> requiredCapabilities() { return EnumSet.noneOf(Capability.class); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        LockStepDecoding.approximate(NAME, models);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        boolean approximate = LockStepDecoding.approximate(NAME, models);
        context.trace().record("fusion", Decoding.substrate(models, approximate, topLogprobs));
        return context.forEachTest((example, index) -> {
            LockStepDecoding.Result r = Decoding.decode(context, models, approximate, topLogprobs, example, index, LockStepDecoding::meanProbability);
            context.trace().record(index, "fusion", Map.of("tokens", r.tokens(), "finish", r.finishReason().name(), "steps", r.steps()));
            return r.text();
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.LOGIT; }
        @Override public String description() { return "decode from the average of all models' next-token distributions"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public LogitFusion create(Hyperparameters hyperparameters) { return new LogitFusion(this, hyperparameters); }
    }
}

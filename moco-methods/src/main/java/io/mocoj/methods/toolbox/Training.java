package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Example;
import io.mocoj.train.RewardFunction;
import io.mocoj.train.TrainableModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared steps of the methods that fine-tune a model during the run. */
public final class Training {
    private Training() {}

    /**
     * The model a training option names: the pool model of that name (or spec up to '?'), else a
     * model spec resolved here (e.g. {@code gguf:/models/agg.gguf}); {@code null} gives the pool
     * model at {@code defaultIndex}. The model must be able to train.
     *
     * @throws IllegalArgumentException naming the option, the model and what to do
     */
    public static ModelEndpoint trainable(String method, String option, String nameOrSpec, List<ModelEndpoint> pool, int defaultIndex) {
        ModelEndpoint m = nameOrSpec == null ? pool.get(defaultIndex) : find(method, option, nameOrSpec, pool);
        requireTrain(method, m, option + (nameOrSpec == null ? " (default: pool model " + defaultIndex + ")" : ""));
        return m;
    }

    /** Refuses a model without TRAIN before any work, naming it and its role. */
    public static void requireTrain(String method, ModelEndpoint m, String role) {
        if (!(m instanceof TrainableModel) || !m.has(Capability.TRAIN)) {
            throw new IllegalArgumentException("method " + method + " fine-tunes model '" + m.name() + "' (" + role + "), which cannot"
                    + " train (no capability TRAIN): use a gguf: model (trained in-process) or an openai-ft: model (SFT/DPO)");
        }
    }

    private static ModelEndpoint find(String method, String option, String nameOrSpec, List<ModelEndpoint> pool) {
        String bare = nameOrSpec.contains("?") ? nameOrSpec.substring(0, nameOrSpec.indexOf('?')) : nameOrSpec;
        for (ModelEndpoint m : pool) if (m.name().equals(bare) || m.name().equals(nameOrSpec)) return m;
        try {
            return ModelSpecs.resolve(nameOrSpec, new SpecContext(Optional.empty(), 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method " + method + ": " + option + " '" + nameOrSpec + "' is neither a model of the pool "
                    + pool.stream().map(ModelEndpoint::name).toList() + " nor a usable model spec: " + e.getMessage(), e);
        }
    }

    /**
     * GRPO's reward from the task: the evaluator's score of the completion for the example whose
     * training prompt it is ({@code byPrompt}: training prompt → example).
     */
    public static RewardFunction taskReward(MethodContext context, Map<String, Example> byPrompt) {
        return (row, completion) -> {
            Example e = byPrompt.get(row.prompt());
            if (e == null) throw new IllegalStateException("no task example for a training prompt");
            return context.evaluator().score(e, completion).value();
        };
    }
}

package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/** Asking the whole pool and reading short answers through the task's evaluator. */
public final class Answers {
    private Answers() {}

    /**
     * Every model of the pool answers {@code example} (the task prompt), concurrently. A model whose
     * call fails after the engine's retries gets {@code null} at its position.
     */
    public static List<Generation> fromEveryModel(MethodContext context, Example example) {
        return context.parallel(context.models(), model -> orNull(() -> context.answer(model, example)));
    }

    /**
     * Model {@code i} of {@code models} is asked {@code prompts.get(i)}, all concurrently; a
     * {@code null} prompt is not sent (its result is {@code null}), and a call that fails after
     * the engine's retries also gives {@code null}.
     */
    public static List<Generation> fromEach(MethodContext context, List<ModelEndpoint> models, List<String> prompts) {
        return fromEach(context, models, prompts, false);
    }

    /**
     * As {@link #fromEach(MethodContext, List, List)}; with {@code ownSeeds} model {@code i} is
     * agent {@code i} and samples with its own seed ({@link AgentSampling}), otherwise with the run seed.
     */
    public static List<Generation> fromEach(MethodContext context, List<ModelEndpoint> models, List<String> prompts, boolean ownSeeds) {
        if (models.size() != prompts.size()) throw new IllegalArgumentException(models.size() + " models but " + prompts.size() + " prompts");
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) idx.add(i);
        return context.parallel(idx, i -> prompts.get(i) == null ? null
                : ownSeeds ? AgentSampling.askOrNull(context, models.get(i), i, prompts.get(i)) : askOrNull(context, models.get(i), prompts.get(i)));
    }

    /** One prompt to one model; {@code null} when the call fails after the engine's retries. */
    public static Generation askOrNull(MethodContext context, ModelEndpoint model, String prompt) {
        return orNull(() -> context.ask(model, prompt));
    }

    /** The generation of {@code call} (one model call); {@code null} when it fails after the engine's retries. */
    public static Generation orNull(Supplier<Generation> call) {
        try {
            return call.get();
        } catch (ModelCallException e) {
            return null;
        }
    }

    /** The evaluator's short answer of each response ({@code null} stays {@code null}). */
    public static List<String> extract(MethodContext context, Example example, List<Generation> responses) {
        List<String> out = new ArrayList<>(responses.size());
        for (Generation g : responses) out.add(g == null ? null : context.evaluator().extractAnswer(example, g.text()));
        return Collections.unmodifiableList(out);
    }

    /** Names of the models whose response is {@code null} (failed calls), in pool order. */
    public static List<String> failedModels(List<ModelEndpoint> models, List<Generation> responses) {
        List<String> out = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) if (responses.get(m) == null) out.add(models.get(m).name());
        return out;
    }
}

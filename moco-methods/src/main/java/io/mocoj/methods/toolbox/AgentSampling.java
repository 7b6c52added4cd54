package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import java.util.SplittableRandom;

/**
 * Independent agents: agent {@code i} of the pool samples with a seed of its own, derived from the
 * run seed and {@code i}, as separate agents (separate servers, separate processes) do. Without it
 * every call of a run carries the run seed, so two copies of one model answer alike at any
 * temperature and related models (one fine-tuned from the other) sample in step. Agent 0 keeps the
 * run seed, so its calls are the ones the model makes alone (e.g. the dev evaluation's); agent
 * {@code i > 0} uses the {@code i}-th {@code nextLong()} of {@code new SplittableRandom(runSeed)}.
 * The seed is part of the request, hence of the response cache's key: copies of one model no
 * longer share cache entries.
 */
public final class AgentSampling {
    private AgentSampling() {}

    /** The sampling seed of agent {@code agent} (0-based pool index) in a run with seed {@code runSeed}. */
    public static long seed(long runSeed, int agent) {
        if (agent < 0) throw new IllegalArgumentException("agent index must be >= 0, was " + agent);
        SplittableRandom r = new SplittableRandom(runSeed);
        long s = runSeed;
        for (int i = 0; i < agent; i++) s = r.nextLong();
        return s;
    }

    /** Agent {@code agent} (its pool index; {@code model} may be its fine-tuned version) is asked one prompt with its own seed. */
    public static Generation ask(MethodContext context, ModelEndpoint model, int agent, String prompt) {
        return context.generate(model, context.settings().request(prompt).seed(seed(context.settings().seed(), agent)).build());
    }

    /** As {@link #ask}; {@code null} when the call fails after the engine's retries. */
    public static Generation askOrNull(MethodContext context, ModelEndpoint model, int agent, String prompt) {
        return Answers.orNull(() -> ask(context, model, agent, prompt));
    }

    /** The pool index of the model named {@code name}. */
    public static int indexOf(MethodContext context, String name) {
        for (int i = 0; i < context.models().size(); i++) if (context.model(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no pool model is named '" + name + "'");
    }
}

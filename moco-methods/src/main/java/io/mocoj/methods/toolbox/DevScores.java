package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a model that is not in the pool (a merged or adapted candidate) on dev examples, through
 * the engine; a failed call scores 0 and is counted.
 */
public final class DevScores {
    private DevScores() {}

    /** Mean score and number of failed calls of one candidate. */
    public record Result(double mean, int failures, int examples) {}

    public static Result score(MethodContext context, ModelEndpoint model, List<Example> dev) {
        return score(context, model, dev, false);
    }

    /** Like {@link #score(MethodContext, ModelEndpoint, List)}; {@code greedy} decodes at temperature 0 whatever the run's setting. */
    public static Result score(MethodContext context, ModelEndpoint model, List<Example> dev, boolean greedy) {
        List<Generation> gens = context.parallel(dev, e -> {
            try {
                return greedy ? answerGreedily(context, model, e) : context.answer(model, e);
            } catch (ModelCallException failed) {
                return null;
            }
        });
        List<String> outs = new ArrayList<>();
        int failures = 0;
        for (Generation g : gens) {
            outs.add(g == null ? null : g.text());
            if (g == null) failures++;
        }
        double sum = 0;
        for (var s : context.evaluator().scoreAll(dev, outs)) sum += s.value();
        return new Result(dev.isEmpty() ? 0 : sum / dev.size(), failures, dev.size());
    }

    /** The task's prompt for an example, answered at temperature 0. */
    public static Generation answerGreedily(MethodContext context, ModelEndpoint model, Example example) {
        return context.generate(model, context.settings().request(context.evaluator().prompt(example)).temperature(0).build());
    }

    /** Refuses a task without dev examples for a method that selects on dev. */
    public static List<Example> requireDev(MethodContext context, String method) {
        List<Example> dev = context.task().dev();
        if (dev.isEmpty()) {
            throw new IllegalArgumentException("method " + method + " chooses on the dev split, but task '" + context.task().name()
                    + "' has no dev examples: add dev examples");
        }
        return dev;
    }
}

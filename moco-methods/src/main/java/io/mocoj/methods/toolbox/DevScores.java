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
        List<Generation> gens = context.parallel(dev, e -> {
            try {
                return context.answer(model, e);
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

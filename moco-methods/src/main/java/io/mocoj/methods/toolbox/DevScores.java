package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Dev-split scoring for methods that choose on dev: a model that is not in the pool (a merged or
 * adapted candidate) through the engine, where a failed call scores 0 and is counted; or a candidate
 * configuration of a method (hyperparameter searches).
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

    /** The first {@code ratio} share of the dev split (at least one example when dev is not empty). */
    public static List<Example> share(MethodContext context, double ratio) {
        List<Example> dev = context.task().dev();
        if (dev.isEmpty()) return dev;
        return dev.subList(0, Math.max(1, (int) Math.round(dev.size() * ratio)));
    }

    /**
     * A seeded sample of {@code max(1, ⌊ratio·n⌋)} dev examples, kept in dev order (MoCo's
     * multiagent finetuning draws {@code sorted(random.sample(range(n), k))} with seed 42; this is
     * the same rule with Java's generator, so the same share but not the same examples as Python's).
     * The whole split when {@code ratio} is 1.
     */
    public static List<Example> sample(List<Example> dev, double ratio, long seed) {
        if (dev.isEmpty() || ratio >= 1) return dev;
        int k = Math.max(1, (int) (dev.size() * ratio));
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        for (int i = 0; i < dev.size(); i++) idx.add(i);
        java.util.Collections.shuffle(idx, new java.util.Random(seed));
        List<Integer> chosen = new java.util.ArrayList<>(idx.subList(0, k));
        java.util.Collections.sort(chosen);
        List<Example> out = new java.util.ArrayList<>();
        for (int i : chosen) out.add(dev.get(i));
        return List.copyOf(out);
    }

    /**
     * Mean score of {@code solve} over {@code examples}, run concurrently on the engine's threads;
     * an example whose solver throws scores 0.
     */
    public static double mean(MethodContext context, List<Example> examples, Function<Example, String> solve) {
        if (examples.isEmpty()) return 0;
        List<String> outputs = context.parallel(examples, e -> {
            try {
                return solve.apply(e);
            } catch (RuntimeException failed) {
                return null;
            }
        });
        double sum = 0;
        var scores = context.evaluator().scoreAll(examples, outputs);
        for (var s : scores) sum += s.value();
        return sum / examples.size();
    }
}

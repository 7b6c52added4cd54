package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.task.Example;
import java.util.List;
import java.util.function.Function;

/** Scoring a candidate configuration of a method on the dev split (for hyperparameter searches). */
public final class DevScores {
    private DevScores() {}

    /** The first {@code ratio} share of the dev split (at least one example when dev is not empty). */
    public static List<Example> share(MethodContext context, double ratio) {
        List<Example> dev = context.task().dev();
        if (dev.isEmpty()) return dev;
        return dev.subList(0, Math.max(1, (int) Math.round(dev.size() * ratio)));
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

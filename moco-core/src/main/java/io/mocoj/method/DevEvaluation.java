package io.mocoj.method;

import io.mocoj.model.Generation;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Every model's generations and scores on the dev split, computed once per run.
 * A model call that failed for an example scores 0 there and is listed in {@link #failures(int)}.
 */
public interface DevEvaluation {

    List<Example> examples();

    /** Number of models. */
    int modelCount();

    /** The generation of model {@code model} for dev example {@code example}, or null if the call failed. */
    Generation generation(int model, int example);

    /** The score of model {@code model} on dev example {@code example}. */
    Score score(int model, int example);

    /** Number of failed calls of a model. */
    int failures(int model);

    /** Mean dev score of a model. */
    default double meanScore(int model) {
        int n = examples().size();
        if (n == 0) return 0;
        double s = 0;
        for (int i = 0; i < n; i++) s += score(model, i).value();
        return s / n;
    }

    /** Model indices from best to worst mean dev score (ties keep pool order). */
    default List<Integer> ranking() {
        return IntStream.range(0, modelCount()).boxed()
                .sorted(Comparator.comparingDouble((Integer m) -> -meanScore(m)).thenComparingInt(m -> m))
                .toList();
    }

    /** The best model on dev (lowest index among ties). */
    default int best() { return ranking().get(0); }
}

package io.mocoj.methods.toolbox;

import io.mocoj.method.DevEvaluation;
import io.mocoj.method.MethodContext;
import io.mocoj.model.ModelEndpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "The best dev model does the last step" (summarises, aggregates, answers with knowledge):
 * the model with the highest mean score on the first {@code ratio} share of the dev split
 * (MoCo's {@code ratio}: ⌊ratio·|dev|⌋ examples, at least one), the earliest in pool order among
 * equal scores. Recorded in the trace as {@code best_dev_model}.
 */
public final class BestDevModel {
    private BestDevModel() {}

    /** The chosen model, its dev mean, and every model's dev mean on the examples used. */
    public record Choice(int index, String model, int devExamples, Map<String, Double> devScores) {}

    /** Chooses the model and records the choice as the run-level trace event {@code best_dev_model}. */
    public static Choice choose(MethodContext context, double ratio) {
        DevEvaluation dev = context.devEvaluation();
        List<ModelEndpoint> models = context.models();
        int total = dev.examples().size();
        if (total == 0) {
            throw new IllegalStateException("choosing the best dev model needs a dev split, but task '" + context.task().name()
                    + "' has no dev examples; give a task with a dev split");
        }
        int used = Math.max(1, Math.min(total, (int) Math.floor(ratio * total)));
        Map<String, Double> scores = new LinkedHashMap<>();
        int best = 0;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < models.size(); m++) {
            double sum = 0;
            for (int i = 0; i < used; i++) sum += dev.score(m, i).value();
            double mean = sum / used;
            scores.put(models.get(m).name(), mean);
            if (mean > bestMean) {
                bestMean = mean;
                best = m;
            }
        }
        Choice choice = new Choice(best, models.get(best).name(), used, scores);
        context.trace().record("best_dev_model", Map.of("choice", choice));
        return choice;
    }
}

package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.List;

/** Confidence of generated answers from token log-probabilities. */
public final class Confidences {
    private Confidences() {}

    /** Mean token probability of a generation; 0 when it carries no log-probabilities (MoCo's rule). */
    public static double of(Generation g) {
        return g.meanTokenProbability().orElse(0.0);
    }

    /** The model's answer to the example's task prompt, with token log-probabilities requested. */
    public static Generation answerWithLogprobs(MethodContext context, ModelEndpoint model, Example example) {
        return context.generate(model, context.settings().request(context.evaluator().prompt(example)).logprobs(true).build());
    }

    /**
     * Each listed model's answer confidences on the dev split (all calls concurrent). Row {@code i}
     * belongs to {@code models.get(i)}, entry {@code q} to dev example {@code q}; a call that fails
     * after the engine's retries gives NaN.
     */
    public static List<double[]> onDev(MethodContext context, List<ModelEndpoint> models) {
        List<Example> dev = context.task().dev();
        record Job(int model, Example example) {}
        List<Job> jobs = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) for (Example e : dev) jobs.add(new Job(m, e));
        List<Double> values = context.parallel(jobs, job -> {
            try {
                return of(answerWithLogprobs(context, models.get(job.model()), job.example()));
            } catch (ModelCallException e) {
                return Double.NaN;
            }
        });
        List<double[]> out = new ArrayList<>(models.size());
        for (int m = 0; m < models.size(); m++) {
            out.add(values.subList(m * dev.size(), (m + 1) * dev.size()).stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out;
    }
}

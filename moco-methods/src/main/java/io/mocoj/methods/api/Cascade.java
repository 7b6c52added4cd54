package io.mocoj.methods.api;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.CalibrationTarget;
import io.mocoj.methods.toolbox.Confidences;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Prompts;
import io.mocoj.methods.toolbox.RouterCalibration;
import io.mocoj.methods.toolbox.Thresholds;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code api_cascade}: the models, ordered from weak (cheap) to strong as given in the pool,
 * answer in turn; a model's answer is accepted when it is confident, otherwise the example is
 * deferred to the next model; the last model always answers.
 *
 * <ul>
 *   <li>mode {@code logit}: confidence = mean token probability of the answer. Each model but the
 *       last gets a threshold from its dev answers: the value that the top {@code percentage} share
 *       of its dev confidences reach (the {@code 1 − percentage} quantile, linear interpolation).
 *       Accept when confidence ≥ threshold.</li>
 *   <li>mode {@code just_ask}: after answering, the model is asked in the same conversation
 *       {@value Prompts#CONFIDENCE_QUESTION}; a "no" defers, anything else accepts.</li>
 * </ul>
 * A call of a non-final model that fails after the engine's retries defers the example too.
 */
public final class Cascade extends ConfiguredMethod<Cascade> {
    public static final String NAME = "api_cascade";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.choice("mode", CascadeMode.LOGIT.configName(), CascadeMode.configNames(),
                    "how confidence is judged: logit (mean token probability vs a dev threshold) or just_ask"),
            ParameterSpec.real("percentage", 0.5, 0.0, 1.0,
                    "mode logit: share of each model's dev answers whose confidence reaches its threshold"),
            CalibrationTarget.parameter());

    private final CascadeMode mode;
    private final double percentage;
    private final CalibrationTarget target;

    Cascade(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.mode = CascadeMode.fromConfigName(hyperparameters.getString("mode"));
        this.percentage = hyperparameters.getDouble("percentage");
        this.target = CalibrationTarget.from(hyperparameters.getMap(CalibrationTarget.KEY));
        if (target != null && mode != CascadeMode.LOGIT) {
            throw new IllegalArgumentException("hyperparameter 'calibrate' of method " + NAME + " needs mode logit (a confidence to set"
                    + " a threshold on); mode just_ask gives only yes or no: set mode to logit or remove calibrate");
        }
    }

    /**
     * A copy calibrated on dev: the last model's share of queries (or the cost per 1,000 queries)
     * meets the target by moving the threshold of the model before it; earlier models keep their
     * {@code percentage} thresholds.
     */
    public Cascade calibrate(CalibrationTarget target) { return with(CalibrationTarget.KEY, target.asConfig()); }

    /** A copy with another deferral mode. */
    public Cascade mode(CascadeMode mode) { return with("mode", mode.configName()); }

    /** A copy with another threshold share (mode logit), in [0, 1]. */
    public Cascade percentage(double percentage) { return with("percentage", percentage); }

    public CascadeMode mode() { return mode; }

    public double percentage() { return percentage; }

    /**
     * TEXT from every model. Mode logit also needs LOGPROBS from every model except the last
     * (which always answers); {@link #checkPool} checks that per model.
     */
    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        RouterCalibration.checkPrices(NAME, target, models);
        if (target != null && models.size() < 2) {
            throw new IllegalArgumentException("method " + NAME + ": calibrate needs at least 2 models (a cheaper one that can defer to the last)");
        }
        if (mode != CascadeMode.LOGIT) return;
        for (int i = 0; i < models.size() - 1; i++) {
            ModelEndpoint m = models.get(i);
            if (!m.has(Capability.LOGPROBS)) {
                throw new IllegalArgumentException("method " + NAME + " (mode logit) needs capability LOGPROBS from model '"
                        + m.name() + "' (pool position " + i + "), which does not have it: use a model that returns token"
                        + " log-probabilities, put this model last in the pool (the last model always answers), or set mode to just_ask");
            }
        }
    }

    @Override
    public java.util.Optional<io.mocoj.method.CallPlan> plannedCalls(List<ModelEndpoint> models, int devExamples, int testExamples) {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (int m = 0; m < models.size(); m++) {
            boolean last = m == models.size() - 1;
            long perModel = (last ? testExamples : mode == CascadeMode.LOGIT ? devExamples + testExamples : 2L * testExamples)
                    + (target != null ? devExamples : 0);
            calls.put(models.get(m).name(), perModel);
        }
        String formula = mode == CascadeMode.LOGIT
                ? "each model but the last once per dev example (thresholds) and at most once per test example; the last at most once per test example"
                : "each model but the last at most twice per test example (answer, confidence question); the last at most once";
        if (target != null) formula += "; calibrate: every model also answers every dev example once more (the dev evaluation scoring the cost-quality curve)";
        return java.util.Optional.of(new io.mocoj.method.CallPlan(calls, formula, false));
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        int n = models.size();
        double[][] devConfidence = mode == CascadeMode.LOGIT ? devConfidences(context) : new double[0][];
        double[] thresholds = devThresholds(context, devConfidence);
        RouterCalibration.Result cal = target == null ? null : calibrate(context, devConfidence, thresholds);
        AtomicIntegerArray answeredBy = new AtomicIntegerArray(n);

        MethodOutput output = context.forEachTest((example, index) -> {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                ModelEndpoint model = models.get(m);
                Map<String, Object> step = new LinkedHashMap<>();
                step.put("model", model.name());
                Generation answer = null;
                boolean accept;
                if (m == n - 1) {
                    answer = context.answer(model, example);
                    accept = true;
                } else {
                    try {
                        if (mode == CascadeMode.LOGIT) {
                            answer = Confidences.answerWithLogprobs(context, model, example);
                            double confidence = Confidences.of(answer);
                            step.put("confidence", confidence);
                            step.put("threshold", thresholds[m]);
                            accept = confidence >= thresholds[m];
                            if (cal != null && m == n - 2) {
                                accept = cal.choose(-confidence, m, m) != n - 1;
                                if (Double.isFinite(cal.threshold())) step.put("calibrated_threshold", -cal.threshold());
                            }
                        } else {
                            answer = context.answer(model, example);
                            Generation reply = context.generate(model, answerRequest(context, example)
                                    .assistant(answer.text()).user(Prompts.CONFIDENCE_QUESTION).build());
                            Prompts.YesNo said = Prompts.parseYesNo(reply.text());
                            step.put("confident", said.name().toLowerCase(java.util.Locale.ROOT));
                            accept = said != Prompts.YesNo.NO;
                        }
                    } catch (ModelCallException e) {
                        // a failed call of a non-final model defers to the next model instead of failing the example
                        step.put("error", e.getMessage());
                        accept = false;
                    }
                }
                step.put("deferred", !accept);
                steps.add(step);
                if (accept) {
                    answeredBy.incrementAndGet(m);
                    context.trace().record(index, "cascade", Map.of("answered_by", model.name(), "steps", steps));
                    return answer.text();
                }
            }
            throw new IllegalStateException("unreachable: the last model always answers");
        });

        Map<String, Object> counts = new LinkedHashMap<>();
        for (int m = 0; m < n; m++) counts.put(models.get(m).name(), answeredBy.get(m));
        context.trace().record("answered_by", counts);
        return output;
    }

    private static GenerationRequest.Builder answerRequest(MethodContext context, Example example) {
        return context.settings().request(context.evaluator().prompt(example));
    }

    /** Each model's (but the last's) confidence on each dev example, NaN where the call failed. */
    private double[][] devConfidences(MethodContext context) {
        List<ModelEndpoint> judged = context.models().subList(0, context.models().size() - 1);
        if (judged.isEmpty()) return new double[0][];
        if (context.task().dev().isEmpty()) {
            throw new IllegalArgumentException("method " + NAME + " (mode logit) sets each model's threshold on the dev split, but task '"
                    + context.task().name() + "' has no dev examples: add dev examples or set mode to just_ask");
        }
        return Confidences.onDev(context, judged).toArray(double[][]::new);
    }

    /** Per-model thresholds (all models but the last) from their dev confidences. */
    private double[] devThresholds(MethodContext context, double[][] confidences) {
        double[] thresholds = new double[confidences.length];
        if (confidences.length == 0) return thresholds;
        Map<String, Object> traced = new LinkedHashMap<>();
        for (int m = 0; m < confidences.length; m++) {
            double[] values = Arrays.stream(confidences[m]).filter(v -> !Double.isNaN(v)).toArray();
            String name = context.models().get(m).name();
            if (values.length == 0) {
                throw new IllegalStateException("method " + NAME + ": every dev call of model '" + name
                        + "' failed, so no confidence threshold can be set for it");
            }
            thresholds[m] = Thresholds.topShare(values, percentage);
            traced.put(name, Map.of("threshold", thresholds[m], "dev_answers", values.length,
                    "dev_failures", confidences[m].length - values.length,
                    "min_confidence", Arrays.stream(values).min().orElseThrow(), "max_confidence", Arrays.stream(values).max().orElseThrow()));
        }
        context.trace().record("thresholds", Map.of("percentage", percentage, "models", traced));
        return thresholds;
    }

    /**
     * The cascade on dev as a router: a query reaches the last (strong) model when every earlier
     * model defers; the earlier models keep their thresholds, and the one before the last defers
     * when minus its confidence reaches the calibrated threshold (a failed call always defers).
     * Reaching model m costs the calls of models 0..m.
     */
    private RouterCalibration.Result calibrate(MethodContext context, double[][] confidence, double[] thresholds) {
        int n = context.models().size(), dev = context.task().dev().size(), last = n - 2;
        double[] strongScore = new double[dev];
        int[] other = new int[dev];
        for (int q = 0; q < dev; q++) {
            other[q] = last;
            strongScore[q] = Double.isNaN(confidence[last][q]) ? Double.POSITIVE_INFINITY : -confidence[last][q];
            for (int m = 0; m < last; m++) {
                if (confidence[m][q] >= thresholds[m]) {
                    other[q] = m;
                    strongScore[q] = Double.NEGATIVE_INFINITY;
                    break;
                }
            }
        }
        double[][] costs = RouterCalibration.devCosts(context.models(), context.devEvaluation());
        RouterCalibration.Result cal = RouterCalibration.calibrate(target, n - 1, strongScore, other,
                RouterCalibration.devScores(context.devEvaluation()), RouterCalibration.cumulative(costs), costs);
        context.trace().record("calibration", RouterCalibration.trace(cal, target, context.models().stream().map(ModelEndpoint::name).toList()));
        return cal;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "models ordered weak to strong answer in turn; an unconfident answer is deferred to the next model";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public Cascade create(Hyperparameters hyperparameters) { return new Cascade(this, hyperparameters); }
    }
}

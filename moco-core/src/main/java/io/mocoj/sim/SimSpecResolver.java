package io.mocoj.sim;

import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecResolver;
import io.mocoj.spec.SpecContext;
import io.mocoj.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code sim:NAME?option=value&…} specs into {@link SimulatedModel}s for the task in the
 * {@link SpecContext}. Options (all optional): {@value #KNOWN}, and {@code acc.GROUP} for a group's
 * accuracy. The seed defaults to the context's seed.
 */
public final class SimSpecResolver implements ModelSpecResolver {
    static final String KNOWN = "accuracy, style, format, calibration, unsure_below, latency_ms, jitter_ms, persuade, routing_skill, "
            + "error_rate, rate_limit, retry_after_ms, timeout_rate, timeout_ms, garbage, fail, seed, price_in, price_out, "
            + "completion_tokens, reasoning_words, logprobs, wrong_pool, aggregation_accuracy, critique_accuracy, fix_rate, context_uptake, judge_accuracy, terminate_rate";

    @Override
    public List<String> schemes() { return List.of("sim"); }

    @Override
    public List<String> forms() {
        return List.of("sim:NAME[?accuracy=0.6&style=paren&calibration=1&persuade=0.3&acc.GROUP=0.9&seed=7&...]"
                + "  simulated model that knows the task's answers (e.g. sim:a?accuracy=0.6); see docs/simulated-models.md");
    }

    @Override
    public ModelEndpoint resolve(ModelSpec spec, SpecContext context) {
        String where = "model spec '" + spec.text() + "'";
        Task task = context.task().orElseThrow(() -> new IllegalArgumentException(
                where + ": simulated models need the task to know its answers; resolve it with a SpecContext that carries the task"));
        if (spec.body().isBlank()) {
            throw new IllegalArgumentException(where + ": a simulated model needs a name, e.g. sim:a?accuracy=0.6");
        }
        SimulatedModel.Builder b = SimulatedModel.builder(task).name(spec.body()).seed(context.seed());
        Double priceIn = null;
        Double priceOut = null;
        for (Map.Entry<String, String> e : spec.options().entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.startsWith("acc.") && key.length() > 4) {
                b.groupAccuracy(key.substring(4), number(spec, key));
                continue;
            }
            switch (key) {
                case "accuracy" -> b.accuracy(number(spec, key));
                case "style" -> {
                    try {
                        b.style(AnswerStyle.fromSpecName(value));
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
                    }
                }
                case "format" -> b.format(value);
                case "calibration" -> b.calibration(number(spec, key));
                case "unsure_below" -> b.unsureBelow(number(spec, key));
                case "latency_ms" -> b.latency(millis(spec, key));
                case "jitter_ms" -> b.jitter(millis(spec, key));
                case "persuade" -> b.persuadability(number(spec, key));
                case "routing_skill" -> b.routingSkill(number(spec, key));
                case "error_rate" -> b.errorRate(number(spec, key));
                case "rate_limit" -> b.rateLimitRate(number(spec, key));
                case "retry_after_ms" -> b.retryAfter(millis(spec, key));
                case "timeout_rate" -> b.timeoutRate(number(spec, key));
                case "timeout_ms" -> b.timeout(millis(spec, key));
                case "garbage" -> b.garbageRate(number(spec, key));
                case "fail" -> {
                    try {
                        b.failure(FailureMode.fromSpecName(value));
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
                    }
                }
                case "seed" -> {
                    try {
                        b.seed(Long.parseLong(value.strip()));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException(where + ": option seed=" + value + " is not a whole number");
                    }
                }
                case "price_in" -> priceIn = number(spec, key);
                case "price_out" -> priceOut = number(spec, key);
                case "completion_tokens" -> b.completionTokens(spec.intOption(key, 0));
                case "reasoning_words" -> b.reasoningWords(spec.intOption(key, 0));
                case "wrong_pool" -> b.wrongAnswerPool(spec.intOption(key, 3));
                case "aggregation_accuracy" -> b.aggregationAccuracy(number(spec, key));
                case "critique_accuracy" -> b.critiqueAccuracy(number(spec, key));
                case "fix_rate" -> b.fixRate(number(spec, key));
                case "context_uptake" -> b.contextUptake(number(spec, key));
                case "judge_accuracy" -> b.judgeAccuracy(number(spec, key));
                case "terminate_rate" -> b.terminateRate(number(spec, key));
                case "logprobs" -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException(where + ": option logprobs=" + value + " must be true or false");
                    }
                    b.logprobs(Boolean.parseBoolean(value));
                }
                default -> throw new IllegalArgumentException(where + ": unknown option '" + key + "'; known options: "
                        + KNOWN + ", acc.GROUP (accuracy on one domain/category/country)");
            }
        }
        if (priceIn != null || priceOut != null) {
            try {
                b.pricing(ModelPricing.perMillionTokens(priceIn == null ? 0 : priceIn, priceOut == null ? 0 : priceOut));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(where + ": price_in and price_out must be >= 0", ex);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
        }
    }

    private static double number(ModelSpec spec, String key) {
        return spec.doubleOption(key, Double.NaN);
    }

    private static Duration millis(ModelSpec spec, String key) {
        double ms = number(spec, key);
        if (!(ms >= 0)) throw new IllegalArgumentException("model spec '" + spec.text() + "': option " + key + " must be >= 0, was " + ms);
        return Duration.ofNanos((long) (ms * 1_000_000));
    }
}

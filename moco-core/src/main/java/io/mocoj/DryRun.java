package io.mocoj;

import io.mocoj.method.CallPlan;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a run would do, computed without calling any model: the first prompts exactly as they will be sent, the
 * calls per model (from the method's {@link io.mocoj.method.CollaborationMethod#plannedCalls} formula, plus the
 * single-model baselines), and the estimated cost where every model's price is known.
 *
 * @param task           the task's name
 * @param method         the method's name
 * @param testExamples   test examples the run will solve
 * @param prompts        the first prompts (user messages) as sent, few-shot demonstrations included
 * @param settings       the generation settings every prompt is sent with
 * @param methodCalls    the method's planned calls, empty when it cannot say in advance
 * @param baselineCalls  the baselines' calls per model (each model once per test example), empty without baselines
 * @param estimatedCost  a cost estimate for the planned calls when every model's price is known and the method's calls
 *                       are planned: input ≈ a quarter token per character of the mean test prompt, output = the
 *                       response length limit (an upper bound)
 */
public record DryRun(String task, String method, int testExamples, List<String> prompts, String settings,
                     Optional<CallPlan> methodCalls, Map<String, Long> baselineCalls, Optional<Double> estimatedCost) {
    public DryRun {
        prompts = List.copyOf(prompts);
        baselineCalls = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(baselineCalls));
    }

    static DryRun of(io.mocoj.internal.engine.Runner.Plan plan, int promptsShown) {
        List<Example> test = plan.task().test();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < Math.min(promptsShown, test.size()); i++) prompts.add(plan.evaluator().prompt(test.get(i)));
        var s = plan.settings();
        String settings = String.format(Locale.ROOT, "max_response_length=%d temperature=%s top_p=%s seed=%d", s.maxResponseLength(),
                s.temperature(), s.topP(), s.seed());
        Optional<CallPlan> calls = plan.method().plannedCalls(plan.models(), plan.task().dev().size(), test.size());
        Map<String, Long> baseline = new LinkedHashMap<>();
        if (plan.baselines()) for (ModelEndpoint m : plan.models()) baseline.put(m.name(), (long) test.size());
        Optional<Double> cost = Optional.empty();
        boolean allPriced = plan.models().stream().allMatch(m -> m.pricing().known());
        if (calls.isPresent() && allPriced && !test.isEmpty()) {
            double meanChars = test.stream().mapToInt(e -> plan.evaluator().prompt(e).length()).average().orElse(0);
            double total = 0;
            for (ModelEndpoint m : plan.models()) {
                long n = calls.get().callsPerModel().getOrDefault(m.name(), 0L) + baseline.getOrDefault(m.name(), 0L);
                ModelPricing p = m.pricing();
                total += n * (meanChars / 4.0 * p.inputPerMillion() + s.maxResponseLength() * p.outputPerMillion()) / 1_000_000.0;
            }
            cost = Optional.of(total);
        }
        return new DryRun(plan.task().name(), plan.method().name(), test.size(), prompts, settings, calls, baseline, cost);
    }

    /** The dry run as text for a terminal. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("DRY RUN (no model is called): ").append(method).append(" on ").append(task).append(", ").append(testExamples)
                .append(" test examples\n");
        b.append("each task prompt goes to the models as a user message with ").append(settings).append('\n');
        for (int i = 0; i < prompts.size(); i++) {
            b.append("--- prompt ").append(i + 1).append(" ---\n").append(prompts.get(i));
            if (!prompts.get(i).endsWith("\n")) b.append('\n');
        }
        b.append("--- calls per model ---\n");
        if (methodCalls.isPresent()) {
            CallPlan c = methodCalls.get();
            b.append("method (").append(c.exact() ? "exact" : "at most").append(": ").append(c.formula()).append("):\n");
            c.callsPerModel().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> b.append(String.format(Locale.ROOT, "  %-30s %d%n", e.getKey(), e.getValue())));
        } else {
            b.append("method: ").append(method).append(" does not declare its calls in advance (they depend on the responses)\n");
        }
        if (!baselineCalls.isEmpty()) {
            b.append("baselines (each model once per test example):\n");
            baselineCalls.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-30s %d%n", k, v)));
        }
        b.append(estimatedCost.map(c -> String.format(Locale.ROOT, "estimated cost: %.4f (prices per million tokens as given;"
                + " prompts ~ characters/4 tokens, responses at their length limit, so an upper estimate)%n", c))
                .orElse("estimated cost: unknown (a model has no price, or the method's calls are not known in advance)\n"));
        return b.toString();
    }
}

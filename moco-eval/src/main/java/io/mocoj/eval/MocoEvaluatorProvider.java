package io.mocoj.eval;

import io.mocoj.task.Evaluator;
import io.mocoj.task.EvaluatorProvider;
import io.mocoj.task.Task;

import java.util.Optional;

/** Registers the MoCo-compatible evaluators with {@link java.util.ServiceLoader}. */
public final class MocoEvaluatorProvider implements EvaluatorProvider {
    @Override
    public Optional<Evaluator> evaluatorFor(Task task) {
        return Optional.of(Evaluators.forTask(task));
    }
}

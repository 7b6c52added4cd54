package io.mocoj.task;

import java.util.Optional;

/** Supplies evaluators by task; found with {@link java.util.ServiceLoader}. */
public interface EvaluatorProvider {
    /** The evaluator for a task (its type and, where scoring has quirks, its name), if this provider has one. */
    Optional<Evaluator> evaluatorFor(Task task);

    /** The evaluator for a task given the run's judge and embedding models; by default they are ignored. */
    default Optional<Evaluator> evaluatorFor(Task task, EvaluatorOptions options) { return evaluatorFor(task); }
}

package io.mocoj.task;

import java.util.Optional;

/** Supplies evaluators by task; found with {@link java.util.ServiceLoader}. */
public interface EvaluatorProvider {
    /** The evaluator for a task (its type and, where scoring has quirks, its name), if this provider has one. */
    Optional<Evaluator> evaluatorFor(Task task);
}

package io.mocoj.method;

import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.TaskType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A configured model-collaboration method (one instance per set of hyperparameter values).
 * A method reads like its paper's algorithm box: it asks its {@link MethodContext} for
 * generations, dev scores and per-example work, and never touches threads, HTTP, JSON or files.
 */
public interface CollaborationMethod {

    /** The MoCo config name, e.g. {@code text_majority_vote}. */
    String name();

    Level level();

    /** Capabilities every model of the pool must have. */
    Set<Capability> requiredCapabilities();

    /** The effective hyperparameters (for reports and logs). */
    Hyperparameters hyperparameters();

    /** Task types this method can handle; all by default. */
    default Set<TaskType> supportedTaskTypes() { return EnumSet.allOf(TaskType.class); }

    /**
     * Checks the pool beyond capabilities (e.g. "exactly 2 models", "same vocabulary");
     * throws {@link IllegalArgumentException} saying what to change.
     */
    default void checkPool(List<ModelEndpoint> models) {
        if (models.isEmpty()) throw new IllegalArgumentException(name() + " needs at least one model");
    }

    /**
     * The calls this method will make on splits of the given sizes, when it can say so in advance (used by dry runs);
     * empty when it cannot. Methods that declare it give the formula with the counts.
     */
    default java.util.Optional<CallPlan> plannedCalls(List<ModelEndpoint> models, int devExamples, int testExamples) {
        return java.util.Optional.empty();
    }

    /** Runs the method and returns one output per test example. */
    MethodOutput run(MethodContext context);
}

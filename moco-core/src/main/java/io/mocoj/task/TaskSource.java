package io.mocoj.task;

import java.util.List;
import java.util.Optional;

/** Loads tasks by name (the MoCo {@code task} names); found with {@link java.util.ServiceLoader}. */
public interface TaskSource {
    /** The task names this source knows. */
    List<String> names();

    /** Loads a task, or empty when the name is not one of {@link #names()}. Throws with a clear message when it cannot be loaded. */
    Optional<Task> load(String name);
}

package io.mocoj.spec;

import io.mocoj.task.Task;
import java.util.Optional;

/** What a resolver may use besides the spec itself. */
public record SpecContext(Optional<Task> task, long seed) {
    public static SpecContext of(Task task, long seed) { return new SpecContext(Optional.ofNullable(task), seed); }
}

package io.mocoj.task;

import java.util.List;
import java.util.Objects;

/**
 * A benchmark: a name, a task type and its dev and test splits. Immutable and shareable between runs.
 *
 * @param description one line saying what it is (may be empty)
 */
public record Task(String name, TaskType type, List<Example> dev, List<Example> test, String description) {
    public Task {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dev = List.copyOf(dev);
        test = List.copyOf(test);
        description = description == null ? "" : description;
    }

    public Task(String name, TaskType type, List<Example> dev, List<Example> test) {
        this(name, type, dev, test, "");
    }

    public List<Example> split(Split s) { return s == Split.DEV ? dev : test; }

    /** The same task with at most {@code n} examples in each split (the first ones). */
    public Task limit(int n) {
        if (n < 0) throw new IllegalArgumentException("limit must be >= 0");
        return new Task(name, type, dev.subList(0, Math.min(n, dev.size())), test.subList(0, Math.min(n, test.size())), description);
    }
}

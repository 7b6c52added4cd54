package io.mocoj.datasets;

import io.mocoj.datasets.internal.Catalog;
import io.mocoj.task.Task;
import io.mocoj.task.TaskSource;

import java.util.List;
import java.util.Optional;

/**
 * Makes the MoCo datasets available to {@link io.mocoj.task.Tasks#load(String)} through {@link java.util.ServiceLoader}.
 * Uses {@link Datasets#defaultLoader()}, configured by system properties and environment variables.
 */
public final class MocoTaskSource implements TaskSource {
    @Override
    public List<String> names() { return Catalog.names(); }

    @Override
    public Optional<Task> load(String name) {
        if (Catalog.find(name).isEmpty()) return Optional.empty();
        return Optional.of(Datasets.defaultLoader().load(name));
    }
}

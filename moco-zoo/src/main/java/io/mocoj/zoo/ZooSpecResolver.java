package io.mocoj.zoo;

import io.mocoj.local.LocalModelOptions;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecResolver;
import io.mocoj.spec.SpecContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Resolves {@code zoo:} specs to the zoo's local models: {@code zoo:arith} (the shipped set),
 * {@code zoo:base?dir=build/zoo} (a zoo built with {@code ./moco zoo build}), options
 * {@code threads} (default 1) and {@code name}. Adapters ({@code zoo:lora-sort}) come applied to
 * their base model.
 */
public final class ZooSpecResolver implements ModelSpecResolver {
    private static final Set<String> OPTIONS = Set.of("dir", "threads", "name");

    @Override public List<String> schemes() { return List.of("zoo"); }

    @Override
    public List<String> forms() {
        return List.of("zoo:NAME[?dir=DIR&threads=N&name=x]   e.g. zoo:arith (a model of the shipped zoo; see docs/zoo.md)");
    }

    @Override
    public ModelEndpoint resolve(ModelSpec spec, SpecContext context) {
        for (String key : spec.options().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': unknown option '" + key + "' (accepted: dir, threads, name)");
            }
        }
        if (spec.body().isBlank()) throw new IllegalArgumentException("model spec '" + spec.text() + "' names no zoo model; " + forms().get(0));
        Zoo zoo = spec.option("dir").map(d -> Zoo.open(Path.of(d))).orElseGet(Zoo::shipped);
        if (zoo.entry(spec.body()).isEmpty()) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': the zoo has no model '" + spec.body() + "'; it has: "
                    + String.join(", ", zoo.entries().stream().map(Zoo.Entry::name).toList()));
        }
        LocalModelOptions options;
        try {
            options = LocalModelOptions.builder().threads(spec.intOption("threads", 1)).name(spec.option("name", spec.body())).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
        }
        return zoo.load(spec.body(), options);
    }
}

package io.mocoj.methods.testing;

import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/** A model whose replies are given by a function of the request (for deterministic method tests). */
public record ScriptedModel(String name, Set<Capability> capabilities, Function<GenerationRequest, Generation> script)
        implements ModelEndpoint {

    public static ScriptedModel text(String name, Function<GenerationRequest, String> replies) {
        return new ScriptedModel(name, EnumSet.of(Capability.TEXT), r -> Generation.of(replies.apply(r)));
    }

    @Override public Generation generate(GenerationRequest request) { return script.apply(request); }
}

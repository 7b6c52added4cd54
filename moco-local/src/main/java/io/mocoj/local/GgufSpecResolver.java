package io.mocoj.local;

import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecResolver;
import io.mocoj.spec.SpecContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Resolves {@code gguf:} specs to {@link LocalModel}s:
 * {@code gguf:/path/model.gguf?threads=4&ctx=2048&name=x&top_k=40&batch=64}.
 */
public final class GgufSpecResolver implements ModelSpecResolver {
    private static final Set<String> OPTIONS = Set.of("threads", "ctx", "name", "top_k", "batch");

    @Override
    public List<String> schemes() { return List.of("gguf"); }

    @Override
    public List<String> forms() {
        return List.of("gguf:/path/to/model.gguf[?threads=N&ctx=N&name=x&top_k=N&batch=N]   e.g. gguf:/models/SmolLM2-135M-Instruct-Q8_0.gguf?threads=2");
    }

    @Override
    public ModelEndpoint resolve(ModelSpec spec, SpecContext context) {
        for (String key : spec.options().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': unknown option '" + key
                        + "' (accepted: threads, ctx, name, top_k, batch)");
            }
        }
        if (spec.body().isBlank()) throw new IllegalArgumentException("model spec '" + spec.text() + "' names no file; " + forms().get(0));
        Path path = Path.of(spec.body());
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': file " + path.toAbsolutePath() + " does not exist"
                    + " (or is not a regular file); give the path of a downloaded .gguf model, e.g. gguf:/models/SmolLM2-135M-Instruct-Q8_0.gguf");
        }
        LocalModelOptions.Builder b = LocalModelOptions.builder();
        spec.option("name").ifPresent(b::name);
        if (spec.options().containsKey("threads")) b.threads(spec.intOption("threads", 1));
        if (spec.options().containsKey("ctx")) b.contextLength(spec.intOption("ctx", 0));
        if (spec.options().containsKey("top_k")) b.topK(spec.intOption("top_k", 0));
        if (spec.options().containsKey("batch")) b.prefillBatch(spec.intOption("batch", 64));
        LocalModelOptions options;
        try {
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
        }
        return LocalModel.load(path, options);
    }
}

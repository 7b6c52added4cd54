package io.mocoj.local;

import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecResolver;
import io.mocoj.spec.SpecContext;
import java.nio.file.Files;
import java.nio.file.Path;
import io.mocoj.local.lora.LoraAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Set;

/**
 * Resolves {@code gguf:} specs to {@link LocalModel}s:
 * {@code gguf:/path/model.gguf?threads=4&ctx=2048&name=x&top_k=40&batch=64}, with LoRA adapters
 * applied at inference by {@code lora=a.gguf:0.5,b.gguf:0.5} (scale 1 when omitted).
 */
public final class GgufSpecResolver implements ModelSpecResolver {
    private static final Set<String> OPTIONS = Set.of("threads", "ctx", "name", "top_k", "batch", "lora");

    @Override
    public List<String> schemes() { return List.of("gguf"); }

    @Override
    public List<String> forms() {
        return List.of("gguf:/path/to/model.gguf[?threads=N&ctx=N&name=x&top_k=N&batch=N&lora=a.gguf:0.5,b.gguf:0.5]"
                + "   e.g. gguf:/models/SmolLM2-135M-Instruct-Q8_0.gguf?threads=2");
    }

    @Override
    public ModelEndpoint resolve(ModelSpec spec, SpecContext context) {
        for (String key : spec.options().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': unknown option '" + key
                        + "' (accepted: threads, ctx, name, top_k, batch, lora)");
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
        List<LoraAdapter.Scaled> adapters = spec.option("lora").map(v -> adapters(spec, v)).orElse(List.of());
        if (adapters.isEmpty()) return LocalModel.load(path, options);
        LocalModel base = LocalModel.load(path, options);
        String name = spec.option("name").orElseGet(() -> base.name() + adapters.stream()
                .map(a -> "+" + a.adapter().name() + "@" + a.scale()).collect(Collectors.joining()));
        try {
            return base.withAdapters(name, adapters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
        }
    }

    /** {@code a.gguf:0.5,b.gguf} → adapters with their scales (1 when none is given). */
    private static List<LoraAdapter.Scaled> adapters(ModelSpec spec, String value) {
        List<LoraAdapter.Scaled> out = new ArrayList<>();
        for (String entry : value.split(",")) {
            String file = entry.strip();
            double scale = 1;
            int colon = file.lastIndexOf(':');
            if (colon > 0) {
                String tail = file.substring(colon + 1);
                try {
                    scale = Double.parseDouble(tail);
                    file = file.substring(0, colon);
                } catch (NumberFormatException e) {
                    if (!tail.contains("/") && !tail.contains("\\")) {
                        throw new IllegalArgumentException("model spec '" + spec.text() + "': LoRA scale '" + tail + "' in '" + entry
                                + "' is not a number; write lora=adapter.gguf:0.5,other.gguf:1");
                    }
                }
            }
            if (file.isEmpty()) throw new IllegalArgumentException("model spec '" + spec.text() + "': empty entry in lora=" + value);
            Path p = Path.of(file);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': LoRA adapter file " + p.toAbsolutePath()
                        + " does not exist; give the path of a GGUF adapter (general.type adapter)");
            }
            try {
                out.add(LoraAdapter.load(p).scaled(scale));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model spec '" + spec.text() + "': " + e.getMessage(), e);
            }
        }
        return out;
    }
}

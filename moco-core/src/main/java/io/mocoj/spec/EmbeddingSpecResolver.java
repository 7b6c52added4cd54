package io.mocoj.spec;

import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Turns an {@code embedding_model} spec of a config into a LangChain4j {@link EmbeddingModel};
 * found with {@link ServiceLoader} (moco-eval provides the in-process {@code all-minilm-l6-v2}).
 */
public interface EmbeddingSpecResolver {
    /** The model for a spec this resolver understands, else empty. */
    Optional<EmbeddingModel> resolve(String spec);

    /** The spec forms accepted, one per line, for error messages. */
    List<String> forms();

    /** Resolves a spec through every resolver on the class path, or fails listing the accepted forms. */
    static EmbeddingModel resolveAny(String spec) {
        StringBuilder forms = new StringBuilder();
        for (EmbeddingSpecResolver r : io.mocoj.plugin.Plugins.load(EmbeddingSpecResolver.class)) {
            Optional<EmbeddingModel> m = r.resolve(spec);
            if (m.isPresent()) return m.get();
            r.forms().forEach(f -> forms.append(forms.isEmpty() ? "" : ", ").append(f));
        }
        throw new IllegalArgumentException("unknown embedding model '" + spec + "'"
                + (forms.isEmpty() ? ": add io.mocoj:moco-eval to the class path" : "; accepted: " + forms));
    }
}

package io.mocoj.eval.internal;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.mocoj.eval.GenerationDiversityEvaluator;
import io.mocoj.spec.EmbeddingSpecResolver;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code "embedding_model": "all-minilm-l6-v2"}: the in-process sentence embedding model MoCo uses. */
public final class MiniLmEmbeddingSpecResolver implements EmbeddingSpecResolver {
    @Override
    public Optional<EmbeddingModel> resolve(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (!s.equals(GenerationDiversityEvaluator.DEFAULT_MODEL_NAME) && !s.equals("sentence-transformers/all-minilm-l6-v2")) {
            return Optional.empty();
        }
        return Optional.of(new AllMiniLmL6V2EmbeddingModel());
    }

    @Override public List<String> forms() { return List.of(GenerationDiversityEvaluator.DEFAULT_MODEL_NAME); }
}

package io.mocoj.task;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.mocoj.model.ModelEndpoint;
import java.util.Optional;

/**
 * What a run gives an {@link EvaluatorProvider} besides the task: the judge model of judge-scored
 * task types and the embedding model of generation_diversity, when configured.
 *
 * @param embeddingModelName the embedding model's name for the run log
 */
public record EvaluatorOptions(Optional<ModelEndpoint> judge, Optional<EmbeddingModel> embeddingModel,
                               Optional<String> embeddingModelName) {
    public static final EvaluatorOptions NONE = new EvaluatorOptions(Optional.empty(), Optional.empty(), Optional.empty());
}

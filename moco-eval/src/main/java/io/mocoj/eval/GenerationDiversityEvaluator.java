package io.mocoj.eval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * generation_diversity: 1 − the mean cosine similarity between the response's embedding and each
 * reference's embedding. The references are the example's answers, or else its {@code reference}
 * field (a list, or one text); blank references are ignored. A blank response, or an example
 * without references, gives a failed score. Any LangChain4j {@link EmbeddingModel} can be used; the default is
 * the in-process all-MiniLM-L6-v2 (mean-pooled sentence embeddings, as in MoCo), loaded on first use.
 */
public final class GenerationDiversityEvaluator implements Evaluator {
    /** The name of the default in-process embedding model (also its {@code embedding_model} spec). */
    public static final String DEFAULT_MODEL_NAME = "all-minilm-l6-v2";

    private final Supplier<EmbeddingModel> modelSupplier;
    private final String modelName;
    private volatile EmbeddingModel model;

    public GenerationDiversityEvaluator(EmbeddingModel model) { this(model, model.getClass().getSimpleName()); }

    /** @param name the model's name, for the run log */
    public GenerationDiversityEvaluator(EmbeddingModel model, String name) {
        Objects.requireNonNull(model, "model");
        this.modelSupplier = () -> model;
        this.modelName = Objects.requireNonNull(name, "name");
    }

    /** Creates the default in-process model on first use. */
    public GenerationDiversityEvaluator(Supplier<EmbeddingModel> lazyModel) {
        this.modelSupplier = Objects.requireNonNull(lazyModel, "lazyModel");
        this.modelName = DEFAULT_MODEL_NAME;
    }

    @Override public java.util.Map<String, String> scoringInfo() { return java.util.Map.of("embeddingModel", modelName); }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) model = Objects.requireNonNull(modelSupplier.get(), "embedding model supplier returned null");
                m = model;
            }
        }
        return m;
    }

    @Override public TaskType taskType() { return TaskType.GENERATION_DIVERSITY; }

    @Override public String prompt(Example example) { return MocoPrompts.plain(example); }

    @Override public String extractAnswer(Example example, String response) { return response == null ? "" : response; }

    /**
     * The references of an example: its non-blank answers, else its {@code reference} field. (MoCo's
     * infinite_chat_diversity files have an empty {@code output}, which becomes the answer "": it
     * must not hide the {@code reference} list.)
     */
    public static List<String> references(Example example) {
        List<String> answers = example.answers().stream().filter(a -> a != null && !a.isBlank()).toList();
        if (!answers.isEmpty()) return answers;
        Object field = example.fields().get("reference");
        if (field instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) if (o != null) out.add(o.toString());
            return out;
        }
        return field == null ? List.of() : List.of(field.toString());
    }

    @Override
    public Score score(Example example, String response) {
        List<String> refs = references(example).stream().filter(r -> !r.isBlank()).toList();
        if (refs.isEmpty()) return Score.failure("example '" + example.id() + "' has no reference texts to compare with");
        if (response.isBlank()) return Score.failure("empty response: an embedding of nothing has no meaningful similarity");
        List<TextSegment> segments = new ArrayList<>(refs.size() + 1);
        segments.add(TextSegment.from(response));
        for (String r : refs) segments.add(TextSegment.from(r));
        List<Embedding> embeddings = model().embedAll(segments).content();
        float[] out = embeddings.get(0).vector();
        double sum = 0;
        for (int i = 1; i < embeddings.size(); i++) sum += cosine(out, embeddings.get(i).vector());
        double meanSimilarity = sum / refs.size();
        return new Score(1 - meanSimilarity, "", false, "mean cosine similarity " + String.format(java.util.Locale.ROOT, "%.4f", meanSimilarity));
    }

    /** Cosine similarity of two vectors (0 when either is all zeros). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("embedding sizes differ: " + a.length + " vs " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}

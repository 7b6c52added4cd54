package io.mocoj.methods.toolbox;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sentence embeddings for routers: unit-length vectors from a LangChain4j embedding model. The
 * in-jar all-MiniLM-L6-v2's embeddings are cached by text (up to {@value #CACHE_LIMIT} texts per
 * JVM), so runs that embed the same prompts again (a dev split reused by several routers, a grid)
 * pay for each text once.
 */
public final class Embeddings {
    /** The name MoCo configs use for the in-jar model ({@code embedding_model}). */
    public static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";
    static final int CACHE_LIMIT = 100_000;
    private static volatile EmbeddingModel miniLm;
    private static final Map<String, double[]> MINILM_CACHE = new ConcurrentHashMap<>();

    private Embeddings() {}

    /** Whether {@code name} names the in-jar all-MiniLM-L6-v2 (with or without the {@code sentence-transformers/} prefix). */
    public static boolean isMiniLm(String name) {
        return name != null && (name.equals(MINILM) || name.equals("all-MiniLM-L6-v2"));
    }

    /**
     * Refuses a config's embedding-model name other than the in-jar model's.
     *
     * @param method the method's name and {@code key} the hyperparameter, for the message
     */
    public static void requireInJar(String method, String key, String name) {
        if (!isMiniLm(name)) {
            throw new IllegalArgumentException("hyperparameter '" + key + "' of method " + method + " is \"" + name
                    + "\"; configs can use only the in-jar " + MINILM + " (from Java, pass any LangChain4j model with .embeddingModel(...))");
        }
    }

    /** The in-process all-MiniLM-L6-v2 (ONNX, shipped in the jar), loaded on first use and shared. */
    public static EmbeddingModel miniLm() {
        EmbeddingModel m = miniLm;
        if (m == null) {
            synchronized (Embeddings.class) {
                if (miniLm == null) miniLm = new AllMiniLmL6V2EmbeddingModel();
                m = miniLm;
            }
        }
        return m;
    }

    /** Unit-length embeddings of {@code texts}, in order (fresh arrays the caller may change). */
    public static double[][] embed(EmbeddingModel model, List<String> texts) {
        if (model == null || model != miniLm) return embedWithoutCache(model, texts);
        Map<String, double[]> found = new HashMap<>();
        for (String t : texts) {
            double[] v = MINILM_CACHE.get(t);
            if (v != null) found.put(t, v);
        }
        List<String> missing = texts.stream().filter(t -> !found.containsKey(t)).distinct().toList();
        if (!missing.isEmpty()) {
            double[][] fresh = embedWithoutCache(model, missing);
            if (MINILM_CACHE.size() + missing.size() > CACHE_LIMIT) MINILM_CACHE.clear();
            for (int i = 0; i < fresh.length; i++) {
                found.put(missing.get(i), fresh[i]);
                MINILM_CACHE.put(missing.get(i), fresh[i]);
            }
        }
        return texts.stream().map(t -> found.get(t).clone()).toArray(double[][]::new);
    }

    /** As {@link #embed} but always computed (benchmarks time the embedding itself). */
    public static double[][] embedWithoutCache(EmbeddingModel model, List<String> texts) {
        double[][] out = new double[texts.size()][];
        int batch = 64;
        for (int from = 0; from < texts.size(); from += batch) {
            List<TextSegment> segments = texts.subList(from, Math.min(texts.size(), from + batch)).stream()
                    .map(t -> TextSegment.from(t.isBlank() ? " " : t)).toList();
            var vectors = model.embedAll(segments).content();
            for (int i = 0; i < vectors.size(); i++) out[from + i] = unit(vectors.get(i).vector());
        }
        return out;
    }

    private static double[] unit(float[] v) {
        double norm = 0;
        for (float x : v) norm += x * x;
        norm = Math.sqrt(norm);
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = norm == 0 ? 0 : v[i] / norm;
        return d;
    }

    /** Dot product (the cosine similarity of unit vectors). */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}

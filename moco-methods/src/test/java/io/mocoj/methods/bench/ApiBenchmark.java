package io.mocoj.methods.bench;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.DomainTasks;
import io.mocoj.methods.toolbox.Classifiers;
import io.mocoj.methods.toolbox.Embeddings;
import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * Token-level API methods against plain decoding on a SmolLM2-135M-shaped GGUF model (random
 * weights, written by moco-local's LocalBenchmark), and the trained router's per-query overhead.
 * Run: see docs/performance.md, section "moco-methods: API-level methods".
 */
public final class ApiBenchmark {
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir") + "/mocoj-bench/smollm2-shape-f32.gguf");
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 32, examples = 3;
        LocalModelOptions options = LocalModelOptions.builder().threads(Runtime.getRuntime().availableProcessors()).contextLength(2048).build();
        LocalModel loadedBase = LocalModel.load(file, LocalModelOptions.builder().threads(options.threads()).contextLength(2048).name("base").build());
        LocalModel loadedOther = LocalModel.load(file, LocalModelOptions.builder().threads(options.threads()).contextLength(2048).name("other").build());
        boolean noEnd = args.length > 2 && args[2].equals("no-end");
        // With random weights the greedy first token is an end token, so answers are empty and only prefill is timed.
        // Zeroing the output rows of the end tokens gives them logit 0, far below the maximum over the vocabulary,
        // so every answer runs to the token limit and the run times decoding. The model is otherwise unchanged.
        LocalModel base = noEnd ? withoutEndTokens(loadedBase, "base") : loadedBase;
        LocalModel other = noEnd ? withoutEndTokens(loadedOther, "other") : loadedOther;
        Task task = DomainTasks.generate("bench", 4, examples, List.of("algebra"), 1);
        GenerationSettings greedy = new GenerationSettings(tokens, 0.0, 1.0, 1, 1);

        // plain decoding of the base alone (one warm-up example first)
        String warm = base.generate(GenerationRequest.builder().user("warm up").maxTokens(8).temperature(0).build()).text();
        long t0 = System.nanoTime();
        long plainTokens = 0, plainProcessed = 0;
        for (var e : task.test()) {
            String prompt = new io.mocoj.methods.testing.LetterEvaluator().prompt(e);
            var g = base.generate(GenerationRequest.builder().user(prompt).maxTokens(tokens).temperature(0).build());
            plainTokens += base.tokenizer().encode(g.text(), false).length;
            plainProcessed += g.usage().totalTokens();
        }
        double plainSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("plain decoding (base alone): %d answer tokens, %d tokens run through the model in %.2f s = %.2f processed tokens/s%n",
                plainTokens, plainProcessed, plainSeconds, plainProcessed / plainSeconds);
        double plainRate = plainProcessed / plainSeconds;
        long plainGenerated = 0;
        if (noEnd) {
            // no answer can end early, so every example decodes exactly `tokens` tokens (the text of random byte tokens
            // may re-encode to fewer, which is why answer tokens are counted from the limit here)
            plainGenerated = (long) examples * tokens;
            System.out.printf("  no-end: %d decoded tokens in %.2f s = %.2f decoded tokens/s%n", plainGenerated, plainSeconds, plainGenerated / plainSeconds);
        }

        record Case(String label, CollaborationMethod method) {}
        for (Case c : List.of(new Case("api_nudging (gamma 0.4, greedy)", Methods.nudging().gamma(0.4).doSample(false)),
                new Case("api_mentor_collab (free, 25%, patch 16)", Methods.mentorCollab()),
                new Case("api_mentor_collab (free, 100%, patch 16)", Methods.mentorCollab().decisions(100, 16)))) {
            long s0 = System.nanoTime();
            RunReport r = MoCo.run().models(base, other).method(c.method()).task(task).evaluator(new io.mocoj.methods.testing.LetterEvaluator())
                    .settings(greedy).seed(1).execute();
            double seconds = (System.nanoTime() - s0) / 1e9;
            long out = r.examples().stream().mapToLong(e -> base.tokenizer().encode(e.output() == null ? "" : e.output(), false).length).sum();
            long processed = r.summary().usage().stream().mapToLong(u -> u.promptTokens() + u.completionTokens()).sum();
            System.out.printf("%s: %d answer tokens, %d tokens run through the models in %.2f s = %.2f processed tokens/s (%.2fx plain)%n",
                    c.label(), out, processed, seconds, processed / seconds, (processed / seconds) / plainRate);
            if (noEnd) {
                System.out.printf("  no-end: %d decoded answer tokens in %.2f s = %.2f tokens/s (%.2fx plain decoding)%n", plainGenerated, seconds,
                        plainGenerated / seconds, (plainGenerated / seconds) / (plainGenerated / plainSeconds));
            }
        }

        // router overhead per query: one embedding + one classifier evaluation
        Task routed = DomainTasks.generate("route", 240, 200, List.of("algebra", "law", "medicine"), 2);
        List<String> dev = routed.dev().stream().map(e -> e.input()).toList();
        double[][] x = Embeddings.embed(Embeddings.miniLm(), dev);
        double[][] y = new double[x.length][3];
        for (int i = 0; i < x.length; i++) y[i][i % 3] = 1;
        for (String kind : Classifiers.KINDS) {
            Classifiers.Classifier clf = Classifiers.fit(kind, x, y, 3, 10, 1);
            long e0 = System.nanoTime(), embedNanos = 0, classifyNanos = 0;
            for (var e : routed.test()) {
                long a = System.nanoTime();
                double[] v = Embeddings.embedWithoutCache(Embeddings.miniLm(), List.of(e.input()))[0];
                long b = System.nanoTime();
                clf.probabilities(v);
                classifyNanos += System.nanoTime() - b;
                embedNanos += b - a;
            }
            int n = routed.test().size();
            System.out.printf("router %s: embedding %.2f ms + classifier %.3f ms per query (%d queries, %.1f s)%n", kind,
                    embedNanos / 1e6 / n, classifyNanos / 1e6 / n, n, (System.nanoTime() - e0) / 1e9);
        }
        System.out.printf("one %d-token answer of the base model takes %.0f ms%n", tokens, plainSeconds * 1000 / examples);
        if (warm == null) throw new IllegalStateException();
    }

    /** The model with the output rows of its end tokens set to 0 (a benchmark device: answers never end early). */
    public static LocalModel withoutEndTokens(LocalModel m, String name) {
        String out = m.tensorNames().contains("output.weight") ? "output.weight" : "token_embd.weight";
        float[] w = m.tensor(out);
        int vocab = m.tokenizer().vocabularySize();
        int dim = w.length / vocab;
        for (int t : m.tokenizer().endTokens()) java.util.Arrays.fill(w, t * dim, (t + 1) * dim, 0f);
        System.out.printf("%s: end tokens %s get zero rows in %s (benchmark device)%n", name, java.util.Arrays.toString(m.tokenizer().endTokens()), out);
        return m.withTensors(name, java.util.Map.of(out, w));
    }
}

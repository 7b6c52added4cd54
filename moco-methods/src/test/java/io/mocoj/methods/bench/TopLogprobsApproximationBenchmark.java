package io.mocoj.methods.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.MethodContext;
import io.mocoj.methods.testing.TopLogprobsServer;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.methods.toolbox.TopTokensDecoding;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Distributions;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TopTokens;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How far logit fusion and contrastive decoding over servers' {@code top_logprobs} lists
 * ({@link TopTokensDecoding}, APPROX_LOGITS) are from the exact in-process versions: two gguf
 * fixtures are served by a loopback OpenAI-compatible server ({@link TopLogprobsServer}, exact
 * top-k, text pieces, prefill as llama.cpp's server) and decoded greedily through the real client
 * ({@link OpenAiCompatibleModel}) for k = 1, 5, 20. Per step, on the approximate path's own
 * prefixes, the approximate combined distribution q (over the union of listed texts) is compared
 * with the exact combined distribution p (over every token, equal texts merged): total variation
 * ½Σ|p−q|, KL(q‖p), whether the arg-max agrees, and the exact mass the lists leave out. Whole
 * answers are compared with the exact in-process greedy decode.
 *
 * <pre>java -cp … io.mocoj.methods.bench.TopLogprobsApproximationBenchmark [dir] [prompts] [tokens]</pre>
 */
public final class TopLogprobsApproximationBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir")), "mocoj-toplogprobs");
        int prompts = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        LocalModelOptions o = LocalModelOptions.builder().threads(1).build();
        LocalModel a = LocalModel.load(TinyModels.write(dir.resolve("a.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 1), o);
        LocalModel b = LocalModel.load(TinyModels.write(dir.resolve("b.gguf"), TinyModels.Shape.llama(), GgmlType.Q8_0, 2), o);
        double sharpen = args.length > 3 ? Double.parseDouble(args[3]) : 1;
        List<LogitsModel> exact = sharpen == 1 ? List.of(a, b) : List.of(new Sharpened(a, sharpen), new Sharpened(b, sharpen));
        float lambda = 0.2f;
        Map<String, LockStepDecoding.Combiner> combiners = Map.of(
                "fusion", LockStepDecoding::meanProbability,
                "contrastive", lps -> {
                    float[] s = lps.get(0).clone();
                    for (int t = 0; t < s.length; t++) s[t] += lambda * (lps.get(0)[t] - lps.get(1)[t]);
                    return s;
                });
        System.out.printf("sharpening x%.1f; mean top-1 probability %.3f%n", sharpen, meanTop1(exact));
        try (TopLogprobsServer server = new TopLogprobsServer(Map.of("a", exact.get(0), "b", exact.get(1)))) {
            List<ModelEndpoint> remote = List.of(client(server, "a"), client(server, "b"));
            MethodContext context = direct();
            System.out.printf("%-12s %3s | %6s %7s %9s %8s %10s | %6s %7s %9s %8s %9s %6s%n", "method", "k", "steps", "TV", "KL(q||p)",
                    "argmax=", "unlisted", "steps", "TV", "KL(q||p)", "argmax=", "same ans", "calls");
            for (String method : List.of("fusion", "contrastive")) {
                LockStepDecoding.Combiner combiner = combiners.get(method);
                for (int k : List.of(1, 5, 20)) {
                    double[] onExact = new double[5], onApprox = new double[5]; // sums of TV, KL, agree, unlisted; steps
                    int same = 0, before = server.requests();
                    for (int i = 0; i < prompts; i++) {
                        List<ChatMessage> prompt = List.of(ChatMessage.user("question " + i + ": the answer is"));
                        LockStepDecoding.Settings greedy = new LockStepDecoding.Settings(tokens, 0, 1, i, List.of());
                        List<Integer> chosen = new ArrayList<>();
                        String exactText = LockStepDecoding.decode(exact, prompt, combiner, greedy, (step, lp, t) -> chosen.add(t)).text();
                        // (1) truncation alone: the exact path's token prefixes, lists keyed by token id
                        for (int step = 0; step < chosen.size(); step++) {
                            List<float[]> lps = new ArrayList<>();
                            for (LogitsModel m : exact) lps.add(logp(m, prompt, chosen.subList(0, step)));
                            add(onExact, compare(lps, null, k, combiner));
                        }
                        // (2) the real thing: through the server, text prefixes re-tokenized by the server
                        LockStepDecoding.Result approx = TopTokensDecoding.decode(context, remote, prompt, k, combiner, greedy);
                        if (approx.text().equals(exactText)) same++;
                        StringBuilder prefix = new StringBuilder();
                        for (Map<String, Object> step : approx.steps()) {
                            add(onApprox, compareText(exact, prompt, prefix.toString(), k, combiner));
                            prefix.append((String) step.get("token"));
                        }
                    }
                    System.out.printf("%-12s %3d | %6d %7.3f %9.3f %7.1f%% %10.3f | %6d %7.3f %9.3f %7.1f%% %6d/%-2d %6d%n", method, k,
                            (int) onExact[4], onExact[0] / onExact[4], onExact[1] / onExact[4], 100 * onExact[2] / onExact[4], onExact[3] / onExact[4],
                            (int) onApprox[4], onApprox[0] / onApprox[4], onApprox[1] / onApprox[4], 100 * onApprox[2] / onApprox[4], same, prompts,
                            server.requests() - before);
                }
            }
        }
    }

    private static void add(double[] sums, double[] m) {
        for (int i = 0; i < 4; i++) sums[i] += m[i];
        sums[4]++;
    }

    static float[] logp(LogitsModel m, List<ChatMessage> prompt, List<Integer> tokens) {
        try (var s = m.newSession()) {
            s.append(m.encodeChat(prompt, true));
            for (int t : tokens) s.append(t);
            return s.logProbabilities();
        }
    }

    /** At a text prefix as the server sees it: equal texts merged, end names as the end. */
    static double[] compareText(List<LogitsModel> models, List<ChatMessage> prompt, String prefix, int k, LockStepDecoding.Combiner combiner) {
        List<Map<String, Double>> byText = new ArrayList<>();
        for (LogitsModel m : models) {
            Map<String, Double> d = new java.util.LinkedHashMap<>();
            TopLogprobsServer.distributionByText(m, prompt, prefix).forEach((text, prob) ->
                    d.merge(TopTokensDecoding.END_TEXTS.contains(text) ? "" : text, prob, Double::sum));
            byText.add(d);
        }
        List<String> all = new ArrayList<>(byText.get(0).keySet());
        List<float[]> lps = new ArrayList<>();
        for (Map<String, Double> d : byText) {
            float[] v = new float[all.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) Math.log(Math.max(d.getOrDefault(all.get(i), 0.0), 1e-30));
            lps.add(v);
        }
        return compare(lps, all, k, combiner);
    }

    /**
     * {TV, KL(q‖p), arg-max agreement (0/1), exact combined mass outside the candidates}: p combines
     * the full distributions {@code lps} (over {@code keys}; null: token ids), q the top-k lists of them.
     */
    static double[] compare(List<float[]> lps, List<String> keys, int k, LockStepDecoding.Combiner combiner) {
        int v = lps.get(0).length;
        List<String> all = keys != null ? keys : java.util.stream.IntStream.range(0, v).mapToObj(i -> "#" + i).toList();
        List<TopTokens> lists = new ArrayList<>();
        for (float[] lp : lps) {
            List<TokenLogprob.Alternative> top = java.util.stream.IntStream.range(0, v).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> lp[i]).reversed()).limit(k)
                    .map(i -> new TokenLogprob.Alternative(all.get(i), lp[i])).toList();
            lists.add(keys != null ? TopTokensDecoding.fromServer(top, null) : TopTokens.of(top));
        }
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < all.size(); i++) index.put(all.get(i), i);
        float[] p = Distributions.logSoftmax(combiner.scores(lps));
        List<String> cands = TopTokens.union(lists);
        float[] q = Distributions.logSoftmax(combiner.scores(TopTokensDecoding.values(lists, cands)));
        double tv = 0, kl = 0, covered = 0;
        for (int c = 0; c < cands.size(); c++) {
            double pc = Math.exp(p[index.get(cands.get(c))]), qc = Math.exp(q[c]);
            tv += Math.abs(pc - qc);
            kl += qc * (q[c] - Math.log(pc));
            covered += pc;
        }
        tv = 0.5 * (tv + Math.max(0, 1 - covered));
        int agree = cands.get(Distributions.argmax(q)).equals(all.get(Distributions.argmax(p))) ? 1 : 0;
        return new double[] {tv, kl, agree, Math.max(0, 1 - covered)};
    }

    private static double meanTop1(List<LogitsModel> models) {
        double sum = 0;
        int n = 0;
        for (LogitsModel m : models) {
            for (int i = 0; i < 8; i++) {
                float[] lp = logp(m, List.of(ChatMessage.user("question " + i + ": the answer is")), List.of());
                sum += Math.exp(lp[Distributions.argmax(lp)]);
                n++;
            }
        }
        return sum / n;
    }

    /**
     * A random-weight fixture with its logits multiplied by {@code factor}: as peaked as a trained
     * model's distributions (a random model's are nearly flat), so that top-k lists cover what they
     * would in practice. The same sharpened model is both the exact reference and the served one.
     */
    record Sharpened(LogitsModel model, double factor) implements LogitsModel {
        @Override public String name() { return model.name(); }
        @Override public java.util.Set<io.mocoj.model.Capability> capabilities() { return model.capabilities(); }
        @Override public io.mocoj.model.Generation generate(GenerationRequest request) { throw new UnsupportedOperationException("bench only"); }
        @Override public io.mocoj.model.Tokenizer tokenizer() { return model.tokenizer(); }
        @Override public int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) { return model.encodeChat(messages, addGenerationPrompt); }
        @Override public String vocabularyFingerprint() { return model.vocabularyFingerprint(); }
        @Override public io.mocoj.model.DecodingSession newSession() { return wrap(model.newSession()); }

        private io.mocoj.model.DecodingSession wrap(io.mocoj.model.DecodingSession s) {
            return new io.mocoj.model.DecodingSession() {
                @Override public void append(int... tokens) { s.append(tokens); }
                @Override public int length() { return s.length(); }
                @Override public float[] logits() {
                    float[] l = s.logits();
                    for (int i = 0; i < l.length; i++) l[i] *= (float) factor;
                    return l;
                }
                @Override public io.mocoj.model.DecodingSession fork() { return wrap(s.fork()); }
                @Override public void close() { s.close(); }
            };
        }
    }

    static ModelEndpoint client(TopLogprobsServer server, String model) {
        return OpenAiCompatibleModel.builder().baseUrl(server.baseUrl()).model(model).prefill(true).build();
    }

    /** A method context whose only service is calling the model directly (no engine, no cache). */
    static MethodContext direct() {
        return (MethodContext) Proxy.newProxyInstance(MethodContext.class.getClassLoader(), new Class<?>[] {MethodContext.class}, (proxy, m, args) -> {
            if (m.getName().equals("generate") && args.length == 2 && args[1] instanceof GenerationRequest r) return ((ModelEndpoint) args[0]).generate(r);
            if (m.isDefault()) return java.lang.reflect.InvocationHandler.invokeDefault(proxy, m, args);
            throw new UnsupportedOperationException(m.getName());
        });
    }
}

package io.mocoj.methods.logit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.TopLogprobsServer;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.methods.toolbox.TopTokensDecoding;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Distributions;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TopTokens;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logit fusion, contrastive decoding and nudging over OpenAI-compatible top_logprobs (APPROX_LOGITS), against a loopback server. */
class TopLogprobsMethodsTest {
    @TempDir static Path dir;
    static LocalModel a, b, spm, bpe;
    static TopLogprobsServer server;
    static final Task TASK = McqTasks.generate("t", 2, 2, List.of("x"), 1);
    static final GenerationSettings GREEDY = new GenerationSettings(6, 0.0, 1.0, 1, 1);

    @BeforeAll
    static void start() throws IOException {
        LocalModelOptions o = LocalModelOptions.builder().threads(1).build();
        a = LocalModel.load(TinyModels.write(dir.resolve("a.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 1), o);
        b = LocalModel.load(TinyModels.write(dir.resolve("b.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 2), o);
        Path fixtures = Path.of("../moco-local/src/test/resources/fixtures");
        spm = LocalModel.load(fixtures.resolve("tiny-llama-spm-f32.gguf"), LocalModelOptions.builder().name("spm").threads(1).build());
        bpe = LocalModel.load(fixtures.resolve("tiny-qwen2-bpe-f32.gguf"), LocalModelOptions.builder().name("bpe").threads(1).build());
        server = new TopLogprobsServer(Map.of("a", a, "b", b, "spm", spm));
    }

    @AfterAll
    static void stop() { server.close(); }

    static OpenAiCompatibleModel remote(String model, boolean prefill) {
        return OpenAiCompatibleModel.builder().baseUrl(server.baseUrl()).model(model).name("remote-" + model).prefill(prefill).build();
    }

    @Test
    void topTokensMergeEqualTextsAndValueUnlistedTokensAtTheirUpperBound() {
        TopTokens t = TopTokens.of(List.of(new TokenLogprob.Alternative("x", Math.log(0.5)), new TokenLogprob.Alternative("y", Math.log(0.2)),
                new TokenLogprob.Alternative("x", Math.log(0.1))));
        assertEquals(List.of("x", "y"), t.candidates().stream().map(TopTokens.Candidate::text).toList());
        assertEquals(0.6, Math.exp(t.logprob("x")), 1e-12);
        assertEquals(0.2, t.tailMass(), 1e-12);
        assertEquals(Math.log(0.1), t.unlistedLogprob(), 1e-12); // min(smallest listed 0.1, tail 0.2)
        TopTokens peaked = TopTokens.of(List.of(new TokenLogprob.Alternative("z", Math.log(0.95))));
        assertEquals(Math.log(0.05), peaked.logprob("x"), 1e-12); // min(0.95, tail 0.05)
        // fusion by hand: x = (0.6 + 0.05) / 2, y = (0.2 + 0.05) / 2, z = (0.1 + 0.95) / 2, renormalised over {x, y, z}
        List<String> cands = TopTokens.union(List.of(t, peaked));
        float[] q = Distributions.logSoftmax(LockStepDecoding.meanProbability(TopTokensDecoding.values(List.of(t, peaked), cands)));
        double total = 0.325 + 0.125 + 0.525;
        assertEquals(0.325 / total, Math.exp(q[cands.indexOf("x")]), 1e-6);
        assertEquals(0.525 / total, Math.exp(q[cands.indexOf("z")]), 1e-6);
        // end-of-turn names and the token a server stopped at become the end (""); a token adding no text stays in the tail
        TopTokens s = TopTokensDecoding.fromServer(List.of(new TokenLogprob.Alternative("<|im_end|>", Math.log(0.4)),
                new TokenLogprob.Alternative("", Math.log(0.3)), new TokenLogprob.Alternative("ok", Math.log(0.2))), null);
        assertEquals(List.of("", "ok"), s.candidates().stream().map(TopTokens.Candidate::text).toList());
        assertEquals(0.4, s.tailMass(), 1e-12);
    }

    @Test
    void fusionOverTheServerFollowsTheTopKRuleAtEveryStepAndCountsOneCallPerModelPerToken() {
        for (int k : List.of(1, 5)) {
            RunReport r = MoCo.run().models(remote("a", true), remote("b", true)).method(Methods.logitFusion().topLogprobs(k))
                    .task(TASK).evaluator(new LetterEvaluator()).settings(GREEDY).baselines(false).execute();
            assertTrue(Reports.runEvent(r, "fusion").get("distributions").toString().startsWith("approximate"));
            long steps = 0;
            for (int i = 0; i < 2; i++) {
                List<ChatMessage> prompt = List.of(ChatMessage.user(r.examples().get(i).prompt()));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> trace = (List<Map<String, Object>>) Reports.exampleEvent(r, i, "fusion").get("steps");
                StringBuilder text = new StringBuilder();
                for (Map<String, Object> step : trace) {
                    String expected = handFusion(prompt, text.toString(), k);
                    assertEquals(expected, step.get("token"), "k=" + k + " example " + i + " after '" + text + "'");
                    assertEquals(true, step.get("approximate"));
                    text.append(expected);
                }
                assertEquals(text.toString(), r.examples().get(i).output());
                steps += trace.size();
            }
            // one call per model per step, filed under the test examples and counted in the usage table
            for (String m : List.of("remote-a", "remote-b")) {
                assertEquals(steps, r.examples().stream().flatMap(x -> x.calls().stream()).filter(c -> c.model().equals(m)).count(), m + " k=" + k);
                assertEquals(steps, Reports.calls(r, m), m + " k=" + k);
            }
        }
    }

    /** The documented rule, computed here from the server's lists: mean probability, unlisted = min(k-th listed, tail); arg-max. */
    private static String handFusion(List<ChatMessage> prompt, String prefix, int k) {
        List<List<TokenLogprob.Alternative>> lists = List.of(TopLogprobsServer.listed(a, prompt, prefix, k), TopLogprobsServer.listed(b, prompt, prefix, k));
        java.util.LinkedHashMap<String, double[]> probs = new java.util.LinkedHashMap<>();
        double[] bound = new double[2];
        for (int m = 0; m < 2; m++) {
            double listed = 0, last = 1;
            for (TokenLogprob.Alternative alt : lists.get(m)) {
                double p = Math.exp(alt.logprob());
                last = Math.min(last, p); // the smallest listed probability bounds every unlisted token
                if (alt.token().isEmpty()) continue; // adds no text: left in the tail
                String text = alt.token().equals("<|im_end|>") || alt.token().equals("<|endoftext|>") ? "" : alt.token();
                probs.computeIfAbsent(text, x -> new double[] {-1, -1})[m] = Math.max(0, probs.get(text)[m]) + p;
                listed += p;
            }
            bound[m] = Math.min(last, Math.max(0, 1 - listed));
        }
        String best = null;
        double bestScore = -1;
        for (Map.Entry<String, double[]> e : probs.entrySet()) {
            double score = 0;
            for (int m = 0; m < 2; m++) score += e.getValue()[m] >= 0 ? e.getValue()[m] : bound[m];
            if (score > bestScore + 1e-9) { bestScore = score; best = e.getKey(); }
        }
        return best == null ? "" : best;
    }

    @Test
    void localLockStepDecodingIsCountedInTheUsageTable() {
        RunReport r = MoCo.run().models(a, b).method(Methods.logitFusion()).task(TASK).evaluator(new LetterEvaluator())
                .settings(GREEDY).baselines(false).execute();
        long prompt = 0, fed = 0;
        for (int i = 0; i < 2; i++) {
            prompt += a.encodeChat(List.of(ChatMessage.user(r.examples().get(i).prompt())), true).length;
            Map<String, Object> t = Reports.exampleEvent(r, i, "fusion");
            // every generated token is fed back to the models except one written at the last step
            fed += ((Number) t.get("tokens")).intValue() - ("LENGTH".equals(t.get("finish")) ? 1 : 0);
        }
        for (String m : List.of(a.name(), b.name())) {
            RunReport.ModelUsage u = r.summary().usage().stream().filter(x -> x.model().equals(m)).findFirst().orElseThrow();
            assertEquals(2, u.calls(), m + ": one decoding session per test example");
            assertEquals(prompt, u.promptTokens(), m);
            assertEquals(fed, u.completionTokens(), m);
        }
    }

    @Test
    void contrastiveRunsOverTheServerAndMixedOrIncapablePoolsAreRefusedBeforeAnyCall() {
        RunReport r = MoCo.run().models(remote("a", true), remote("b", true)).method(Methods.logitContrastive().topLogprobs(5))
                .task(TASK).evaluator(new LetterEvaluator()).settings(GREEDY).baselines(false).execute();
        assertTrue(Reports.runEvent(r, "contrast").get("distributions").toString().startsWith("approximate"));
        assertEquals(2, r.examples().size());
        int before = server.requests();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a, remote("b", true))
                .method(Methods.logitFusion()).task(TASK).evaluator(new LetterEvaluator()).settings(GREEDY).execute());
        assertTrue(e.getMessage().contains("not a mix"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(remote("a", false), remote("b", true))
                .method(Methods.logitFusion()).task(TASK).evaluator(new LetterEvaluator()).settings(GREEDY).execute());
        assertTrue(e.getMessage().contains("remote-a") && e.getMessage().contains("APPROX_LOGITS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(remote("a", false), b)
                .method(Methods.nudging()).task(TASK).evaluator(new LetterEvaluator()).settings(GREEDY).execute());
        assertTrue(e.getMessage().contains("LOGITS or APPROX_LOGITS"), e.getMessage());
        assertEquals(before, server.requests());
        assertTrue(remote("a", true).has(Capability.APPROX_LOGITS));
        assertFalse(remote("a", false).has(Capability.APPROX_LOGITS));
    }

    @Test
    void nudgingWithAServerBaseAcrossTokenizers() {
        // base: a SentencePiece model behind the server; nudger: an in-process byte-level BPE model
        // gamma 1: every base top-1 is below 1, so the local nudger writes everything: its own greedy decoding
        RunReport all = MoCo.run().models(remote("spm", true), bpe).method(Methods.nudging().gamma(1.0).doSample(false))
                .task(TASK).evaluator(new LetterEvaluator()).settings(GREEDY).baselines(false).execute();
        for (int i = 0; i < 2; i++) {
            String alone = bpe.generate(io.mocoj.model.GenerationRequest.builder().user(all.examples().get(i).prompt()).maxTokens(6).temperature(0).build()).text();
            assertEquals(alone, all.examples().get(i).output());
        }
        assertTrue(Reports.runEvent(all, "nudging").get("base_distribution").toString().startsWith("approximate"));
        // gamma 0: the base is never unsure; after MoCo's opening nudge (the nudger's first word) the base writes its server top-1 texts
        RunReport base = MoCo.run().models(remote("spm", true), bpe).method(Methods.nudging().gamma(0.0).doSample(false))
                .task(TASK).evaluator(new LetterEvaluator()).settings(GREEDY).baselines(false).execute();
        for (int i = 0; i < 2; i++) {
            List<ChatMessage> prompt = List.of(ChatMessage.user(base.examples().get(i).prompt()));
            Map<String, Object> trace = Reports.exampleEvent(base, i, "nudges");
            List<?> nudges = (List<?>) trace.get("nudges");
            String text = nudges.isEmpty() ? "" : (String) ((Map<?, ?>) nudges.get(0)).get("text");
            int baseTokens = ((Number) trace.get("base_tokens")).intValue();
            for (int t = 0; t < baseTokens; t++) {
                String top = TopTokensDecoding.fromServer(TopLogprobsServer.listed(spm, prompt, text, 1), null).top().text();
                text += top;
            }
            assertEquals(text, base.examples().get(i).output(), "example " + i + ": " + trace);
        }
    }
}

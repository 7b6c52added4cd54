package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.TokenLogprob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelGenerateTest {
    @TempDir static Path dir;
    static LocalModel model;

    @BeforeAll
    static void load() throws IOException {
        Path file = TinyModels.write(dir.resolve("gen.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 17);
        model = LocalModel.load(file, LocalModelOptions.builder().threads(2).build());
    }

    private static GenerationRequest.Builder greedy() {
        return GenerationRequest.builder().user("the answer is").temperature(0).maxTokens(12);
    }

    /** The greedy continuation computed step by step through a session. */
    private static List<Integer> manualGreedy(int steps) {
        List<Integer> out = new ArrayList<>();
        try (LocalModel.Session s = model.newSession()) {
            s.append(model.encodeChat(List.of(ChatMessage.user("the answer is")), true));
            for (int i = 0; i < steps; i++) {
                float[] l = s.logits();
                int best = 0;
                for (int j = 1; j < l.length; j++) if (l[j] > l[best]) best = j;
                out.add(best);
                s.append(best);
            }
        }
        return out;
    }

    @Test
    void encodesChatWithTheTemplate() {
        int[] ids = model.encodeChat(List.of(ChatMessage.user("hi")), true);
        var tok = model.tokenizer();
        int imStart = tok.tokenId("<|im_start|>"), imEnd = tok.tokenId("<|im_end|>");
        assertEquals(imStart, ids[0]);
        // <|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n
        String text = tok.decode(ids);
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", text);
        assertTrue(java.util.Arrays.stream(ids).anyMatch(i -> i == imEnd));
    }

    @Test
    void greedyGenerationEqualsStepwiseDecoding() {
        Generation g = model.generate(greedy().logprobs(true).topLogprobs(3).build());
        List<Integer> expected = manualGreedy(12);
        int[] ids = expected.stream().mapToInt(Integer::intValue).toArray();
        int eos = expected.indexOf(model.tokenizer().eos());
        if (eos < 0) {
            assertEquals(FinishReason.LENGTH, g.finishReason());
            assertEquals(model.tokenizer().decode(ids), g.text());
            assertEquals(12, g.usage().completionTokens());
            assertEquals(12, g.logprobs().size());
        }
        assertEquals(model.encodeChat(List.of(ChatMessage.user("the answer is")), true).length, g.usage().promptTokens());
        // log-probabilities: greedy picks the top alternative, and the values are a distribution's
        for (int i = 0; i < g.logprobs().size(); i++) {
            TokenLogprob lp = g.logprobs().get(i);
            assertEquals(3, lp.top().size());
            assertEquals(model.tokenizer().tokenText(expected.get(i)), lp.token());
            assertEquals(lp.top().get(0).logprob(), lp.logprob(), 1e-6);
            assertTrue(lp.top().get(0).logprob() >= lp.top().get(1).logprob());
            assertTrue(lp.logprob() < 0);
        }
        try (LocalModel.Session s = model.newSession()) {
            s.append(model.encodeChat(List.of(ChatMessage.user("the answer is")), true));
            // computation is deterministic (fixed summation orders), so a fresh session gives the same value
            assertEquals(s.logProbabilities()[expected.get(0)], g.logprobs().get(0).logprob(), 1e-6);
        }
    }

    @Test
    void stopsAtStopStringsAndMaxTokens() {
        String full = model.generate(greedy().maxTokens(12).build()).text();
        assertTrue(full.length() > 4, "random models still produce text: '" + full + "'");
        String stop = full.substring(full.length() / 2, full.length() / 2 + 2);
        Generation g = model.generate(greedy().stop(stop).build());
        assertEquals(FinishReason.STOP, g.finishReason());
        assertEquals(full.substring(0, full.indexOf(stop)), g.text());
        Generation one = model.generate(greedy().maxTokens(1).build());
        assertEquals(FinishReason.LENGTH, one.finishReason());
        assertEquals(1, one.usage().completionTokens());
    }

    @Test
    void samplingIsReproducibleWithASeedAndDrawsSeveralSamples() {
        GenerationRequest r = GenerationRequest.builder().user("hello").temperature(1.0).topP(1.0).seed(7).samples(3).maxTokens(8).build();
        Generation a = model.generate(r), b = model.generate(r);
        assertEquals(a.samples(), b.samples());
        assertEquals(3, a.samples().size());
        assertEquals(a.text(), a.samples().get(0));
        assertTrue(a.samples().stream().distinct().count() > 1, "independent samples differ: " + a.samples());
        assertTrue(a.usage().completionTokens() >= 3 && a.usage().completionTokens() <= 24);
        Generation c = model.generate(r.toBuilder().seed(8).build());
        assertNotEquals(a.samples(), c.samples());
    }

    @Test
    void concurrentCallsShareTheWeights() throws Exception {
        String expected = model.generate(greedy().build()).text();
        try (var pool = Executors.newFixedThreadPool(3)) {
            List<Future<String>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) fs.add(pool.submit(() -> model.generate(greedy().build()).text()));
            for (Future<String> f : fs) assertEquals(expected, f.get());
        }
    }

    @Test
    void promptsLongerThanTheContextFailClearly() {
        LocalModel small = model.withTensors("small", java.util.Map.of());
        LocalModel tiny = LocalModel.load(dir.resolve("gen.gguf"), LocalModelOptions.builder().contextLength(8).build());
        var e = assertThrows(io.mocoj.model.ModelCallException.class, () -> tiny.generate(greedy().build()));
        assertFalse(e.transientFailure());
        assertTrue(e.getMessage().contains("context"), e.getMessage());
        assertEquals(model.generate(greedy().build()).text(), small.generate(greedy().build()).text());
    }
}

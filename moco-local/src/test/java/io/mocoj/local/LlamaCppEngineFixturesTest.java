package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.internal.Sampler;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * qwen3 and llama with rope scaling against llama.cpp: fixtures written by
 * {@code bench.WriteEngineFixtures}, reference from {@code tools/llamacpp-bench/logits.mjs}
 * (full-vocabulary log-probabilities at each of 16 greedy steps after fixed prompt token ids).
 */
class LlamaCppEngineFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/engine-fixtures");

    @ParameterizedTest
    @ValueSource(strings = {"tiny-qwen3-f32", "tiny-llama-ropescale-f32", "tiny-llama-kquant", "tiny-llama-q4km", "tiny-llama-q5", "tiny-qwen2-f16"})
    void matchesLlamaCpp(String name) throws IOException {
        LocalModel m = LocalModel.load(DIR.resolve(name + ".gguf"), LocalModelOptions.builder().threads(2).build());
        compare(name, m);
    }

    /**
     * {@code save} writes what llama.cpp reads: tiny-qwen3-f32 with blk.0.ffn_up.weight scaled by 1.5
     * ({@code withTensors}), saved as Q8_0 (tied embeddings included); the reference JSON was made by
     * llama.cpp from the file this produces.
     */
    @org.junit.jupiter.api.Test
    void savedModifiedQ8ModelMatchesLlamaCpp(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        LocalModel m = LocalModel.load(DIR.resolve("tiny-qwen3-f32.gguf"), LocalModelOptions.defaults());
        float[] up = m.tensor("blk.0.ffn_up.weight");
        for (int i = 0; i < up.length; i++) up[i] *= 1.5f;
        Path saved = tmp.resolve("modified.gguf");
        m.withTensors("changed", java.util.Map.of("blk.0.ffn_up.weight", up)).save(saved, io.mocoj.local.gguf.GgmlType.Q8_0);
        compare("tiny-qwen3-modified-q8_0", LocalModel.load(saved, LocalModelOptions.builder().threads(2).build()));
    }

    private static void compare(String name, LocalModel m) throws IOException {
        JsonNode ref = new ObjectMapper().readTree(DIR.resolve(name + ".llamacpp.json").toFile());
        for (JsonNode prompt : ref.get("prompts")) {
            int[] tokens = new ObjectMapper().convertValue(prompt.get("promptTokens"), int[].class);
            int[] greedy = new ObjectMapper().convertValue(prompt.get("greedyTokens"), int[].class);
            double worst = 0;
            StringBuilder steps = new StringBuilder();
            int roughSteps = 0;
            double firstStep = 0, earlyWorst = 0;
            try (LocalModel.Session s = m.newSession()) {
                s.append(tokens);
                for (int step = 0; step < greedy.length; step++) {
                    float[] lp = s.logProbabilities();
                    JsonNode expected = prompt.get("stepLogprobs").get(step);
                    int compared = 0;
                    double stepWorst = 0;
                    for (int i = 0; i < lp.length; i++) {
                        if (expected.get(i).isNull()) continue;
                        stepWorst = Math.max(stepWorst, Math.abs(lp[i] - expected.get(i).asDouble()));
                        compared++;
                    }
                    assertTrue(compared > lp.length / 2, "llama.cpp reported most of the vocabulary");
                    steps.append(String.format(" %.1e", stepWorst));
                    if (stepWorst > 1e-3) roughSteps++;
                    if (step == 0) firstStep = stepWorst;
                    if (step < 8) earlyWorst = Math.max(earlyWorst, stepWorst);
                    worst = Math.max(worst, stepWorst);
                    assertEquals(greedy[step], Sampler.argmax(s.logits()), name + ": greedy token " + step);
                    s.append(greedy[step]);
                }
            }
            System.out.println(name + " per step:" + steps);
            if (name.endsWith("f32")) {
                // mostly 1e-6..1e-3; half-precision rounding flips in llama.cpp's F16 attention reach 2.2e-3 at single steps
                assertTrue(worst <= 3e-3, name + ": max |dlogprob| " + worst);
            } else if (name.endsWith("f16")) {
                // activations rounded to F16 before each product (as ggml does) add more half-precision rounding
                // flips: many steps ~1e-6, others up to ~6e-3 (without that rounding every step is ~1e-2 off)
                assertTrue(worst <= 1e-2, name + ": max |dlogprob| " + worst);
            } else {
                // quantised activations: ~1e-6 except at the few steps where an 8-bit rounding falls the other way
                if (name.contains("modified")) {
                    // this model is ill-conditioned (scaled FFN): computing its attention in F32 instead of F16 alone
                    // moves its log-probabilities by ~0.2, so one half-precision rounding that falls differently
                    // (prompt 1, 13th generated token) shifts every later step by ~0.2; exact before that
                    // (~5e-6) and on the other prompt, and the greedy path agrees throughout
                    assertTrue(firstStep <= 1e-3, name + ": first step max |dlogprob| " + firstStep);
                } else if (name.contains("q4km")) {
                    // KQuantizer's blocks from random-normal weights. The K-quant products follow llama.cpp's x86
                    // kernels operation for operation and the RMS norm its float steps, so the short prompt agrees to
                    // ~1e-6 for its first 11 steps; this model is sensitive to attention precision (an F32 instead of
                    // an F16 cache moves its log-probabilities by ~0.04), and from step 11 on ~2e-2 persists, the size
                    // of one half-precision rounding falling the other way in the cache; the greedy path agrees
                    assertTrue(worst <= 0.1, name + ": max |dlogprob| " + worst);
                    if (tokens.length < 10) {
                        assertTrue(roughSteps <= 5, name + ": " + roughSteps + " rough steps:" + steps);
                        assertTrue(earlyWorst <= 1e-5, name + ": max |dlogprob| over the first 8 steps " + earlyWorst + ":" + steps);
                    }
                } else {
                    assertTrue(worst <= 0.1, name + ": max |dlogprob| " + worst);
                    assertTrue(roughSteps <= 3, name + ": " + roughSteps + " of 16 steps differ by more than 1e-3:" + steps);
                }
            }
            System.out.printf("%s prompt of %d tokens: max |dlogprob| over 16 steps = %.2e, greedy identical%n", name, tokens.length, worst);
        }
    }
}

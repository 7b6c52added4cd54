package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.DecodingSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine against a naive double-precision implementation of the same architecture. */
class LocalModelForwardTest {
    @TempDir static Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(TinyModels.Shape.llama(), GgmlType.F32, 1),
                Arguments.of(TinyModels.Shape.llama(), GgmlType.Q8_0, 2),
                Arguments.of(TinyModels.Shape.qwen2(), GgmlType.F32, 2),
                Arguments.of(TinyModels.Shape.qwen3(), GgmlType.F16, 2));
    }

    private static double maxDiff(float[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesNaiveReferenceWithCacheBatchesAndForks(TinyModels.Shape shape, GgmlType type, int threads) throws IOException {
        Path file = TinyModels.write(dir.resolve(shape.arch() + "-" + type + ".gguf"), shape, type, 42);
        LocalModel model = LocalModel.load(file, LocalModelOptions.builder().threads(threads).prefillBatch(3).halfPrecisionCache(false).build());
        ReferenceForward ref = new ReferenceForward(model);
        int[] tokens = {298, 5, 77, 123, 260, 9, 42, 250};
        try (DecodingSession s = model.newSession()) {
            s.append(0 + tokens[0], tokens[1], tokens[2], tokens[3], tokens[4]); // batched prefill in chunks of 3
            double[] expected = ref.logits(java.util.Arrays.copyOf(tokens, 5));
            double scale = 0;
            for (double v : expected) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 0.5, "logits should not be trivially small, max " + scale);
            // Q8_0 and F16 products quantise/round the activations (as ggml does); the reference does not
            double tol = (type == GgmlType.Q8_0 ? 1e-1 : type == GgmlType.F16 ? 1e-2 : 1e-4) * Math.max(1, scale);
            assertEquals(0, maxDiff(s.logits(), expected), tol, "prefill logits");
            DecodingSession fork = s.fork();
            for (int t = 5; t < tokens.length; t++) {
                s.append(tokens[t]);
                assertEquals(0, maxDiff(s.logits(), ref.logits(java.util.Arrays.copyOf(tokens, t + 1))), tol,
                        "decode step " + t);
            }
            // the fork still sits after 5 tokens and diverges independently
            fork.append(11);
            assertEquals(6, fork.length());
            int[] other = {tokens[0], tokens[1], tokens[2], tokens[3], tokens[4], 11};
            assertEquals(0, maxDiff(fork.logits(), ref.logits(other)), tol, "fork");
            fork.close();
            // llama.cpp's half-precision attention stays close to the exact result
            LocalModel half = LocalModel.load(file, LocalModelOptions.builder().threads(threads).build());
            try (DecodingSession h = half.newSession()) {
                h.append(tokens);
                assertEquals(0, maxDiff(h.logits(), ref.logits(tokens)), tol + 1e-2 * Math.max(1, scale), "F16 cache");
            }
            float[] lp = s.logProbabilities();
            double total = 0;
            for (float v : lp) total += Math.exp(v);
            assertEquals(1.0, total, 1e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void hiddenStatesPerPositionMatchReferenceAcrossBatchesDecodeStepsAndForks(TinyModels.Shape shape, GgmlType type, int threads)
            throws IOException {
        Path file = TinyModels.write(dir.resolve("h-" + shape.arch() + "-" + type + ".gguf"), shape, type, 7);
        LocalModel model = LocalModel.load(file, LocalModelOptions.builder().threads(threads).prefillBatch(3).halfPrecisionCache(false).build());
        ReferenceForward ref = new ReferenceForward(model);
        int[] tokens = {298, 5, 77, 123, 260, 9, 42};
        // as for logits: Q8_0 and F16 products quantise the activations, the double-precision reference does not
        double tol = type == GgmlType.Q8_0 ? 1e-1 : type == GgmlType.F16 ? 1e-2 : 1e-4;
        assertEquals(shape.dim(), model.hiddenSize());
        try (DecodingSession s = model.newSession()) {
            assertTrue(s.hasHiddenStates());
            s.append(java.util.Arrays.copyOf(tokens, 5)); // prefill in chunks of 3 and 2
            DecodingSession fork = s.fork();
            s.append(tokens[5]);
            s.append(tokens[6]);
            double[][] expected = ref.hiddenStates(tokens);
            double norm = 0;
            for (double v : expected[6]) norm += v * v;
            assertTrue(Math.sqrt(norm) > 1, "hidden states should not be trivially small");
            for (int p = 0; p < tokens.length; p++) {
                float[] h = s.hiddenState(p);
                assertEquals(shape.dim(), h.length);
                assertEquals(0, maxDiff(h, expected[p]), tol * Math.max(1, maxAbs(expected[p])), "position " + p);
            }
            // the fork keeps the first five positions and computes its own sixth
            fork.append(11);
            double[][] other = ref.hiddenStates(new int[] {tokens[0], tokens[1], tokens[2], tokens[3], tokens[4], 11});
            for (int p = 0; p < 6; p++) assertEquals(0, maxDiff(fork.hiddenState(p), other[p]), tol * Math.max(1, maxAbs(other[p])), "fork " + p);
            fork.close();
            assertThrows(IndexOutOfBoundsException.class, () -> s.hiddenState(tokens.length));
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }
}

package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.DecodingSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every weight type's kernels give bit-identical logits whatever the thread count, the prefill
 * batch size, or whether the prompt is fed at once or token by token.
 */
class BatchAndThreadIndependenceTest {
    @TempDir static Path dir;

    private static final int[] TOKENS = {298, 5, 77, 123, 260, 9, 42, 250, 17, 3, 101};

    private static Path model(GgmlType type) throws IOException {
        // width and FFN of 256 so K-quant blocks (256 values) fit every matrix
        TinyModels.Shape shape = new TinyModels.Shape("llama", 256, 2, 4, 2, 256, 40, 256, false, 10000f);
        Path f32 = dir.resolve("base-f32.gguf");
        if (!f32.toFile().exists()) TinyModels.write(f32, shape, GgmlType.F32, 11);
        return switch (type) {
            case F32 -> f32;
            case F16, Q8_0, Q4_0 -> TinyModels.write(dir.resolve("m-" + type + ".gguf"), shape, type, 11);
            default -> TinyModels.writeRandomQuant(f32, dir.resolve("m-" + type + ".gguf"), 12, name -> type);
        };
    }

    /** Logits after the whole prompt and after each of three decode steps, concatenated. */
    private static float[] run(Path file, int threads, int prefillBatch, boolean tokenByToken, boolean halfCache) {
        return run(file, threads, prefillBatch, tokenByToken, halfCache, TOKENS);
    }

    /** {@link #run} over {@code tokens} (the last three decoded one at a time). */
    private static float[] run(Path file, int threads, int prefillBatch, boolean tokenByToken, boolean halfCache, int[] tokens) {
        LocalModel m = LocalModel.load(file, LocalModelOptions.builder().threads(threads).prefillBatch(prefillBatch)
                .halfPrecisionCache(halfCache).build());
        try (DecodingSession s = m.newSession()) {
            int prompt = tokens.length - 3;
            if (tokenByToken) {
                for (int i = 0; i < prompt; i++) s.append(tokens[i]);
            } else {
                s.append(Arrays.copyOf(tokens, prompt));
            }
            float[] all = s.logits();
            for (int i = prompt; i < tokens.length; i++) {
                s.append(tokens[i]);
                float[] l = s.logits();
                float[] next = Arrays.copyOf(all, all.length + l.length);
                System.arraycopy(l, 0, next, all.length, l.length);
                all = next;
            }
            for (float v : all) assertTrue(Float.isFinite(v));
            return all;
        } finally {
            m.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void logitsAreBitIdentical(GgmlType type) throws IOException {
        Path file = model(type);
        for (boolean half : new boolean[] {true, false}) {
            float[] reference = run(file, 2, 64, false, half);
            assertArrayEquals(reference, run(file, 1, 64, false, half), type + " half=" + half + ": 1 thread vs 2");
            assertArrayEquals(reference, run(file, 3, 3, false, half), type + " half=" + half + ": 3 threads, batches of 3");
            // two 4x2 register tiles and a leftover token, rows split in 86/85/85 (leftover rows too)
            assertArrayEquals(reference, run(file, 3, 5, false, half), type + " half=" + half + ": 3 threads, batches of 5");
            assertArrayEquals(reference, run(file, 2, 1, true, half), type + " half=" + half + ": token by token");
        }
    }

    /**
     * Sessions decoding on several threads at once (one of them is served by the shared team, the
     * others split their ranges on their own thread) give the logits of a session running alone.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0"})
    void concurrentSessionsAreBitIdentical(GgmlType type) throws Exception {
        Path file = model(type);
        float[] reference = run(file, 2, 64, false, true);
        float[][] got = new float[3][];
        Thread[] threads = new Thread[got.length];
        for (int i = 0; i < threads.length; i++) {
            int id = i;
            threads[i] = new Thread(() -> got[id] = run(file, 2, id == 0 ? 64 : 1, id == 2, true));
            threads[i].start();
        }
        for (Thread t : threads) t.join(120_000);
        for (int i = 0; i < got.length; i++) assertArrayEquals(reference, got[i], type + ": concurrent session " + i);
    }

    /**
     * A context longer than the attention's blocks of 64 positions (keys and values converted from
     * half precision block by block), prefilled in one batch, in batches of 7 and token by token.
     * For Q4_K and Q6_K the 137-token prompt in one batch runs eight token tiles of sixteen plus
     * leftovers, batches of 7 the per-row kernel, token by token the one-token decode kernels.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_K", "Q6_K"})
    void longContextsAreBitIdentical(GgmlType type) throws IOException {
        Path file = model(type);
        int[] tokens = new int[140];
        java.util.Random r = new java.util.Random(140);
        for (int i = 0; i < tokens.length; i++) tokens[i] = r.nextInt(250);
        for (boolean half : new boolean[] {true, false}) {
            float[] reference = run(file, 2, 256, false, half, tokens);
            assertArrayEquals(reference, run(file, 1, 256, false, half, tokens), type + " half=" + half + ": 1 thread vs 2");
            assertArrayEquals(reference, run(file, 3, 7, false, half, tokens), type + " half=" + half + ": 3 threads, batches of 7");
            assertArrayEquals(reference, run(file, 2, 1, true, half, tokens), type + " half=" + half + ": token by token");
        }
    }
}

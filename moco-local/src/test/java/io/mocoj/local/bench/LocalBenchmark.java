package io.mocoj.local.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.internal.Sampler;
import io.mocoj.local.testing.KQuantizer;
import io.mocoj.local.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Prefill and decode speed of moco-local on a random-weight model of SmolLM2-135M's shape
 * (hidden 576, 30 layers, 9 heads, 3 KV heads, FFN 1536, vocabulary 49152, tied embeddings).
 *
 * <pre>
 * java -cp ... io.mocoj.local.bench.LocalBenchmark [--type F32|F16|Q8_0|Q4_0|Q4_K|Q6_K|Q4_K_M] [--threads N]
 *      [--prompt N] [--decode N] [--runs N] [--dir folder]
 * </pre>
 * The model file is written (with the GGUF writer) to {@code <dir>/smollm2-shape-<type>.gguf} if absent.
 * K-quant blocks hold 256 values, which SmolLM2's width 576 does not divide, so Q4_K and Q6_K use
 * {@link #kQuantShape()} (width 512, 8 heads / 4 KV heads of 64, otherwise the same), its random
 * F32 weights quantised to the type by {@link KQuantizer} (every matrix; {@code Q4_K_M} mixes Q4_K
 * and Q6_K as llama.cpp's preset does); F32, F16, Q8_0 and Q4_0 files are SmolLM2's shape encoded
 * from random floats. {@code --type Q4_K_M} selects that mixture.
 * Prints one line: type, threads, prefill tokens/s, decode tokens/s, peak RSS.
 */
public final class LocalBenchmark {
    public static void main(String[] args) throws Exception {
        String type = "F32";
        boolean writeOnly = false;
        int threads = Runtime.getRuntime().availableProcessors(), prompt = 128, decode = 64, runs = 3;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "mocoj-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--type" -> type = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--prompt" -> prompt = Integer.parseInt(args[++i]);
                case "--decode" -> decode = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--write-only" -> writeOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(dir);
        Path file = modelFile(dir, type);
        if (writeOnly) {
            System.out.println("MODEL " + file);
            return;
        }
        LocalModel model = LocalModel.load(file, LocalModelOptions.builder().threads(threads).prefillBatch(prompt).contextLength(2048).build());
        double[] best = measure(model, prompt, decode, runs, System::nanoTime, "tok/s");
        double bestPrefill = best[0], bestDecode = best[1];
        System.out.printf("RESULT moco-local type=%s threads=%d prompt=%d decode=%d prefill=%.1f tok/s decode=%.2f tok/s peakRSS=%d MB%n",
                type, threads, prompt, decode, bestPrefill, bestDecode, peakRssMb());
    }

    /**
     * Best prefill and decode rates over {@code runs} runs after one warm-up, timed by {@code clock}
     * (nanoseconds: wall time, or a thread's CPU time): the same random {@code prompt} tokens
     * appended as one batch, then {@code decode} greedy steps. Prints each run's rates in {@code unit}.
     */
    static double[] measure(LocalModel model, int prompt, int decode, int runs, java.util.function.LongSupplier clock, String unit) {
        Random r = new Random(3);
        int[] tokens = new int[prompt];
        for (int i = 0; i < prompt; i++) tokens[i] = r.nextInt(49000);
        double bestPrefill = 0, bestDecode = 0;
        for (int run = 0; run <= runs; run++) { // run 0 warms up
            try (LocalModel.Session s = model.newSession()) {
                long t0 = clock.getAsLong();
                s.append(tokens);
                long t1 = clock.getAsLong();
                for (int i = 0; i < decode; i++) s.append(Sampler.argmax(s.logits()));
                long t2 = clock.getAsLong();
                double prefillTps = prompt / ((t1 - t0) / 1e9), decodeTps = decode / ((t2 - t1) / 1e9);
                if (run > 0) {
                    bestPrefill = Math.max(bestPrefill, prefillTps);
                    bestDecode = Math.max(bestDecode, decodeTps);
                }
                System.out.printf("run %d: prefill %.1f %s, decode %.2f %s%n", run, prefillTps, unit, decodeTps, unit);
            }
        }
        return new double[] {bestPrefill, bestDecode};
    }

    /** SmolLM2-135M's shape with a width K-quant blocks divide (512 = 2 × 256). */
    public static TinyModels.Shape kQuantShape() {
        TinyModels.Shape s = TinyModels.Shape.smolLm2();
        return new TinyModels.Shape(s.arch(), 512, s.layers(), 8, 4, s.ffn(), s.extraVocab(), s.ctx(), s.tied(), s.ropeBase());
    }

    /** The benchmark model of {@code type} in {@code dir}, written first when absent. */
    public static Path modelFile(Path dir, String type) throws java.io.IOException {
        boolean kQuant = type.startsWith("Q4_K") || type.equals("Q6_K");
        // "-quantised": earlier versions of this benchmark wrote random K-quant blocks under the plain name
        Path file = dir.resolve(kQuant ? "smollm2-kshape-" + type.toLowerCase() + "-quantised.gguf"
                : "smollm2-shape-" + type.toLowerCase() + ".gguf");
        if (Files.exists(file)) return file;
        long t0 = System.nanoTime();
        if (kQuant) {
            Path f32 = dir.resolve("smollm2-kshape-f32.gguf");
            if (!Files.exists(f32)) TinyModels.write(f32, kQuantShape(), GgmlType.F32, 1);
            KQuantizer.write(f32, file, type);
        } else {
            TinyModels.write(file, TinyModels.Shape.smolLm2(), GgmlType.valueOf(type), 1);
        }
        System.out.printf("wrote %s (%.0f MB) in %.1f s%n", file, Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9);
        return file;
    }

    private static long peakRssMb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        return -1;
    }
}

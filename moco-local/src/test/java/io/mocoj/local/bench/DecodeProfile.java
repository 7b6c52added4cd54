package io.mocoj.local.bench;

import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.internal.llama.KvCache;
import io.mocoj.local.internal.llama.LlamaConfig;
import io.mocoj.local.internal.llama.LlamaWeights;
import io.mocoj.local.internal.llama.Transformer;
import io.mocoj.local.internal.tensor.MappedMatrix;
import io.mocoj.local.internal.tensor.Matrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.internal.tensor.VectorMath;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Where one decode step's time goes: the benchmark model's one-token products timed kind by kind
 * (all layers' {@code wq}, then all {@code wk}, ... and the output layer), a whole decode step
 * ({@link Transformer#forward}), the worker hand-off alone (an empty parallel range) and the
 * memory bandwidth of one and of all threads reading the model's mapped weights. Wall time and
 * the process's CPU time (all threads) per step.
 *
 * <pre>
 * java -cp ... [-Dkernels=1 | -Dfusion=1] io.mocoj.local.bench.DecodeProfile TYPE [threads=2] [context=160] [reps=20]
 * </pre>
 * {@code -Dkernels=1} compares one-token product kernels instead (one thread, CPU time), {@code
 * -Dfusion=1} one parallel region per product against one per group of products.
 */
public final class DecodeProfile {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        String type = args[0];
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int context = args.length > 2 ? Integer.parseInt(args[2]) : 160;
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path path = LocalBenchmark.modelFile(Path.of(System.getProperty("java.io.tmpdir"), "mocoj-bench"), type);
        GgufFile file = GgufFile.open(path);
        Map<String, Matrix> tensors = new LinkedHashMap<>();
        for (var t : file.tensors()) tensors.put(t.name(), new MappedMatrix(file.data(t.name())));
        LlamaConfig c = LlamaConfig.fromMetadata(file.metadata(), path.toString());
        LlamaWeights w = LlamaWeights.load(c, tensors::get, path.toString());
        Parallel parallel = new Parallel(threads);
        Transformer tf = new Transformer(c, w, parallel, true);
        Random r = new Random(1);
        float[] x = new float[Math.max(c.dim(), c.ffnDim())];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] out = new float[Math.max(w.vocabularySize(), c.ffnDim())];

        if (System.getProperty("fusion") != null) {
            fusion(w, c, parallel, x, reps);
            return;
        }
        if (System.getProperty("kernels") != null) {
            kernels(w, c, x, out, reps);
            return;
        }
        String[] kinds = {"wq", "wk", "wv", "wo", "gate", "up", "down", "output"};
        long[] bytes = new long[kinds.length];
        for (int round = 0; round < 2; round++) { // round 0 warms up
            System.out.printf("%s threads=%d context=%d reps=%d load=%.2f%n", type, threads, context, reps, OS.getSystemLoadAverage());
            double total = 0, totalCpu = 0;
            for (int k = 0; k < kinds.length; k++) {
                int kind = k;
                bytes[k] = 0;
                for (int l = 0; l < (kind == 7 ? 1 : c.layers()); l++) bytes[k] += matrix(w, l, kind) instanceof MappedMatrix m ? (long) m.rows() * m.data().rowBytes() : 0;
                double[] t = time(reps, () -> {
                    for (int l = 0; l < (kind == 7 ? 1 : c.layers()); l++) parallel.matmul(matrix(w, l, kind), x, 1, out);
                });
                total += t[0];
                totalCpu += t[1];
                if (round == 1) System.out.printf("  %-7s %8.3f ms  cpu %8.3f ms  %6.1f MB  %6.2f GB/s%n", kinds[k], t[0], t[1], bytes[k] / 1e6, bytes[k] / 1e6 / t[0]);
            }
            double[] step = step(tf, w, context, reps, r);
            double[] shortStep = step(tf, w, 8, reps, r);
            double[] handoff = time(reps, () -> {
                for (int i = 0; i < 211; i++) parallel.forChunks(threads * 4, 1, (a, b) -> { });
            });
            long allBytes = 0;
            for (long b : bytes) allBytes += b;
            if (round == 1) {
                System.out.printf("  products %8.3f ms  cpu %8.3f ms  (%.1f MB, %.2f GB/s)%n", total, totalCpu, allBytes / 1e6, allBytes / 1e6 / total);
                System.out.printf("  step     %8.3f ms  cpu %8.3f ms  (%.1f tok/s; rest = step - products %.3f ms)%n", step[0], step[1], 1000 / step[0], step[0] - total);
                System.out.printf("  step at context 8: %8.3f ms  cpu %8.3f ms (attention over %d more positions: %.3f ms)%n", shortStep[0], shortStep[1], context - 8, step[0] - shortStep[0]);
                System.out.printf("  211 empty parallel ranges %8.3f ms  cpu %8.3f ms%n", handoff[0], handoff[1]);
                for (int n : new int[] {1, threads}) {
                    double[] bw = bandwidth(w, c, n, parallel, reps);
                    System.out.printf("  read all layer weights + output, %d thread(s): %8.3f ms  %.2f GB/s%n", n, bw[0], allBytes / 1e6 / bw[0]);
                }
            }
        }
    }

    private static Matrix matrix(LlamaWeights w, int l, int kind) {
        LlamaWeights.Layer L = w.layers()[l];
        return switch (kind) {
            case 0 -> L.wq();
            case 1 -> L.wk();
            case 2 -> L.wv();
            case 3 -> L.wo();
            case 4 -> L.gate();
            case 5 -> L.up();
            case 6 -> L.down();
            default -> w.output();
        };
    }

    /** Reads every weight byte once per rep (a bulk copy of each row tile, as the products do), on {@code n} threads. */
    private static double[] bandwidth(LlamaWeights w, LlamaConfig c, int n, Parallel two, int reps) {
        Parallel p = n == 1 ? new Parallel(1) : two;
        return time(reps, () -> {
            for (int kind = 0; kind < 8; kind++) {
                for (int l = 0; l < (kind == 7 ? 1 : c.layers()); l++) {
                    MappedMatrix m = (MappedMatrix) matrix(w, l, kind);
                    int rb = m.data().rowBytes();
                    p.forChunks(m.rows(), Math.max(16, m.rows() / (4 * p.threads()) / 16 * 16), (from, to) -> {
                        byte[] tile = TILE.get();
                        for (int r0 = from; r0 < to; r0 += 16) {
                            int k = Math.min(16, to - r0);
                            m.copyRows(r0, k, tile);
                            SINK[0] += tile[(k * rb) - 1];
                        }
                    });
                }
            }
        });
    }

    /**
     * One thread, its CPU time: the one-token product over every layer matrix and the output (the
     * whole stream of weights) several ways, alternated rep by rep so that load hits all alike;
     * prints the minimum and the median per way. F32: rows decoded one by one and one dot per row
     * (main before this change), or tiles of 4, 8, 16 rows copied at once and multiplied four rows
     * per {@code dotTile} call. F16: tiles of 16 or 8 rows copied and converted at once, then one
     * dot per row (main) or four rows per {@code dotTile} call.
     */
    private static void kernels(LlamaWeights w, LlamaConfig c, float[] x, float[] out, int reps) {
        var mx = ManagementFactory.getThreadMXBean();
        boolean half = w.layers()[0].wq().type() == io.mocoj.local.gguf.GgmlType.F16;
        String[] ways = half
                ? new String[] {"16 rows + dot", "16 rows + dotTile", "8 rows + dot", "8 rows + dotTile"}
                : new String[] {"decodeRow + dot", "4 rows + dotTile", "8 rows + dotTile", "16 rows + dotTile"};
        int[] tiles = half ? new int[] {16, 16, 8, 8} : new int[] {4, 4, 8, 16};
        long[][] ns = new long[ways.length][reps];
        float[] tile = new float[16 * 1536];
        short[] halves = new short[16 * 1536];
        float[] check = new float[ways.length];
        for (int rep = -2; rep < reps; rep++) {
            for (int way = 0; way < ways.length; way++) {
                long t0 = mx.getCurrentThreadCpuTime();
                float sum = 0;
                boolean dots = half ? way % 2 == 0 : way == 0;
                for (int kind = 0; kind < 8; kind++) {
                    for (int l = 0; l < (kind == 7 ? 1 : c.layers()); l++) {
                        MappedMatrix m = (MappedMatrix) matrix(w, l, kind);
                        int rows = m.rows(), cols = m.cols(), t = tiles[way];
                        for (int r0 = 0; r0 < rows; r0 += t) {
                            int n = Math.min(t, rows - r0);
                            if (half) {
                                m.copyRows(r0, n, halves);
                                io.mocoj.local.internal.tensor.HalfKernels.toFloat(halves, 0, tile, 0, n * cols);
                            } else if (way == 0) {
                                for (int i = 0; i < n; i++) m.decodeRow(r0 + i, tile, i * cols);
                            } else {
                                m.copyRows(r0, n, tile);
                            }
                            if (dots) for (int i = 0; i < n; i++) out[r0 + i] = VectorMath.DOT.dot(tile, i * cols, x, 0, cols);
                            else VectorMath.DOT.dotTile(tile, cols, n, x, cols, 1, out, r0, rows);
                        }
                        sum += out[rows - 1] + out[0];
                    }
                }
                if (rep >= 0) ns[way][rep] = mx.getCurrentThreadCpuTime() - t0;
                check[way] = sum;
            }
        }
        for (int way = 0; way < ways.length; way++) {
            long[] a = ns[way].clone();
            java.util.Arrays.sort(a);
            System.out.printf("  %-24s min %7.3f ms  median %7.3f ms  (check %s)%n", ways[way], a[0] / 1e6, a[a.length / 2] / 1e6, check[way]);
        }
    }

    /**
     * On the model's threads: every layer's {@code wq, wk, wv} and {@code gate, up} products of
     * one token, one {@link Parallel#matmul} each (main) or one {@link Parallel#matmuls} region
     * per group, alternated rep by rep; min and median wall and process-CPU ms per step's worth.
     */
    private static void fusion(LlamaWeights w, LlamaConfig c, Parallel parallel, float[] x, int reps) {
        float[] q = new float[c.qDim()], k = new float[c.kvDim()], v = new float[c.vDim()], g = new float[c.ffnDim()], u = new float[c.ffnDim()];
        long[][] wall = new long[2][reps], cpu = new long[2][reps];
        for (int rep = -2; rep < reps; rep++) {
            for (int way = 0; way < 2; way++) {
                long c0 = OS.getProcessCpuTime(), t0 = System.nanoTime();
                for (LlamaWeights.Layer L : w.layers()) {
                    if (way == 0) {
                        parallel.matmul(L.wq(), x, 1, q);
                        parallel.matmul(L.wk(), x, 1, k);
                        parallel.matmul(L.wv(), x, 1, v);
                        parallel.matmul(L.gate(), x, 1, g);
                        parallel.matmul(L.up(), x, 1, u);
                    } else {
                        parallel.matmuls(x, 1, new Matrix[] {L.wq(), L.wk(), L.wv()}, new float[][] {q, k, v});
                        parallel.matmuls(x, 1, new Matrix[] {L.gate(), L.up()}, new float[][] {g, u});
                    }
                }
                if (rep >= 0) {
                    wall[way][rep] = System.nanoTime() - t0;
                    cpu[way][rep] = OS.getProcessCpuTime() - c0;
                }
            }
        }
        String[] ways = {"one region per product", "one region per group"};
        for (int way = 0; way < 2; way++) {
            long[] a = wall[way].clone(), b = cpu[way].clone();
            java.util.Arrays.sort(a);
            java.util.Arrays.sort(b);
            System.out.printf("  %-24s wall min %7.3f median %7.3f ms  cpu min %7.3f median %7.3f ms%n", ways[way],
                    a[0] / 1e6, a[reps / 2] / 1e6, b[0] / 1e6, b[reps / 2] / 1e6);
        }
    }

    /** A decode step after a prompt of {@code context} tokens. */
    private static double[] step(Transformer tf, LlamaWeights w, int context, int reps, Random r) {
        KvCache cache = tf.newCache(context + 2 * reps + 8);
        int[] prompt = new int[context];
        for (int i = 0; i < context; i++) prompt[i] = r.nextInt(w.vocabularySize());
        tf.forward(prompt, cache);
        int[] one = {7};
        return time(reps, () -> tf.forward(one, cache));
    }

    private static final ThreadLocal<byte[]> TILE = ThreadLocal.withInitial(() -> new byte[16 * 8192]);
    private static final int[] SINK = new int[64];

    /** Mean wall and process-CPU milliseconds of {@code body}. */
    private static double[] time(int reps, Runnable body) {
        body.run();
        long c0 = OS.getProcessCpuTime(), t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) body.run();
        long t1 = System.nanoTime(), c1 = OS.getProcessCpuTime();
        return new double[] {(t1 - t0) / 1e6 / reps, (c1 - c0) / 1e6 / reps};
    }
}

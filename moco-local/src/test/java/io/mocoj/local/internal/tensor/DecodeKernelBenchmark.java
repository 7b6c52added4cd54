package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import java.util.Random;

/**
 * Decode (one token) kernels on one thread, per weight type, on matrices of the benchmark model's
 * shapes, all in one JVM after a warm-up: weight bytes read per second (GB/s) and nanoseconds per
 * matrix-vector product (CPU time of the thread), so the K-quant and F16 kernels can be compared with the F32 / Q8_0 ones
 * and with the memory bandwidth. Weights live in a heap array (as after the workers' row copy).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.mocoj.local.internal.tensor.DecodeKernelBenchmark [seconds=1] [types=F32,F16,Q8_0,Q4_K,Q6_K]
 * </pre>
 */
public final class DecodeKernelBenchmark {
    private static final int[][] SHAPES = {{1536, 512}, {512, 1536}, {49152, 512}};
    static volatile float sink;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        String[] types = (args.length > 1 ? args[1] : "F32,F16,Q8_0,Q4_K,Q6_K").split(",");
        System.out.println("kernels: " + VectorMath.DOT.getClass().getSimpleName() + ", " + KQuantMatmul.KERNEL.getClass().getSimpleName());
        for (int pass = 0; pass < 2; pass++) {
            for (String t : types) {
                for (int[] shape : SHAPES) run(GgmlType.valueOf(t), shape[0], shape[1], pass == 0 ? seconds / 4 : seconds, pass == 1);
            }
        }
    }

    private static void run(GgmlType type, int rows, int cols, double seconds, boolean print) {
        Random r = new Random(1);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) r.nextGaussian();
        float[] out = new float[rows];
        Runnable product;
        long bytes;
        switch (type) {
            case F32 -> {
                float[] w = new float[rows * cols];
                for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
                bytes = 4L * w.length;
                product = () -> { for (int i = 0; i < rows; i++) out[i] = VectorMath.DOT.dot(w, i * cols, x, 0, cols); };
            }
            case F16 -> {
                short[] w = new short[rows * cols];
                for (int i = 0; i < w.length; i++) w[i] = Float.floatToFloat16((float) r.nextGaussian());
                bytes = 2L * w.length;
                float[] row = new float[cols];
                float[] xh = new float[cols];
                VectorMath.HALF.roundToHalf(x, xh, cols);
                product = () -> {
                    for (int i = 0; i < rows; i++) {
                        HalfKernels.toFloat(w, i * cols, row, 0, cols);
                        out[i] = VectorMath.DOT.dot(row, 0, xh, 0, cols);
                    }
                };
            }
            case Q8_0 -> {
                int blocks = cols / 32, rowBytes = 34 * blocks;
                byte[] w = new byte[rows * rowBytes];
                r.nextBytes(w);
                for (int b = 0; b < rows * blocks; b++) {
                    short h = Float.floatToFloat16(0.01f);
                    w[34 * b] = (byte) h;
                    w[34 * b + 1] = (byte) (h >> 8);
                }
                bytes = w.length;
                byte[] qx = new byte[cols];
                float[] dx = new float[blocks];
                Q8Activations.quantizeQ8_0(x, cols, qx, dx);
                product = () -> { for (int i = 0; i < rows; i++) out[i] = VectorMath.DOT.dotQ8_0xQ8_0(w, i * rowBytes, blocks, qx, 0, dx, 0); };
            }
            case Q4_K, Q6_K -> {
                byte[] w = TinyModels.randomBlocks(type, (long) rows * cols, r).array();
                bytes = w.length;
                boolean q6 = type == GgmlType.Q6_K;
                int blocks = cols / 256, rowBytes = type.blockBytes() * blocks;
                float[] xq = new float[cols], dy = new float[blocks];
                int[] bsum = new int[cols / 16];
                Q8Activations.quantizeQ8K(x, cols, xq, dy, bsum);
                KQuantDot k = KQuantMatmul.KERNEL;
                product = () -> { for (int i = 0; i < rows; i++) k.dotRow(q6, w, i * rowBytes, blocks, xq, dy, bsum, 1, out, i, 1); };
            }
            default -> throw new IllegalArgumentException(type.toString());
        }
        // CPU time of this thread (the machine is shared: wall time would measure the load)
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime(), end = start + (long) (seconds * 1e9), n = 0;
        while (mx.getCurrentThreadCpuTime() < end || n < 3) { product.run(); n++; }
        long ns = mx.getCurrentThreadCpuTime() - start;
        sink += out[0];
        if (print) {
            System.out.printf("%-5s %6d x %5d  %8.1f us/product(cpu)  %6.2f GB/s  %6.2f Gweights/s%n", type, rows, cols,
                    ns / 1e3 / n, bytes * n / (double) ns, (double) rows * cols * n / ns);
        }
    }
}

package io.mocoj.methods.bench;

import io.mocoj.methods.toolbox.merge.GeneralizedTaskArithmetic;
import io.mocoj.methods.toolbox.merge.MergeMethod;
import io.mocoj.methods.toolbox.merge.MergeMethods;
import io.mocoj.methods.toolbox.merge.ReferenceTaskArithmetic;
import io.mocoj.methods.toolbox.merge.TensorJob;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The merge kernels alone, one thread, measured in <em>CPU time</em> of the measuring thread
 * (less disturbed than wall time on a shared machine): nanoseconds per tensor value and model for
 * a plain copy, linear averaging, and TIES / DARE with the fused kernel and with the previous
 * formulation ({@link ReferenceTaskArithmetic}), on one 2^24-value tensor, 2 models plus a base.
 *
 * <pre>java -cp … io.mocoj.methods.bench.MergeKernelBenchmark [log2 size] [repetitions]</pre>
 */
public final class MergeKernelBenchmark {
    public static void main(String[] args) {
        int n = 1 << (args.length > 0 ? Integer.parseInt(args[0]) : 24), m = 2;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Random r = new Random(1);
        float[] base = new float[n];
        float[][] x = new float[m][n];
        for (int e = 0; e < n; e++) {
            base[e] = (float) r.nextGaussian();
            for (int i = 0; i < m; i++) x[i][e] = base[e] + (float) r.nextGaussian() * 0.1f;
        }
        TensorJob.Ranges one = (len, body) -> {
            for (int c = 0, f = 0; f < len; c++, f += TensorJob.CHUNK) body.run(c, f, Math.min(len, f + TensorJob.CHUNK));
        };
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] w = {0.5, 0.5};
        float[] out = new float[n];
        double copy = Double.MAX_VALUE;
        for (int rep = 0; rep < reps; rep++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < m; i++) System.arraycopy(x[i], 0, out, 0, n);
            copy = Math.min(copy, (cpu.getCurrentThreadCpuTime() - t0) / (double) n / m);
        }
        System.out.printf("copy: %.2f ns per value and model%n", copy);
        for (String name : List.of("linear", "ties", "dare_linear")) {
            MergeMethod fused = MergeMethods.byName(name, name.equals("linear") ? Map.of() : Map.of("density", name.equals("ties") ? 0.2 : 0.5));
            MergeMethod previous = fused instanceof GeneralizedTaskArithmetic g ? new ReferenceTaskArithmetic(g) : null;
            double best = Double.MAX_VALUE, bestPrevious = Double.MAX_VALUE;
            for (int rep = 0; rep < reps; rep++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                fused.merge(new TensorJob("t", x, base, w, out, 1, one));
                best = Math.min(best, (cpu.getCurrentThreadCpuTime() - t0) / (double) n / m);
                if (previous != null) {
                    t0 = cpu.getCurrentThreadCpuTime();
                    previous.merge(new TensorJob("t", x, base, w, out, 1, one));
                    bestPrevious = Math.min(bestPrevious, (cpu.getCurrentThreadCpuTime() - t0) / (double) n / m);
                }
            }
            System.out.printf("%s: %.2f ns per value and model (%.0f%% of copy speed)%s%n", name, best, 100 * copy / best,
                    previous == null ? "" : String.format("; previous kernel %.2f ns (%.1fx slower)", bestPrevious, bestPrevious / best));
        }
        try {
            System.out.printf("load average: %s%n", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

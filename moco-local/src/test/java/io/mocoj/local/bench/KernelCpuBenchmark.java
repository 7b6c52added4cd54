package io.mocoj.local.bench;

import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * Prefill and decode speed on one thread measured in <em>CPU time</em> of that thread, so that
 * kernel changes can be compared on a machine shared with other work (wall-clock tokens/s under
 * load mostly measure the load). Same files as {@link LocalBenchmark}; with one thread the whole
 * forward pass runs on the calling thread, so its CPU time is all the work.
 *
 * <pre>
 * java -cp ... io.mocoj.local.bench.KernelCpuBenchmark TYPE [prompt=128] [decode=64] [runs=3]
 * </pre>
 * Prints the best run's prefill and decode tokens per CPU-second.
 */
public final class KernelCpuBenchmark {
    public static void main(String[] args) throws Exception {
        String type = args[0];
        int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int decode = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path file = LocalBenchmark.modelFile(Path.of(System.getProperty("java.io.tmpdir"), "mocoj-bench"), type);
        LocalModel model = LocalModel.load(file, LocalModelOptions.builder().threads(1).prefillBatch(prompt).contextLength(2048).build());
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] best = LocalBenchmark.measure(model, prompt, decode, runs, mx::getCurrentThreadCpuTime, "tok/cpu-s");
        double bestPrefill = best[0], bestDecode = best[1];
        model.close();
        System.out.printf("RESULT cpu type=%s threads=1 prompt=%d decode=%d prefill=%.1f tok/cpu-s decode=%.2f tok/cpu-s%n",
                type, prompt, decode, bestPrefill, bestDecode);
    }
}

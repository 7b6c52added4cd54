package io.mocoj.datasets;

import io.mocoj.task.Task;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark program (not a unit test): loads every shared MoCo file cold and warm and reports time and heap.
 * <ul>
 *   <li>cold: the first parse of the file in this JVM (includes class loading and an unwarmed JIT for the first file);</li>
 *   <li>warm: median of 15 parses after 10 warm-up parses of every file (memory cache off);</li>
 *   <li>cached: a load served from the loader's in-memory cache;</li>
 *   <li>peak: the highest heap use during one warm parse above the heap in use before it (sum of heap pool peaks, after a GC);</li>
 *   <li>retained: heap held by the loaded task (heap after GC with the task reachable minus without).</li>
 * </ul>
 * Run: {@code java -Xmx2g -cp <test classpath> io.mocoj.datasets.DatasetLoadBenchmark <shared-data-dir> [synthetic-MB]}
 */
public final class DatasetLoadBenchmark {
    private DatasetLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../../shared/moco-data");
        int syntheticMb = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Path cache = Files.createTempDirectory("mocoj-bench-cache");
        DatasetLoader fresh = DatasetLoader.builder().dataDir(dir).cacheDir(cache).offline(true).memoryCache(false).build();
        List<String> names = new ArrayList<>();
        for (String n : Datasets.names()) if (Files.isRegularFile(dir.resolve(n + ".json"))) names.add(n);

        long[] cold = new long[names.size()];
        for (int i = 0; i < names.size(); i++) {
            long t0 = System.nanoTime();
            fresh.load(names.get(i));
            cold[i] = System.nanoTime() - t0;
        }
        for (int r = 0; r < 10; r++) for (String n : names) fresh.load(n);

        System.out.printf(Locale.ROOT, "%-26s %9s %9s %9s %9s %10s %10s%n", "task", "file MB", "cold ms", "warm ms", "cached us", "peak MB", "retained MB");
        double totalCold = 0, totalWarm = 0, totalFile = 0, totalRetained = 0;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            double fileMb = Files.size(dir.resolve(n + ".json")) / 1e6;
            long[] warm = new long[15];
            for (int r = 0; r < warm.length; r++) {
                long t0 = System.nanoTime();
                fresh.load(n);
                warm[r] = System.nanoTime() - t0;
            }
            Arrays.sort(warm);
            double peak = peakHeapOf(() -> fresh.load(n));
            double retained = retainedOf(() -> fresh.load(n));
            DatasetLoader cached = DatasetLoader.builder().dataDir(dir).cacheDir(cache).offline(true).build();
            cached.load(n);
            long t0 = System.nanoTime();
            cached.load(n);
            double cachedUs = (System.nanoTime() - t0) / 1e3;
            System.out.printf(Locale.ROOT, "%-26s %9.2f %9.1f %9.2f %9.1f %10.1f %10.1f%n", n, fileMb, cold[i] / 1e6, warm[warm.length / 2] / 1e6,
                    cachedUs, peak, retained);
            totalCold += cold[i] / 1e6;
            totalWarm += warm[warm.length / 2] / 1e6;
            totalFile += fileMb;
            totalRetained += retained;
        }
        System.out.printf(Locale.ROOT, "%-26s %9.2f %9.1f %9.2f %9s %10s %10.1f%n", "TOTAL (" + names.size() + " files)", totalFile, totalCold, totalWarm, "", "", totalRetained);

        if (syntheticMb > 0) {
            Path big = cache.resolve("gsm8k.json");
            writeSynthetic(big, syntheticMb);
            DatasetLoader fromCacheDir = DatasetLoader.builder().dataDir(cache).cacheDir(cache).offline(true).memoryCache(false).build();
            double fileMb = Files.size(big) / 1e6;
            long t0 = System.nanoTime();
            double peak = peakHeapOf(() -> fromCacheDir.load("gsm8k"));
            double ms = (System.nanoTime() - t0) / 1e6;
            double retained = retainedOf(() -> fromCacheDir.load("gsm8k"));
            System.out.printf(Locale.ROOT, "synthetic gsm8k-shaped file: %.1f MB, %d examples, load %.0f ms (incl. GC), peak %.1f MB above baseline, retained %.1f MB, max heap %d MB%n",
                    fileMb, fromCacheDir.load("gsm8k").test().size(), ms, peak, retained, Runtime.getRuntime().maxMemory() / (1 << 20));
            Files.delete(big);
        }
        Files.deleteIfExists(cache);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    private static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return heapPools().stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    private static double peakHeapOf(Runnable r) {
        long base = heapUsedAfterGc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        r.run();
        long peak = heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return Math.max(0, peak - base) / 1e6;
    }

    private static Object sink;

    private static double retainedOf(java.util.function.Supplier<Task> s) {
        sink = null;
        long base = heapUsedAfterGc();
        sink = s.get();
        long with = heapUsedAfterGc();
        sink = null;
        return (with - base) / 1e6;
    }

    /** A MoCo exact_match file of about {@code mb} megabytes: gsm8k-like questions of ~400 characters. */
    private static void writeSynthetic(Path file, int mb) throws Exception {
        String text = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
                + "How many clips did Natalia sell altogether in April and May? Each clip costs 3 dollars and she gave 7 away. ";
        long target = (long) mb * 1_000_000L;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"dataset\": \"gsm8k\", \"task_type\": \"exact_match\", \"dev\": [], \"test\": [\n");
            long written = 0;
            for (int i = 0; written < target; i++) {
                String rec = (i == 0 ? "" : ",\n") + "{\"id\": " + i + ", \"domain\": \"gsm8k\", \"input\": \"Q" + i + ": " + text + text
                        + "\", \"output\": \"" + (i % 977) + "\"}";
                w.write(rec);
                written += rec.length();
            }
            w.write("\n]}\n");
        }
    }
}

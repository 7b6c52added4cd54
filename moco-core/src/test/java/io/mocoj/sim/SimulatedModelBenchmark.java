package io.mocoj.sim;

import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of {@link SimulatedModel#generate} (no latency configured): calls per second for
 * MoCo-formatted prompts, debate prompts with other answers, and log-probability requests, on one
 * platform thread and on virtual threads; plus index build time. Uses the real MoCo files when
 * found (arguments: data directory), else synthetic tasks.
 *
 * <p>Run: {@code mvn -q -pl moco-core test-compile} then
 * {@code java -cp moco-core/target/classes:moco-core/target/test-classes:$(cat /tmp/cp.txt) io.mocoj.sim.SimulatedModelBenchmark ../shared/moco-data}
 */
public final class SimulatedModelBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("../shared/moco-data");
        Task mcq = Files.exists(dir.resolve("mmlu_redux.json"))
                ? SimulatedModelRealDataTest.load(dir.resolve("mmlu_redux.json"), "mmlu_redux") : Fixtures.mcqTask(2000);
        Task em = Files.exists(dir.resolve("culturebench.json"))
                ? SimulatedModelRealDataTest.load(dir.resolve("culturebench.json"), "culturebench") : Fixtures.emTask(5000);

        for (Task t : List.of(mcq, em)) {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < 5; i++) SimulatedModel.builder(t).name("w" + i).build();
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < 10; i++) SimulatedModel.builder(t).name("b" + i).build();
            System.out.printf("build (index %d examples of %s): %.1f ms CPU per model%n",
                    t.dev().size() + t.test().size(), t.name(), (mx.getCurrentThreadCpuTime() - c0) / 10e6);
        }

        SimulatedModel m = SimulatedModel.builder(mcq).name("bench").accuracy(0.6).persuadability(0.3).build();
        List<String> plain = new ArrayList<>();
        List<String> debate = new ArrayList<>();
        for (Example e : mcq.test()) {
            plain.add(Fixtures.mcqPrompt(e));
            debate.add("You are part of a team of AI assistants collaborating to answer the user's question.\n\nQuestion: "
                    + Fixtures.mcqPrompt(e) + "\n\nYour previous answer: The answer is (A).\n\nOther assistants' answers:\n"
                    + "- The answer is (B).\n- The answer is (C).\n\nPlease provide a refined answer to the question.");
        }
        SimulatedModel emModel = SimulatedModel.builder(em).name("bench").build();
        List<String> emPrompts = new ArrayList<>();
        for (Example e : em.test()) emPrompts.add(Fixtures.emPrompt(e));

        run("mcq plain (" + mcq.name() + ")", m, plain, false, 1);
        run("mcq debate prompt, persuade=0.3", m, debate, false, 1);
        run("mcq plain + logprobs top 5", m, plain, true, 1);
        run("em plain (" + em.name() + ")", emModel, emPrompts, false, 1);
        run("mcq plain, virtual threads", m, plain, false, 64);
    }

    private static void run(String label, SimulatedModel m, List<String> prompts, boolean logprobs, int threads) throws Exception {
        List<GenerationRequest> reqs = new ArrayList<>();
        for (String p : prompts) {
            GenerationRequest.Builder b = GenerationRequest.builder().user(p).temperature(0.7).seed(1);
            if (logprobs) b.topLogprobs(5);
            reqs.add(b.build());
        }
        for (int warm = 0; warm < 3; warm++) once(m, reqs, threads);
        int rounds = 5;
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long calls = 0;
        for (int r = 0; r < rounds; r++) calls += once(m, reqs, threads);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (threads == 1) {
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            System.out.printf("%-40s %,10.0f calls/s per core of CPU time (%.1f us CPU/call; wall %.1f us/call; %d calls)%n",
                    label, calls / cpu, cpu * 1e6 / calls, secs * 1e6 / calls, calls);
        } else {
            System.out.printf("%-40s %,10.0f calls/s wall clock (%d calls)%n", label, calls / secs, calls);
        }
    }

    private static long once(SimulatedModel m, List<GenerationRequest> reqs, int threads) throws Exception {
        if (threads == 1) {
            long chars = 0;
            for (GenerationRequest r : reqs) chars += m.generate(r).text().length();
            if (chars < 0) throw new AssertionError();
            return reqs.size();
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            int chunk = (reqs.size() + threads - 1) / threads;
            for (int i = 0; i < reqs.size(); i += chunk) {
                List<GenerationRequest> part = reqs.subList(i, Math.min(reqs.size(), i + chunk));
                fs.add(pool.submit(() -> { for (GenerationRequest r : part) m.generate(r); }));
            }
            for (Future<?> f : fs) f.get();
        }
        return reqs.size();
    }
}

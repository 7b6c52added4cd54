package io.mocoj.examples.bench;

import com.sun.net.httpserver.HttpServer;
import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Engine overhead: how close a run gets to the ideal wall time when the models themselves take a
 * fixed latency. 10,000 test examples, one call each, to a simulated model with 20 ms latency at
 * concurrency 200 (ideal 10,000 / 200 × 20 ms = 1.0 s); then 2,000 calls through real HTTP to an
 * OpenAI-compatible server on loopback that answers after 20 ms (ideal 0.2 s). Wall time covers
 * the whole {@code execute()}: scheduling, calls, scoring, bootstrap interval and report.
 *
 * <p>Run: {@code mvn -q -pl examples -am package -DskipTests && java -cp "examples/target/classes:moco-cli/target/lib/*"
 * io.mocoj.examples.bench.EngineOverheadBenchmark} (see docs/performance.md).
 */
public final class EngineOverheadBenchmark {
    private EngineOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int simCalls = 10_000, httpCalls = 2_000, concurrency = 200, latencyMs = 20, repeats = 5;
        System.out.printf("java %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        Task simTask = task(simCalls);
        ModelEndpoint sim = SimulatedModel.builder(simTask).name("bench").accuracy(0.7).latency(Duration.ofMillis(latencyMs)).seed(1).build();
        run(sim, simTask.limit(2000), concurrency); // warm-up
        double ideal = (double) simCalls / concurrency * latencyMs / 1000.0;
        double[] walls = new double[repeats];
        for (int i = 0; i < repeats; i++) walls[i] = seconds(() -> run(sim, simTask, concurrency));
        report("simulated, 10,000 calls, 20 ms, concurrency 200", walls, ideal);
        double[] rawSim = new double[repeats];
        for (int i = 0; i < repeats; i++) rawSim[i] = seconds(() -> raw(sim, simTask, concurrency));
        report("  same calls without the engine (virtual threads + semaphore)", rawSim, ideal);

        // Pure engine CPU cost: the same run against a model that answers instantly.
        ModelEndpoint instant = SimulatedModel.builder(simTask).name("instant").accuracy(0.7).seed(1).build();
        run(instant, simTask, concurrency);
        double[] zero = new double[repeats];
        for (int i = 0; i < repeats; i++) zero[i] = seconds(() -> run(instant, simTask, concurrency));
        Arrays.sort(zero);
        System.out.printf(Locale.ROOT, "zero-latency model, 10,000 examples: median %.3f s = %.1f us per example (engine + simulated model + scoring + report)%n",
                zero[repeats / 2], zero[repeats / 2] / simCalls * 1e6);

        // Heap retained by a finished report of 10,000 examples.
        long before = usedHeapAfterGc();
        RunReport kept = run(sim, simTask, concurrency);
        long after = usedHeapAfterGc();
        System.out.printf(Locale.ROOT, "heap retained by a 10,000-example report: %.1f MiB (%d examples)%n",
                (after - before) / 1048576.0, kept.examples().size());

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        byte[] body = ("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"bench\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"The answer is (A).\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":6,\"total_tokens\":66}}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/v1/chat/completions", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                Thread.sleep(latencyMs);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        try {
            http("HTTP loopback, JDK HttpServer in this JVM", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                    httpCalls, concurrency, latencyMs, repeats);
        } finally {
            server.stop(0);
        }
        // Optionally a server in another process (e.g. nginx with the echo module answering after 20 ms, see docs/performance.md).
        for (String a : args) {
            if (a.startsWith("--external=")) http("HTTP loopback, external server " + a.substring(11), a.substring(11), httpCalls, concurrency, latencyMs, repeats);
        }
    }

    private static void http(String what, String url, int calls, int concurrency, int latencyMs, int repeats) throws Exception {
        ModelEndpoint http = OpenAiCompatibleModel.builder().name("loopback").baseUrl(url).model("bench")
                .timeout(Duration.ofSeconds(30)).build();
        Task httpTask = task(calls);
        run(http, httpTask, concurrency); // warm-up (connections, JIT)
        double httpIdeal = (double) calls / concurrency * latencyMs / 1000.0;
        double[] hw = new double[repeats];
        for (int i = 0; i < repeats; i++) hw[i] = seconds(() -> run(http, httpTask, concurrency));
        report(what + ", 2,000 calls, 20 ms, concurrency 200", hw, httpIdeal);
        double[] rawHttp = new double[repeats];
        for (int i = 0; i < repeats; i++) rawHttp[i] = seconds(() -> raw(http, httpTask, concurrency));
        report("  same calls without the engine (virtual threads + semaphore)", rawHttp, httpIdeal);
    }

    private static RunReport run(ModelEndpoint model, Task task, int concurrency) {
        RunReport r = MoCo.run().models(model).method(Methods.singleModel()).task(task).concurrency(concurrency)
                .retry(io.mocoj.RetryPolicy.NONE).execute();
        if (r.summary().failed() > 0) throw new IllegalStateException(r.summary().failed() + " examples failed");
        return r;
    }

    /**
     * The floor the engine is compared with: every example's prompt sent straight to the model from
     * virtual threads, at most {@code concurrency} at once, with no engine, scoring or report.
     */
    private static Object raw(ModelEndpoint model, Task task, int concurrency) throws Exception {
        io.mocoj.task.Evaluator ev = io.mocoj.task.Tasks.evaluatorFor(task);
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(concurrency);
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (Example e : task.test()) {
                fs.add(ex.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        return model.generate(io.mocoj.model.GenerationRequest.builder().user(ev.prompt(e)).seed(42).build()).text();
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (var f : fs) f.get();
        }
        return null;
    }

    /** {@code n} distinct 4-option questions (a MoCo-shaped multiple-choice task with an empty dev split). */
    static Task task(int n) {
        List<Example> test = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, String> choices = new LinkedHashMap<>();
            for (int k = 0; k < 4; k++) choices.put(String.valueOf((char) ('A' + k)), "option " + k + " of item " + i);
            test.add(Example.multipleChoice("q" + i, "Benchmark question number " + i + ": which option is right?", choices,
                    String.valueOf((char) ('A' + i % 4))));
        }
        return new Task("bench_mcq", TaskType.MULTIPLE_CHOICE, List.of(), test);
    }

    private interface Body { Object run() throws Exception; }

    private static double seconds(Body b) throws Exception {
        long t = System.nanoTime();
        b.run();
        return (System.nanoTime() - t) / 1e9;
    }

    private static void report(String what, double[] walls, double ideal) {
        double[] s = walls.clone();
        Arrays.sort(s);
        double median = s[s.length / 2];
        System.out.printf(Locale.ROOT, "%s: ideal %.3f s; median %.3f s (%.3fx ideal), best %.3f s (%.3fx), worst %.3f s; runs %s%n",
                what, ideal, median, median / ideal, s[0], s[0] / ideal, s[s.length - 1], Arrays.toString(walls));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

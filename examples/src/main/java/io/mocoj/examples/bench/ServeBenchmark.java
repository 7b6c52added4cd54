package io.mocoj.examples.bench;

import dev.langchain4j.data.message.UserMessage;
import io.mocoj.chat.CollaborationChatModel;
import io.mocoj.methods.Methods;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.serve.MocoServer;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * {@code moco serve} overhead: the same chat turns (single_model over a SIMULATED model with 20 ms
 * latency) from 64 concurrent clients, once calling the {@link CollaborationChatModel} in-process and
 * once over loopback HTTP through {@link MocoServer}; requests/s, p50/p99 latency and errors for each.
 * Bounded: a fixed number of requests, loopback only.
 *
 * <pre>java -cp "examples/target/classes:moco-cli/target/lib/*" io.mocoj.examples.bench.ServeBenchmark [requests=4000] [clients=64]</pre>
 */
public final class ServeBenchmark {
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < requests; i++) test.add(Example.freeText("t" + i, "benchmark question number " + i, "answer " + i));
        Task task = new Task("serve-bench", TaskType.EXACT_MATCH, List.of(), test);
        ModelEndpoint sim = SimulatedModel.builder(task).name("sim20ms").accuracy(0.7).latency(Duration.ofMillis(20)).seed(1).build();
        CollaborationChatModel chat = CollaborationChatModel.builder().name("bench").models(sim).method(Methods.singleModel()).build();

        System.out.printf(Locale.ROOT, "%d requests, %d concurrent clients, simulated model with 20 ms latency; %d cores, load %s%n",
                requests, clients, Runtime.getRuntime().availableProcessors(), loadAverage());
        for (int round = 0; round < 2; round++) { // the first round warms both paths up
            Stats direct = drive(requests, clients, i -> !chat.chat(UserMessage.from(test.get(i).input())).aiMessage().text().isEmpty());
            MocoServer server = MocoServer.builder().model(chat).port(0).maxConcurrent(clients).start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions");
            Stats served = drive(requests, clients, i -> {
                String body = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"" + test.get(i).input() + "\"}]}";
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            server.stop(Duration.ofSeconds(10));
            if (round == 1) {
                System.out.println("| path | requests/s | p50 ms | p99 ms | errors |");
                System.out.println("|---|---|---|---|---|");
                System.out.println(direct.row("CollaborationChatModel in-process"));
                System.out.println(served.row("moco serve over loopback HTTP"));
                System.out.printf(Locale.ROOT, "added latency at the median: %.2f ms; throughput ratio %.2f%n",
                        served.p50 - direct.p50, served.perSecond / direct.perSecond);
            }
        }
    }

    record Stats(double perSecond, double p50, double p99, int errors) {
        String row(String name) {
            return String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %d |", name, perSecond, p50, p99, errors);
        }
    }

    private static Stats drive(int requests, int clients, IntPredicate call) throws Exception {
        double[] latencies = new double[requests];
        AtomicInteger next = new AtomicInteger(), errors = new AtomicInteger();
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                fs.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests; ) {
                        long t = System.nanoTime();
                        boolean ok;
                        try {
                            ok = call.test(i);
                        } catch (RuntimeException e) {
                            ok = false;
                        }
                        latencies[i] = (System.nanoTime() - t) / 1e6;
                        if (!ok) errors.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Stats(requests / wall, sorted[(int) (0.5 * (requests - 1))], sorted[(int) Math.ceil(0.99 * (requests - 1))], errors.get());
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}

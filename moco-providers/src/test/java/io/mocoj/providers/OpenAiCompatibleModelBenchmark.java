package io.mocoj.providers;

import com.sun.net.httpserver.HttpServer;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.providers.openai.internal.ChatCompletionsWire;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Client-side overhead of {@link OpenAiCompatibleModel}: response parsing alone, and full calls
 * against a loopback server that answers instantly with a 256-token completion carrying
 * log-probabilities with 5 alternatives per token. Run:
 * {@code java -cp <test classpath> io.mocoj.providers.OpenAiCompatibleModelBenchmark}.
 */
public final class OpenAiCompatibleModelBenchmark {
    private OpenAiCompatibleModelBenchmark() {}

    static String completion(int tokens, int top) {
        StringBuilder content = new StringBuilder();
        StringBuilder lp = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            if (i > 0) lp.append(',');
            content.append("tok").append(i % 50).append(' ');
            lp.append("{\"token\":\"tok").append(i % 50).append(" \",\"logprob\":-0.").append(i % 9 + 1)
                    .append(",\"bytes\":[116,111,107],\"top_logprobs\":[");
            for (int k = 0; k < top; k++) {
                if (k > 0) lp.append(',');
                lp.append("{\"token\":\"alt").append(k).append("\",\"logprob\":-").append(k + 1).append(".25,\"bytes\":[97]}");
            }
            lp.append("]}");
        }
        return "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + content + "\"},\"finish_reason\":\"stop\",\"logprobs\":{\"content\":[" + lp + "]}}],"
                + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":" + tokens + "}}";
    }

    public static void main(String[] args) throws Exception {
        String body = completion(256, 5);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "response size: %d bytes%n", bytes.length);

        // 1. parsing only
        for (int i = 0; i < 2000; i++) ChatCompletionsWire.parseResponse(body, true);
        int parses = 5000;
        long t0 = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < parses; i++) sink += ChatCompletionsWire.parseResponse(body, true).logprobs().size();
        double parseMicros = (System.nanoTime() - t0) / 1e3 / parses;
        System.out.printf(Locale.ROOT, "parse (256 tokens x 5 alternatives): %.1f us/response (sink %d)%n", parseMicros, sink);

        // 2. full calls over loopback HTTP
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
                    .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1").model("bench").build();
            GenerationRequest request = GenerationRequest.builder().system("You are terse.").user("Count to 256.")
                    .maxTokens(256).topLogprobs(5).seed(1).build();
            for (int i = 0; i < 1000; i++) model.generate(request);

            int sequential = 3000;
            long s0 = System.nanoTime();
            for (int i = 0; i < sequential; i++) model.generate(request);
            double seqMs = (System.nanoTime() - s0) / 1e6;
            System.out.printf(Locale.ROOT, "sequential calls: %d in %.0f ms = %.0f calls/s (%.0f us/call)%n",
                    sequential, seqMs, sequential / (seqMs / 1000), seqMs * 1000 / sequential);

            for (int threads : new int[] {8, 32}) {
                int total = 6000;
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    long c0 = System.nanoTime();
                    List<Future<Generation>> fs = new ArrayList<>();
                    java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(threads);
                    for (int i = 0; i < total; i++) {
                        fs.add(pool.submit(() -> {
                            permits.acquire();
                            try {
                                return model.generate(request);
                            } finally {
                                permits.release();
                            }
                        }));
                    }
                    for (Future<Generation> f : fs) f.get();
                    double ms = (System.nanoTime() - c0) / 1e6;
                    System.out.printf(Locale.ROOT, "concurrent calls (%d in flight, virtual threads): %d in %.0f ms = %.0f calls/s%n",
                            threads, total, ms, total / (ms / 1000));
                }
            }
        } finally {
            server.stop(0);
        }
    }
}

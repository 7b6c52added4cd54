package io.mocoj.providers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** A real HTTP server on 127.0.0.1 that records requests and answers with queued canned responses. */
final class LoopbackServer implements AutoCloseable {

    record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    record Canned(int status, Map<String, String> headers, String body, long delayMillis) {
        static Canned json(int status, String body) { return new Canned(status, Map.of(), body, 0); }
    }

    private final HttpServer server;
    private final Deque<Canned> responses = new ArrayDeque<>();
    private final List<Recorded> requests = new ArrayList<>();

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl(String path) { return "http://127.0.0.1:" + server.getAddress().getPort() + path; }

    synchronized LoopbackServer enqueue(Canned c) { responses.add(c); return this; }

    synchronized LoopbackServer enqueue(int status, String body) { return enqueue(Canned.json(status, body)); }

    synchronized List<Recorded> requests() { return List.copyOf(requests); }

    synchronized Recorded lastRequest() { return requests.get(requests.size() - 1); }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Canned c;
        synchronized (this) {
            requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body));
            c = responses.isEmpty() ? Canned.json(500, "{\"error\":{\"message\":\"no canned response left\"}}") : responses.poll();
        }
        if (c.delayMillis() > 0) {
            try {
                Thread.sleep(c.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = c.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        c.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(c.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        } catch (IOException clientGone) {
            // the client timed out and closed the connection
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

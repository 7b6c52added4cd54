package io.mocoj.datasets;

import com.sun.net.httpserver.HttpServer;
import io.mocoj.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Downloads against a real HTTP server on 127.0.0.1. */
class DownloadTest {
    @TempDir Path cache;
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicReference<String> lastPath = new AtomicReference<>();
    /** What the server does for the next request. */
    volatile Responder responder;

    interface Responder { void respond(com.sun.net.httpserver.HttpExchange ex) throws IOException; }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            lastPath.set(ex.getRequestURI().getPath());
            try {
                responder.respond(ex);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() { server.stop(0); }

    private String base() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/data/"; }

    private DatasetLoader loader(boolean offline) {
        return DatasetLoader.builder().cacheDir(cache).baseUrl(base()).offline(offline).timeout(Duration.ofSeconds(10)).memoryCache(false).build();
    }

    private static Responder serve(byte[] body) {
        return ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) { out.write(body); }
        };
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.exists(cache)) return List.of();
        try (Stream<Path> s = Files.list(cache)) { return s.toList(); }
    }

    @Test
    void goodFileIsVerifiedCachedAndReusedOffline() throws Exception {
        Path shared = SharedData.require();
        byte[] body = Files.readAllBytes(shared.resolve("agieval_tiny.json"));
        responder = serve(body);
        Task t = loader(false).load("agieval_tiny");
        assertEquals(40, t.dev().size());
        assertEquals(40, t.test().size());
        assertEquals("/mirror/data/agieval_tiny.json", lastPath.get());
        assertEquals(List.of(cache.resolve("agieval_tiny.json")), cacheFiles());
        assertArrayEquals(body, Files.readAllBytes(cache.resolve("agieval_tiny.json")));
        // a second loader finds it in the cache without asking the server, even offline
        Task again = loader(true).load("agieval_tiny");
        assertEquals(t, again);
        assertEquals(1, requests.get());
    }

    @Test
    void badHashIsRejectedAndNotCached() throws Exception {
        byte[] body = "{\"name\": \"agieval_tiny\", \"task_type\": \"multiple_choice\", \"dev\": [], \"test\": []}".getBytes(StandardCharsets.UTF_8);
        responder = serve(body);
        var e = assertThrows(DatasetException.class, () -> loader(false).load("agieval_tiny"));
        assertTrue(e.getMessage().contains("but the pinned hash is 1aa35f074f3f3ca75a97a8b6be41a4896fe5138cd4ca0e613eb82c0e12f9a4a6; the file was not cached"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
        assertEquals(1, requests.get());
    }

    @Test
    void connectionDroppedMidBodyLeavesNoPartialFile() throws Exception {
        byte[] half = new byte[50_000];
        java.util.Arrays.fill(half, (byte) ' ');
        responder = ex -> {
            ex.sendResponseHeaders(200, 200_000); // promise more than is sent
            OutputStream out = ex.getResponseBody();
            out.write(half);
            out.flush();
            // closing with bytes missing makes the server drop the connection
        };
        var e = assertThrows(DatasetException.class, () -> loader(false).load("gsm8k"));
        assertTrue(e.getMessage().startsWith("download of gsm8k.json from " + base() + "gsm8k.json failed after "), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was cached"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).* failed after \\d+ of 200000 bytes: .*"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    private long partBytes() throws IOException {
        long n = 0;
        for (Path p : cacheFiles()) {
            if (p.getFileName().toString().startsWith(".bbh.json.") && p.getFileName().toString().endsWith(".part")) {
                try { n += Files.size(p); } catch (java.nio.file.NoSuchFileException gone) { /* deleted meanwhile */ }
            }
        }
        return n;
    }

    @Test
    void interruptedDownloadLeavesNoPartialFile() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        responder = ex -> {
            ex.sendResponseHeaders(200, 1_000_000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[10_000]);
            out.flush();
            try {
                release.await(20, java.util.concurrent.TimeUnit.SECONDS); // stall mid-body
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                loader(false).load("bbh");
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        // wait (bounded) until the body is being written to a temporary file, then interrupt the loading thread
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && partBytes() < 10_000) Thread.sleep(10);
        assertEquals(10_000, partBytes(), "the first 10,000 bytes never reached the temporary file: " + cacheFiles());
        t.interrupt();
        t.join(10_000);
        release.countDown();
        assertFalse(t.isAlive());
        assertInstanceOf(DatasetException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("nothing was cached") || thrown.get().getMessage().contains("was interrupted"), thrown.get().getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void httpErrorIsReportedAndNothingCached() throws Exception {
        responder = ex -> ex.sendResponseHeaders(404, -1);
        var e = assertThrows(DatasetException.class, () -> loader(false).load("math"));
        assertTrue(e.getMessage().startsWith("download of math.json from " + base() + "math.json failed: HTTP 404"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void unpinnedNewerFileIsAcceptedWhenItsShapeIsRight() throws Exception {
        String body = "{\"dev\": [{\"id\": \"d1\", \"question\": \"Q?\", \"choices\": {\"A\": \"x\", \"B\": \"y\"}, \"answer\": \"B\"}],"
                + " \"test\": [{\"id\": \"t1\", \"question\": \"R?\", \"choices\": {\"A\": \"x\", \"B\": \"y\"}, \"answer\": \"A\"},"
                + " {\"id\": \"t2\", \"question\": \"S?\", \"choices\": {\"A\": \"x\", \"B\": \"y\"}, \"answer\": \"A\"}]}";
        responder = serve(body.getBytes(StandardCharsets.UTF_8));
        // chembench names no task type; the registry's multiple_choice is used
        Task t = loader(false).load("chembench");
        assertEquals(1, t.dev().size());
        assertEquals(2, t.test().size());
        assertEquals("/mirror/data/chembench.json", lastPath.get());
        assertTrue(Files.isRegularFile(cache.resolve("chembench.json")));
    }

    @Test
    void unpinnedNewerFileWithTheWrongShapeIsRejectedAndNotCached() {
        responder = serve("{\"dev\": [], \"test\": [{\"id\": 1, \"input\": \"no choices here\"}]}".getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(DatasetException.class, () -> loader(false).load("mixeval"));
        assertTrue(e.getMessage().startsWith("download of mixeval.json from " + base() + "mixeval.json is not a MoCo multiple_choice file"
                + " (its hash is unpinned, so only its JSON shape can be checked)"), e.getMessage());
        assertTrue(e.getMessage().contains("test[0]"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("mixeval.json")));
    }

    @Test
    void offlineSaysWhereToPutTheFile() {
        responder = serve(new byte[0]);
        var e = assertThrows(DatasetException.class, () -> loader(true).load("gsm8k"));
        assertEquals("dataset 'gsm8k' is not available offline. Put gsm8k.json into a data directory (name one with --data-dir DIR on the"
                + " moco command, the environment variable MOCO_DATA_DIR, the system property mocoj.data.dir or DatasetLoader.builder().dataDir(...);"
                + " files there are used as is)"
                + " or the cache directory " + cache.toAbsolutePath() + " (there it must be the published file; its SHA-256 is checked)"
                + ", or turn offline mode off to download it from " + base() + "gsm8k.json.", e.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void unpublishedTaskIsNeverDownloaded() {
        responder = serve(new byte[0]);
        var e = assertThrows(DatasetException.class, () -> loader(false).load("wildchat"));
        assertTrue(e.getMessage().startsWith("dataset 'wildchat' is not published at the pinned MoCo commit, so it cannot be downloaded. Put wildchat.json (MoCo format) into "), e.getMessage());
        assertEquals(0, requests.get());
    }

    @Test
    void corruptCacheEntryIsReplacedByAVerifiedDownload() throws Exception {
        Path shared = SharedData.require();
        byte[] body = Files.readAllBytes(shared.resolve("gpqa_diamond.json"));
        Files.writeString(cache.resolve("gpqa_diamond.json"), "{\"name\": \"gpqa_diamond\", \"dev\": [ {\"id\": 1, \"quest");
        responder = serve(body);
        Task t = loader(false).load("gpqa_diamond");
        assertEquals(99, t.test().size());
        assertArrayEquals(body, Files.readAllBytes(cache.resolve("gpqa_diamond.json")));
        assertEquals(1, requests.get());
    }

    @Test
    void cacheEntryWithAnotherHashIsNotUsed() throws Exception {
        Files.writeString(cache.resolve("gsm8k.json"), "{\"dataset\": \"gsm8k\", \"task_type\": \"exact_match\", \"dev\": [], \"test\": []}");
        responder = serve(new byte[0]);
        var e = assertThrows(DatasetException.class, () -> loader(true).load("gsm8k"));
        assertTrue(e.getMessage().startsWith("dataset 'gsm8k' is not available offline."), e.getMessage());
        assertEquals(List.of(), cacheFiles());
        assertEquals(0, requests.get());
    }

    @Test
    void dataDirectoryComesBeforeCacheAndDownload() throws Exception {
        Path dataDir = Files.createDirectory(cache.resolve("mine"));
        Files.writeString(dataDir.resolve("gsm8k.json"), "{\"dataset\": \"gsm8k\", \"task_type\": \"exact_match\", \"dev\": [], \"test\": [{\"id\": 1, \"input\": \"1+1\", \"output\": \"2\"}]}");
        responder = serve(new byte[0]);
        Task t = DatasetLoader.builder().dataDir(dataDir).cacheDir(cache).baseUrl(base()).build().load("gsm8k");
        assertEquals(1, t.test().size());
        assertEquals("2", t.test().get(0).answer());
        assertEquals(0, requests.get());
    }

    @Test
    void baseUrlMustBeHttp() {
        assertThrows(IllegalArgumentException.class, () -> DatasetLoader.builder().baseUrl("file:///tmp/"));
    }
}

package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a real {@code moco} process half-way through a run, then the same command
 * again: the resumed run sends exactly the calls that were not finished (none twice), and its
 * results and trace equal those of an uninterrupted run.
 */
class KillAndResumeTest {
    static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    static String config() {
        return "{\"method\": \"text_majority_vote\", \"task\": \"" + DEMO_DATA.toString().replace("\\", "/") + "\","
                + " \"task_type\": \"multiple_choice\", \"model_names\": [\"sim:a?accuracy=0.6&latency_ms=25\","
                + " \"sim:b?accuracy=0.65&latency_ms=25\", \"sim:c?accuracy=0.7&latency_ms=25\"],"
                + " \"hyperparameters\": {\"tie\": \"dev-based\"}, \"seed\": 7}";
    }

    static String[] args(Path dir) {
        return new String[] {"-c", dir.resolve("cfg.json").toString(), "-l", dir.resolve("logs").toString(), "--progress", "none",
                "--concurrency", "2"};
    }

    static long cacheEntries(Path dir) throws IOException {
        Path cache = dir.resolve("logs").resolve(".cache");
        if (!Files.exists(cache)) return 0;
        for (int attempt = 0; ; attempt++) {
            // the child renames temporary files into place while we count: a file can vanish mid-walk
            try (Stream<Path> s = Files.walk(cache)) {
                return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().startsWith(".tmp-")).count();
            } catch (java.io.UncheckedIOException e) {
                if (attempt >= 20) throw e;
            }
        }
    }

    static JsonNode runInProcess(Path dir) throws IOException {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args(dir), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        List<Path> logs;
        try (Stream<Path> s = Files.list(dir.resolve("logs"))) {
            logs = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertEquals(1, logs.size(), logs.toString());
        return JSON.readTree(logs.get(0).toFile());
    }

    /** Calls actually sent: logical calls minus those answered by the cache or by an identical request of the run. */
    static long sent(JsonNode log) {
        long n = 0;
        for (JsonNode u : log.path("summary").path("usage")) n += u.path("calls").asLong() - u.path("cachedCalls").asLong();
        for (JsonNode b : log.path("baselines")) {
            for (JsonNode u : b.path("summary").path("usage")) n += u.path("calls").asLong() - u.path("cachedCalls").asLong();
        }
        return n;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKilledRunResumesWithoutRepeatingAFinishedCall(@TempDir Path tmp) throws Exception {
        Path ref = Files.createDirectories(tmp.resolve("reference")), killed = Files.createDirectories(tmp.resolve("killed"));
        Files.writeString(ref.resolve("cfg.json"), config());
        Files.writeString(killed.resolve("cfg.json"), config());
        JsonNode reference = runInProcess(ref);
        long unique = sent(reference);
        assertEquals(cacheEntries(ref), unique, "one cache entry per call sent");

        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), MocoCli.class.getName()));
        cmd.addAll(List.of(args(killed)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (cacheEntries(killed) < unique / 3 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(p.isAlive(), "the child was still running when killed: " + Files.readString(tmp.resolve("child.out")));
        p.destroyForcibly();                                   // SIGKILL: no shutdown hook, no clean-up
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long done = cacheEntries(killed);
        assertTrue(done > 0 && done < unique, "killed half-way: " + done + " of " + unique);

        JsonNode resumed = runInProcess(killed);
        System.out.println("kill and resume: " + unique + " calls in an uninterrupted run, " + done + " finished before SIGKILL, "
                + sent(resumed) + " sent after resuming");
        assertEquals(unique - done, sent(resumed), "the resumed run sent exactly the unfinished calls");
        assertEquals(unique, cacheEntries(killed));
        assertEquals(withoutCallRecords(reference.get("examples")), withoutCallRecords(resumed.get("examples")),
                "same outputs and scores as an uninterrupted run");
        assertEquals(reference.get("trace"), resumed.get("trace"), "the same trace, call ids included (they follow the plan)");
        assertEquals(reference.path("summary").path("mean"), resumed.path("summary").path("mean"));
        try (Stream<Path> s = Files.list(killed.resolve("logs"))) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().startsWith(".progress-")
                    || f.getFileName().toString().startsWith(".tmp-")).toList(), "journal and temporary files are gone");
        }
    }

    /**
     * Examples with their call records but without whether each call was cached and how long it took: the resumed run
     * says, truthfully, that it took some answers from the cache; every call id, model, response, token count and
     * error, and every output, extracted answer, score and error must be the same.
     */
    private static JsonNode withoutCallRecords(JsonNode examples) {
        com.fasterxml.jackson.databind.node.ArrayNode out = examples.deepCopy();
        for (JsonNode e : out) {
            for (JsonNode c : e.path("calls")) ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove(List.of("cached", "latencyMs"));
        }
        return out;
    }
}

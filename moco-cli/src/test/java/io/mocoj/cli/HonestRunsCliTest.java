package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #7 from the command line: dead models, DEGRADED results, judges from configs, run logs valid against the schema. */
class HonestRunsCliTest {
    private static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    record Result(int code, String out, String err, long millis) {}

    /** An OpenAI-compatible chat-completions server on 127.0.0.1 answering every request with {@code reply(requestBody)}. */
    static final class Server implements AutoCloseable {
        final HttpServer http;
        final AtomicInteger requests = new AtomicInteger();

        Server(int status, Function<String, String> reply) throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.setExecutor(Executors.newFixedThreadPool(4));
            http.createContext("/", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.incrementAndGet();
                byte[] out = (status == 200 ? completion(reply.apply(body))
                        : "{\"error\":{\"message\":\"Incorrect API key provided\"}}").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            http.start();
        }

        String url() { return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1"; }

        private static String completion(String text) {
            return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":" + JSON.valueToTree(text) + "},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";
        }

        @Override public void close() { http.stop(0); }
    }

    private Server server;

    @AfterEach void stop() { if (server != null) server.close(); }

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        long t = System.nanoTime();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString(), (System.nanoTime() - t) / 1_000_000);
    }

    private static Path config(Path dir, String json) throws IOException {
        Path p = dir.resolve("cfg.json");
        Files.writeString(p, json.replace("DATA", DEMO_DATA.toString().replace("\\", "/")));
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static synchronized JsonNode validLog(Path logs) throws IOException {
        if (schema == null) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(JSON.readTree(Path.of("../docs/run-log.schema.json").toFile()));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertEquals(1, files.size(), "one run log and nothing else (no journal, no temp file): " + files);
        JsonNode n = JSON.readTree(files.get(0).toFile());
        Set<ValidationMessage> errors = schema.validate(n);
        assertTrue(errors.isEmpty(), "the run log does not match docs/run-log.schema.json: " + errors);
        return n;
    }

    private static String pool(String dead) {
        return "{\"method\": \"text_majority_vote\", \"task\": \"DATA\", \"model_names\": [\"sim:a?accuracy=0.7\", \""
                + dead + "\", \"sim:c?accuracy=0.6\"]}";
    }

    @Test
    void aDeadModelOfThreeExitsThreeQuicklyNamingIt(@TempDir Path tmp) throws IOException {
        server = new Server(401, b -> "");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", config(tmp, pool("vllm:m@" + server.url() + "?name=dead")).toString(), "-l", logs.toString(), "--progress", "none");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.millis() < 15_000, "took " + r.millis() + " ms");
        assertTrue(r.err().contains("model dead is failing"), r.err());
        assertTrue(r.err().contains("401"), r.err());
        assertTrue(r.err().contains("--allow-degraded"), r.err());
        assertEquals(1, server.requests.get(), "the preflight request told; nothing else was sent");
        assertFalse(Files.exists(logs) && Files.list(logs).anyMatch(p -> p.getFileName().toString().startsWith(".progress")));
    }

    @Test
    void aRefusedPortExitsThreeQuicklyNamingIt(@TempDir Path tmp) throws IOException {
        Path logs = tmp.resolve("logs");
        String spec = "vllm:m@http://127.0.0.1:" + freePort() + "/v1?name=gone";
        Result r = run("-c", config(tmp, pool(spec)).toString(), "-l", logs.toString(), "--progress", "none");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.millis() < 15_000, "took " + r.millis() + " ms");
        assertTrue(r.err().contains("model gone is failing: its preflight request failed"), r.err());

        // without the preflight the circuit breaker still ends it within seconds, not minutes of retries
        r = run("-c", config(tmp, pool(spec)).toString(), "-l", logs.toString(), "--progress", "none", "--no-preflight");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.millis() < 15_000, "took " + r.millis() + " ms");
        assertTrue(r.err().contains("model gone is failing"), r.err());
    }

    @Test
    void allowDegradedFinishesAndTheTableMessageAndLogSayDegraded(@TempDir Path tmp) throws IOException {
        server = new Server(401, b -> "");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", config(tmp, pool("vllm:m@" + server.url() + "?name=dead")).toString(), "-l", logs.toString(),
                "--progress", "none", "--allow-degraded", "--no-cache");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("text_majority_vote [DEGRADED]"), r.out());
        String deadRow = r.out().lines().filter(l -> l.contains("dead alone")).findFirst().orElseThrow();
        assertTrue(deadRow.contains("all failed") && !deadRow.contains("0.0000"), "a baseline whose every example failed has no score: " + deadRow);
        assertTrue(r.out().contains("DEGRADED result: model dead"), r.out());
        assertTrue(r.err().contains("DEGRADED result: model dead"), r.err());
        assertTrue(r.out().contains("models sim:a, sim:c are SIMULATED; dead is a real model."), r.out());
        assertFalse(r.out().contains("no real language model was called"), r.out());
        JsonNode log = validLog(logs);
        assertEquals("degraded", log.get("status").asText());
        JsonNode d = log.get("degraded").get(0);
        assertEquals("dead", d.get("model").asText());
        assertTrue(d.get("failedCalls").asInt() >= 40, d.toString());
        assertEquals("text_majority_vote", log.get("record").get("rawConfig").get("method").asText());
        assertEquals(DEMO_DATA.toString(), log.get("record").get("dataset").get("source").asText());
        assertEquals("file", log.get("record").get("dataset").get("sha256Of").asText());
        assertFalse(log.get("record").get("preflight").get(0).get("ok").asBoolean());
        assertEquals(1 + 40, server.requests.get(), "the preflight, then each distinct request once: the baseline re-sent nothing");
    }

    @Test
    void aMixedPoolNamesTheSimulatedModelsAndTheRealOne(@TempDir Path tmp) throws IOException {
        server = new Server(200, b -> "The answer is A.");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", config(tmp, pool("vllm:m@" + server.url() + "?name=real")).toString(), "-l", logs.toString(),
                "--progress", "none", "--limit", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("NOTE: models sim:a, sim:c are SIMULATED; real is a real model."), r.out());
        assertFalse(r.out().contains("no real language model was called"), r.out());
        JsonNode log = validLog(logs);
        assertEquals("ok", log.get("status").asText());
        assertTrue(log.get("comparison").isObject(), "the paired comparison the CLI prints is in the log");
        assertTrue(r.out().contains("paired vs " + log.get("comparison").get("baseline").asText()), r.out());
    }

    private static Path rewardData(Path dir) throws IOException {
        Path data = dir.resolve("chat.json");
        Files.writeString(data, """
                {"name": "chat", "task_type": "reward_model", "dev": [],
                 "test": [{"id": 1, "input": "Say hello.", "output": ""},
                          {"id": 2, "input": "Name a colour.", "output": ""},
                          {"id": 3, "input": "Count to three.", "output": ""}]}""");
        return data;
    }

    @Test
    void aRewardModelTaskRunsWithTheConfigsJudge(@TempDir Path tmp) throws IOException {
        server = new Server(200, b -> b.contains("Rating: N") ? "Clear and helpful. Rating: 7" : "hello");
        Path data = rewardData(tmp);
        Path cfg = config(tmp, "{\"method\": \"single_model\", \"task\": \"" + data.toString().replace("\\", "/")
                + "\", \"model_names\": [\"sim:a\", \"sim:b\"], \"judge_model\": {\"reward_model\": \"vllm:judge@" + server.url() + "?name=judge\"}}");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "none");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("7.0000"), r.out());
        JsonNode log = validLog(logs);
        assertEquals(7.0, log.get("summary").get("mean").asDouble(), 1e-12);
        assertEquals("judge", log.get("record").get("evaluator").get("judge").asText());
        assertTrue(log.get("record").get("judgeUsage").get(0).get("calls").asInt() >= 3);
    }

    @Test
    void aJudgeTaskWithoutAJudgeIsRefusedBeforeAnyCall(@TempDir Path tmp) throws IOException {
        Path data = rewardData(tmp);
        Path cfg = config(tmp, "{\"method\": \"single_model\", \"task\": \"" + data.toString().replace("\\", "/")
                + "\", \"model_names\": [\"sim:a\"]}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--progress", "none");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("set \"judge_model\" in the config"), r.err());
        assertFalse(Files.exists(tmp.resolve("logs").resolve(".cache")) && Files.list(tmp.resolve("logs").resolve(".cache")).findAny().isPresent());
    }

    @Test
    void aRunWhoseScoresAllFailedSaysSoAndExitsNonZero(@TempDir Path tmp) throws IOException {
        server = new Server(200, b -> "I would rather not say.");
        Path data = rewardData(tmp);
        Path cfg = config(tmp, "{\"method\": \"single_model\", \"task\": \"" + data.toString().replace("\\", "/")
                + "\", \"model_names\": [\"sim:a\"], \"judge_model\": \"vllm:judge@" + server.url() + "?name=judge\"}");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "none", "--no-baselines");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("no test example could be scored, so the run has no score (not 0)"), r.err());
        assertTrue(r.err().contains("unparseable judge output"), r.err());
        assertFalse(r.out().contains("0.0000"), r.out());
        JsonNode log = validLog(logs);
        assertEquals("unscored", log.get("status").asText());
        assertTrue(log.get("summary").get("mean").isNull());
    }

    @Test
    void listTasksSaysWhichTasksNeedAJudge() {
        Result r = run("--list-tasks");
        assertEquals(0, r.code());
        String alpaca = r.out().lines().filter(l -> l.startsWith("alpacaeval ")).findFirst().orElseThrow();
        assertTrue(alpaca.contains("judge"), alpaca);
        String mmlu = r.out().lines().filter(l -> l.startsWith("mmlu_redux ")).findFirst().orElseThrow();
        assertFalse(mmlu.contains("judge"), mmlu);
    }

    @Test
    void infiniteChatDiversityIsScoredFromItsReferenceLists(@TempDir Path tmp) throws IOException {
        Path shared = Path.of(System.getProperty("mocoj.shared.data", "../../shared/moco-data"));
        Assumptions.assumeTrue(Files.isRegularFile(shared.resolve("infinite_chat_diversity.json")), "shared MoCo data not present");
        Path cfg = config(tmp, "{\"method\": \"single_model\", \"task\": \"infinite_chat_diversity\", \"model_names\": [\"sim:a\"],"
                + " \"embedding_model\": \"all-minilm-l6-v2\"}");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "none", "--limit", "5", "--no-baselines",
                "--data-dir", shared.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode log = validLog(logs);
        assertEquals(5, log.get("summary").get("scored").asInt(), "no example 'has no reference texts'");
        assertEquals("all-minilm-l6-v2", log.get("record").get("evaluator").get("embeddingModel").asText());
        JsonNode dataset = log.get("record").get("dataset");
        assertTrue(dataset.get("source").asText().endsWith("infinite_chat_diversity.json"), dataset.toString());
        assertEquals("file", dataset.get("sha256Of").asText());
        Path sums = shared.resolve("SHA256SUMS");
        if (Files.isRegularFile(sums)) {
            String line = Files.readAllLines(sums).stream().filter(l -> l.endsWith("infinite_chat_diversity.json")).findFirst().orElseThrow();
            assertEquals(line.substring(0, 64), dataset.get("sha256").asText(), "the hash the shared data was published with");
        }
        assertEquals(5, dataset.get("testSize").asInt());
    }
}

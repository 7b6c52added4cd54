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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MocoCliTest {
    private static final Path QUICKSTART = Path.of("../examples/configs/quickstart.json").toAbsolutePath().normalize();
    private static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static Path config(Path dir, String json) throws IOException {
        Path p = dir.resolve("cfg.json");
        Files.writeString(p, json.replace("DATA", DEMO_DATA.toString().replace("\\", "/")));
        return p;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void quickstartRunsPrintsTheTableAndWritesOneRunLog(@TempDir Path tmp) throws IOException {
        Path logs = tmp.resolve("logs");
        Result r = run("-c", QUICKSTART.toString(), "-l", logs.toString(), "--progress", "none");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("every model of this run is SIMULATED (sim:alpha, sim:beta, sim:gamma): no real language model was called"), r.out());
        assertTrue(r.out().contains("text_majority_vote [simulated: sim:alpha, sim:beta, sim:gamma]"), r.out());
        assertTrue(r.out().contains("sim:alpha alone"), r.out());
        assertTrue(r.out().matches("(?s).*paired vs sim:\\w+: \\d+ wins, \\d+ ties, \\d+ losses.*exact McNemar p = .*"), r.out());
        List<Path> logsWritten;
        try (Stream<Path> s = Files.list(logs)) {
            logsWritten = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertEquals(1, logsWritten.size());
        assertTrue(logsWritten.get(0).getFileName().toString().matches("demo_mcq_3_[0-9.]+_text_majority_vote\\.json"));
        JsonNode log = HonestRunsCliTest.validLog(logs);
        assertEquals(40, log.get("examples").size());
        assertEquals("text_majority_vote", log.get("method").asText());
        assertTrue(log.get("models").get(0).get("simulated").asBoolean());
    }

    @Test
    void aSecondRunIsAnsweredFromTheCache(@TempDir Path tmp) throws IOException {
        Path logs = tmp.resolve("logs");
        assertEquals(0, run("-c", QUICKSTART.toString(), "-l", logs.toString(), "--progress", "none", "--no-baselines").code());
        assertEquals(0, run("-c", QUICKSTART.toString(), "-l", logs.toString(), "--progress", "none", "--no-baselines").code());
        Path second;
        try (Stream<Path> s = Files.list(logs)) {
            second = s.filter(p -> p.getFileName().toString().endsWith("-2.json")).findFirst().orElseThrow();
        }
        JsonNode usage = new ObjectMapper().readTree(second.toFile()).get("summary").get("usage");
        for (JsonNode u : usage) assertEquals(u.get("calls").asLong(), u.get("cachedCalls").asLong(), "every call of the re-run came from the cache");
    }

    @Test
    void malformedJsonIsOneClearErrorWithExitCodeTwoAndNoFiles(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"text_majority_vote\",\n \"task\": \"DATA\"\n \"model_names\": []}");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logs.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cfg.json:3:"), r.err());
        assertTrue(r.err().contains("malformed JSON"), r.err());
        assertEquals(List.of(), files(logs));
    }

    @Test
    void unknownMethodListsTheKnownOnes(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"text_majority_votes\", \"task\": \"DATA\", \"model_names\": [\"sim:a\"]}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown method 'text_majority_votes'"), r.err());
        assertTrue(r.err().contains("did you mean 'text_majority_vote'"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void unknownDatasetNameListsTheKnownOnesAndTheFileForm(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"text_majority_vote\", \"task\": \"gsm9k\", \"model_names\": [\"sim:a\"]}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("task \"gsm9k\": unknown dataset 'gsm9k'"), r.err());
        assertTrue(r.err().contains("gsm8k"), r.err());
        assertTrue(r.err().contains("path of a MoCo-format .json file"), r.err());
        assertFalse(r.err().contains("Datasets.custom"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void missingTaskFileIsAConfigErrorSayingPathsAreRelativeToTheConfig(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"text_majority_vote\", \"task\": \"data/nope.json\", \"model_names\": [\"sim:a\"]}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("task \"data/nope.json\""), r.err());
        assertTrue(r.err().contains("nope.json does not exist"), r.err());
        assertTrue(r.err().contains("relative to the config file's folder"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void aLimitOfZeroIsRefusedBeforeAnythingRuns(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"text_majority_vote\", \"task\": \"DATA\", \"model_names\": [\"sim:a\"]}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--limit", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--limit must be at least 1"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
        Path zero = config(tmp, "{\"method\": \"text_majority_vote\", \"task\": \"DATA\", \"model_names\": [\"sim:a\"], \"limit\": 0}");
        r = run("-c", zero.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("\"limit\" is 0"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void failedExamplesAreSummarisedWithTheFirstError(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"single_model\", \"task\": \"DATA\", \"model_names\": [\"sim:a?fail=auth\"], \"baselines\": false}");
        // by default a model failing every call stops the run (exit 3, see HonestRunsCliTest); allowed to go on, it is reported
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--limit", "3", "--progress", "none", "--allow-degraded");
        assertEquals(1, r.code(), "every example failed: no score, so not a success: " + r.err());
        assertTrue(r.err().contains("every test example failed, so the run has no score (not 0)"), r.err());
        assertTrue(r.err().contains("DEGRADED result: model sim:a"), r.err());
        assertTrue(r.err().contains("warning: 3 of 3 test examples failed and score 0; the first (id "), r.err());
        assertTrue(r.err().contains("401"), r.err());
        assertTrue(r.err().contains("every error is in the run log"), r.err());
    }

    @Test
    void aMissingDataDirectoryIsRefusedInsteadOfFallingBackToADownload(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"text_majority_vote\", \"task\": \"agieval_tiny\", \"model_names\": [\"sim:a\"]}");
        Path missing = tmp.resolve("no-such-dir");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--data-dir", missing.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("data directory " + missing + " (--data-dir) does not exist"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void unknownModelSpecListsTheAcceptedForms(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"text_majority_vote\", \"task\": \"DATA\", \"model_names\": [\"sim:a\", \"hf:gpt2\"]}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model_names[1]"), r.err());
        assertTrue(r.err().contains("unknown model spec 'hf:gpt2'"), r.err());
        assertTrue(r.err().contains("openai:"), r.err());
        assertTrue(r.err().contains("sim:"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void missingCapabilityNamesTheModel(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"api_cascade\", \"task\": \"DATA\", "
                + "\"model_names\": [\"sim:b?logprobs=false\", \"sim:a\"], \"hyperparameters\": {\"mode\": \"logit\"}}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("LOGPROBS"), r.err());
        assertTrue(r.err().contains("'sim:b'"), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void wrongHyperparameterTypeNamesKeyValueAndWhatIsAllowed(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "{\"method\": \"api_cascade\", \"task\": \"DATA\", "
                + "\"model_names\": [\"sim:a\", \"sim:b\"], \"hyperparameters\": {\"percentage\": \"half\"}}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("percentage"), r.err());
        assertTrue(r.err().contains("\"half\""), r.err());
        assertEquals(List.of(), files(tmp.resolve("logs")));
    }

    @Test
    void inProcessGgufModelsRunThroughAConfig(@TempDir Path tmp) throws IOException {
        Path qwen = Path.of("../moco-local/src/test/resources/fixtures/tiny-qwen2-bpe-f32.gguf").toAbsolutePath().normalize();
        Path llama = Path.of("../moco-local/src/test/resources/fixtures/tiny-llama-spm-q8_0.gguf").toAbsolutePath().normalize();
        Path cfg = config(tmp, "{\"method\": \"api_cascade\", \"task\": \"DATA\", \"limit\": 3, \"model_names\": ["
                + "\"gguf:" + qwen + "?name=tiny-qwen&threads=1\", \"gguf:" + llama + "?name=tiny-llama&threads=1\"], "
                + "\"hyperparameters\": {\"max_response_length\": 6, \"temperature\": 0, \"mode\": \"logit\"}}");
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--progress", "none");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("SIMULATED"), r.out());
        assertTrue(r.out().contains("tiny-qwen alone"), r.out());
        JsonNode log;
        try (Stream<Path> s = Files.list(tmp.resolve("logs"))) {
            log = new ObjectMapper().readTree(s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow().toFile());
        }
        assertEquals(3, log.get("examples").size());
        assertEquals(0, log.get("summary").get("failed").asInt(), log.toPrettyString());
        // random-weight fixtures: the point is that real tokens were generated and counted, not the score
        assertTrue(log.get("summary").get("usage").get(0).get("completionTokens").asLong() > 0);
    }

    @Test
    void missingConfigFileIsExitCodeTwo(@TempDir Path tmp) {
        Result r = run("-c", tmp.resolve("nope.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void listsMethodsTasksAndModelForms() {
        assertTrue(run("--list-methods").out().contains("text_majority_vote"));
        assertTrue(run("--list-tasks").out().contains("agieval_tiny"));
        assertTrue(run("--list-models").out().contains("sim:"));
    }
}

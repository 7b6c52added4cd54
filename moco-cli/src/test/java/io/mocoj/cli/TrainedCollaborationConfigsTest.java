package io.mocoj.cli;

import static io.mocoj.cli.ApiMethodConfigsTest.onlyLog;
import static io.mocoj.cli.ApiMethodConfigsTest.run;
import static io.mocoj.cli.ApiMethodConfigsTest.swapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configs of the methods that train a model during the run (examples/configs, MoCo's
 * shape) through the CLI, with their specs swapped for moco-local's tiny GGUF models and small
 * budgets set through hyperparameters.
 */
class TrainedCollaborationConfigsTest {
    static final String QWEN = "tiny-qwen2-bpe-f32.gguf", LLAMA = "tiny-llama-spm-f32.gguf";

    /** The swapped config with extra hyperparameters merged in (a small budget). */
    static Path config(Path tmp, String example, List<String> specs, String hyperparameters) throws IOException {
        Path cfg = swapped(tmp, example, specs, "2");
        String json = Files.readString(cfg).replace("\"hyperparameters\": {", "\"hyperparameters\": {" + hyperparameters + ",");
        Files.writeString(cfg, json);
        return cfg;
    }

    static JsonNode manifest(Path logs, String purpose) throws IOException {
        try (Stream<Path> s = Files.walk(logs.resolve("training"))) {
            List<Path> m = s.filter(p -> p.endsWith(Path.of(purpose, "manifest.json"))).toList();
            assertEquals(1, m.size(), m.toString());
            return new ObjectMapper().readTree(m.get(0).toFile());
        }
    }

    @Test
    void aggLmExampleTrainsTheAggregatorAndWritesItsManifest(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "text_agglm.json", List.of(QWEN, QWEN, QWEN, QWEN),
                "\"max_steps\": 2, \"ratio\": 0.05, \"lora_rank\": 4, \"sample_size\": 1");
        String json = Files.readString(cfg).replace("\"max_response_length\": 512", "\"max_response_length\": 4");
        for (int i = 1; json.contains(".gguf\""); i++) json = json.replaceFirst("\\.gguf\"", ".gguf?ctx=2048&name=m" + i + "\"");
        Files.writeString(cfg, json);
        Path logs = tmp.resolve("logs");
        ApiMethodConfigsTest.Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "lines", "--no-cache");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.err().contains("[train aggregator]"), "the CLI shows training progress: " + r.err());
        JsonNode log = onlyLog(logs);
        assertEquals("text_agglm", log.get("method").asText());
        assertEquals(2, log.get("examples").size());
        JsonNode m = manifest(logs, "aggregator");
        assertEquals("text_agglm", m.get("method").asText());
        assertEquals("grpo", m.at("/objective").asText());
        assertEquals(16.0, m.at("/training/options/lora_alpha").asDouble());
        assertEquals(64, m.at("/base_model/sha256").asText().length());
        assertTrue(m.at("/spec").asText().contains("?lora="), m.toString());
    }

    @Test
    void coLlmExampleTrainsTheGeneratorAndTheDeferralHead(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "api_collm.json", List.of(QWEN, QWEN), "\"sft_max_steps\": 2, \"head_steps\": 5, \"lora_rank\": 4");
        String json = Files.readString(cfg).replace("\"max_response_length\": 256", "\"max_response_length\": 4")
                .replace("\"training_num\": 500", "\"training_num\": 3");
        for (int i = 1; json.contains(".gguf\""); i++) json = json.replaceFirst("\\.gguf\"", ".gguf?ctx=1024&name=m" + i + "\"");
        Files.writeString(cfg, json);
        Path logs = tmp.resolve("logs");
        ApiMethodConfigsTest.Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "lines", "--no-cache");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.err().contains("[train generator]"), r.err());
        JsonNode log = onlyLog(logs);
        assertEquals("api_collm", log.get("method").asText());
        assertTrue(log.toString().contains("\"deferral_rate\""), "the deferral rate is traced");
        JsonNode m = manifest(logs, "generator");
        assertEquals("deferral", m.at("/objective").asText(), "generator and head trained together (Co-LLM's joint objective)");
        assertEquals(2, m.at("/data/rows").asInt(), "limit 2 leaves 2 dev rows under training_num 3");
    }
}

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

    /** The config with its gguf: models named m1, m2, ... and given a context of {@code ctx} tokens. */
    static String named(String json, int ctx) {
        for (int i = 1; json.contains(".gguf\""); i++) json = json.replaceFirst("\\.gguf\"", ".gguf?ctx=" + ctx + "&name=m" + i + "\"");
        return json;
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
        Files.writeString(cfg, named(json, 2048));
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
        Files.writeString(cfg, named(json, 1024));
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

    /** Runs a swapped training-option example with every model named m1, m2, ... and returns its logs folder. */
    private static Path runNamed(Path tmp, Path cfg, String... replacements) throws IOException {
        String json = Files.readString(cfg);
        for (int i = 0; i < replacements.length; i += 2) json = json.replace(replacements[i], replacements[i + 1]);
        Files.writeString(cfg, named(json, 2048));
        Path logs = tmp.resolve("logs");
        ApiMethodConfigsTest.Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "lines", "--no-cache");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.err().matches("(?s).*\\[train [a-z]+] \\S+ step \\d+/\\d+ loss [0-9.]+.*eta.*"), "the CLI shows loss and eta: " + r.err());
        return logs;
    }

    /**
     * The example with its gguf: specs replaced by zoo models (trained small models that score
     * differently on the zoo's tasks; tiny random models all score alike, which leaves a router or a
     * ranker nothing to learn from) and its task by a zoo task.
     */
    private static Path zooSwapped(Path tmp, String example, List<String> zoo, String task, String taskType, String hyperparameters)
            throws IOException {
        String json = Files.readString(ApiMethodConfigsTest.CONFIGS.resolve(example));
        for (String spec : zoo) json = json.replaceFirst("\"gguf:[^\"]*\"", "\"" + spec + "\"");
        assertTrue(!json.contains("\"gguf:"), "every model spec of the example was swapped");
        json = json.replace("\"task\": \"data/demo_mcq.json\"", "\"task\": \"" + task + "\"")
                .replace("\"task_type\": \"multiple_choice\"", "\"task_type\": \"" + taskType + "\"")
                .replaceFirst("\"limit\": *\\d+", "\"limit\": 3")
                .replace("\"hyperparameters\": {", "\"hyperparameters\": {" + hyperparameters + ",");
        Path cfg = tmp.resolve(example);
        Files.writeString(cfg, json);
        return cfg;
    }

    private static void checkSft(JsonNode m, String method) {
        assertEquals(method, m.get("method").asText());
        assertEquals("sft", m.at("/objective").asText());
        assertTrue(m.at("/data/rows").asInt() > 0, m.toString());
        assertEquals(64, m.at("/base_model/sha256").asText().length());
        assertTrue(m.at("/spec").asText().contains("?lora="), m.toString());
    }

    @Test
    void switchGenerationTrainsItsSwitcherThroughTheCli(@TempDir Path tmp) throws IOException {
        Path cfg = config(tmp, "api_switch_generation_trained.json", List.of(QWEN, QWEN, QWEN),
                "\"selector_sft_max_steps\": 2, \"selector_lora_rank\": 4, \"min_prefix_patches\": 0");
        Path logs = runNamed(tmp, cfg, "\"max_response_length\": 256", "\"max_response_length\": 8", "\"patch_size\": 25", "\"patch_size\": 4",
                "\"training_instance_num\": 500", "\"training_instance_num\": 2", "\"rollout_per_instance\": 16", "\"rollout_per_instance\": 2");
        JsonNode log = onlyLog(logs);
        assertEquals("api_switch_generation", log.get("method").asText());
        assertTrue(log.toString().contains("\"switcher_data\""), "the switcher's training labels are traced");
        JsonNode m = manifest(logs, "switcher");
        checkSft(m, "api_switch_generation");
        assertEquals(2, m.at("/data/rows").asInt(), "one row per training instance");
    }

    @Test
    void trainedRouterFineTunesItsLlmRouterThroughTheCli(@TempDir Path tmp) throws IOException {
        Path cfg = zooSwapped(tmp, "api_trained_router_llm.json", List.of("zoo:mcq", "zoo:reverse", "zoo:base"), "zoo_mcq", "multiple_choice",
                "\"router_sft_max_steps\": 2, \"router_lora_rank\": 4");
        Path logs = runNamed(tmp, cfg, "\"max_response_length\": 256", "\"max_response_length\": 24",
                "\"router_base_model\": \"Qwen2.5-1.5B-Instruct-Q8_0\"", "\"router_base_model\": \"base\"");
        assertEquals("api_trained_router", onlyLog(logs).get("method").asText());
        checkSft(manifest(logs, "router"), "api_trained_router");
    }

    @Test
    void llmBlenderTrainsItsRankerAndFuserThroughTheCli(@TempDir Path tmp) throws IOException {
        Path cfg = zooSwapped(tmp, "text_llm_blender_trained.json", List.of("zoo:mcq", "zoo:reverse", "zoo:base"), "zoo_mcq", "multiple_choice",
                "\"sft_max_steps\": 2, \"sft_lora_rank\": 4, \"ranker_max_response_length\": 4, \"fuser_max_response_length\": 24");
        Path logs = runNamed(tmp, cfg, "\"max_response_length\": 256", "\"max_response_length\": 24");
        assertEquals("text_llm_blender", onlyLog(logs).get("method").asText());
        checkSft(manifest(logs, "ranker"), "text_llm_blender");
        checkSft(manifest(logs, "fuser"), "text_llm_blender");
    }
}

package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text-level team methods end to end through the CLI's {@code -c} on MoCo's own example
 * configs (examples/&lt;method&gt;.json of the MoCo repository: agieval_tiny, four models, the
 * hyperparameters shown there), with the model names swapped for simulated models and, for two
 * methods, the in-process GGUF test fixtures; on MoCo's real data files when the shared data folder is present.
 */
class TextMethodsCliTest {
    private static final Map<String, String> MOCO_EXAMPLE_HYPERPARAMETERS = new LinkedHashMap<>();
    static {
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_moa", "\"round\": 1");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_multiagent_refine", "\"round\": 1");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_multiagent_feedback", "\"round\": 1");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_llm_blender", "");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_knowledge_card", "");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_structure", "\"structure_type\": \"star\"");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_slm_mux", "\"samples_per_model\": 5, \"tie\": \"dev-based\", \"seed\": 42");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_heterogeneous_swarms", "\"max_iterations\": 3, \"ratio\": 1.0");
        MOCO_EXAMPLE_HYPERPARAMETERS.put("text_bbmas", "");
    }

    private static Path sharedData(String file) {
        String prop = System.getProperty("mocoj.shared.data");
        for (Path dir : new Path[] {prop == null ? null : Path.of(prop), Path.of("../../shared/moco-data"), Path.of("../shared/moco-data")}) {
            if (dir != null && Files.isRegularFile(dir.resolve(file))) return dir.resolve(file).toAbsolutePath().normalize();
        }
        return null;
    }

    private static JsonNode runConfig(Path dir, String json) throws IOException {
        Path cfg = dir.resolve("cfg.json");
        Files.writeString(cfg, json);
        Path logs = dir.resolve("logs");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(new String[] {"-c", cfg.toString(), "-l", logs.toString(), "--progress", "none", "--no-baselines"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        try (Stream<Path> s = Files.list(logs)) {
            Path log = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            JsonNode node = new ObjectMapper().readTree(log.toFile());
            Files.delete(log);
            return node;
        }
    }

    private static String config(String method, String task, String models, String hyperparameters, int limit) {
        return "{\"method\": \"" + method + "\", \"task\": \"" + task.replace("\\", "/") + "\", \"task_type\": \"multiple_choice\","
                + " \"gpu_ids\": [0,1,2,3], \"limit\": " + limit + ", \"model_names\": " + models + ", \"hyperparameters\": {"
                + "\"max_response_length\": 512, \"temperature\": 0.7, \"top_p\": 0.9, \"batch_size\": 32"
                + (hyperparameters.isEmpty() ? "" : ", " + hyperparameters) + "}}";
    }

    @Test
    void moCoExampleConfigsRunOnRealAgievalTinyWithSimulatedModels(@TempDir Path tmp) throws IOException {
        Path agieval = sharedData("agieval_tiny.json");
        assumeTrue(agieval != null, "shared MoCo data not present (-Dmocoj.shared.data)");
        String models = "[\"sim:clipper?accuracy=0.55&persuade=0.4&aggregation_accuracy=0.7&context_uptake=0.6\","
                + " \"sim:toolrl?accuracy=0.45&critique_accuracy=0.7&fix_rate=0.5\","
                + " \"sim:agentflow?accuracy=0.6&judge_accuracy=0.8\", \"sim:parti?accuracy=0.5\"]";
        for (var e : MOCO_EXAMPLE_HYPERPARAMETERS.entrySet()) {
            JsonNode log = runConfig(tmp, config(e.getKey(), agieval.toString(), models, e.getValue(), 40));
            assertEquals(e.getKey(), log.get("method").asText());
            assertEquals(40, log.get("examples").size(), e.getKey());
            assertEquals(0, log.get("summary").get("failed").asInt(), e.getKey());
            assertTrue(log.get("models").get(0).get("simulated").asBoolean());
        }
    }

    @Test
    void refineRunsOnRealGsm8kWithSimulatedModels(@TempDir Path tmp) throws IOException {
        Path gsm8k = sharedData("gsm8k.json");
        assumeTrue(gsm8k != null, "shared MoCo data not present (-Dmocoj.shared.data)");
        JsonNode log = runConfig(tmp, config("text_multiagent_refine", gsm8k.toString(),
                "[\"sim:a?accuracy=0.5&persuade=0.5&aggregation_accuracy=0.8\", \"sim:b?accuracy=0.6\", \"sim:c?accuracy=0.7\"]",
                "\"round\": 2", 30).replace("multiple_choice", "exact_match"));
        assertEquals(30, log.get("examples").size());
        assertEquals(0, log.get("summary").get("failed").asInt());
        assertTrue(log.get("summary").get("mean").asDouble() > 0.3, "debate of 0.5-0.7 models on gsm8k scores: " + log.get("summary"));
    }

    @Test
    void twoMethodsRunWithInProcessGgufModels(@TempDir Path tmp) throws IOException {
        Path qwen = Path.of("../moco-local/src/test/resources/fixtures/tiny-qwen2-bpe-f32.gguf").toAbsolutePath().normalize();
        Path llama = Path.of("../moco-local/src/test/resources/fixtures/tiny-llama-spm-q8_0.gguf").toAbsolutePath().normalize();
        Path data = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();
        String models = "[\"gguf:" + qwen + "?name=tiny-qwen&threads=1\", \"gguf:" + llama + "?name=tiny-llama&threads=1\"]";
        for (String method : new String[] {"text_moa", "text_llm_blender", "text_bbmas"}) {
            JsonNode log = runConfig(tmp, config(method, data.toString(), models.replace("\\", "/"), "\"temperature\": 0", 2)
                    .replace("\"max_response_length\": 512", "\"max_response_length\": 6").replace("\"temperature\": 0.7, ", ""));
            assertEquals(2, log.get("examples").size(), method);
            assertEquals(0, log.get("summary").get("failed").asInt(), log.toPrettyString());
            long completion = 0;
            for (JsonNode u : log.get("summary").get("usage")) completion += u.get("completionTokens").asLong();
            assertTrue(completion > 0, "real tokens were generated and counted");
        }
    }
}

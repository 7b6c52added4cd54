package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configs of the training-based text methods (examples/configs/text_multiagent_finetuning.json,
 * text_sparta.json, text_sparta_stackelberg.json and its grpo variant, MoCo's examples with small budgets)
 * through the CLI, their four model specs swapped for moco-local's tiny GGUF test models (F32 and Q8_0
 * llama and qwen2) and the budgets cut further for CI. Checks the run log, the training folder
 * (adapter, rows, manifest) and that a manifest's spec loads again.
 */
class TrainingMethodConfigsTest {
    static final List<String> FOUR = List.of("tiny-llama-spm-f32.gguf", "tiny-qwen2-bpe-f32.gguf", "tiny-llama-spm-q8_0.gguf", "tiny-qwen2-bpe-q8_0.gguf");

    private static Path config(Path tmp, String example) throws IOException {
        // multiagent finetuning trains only on debates that reached consensus: on these random tiny
        // models a few more dev debates are needed for some to agree
        Path cfg = ApiMethodConfigsTest.swapped(tmp, example, FOUR, example.startsWith("text_multiagent") ? "10" : "3");
        String json = Files.readString(cfg)
                .replaceAll("\"max_response_length\": *\\d+", "\"max_response_length\": 6")
                .replaceAll("\"judge_max_response_length\": *\\d+", "\"judge_max_response_length\": 4")
                .replaceAll("\"num_instructions\": *\\d+", "\"num_instructions\": 3")
                .replaceAll("\"num_duels_per_iteration\": *\\d+", "\"num_duels_per_iteration\": 4")
                .replaceAll("\"grpo_max_completion_length\": *\\d+", "\"grpo_max_completion_length\": 16");
        Files.writeString(cfg, json);
        return cfg;
    }

    /** The CLI's stderr of the last example run (the progress lines). */
    private static String lastErr = "";

    /** The CLI shows each training job's progress with its loss and ETA ({@code --progress lines}). */
    private static void showsLossAndEta(String err) {
        assertTrue(java.util.regex.Pattern.compile("\\[train [^\\]]+\\] \\S+ step \\d+/\\d+ loss \\d+\\.\\d{4}, \\d+ tokens/s, eta \\d+\\.\\ds")
                .matcher(err).find(), "a training progress line with loss and eta: " + err);
    }

    private static JsonNode runExample(Path tmp, String example, String method) throws IOException {
        return runExample(tmp, example, method, null);
    }

    private static JsonNode runExample(Path tmp, String example, String method, Path task) throws IOException {
        Path logs = tmp.resolve("logs");
        Path cfg = config(tmp, example);
        if (task != null) {
            Files.writeString(cfg, Files.readString(cfg).replaceFirst("\"task\": *\"[^\"]*\"", "\"task\": \"" + task.toString().replace("\\", "/") + "\"")
                    .replace("\"task_type\": \"multiple_choice\"", "\"task_type\": \"exact_match\""));
        }
        var r = ApiMethodConfigsTest.run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "lines", "--no-cache");
        assertEquals(0, r.code(), r.err() + r.out());
        lastErr = r.err();
        JsonNode log = ApiMethodConfigsTest.onlyLog(logs);
        assertEquals(method, log.get("method").asText());
        assertEquals(method.equals("text_multiagent_finetuning") ? 10 : 3, log.get("examples").size());
        return log;
    }

    private static List<Path> manifests(Path logs) throws IOException {
        try (Stream<Path> s = Files.walk(logs.resolve("training"))) {
            return s.filter(p -> p.getFileName().toString().equals("manifest.json")).sorted().toList();
        }
    }

    @Test
    void multiagentFinetuningExampleTrainsAgentsAndWritesLoadableAdapters(@TempDir Path tmp) throws IOException {
        JsonNode log = runExample(tmp, "text_multiagent_finetuning.json", "text_multiagent_finetuning");
        assertTrue(log.toString().contains("\"finetuning_data\""));
        JsonNode data = null;
        for (JsonNode e : log.get("trace")) if (e.get("event").asText().equals("finetuning_data")) data = e.get("data").get("data");
        assertTrue(data.get("withConsensus").asInt() > 0, "some dev debate reached consensus, so agents are trained: " + data);
        List<Path> ms = manifests(tmp.resolve("logs"));
        int sets = 0;
        for (JsonNode a : data.get("agents")) sets += (a.get("generation").asInt() > 0 ? 1 : 0) + (a.get("critic").asInt() > 0 ? 1 : 0);
        assertEquals(sets, ms.size(), "one job (and manifest) per non-empty set");
        if (!ms.isEmpty()) showsLossAndEta(lastErr);
        if (!ms.isEmpty()) checkManifest(ms.get(0), "text_multiagent_finetuning", "sft");
    }

    @Test
    void spartaExampleRunsDuelsAndDpo(@TempDir Path tmp) throws IOException {
        JsonNode log = runExample(tmp, "text_sparta.json", "text_sparta");
        String t = log.toString();
        assertTrue(t.contains("\"sparta_iteration\"") && t.contains("\"dev_selection\""), t.substring(0, 300));
        // random-weight judges never write a readable score, so every duel is a 5-5 tie: no pair, no DPO job, the best
        // pool model on dev answers (the gguf test with a rule-based judge shows the DPO step)
        JsonNode it = null;
        for (JsonNode e : log.get("trace")) if (e.get("event").asText().equals("sparta_iteration")) it = e.get("data").get("iteration");
        assertEquals(it.get("complete").asInt(), it.get("ties").asInt() + it.get("pairs").asInt());
        if (it.get("pairs").asInt() == 0) assertTrue(Files.notExists(tmp.resolve("logs").resolve("training")));
        else for (Path m : manifests(tmp.resolve("logs"))) checkManifest(m, "text_sparta", "dpo");
    }

    @Test
    void stackelbergExamplesRunWithDpoAndGrpo(@TempDir Path tmp) throws IOException {
        JsonNode log = runExample(Files.createDirectories(tmp.resolve("dpo")), "text_sparta_stackelberg.json", "text_sparta_stackelberg");
        assertTrue(log.toString().contains("\"leader\""));
        // GRPO samples completions of up to 64 tokens that the judges then read: with the test models' 256-token context the
        // task's questions must be short, so this run swaps the demo task for a three-question arithmetic task
        Path grpo = Files.createDirectories(tmp.resolve("grpo"));
        Path shortTask = grpo.resolve("short.json");
        Files.writeString(shortTask, "{\"name\": \"short\", \"task_type\": \"exact_match\", \"dev\": ["
                + "{\"id\": 0, \"input\": \"1+1\", \"output\": \"2\"}, {\"id\": 1, \"input\": \"2+2\", \"output\": \"4\"}, {\"id\": 2, \"input\": \"3+1\", \"output\": \"4\"}],"
                + " \"test\": [{\"id\": 3, \"input\": \"2+1\", \"output\": \"3\"}, {\"id\": 4, \"input\": \"1+3\", \"output\": \"4\"}, {\"id\": 5, \"input\": \"2+3\", \"output\": \"5\"}]}");
        JsonNode g = runExample(grpo, "text_sparta_stackelberg_grpo.json", "text_sparta_stackelberg", shortTask);
        assertTrue(g.toString().contains("\"algorithm\":\"grpo\""));
        List<Path> ms = manifests(grpo.resolve("logs"));
        assertEquals(4, ms.size(), "four duels, each model active in one: every model is GRPO-trained on its duels");
        showsLossAndEta(lastErr);
        checkManifest(ms.get(0), "text_sparta_stackelberg", "grpo");
    }

    private static void checkManifest(Path manifest, String method, String objective) throws IOException {
        JsonNode m = new ObjectMapper().readTree(manifest.toFile());
        assertEquals(method, m.get("method").asText());
        assertEquals(objective, m.get("objective").asText());
        assertEquals(64, m.get("base_model").get("sha256").asText().length());
        assertEquals(64, m.at("/data/sha256").asText().length(), "the data's hash");
        assertTrue(m.get("hyperparameters").has("lora_rank"), "the method's hyperparameters: " + m.get("hyperparameters"));
        assertTrue(m.at("/training/seed").isIntegralNumber() && m.get("run_seed").isIntegralNumber(), "the job's and the run's seed: " + m);
        assertTrue(m.at("/training/learning_rate").asDouble() > 0, "the job's learning rate: " + m.get("training"));
        assertEquals(m.get("data").get("rows").asInt(), Files.readAllLines(manifest.resolveSibling("data.jsonl")).size());
        assertTrue(m.get("losses").size() > 0);
        assertTrue(Files.exists(manifest.resolveSibling("adapter.gguf")));
        ModelEndpoint again = ModelSpecs.resolve(m.get("spec").asText(), SpecContext.of(null, 1));
        String text = again.generate(GenerationRequest.builder().user("hello").maxTokens(3).temperature(0).build()).text();
        assertTrue(text != null);
    }
}

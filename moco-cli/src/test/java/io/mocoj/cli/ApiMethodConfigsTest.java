package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * The example configs of the token-level API methods (examples/configs/api_*.json, MoCo's shape)
 * run through the CLI with their model specs swapped for the tiny GGUF test models of moco-local
 * (a llama model with a SentencePiece vocabulary and a qwen2 model with a byte-level BPE one).
 */
class ApiMethodConfigsTest {
    static final Path CONFIGS = Path.of("../examples/configs").toAbsolutePath().normalize();
    static final Path FIXTURES = Path.of("../moco-local/src/test/resources/fixtures").toAbsolutePath().normalize();

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** The example config with its model specs replaced, written next to the example's data (the task path is relative). */
    static Path swapped(Path tmp, String example, List<String> specs, String limit) throws IOException {
        String json = Files.readString(CONFIGS.resolve(example));
        String[] lines = json.split("\n", -1);
        StringBuilder b = new StringBuilder();
        int spec = 0;
        for (String line : lines) {
            if (line.trim().startsWith("\"gguf:")) {
                line = line.replaceFirst("\"gguf:[^\"]*\"", "\"gguf:" + FIXTURES.resolve(specs.get(spec++)).toString().replace("\\", "/") + "\"");
            }
            line = line.replace("\"data/", "\"" + CONFIGS.resolve("data").toString().replace("\\", "/") + "/");
            line = line.replaceFirst("\"limit\": *\\d+", "\"limit\": " + limit);
            b.append(line).append('\n');
        }
        assertEquals(specs.size(), spec, "every model spec of the example was swapped");
        Path p = tmp.resolve(example);
        Files.writeString(p, b.toString());
        return p;
    }

    static JsonNode onlyLog(Path logs) throws IOException {
        try (Stream<Path> s = Files.list(logs)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals(1, files.size(), files.toString());
            return new ObjectMapper().readTree(files.get(0).toFile());
        }
    }

    @Test
    void nudgingExampleRunsOnTwoModelsWithDifferentTokenizers(@TempDir Path tmp) throws IOException {
        Path cfg = swapped(tmp, "api_nudging.json", List.of("tiny-llama-spm-f32.gguf", "tiny-qwen2-bpe-f32.gguf"), "3");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "none", "--no-cache");
        assertEquals(0, r.code(), r.err() + r.out());
        JsonNode log = onlyLog(logs);
        assertEquals("api_nudging", log.get("method").asText());
        assertEquals(3, log.get("examples").size());
        String text = log.toString();
        assertTrue(text.contains("\"nudges\""), "every example traces its nudges");
        assertTrue(text.contains("\"nudger_mode\":\"tokens\""), text.substring(0, Math.min(400, text.length())));
    }

    @Test
    void mentorCollabExampleRunsInFreeMode(@TempDir Path tmp) throws IOException {
        Path cfg = swapped(tmp, "api_mentor_collab.json", List.of("tiny-qwen2-bpe-f32.gguf", "tiny-llama-spm-f32.gguf"), "2");
        String json = Files.readString(cfg).replace("\"decision_proportion\": 25", "\"decision_proportion\": 100")
                .replace("\"patch_size\": 16", "\"patch_size\": 4");
        Files.writeString(cfg, json);
        Path logs = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "none", "--no-cache");
        assertEquals(0, r.code(), r.err() + r.out());
        JsonNode log = onlyLog(logs);
        assertEquals("api_mentor_collab", log.get("method").asText());
        assertEquals(2, log.get("examples").size());
        assertTrue(log.toString().contains("\"decisions\""), "every example traces its decisions");
    }

    @Test
    void graphRoutingExampleRunsOnSimulatedSpecialists(@TempDir Path tmp) throws IOException {
        Path cfg = swapped(tmp, "api_graph_routing.json", List.of(), "0");
        Path logs = tmp.resolve("logs");
        Result r = run("-c", cfg.toString(), "-l", logs.toString(), "--progress", "none", "--no-cache");
        assertEquals(0, r.code(), r.err() + r.out());
        JsonNode log = onlyLog(logs);
        assertEquals("api_graph_routing", log.get("method").asText());
        assertEquals(40, log.get("examples").size());
        String text = log.toString();
        assertTrue(text.contains("\"graph\"") && text.contains("\"route\""), "the graph and every route are traced");
    }
}

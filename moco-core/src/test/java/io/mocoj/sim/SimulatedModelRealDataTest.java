package io.mocoj.sim;

import static io.mocoj.sim.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the real MoCo dataset files (skipped when absent): a model with accuracy 1 must find every
 * example from its MoCo-formatted prompt and give its gold answer. Examples with the same
 * normalised input count as one (the first in dev-then-test order wins, as documented).
 */
class SimulatedModelRealDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Path dataDir() {
        String prop = System.getProperty("mocoj.shared.data");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        for (Path p : List.of(Path.of("../shared/moco-data"), Path.of("../../shared/moco-data"))) if (Files.isDirectory(p)) return p;
        return null;
    }

    static Task load(Path file, String name) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        TaskType type = TaskType.fromConfigName(root.get("task_type").asText());
        List<List<Example>> splits = new ArrayList<>();
        for (String split : List.of("dev", "test")) {
            List<Example> out = new ArrayList<>();
            for (JsonNode n : root.get(split)) {
                String id = n.get("id").asText();
                Map<String, Object> fields = new LinkedHashMap<>();
                n.fields().forEachRemaining(f -> {
                    if (!List.of("id", "question", "input", "choices", "answer", "output").contains(f.getKey())) {
                        fields.put(f.getKey(), f.getValue().asText());
                    }
                });
                if (type == TaskType.MULTIPLE_CHOICE) {
                    Map<String, String> choices = new LinkedHashMap<>();
                    n.get("choices").fields().forEachRemaining(f -> choices.put(f.getKey(), f.getValue().asText()));
                    out.add(new Example(id, n.get("question").asText(), choices, List.of(n.get("answer").asText()), fields));
                } else {
                    String output = n.get("output").asText();
                    List<String> answers = new ArrayList<>();
                    if (name.equals("popqa")) JSON.readTree(output).forEach(a -> answers.add(a.asText()));
                    else answers.add(output);
                    out.add(new Example(id, n.get("input").asText(), Map.of(), answers, fields));
                }
            }
            splits.add(out);
        }
        return new Task(name, type, splits.get(0), splits.get(1));
    }

    static String norm(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{Nd}]+", " ").strip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmlu_redux", "culturalbench_hard", "medmcqa", "bbh", "culturebench", "gsm8k", "math", "popqa", "theoremqa"})
    void everyExampleIsFoundFromItsMocoPrompt(String name) throws IOException {
        Path dir = dataDir();
        assumeTrue(dir != null && Files.exists(dir.resolve(name + ".json")), "MoCo data not found (set mocoj.shared.data); skipping " + name);
        Task task = load(dir.resolve(name + ".json"), name);
        SimulatedModel m = SimulatedModel.builder(task).name("oracle").accuracy(1).style(AnswerStyle.BOX).build();
        Map<String, Example> firstByInput = new HashMap<>();
        List<Example> all = new ArrayList<>(task.dev());
        all.addAll(task.test());
        for (Example e : all) firstByInput.putIfAbsent(norm(e.input()), e);
        int wrong = 0;
        String firstFailure = null;
        for (Example e : all) {
            Example owner = firstByInput.get(norm(e.input()));
            String prompt = task.type() == TaskType.MULTIPLE_CHOICE ? mcqPrompt(e) : emPrompt(e);
            String got = ask(m, prompt).text();
            if (!got.equals("\\box{" + owner.answer() + "}")) {
                wrong++;
                if (firstFailure == null) firstFailure = e.id() + ": expected " + owner.answer() + ", got " + got;
            }
        }
        assertEquals(0, wrong, name + ": " + wrong + " of " + all.size() + " examples answered about the wrong example; first: " + firstFailure);
    }
}

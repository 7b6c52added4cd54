package io.mocoj.config;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.task.Example;
import io.mocoj.task.FewShotEvaluator;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "task" as a list and "num_fewshot" in MoCo configs; the few-shot prompt layout. */
class TaskListAndFewShotConfigTest {
    private static MocoConfig parse(String json) { return MocoConfig.parse(json, Path.of("cfg.json")); }

    @Test
    void aTaskListGivesOneConfigPerTask() {
        MocoConfig c = parse("{\"method\": \"m\", \"task\": [\"gsm8k\", \"mmlu_redux\"], \"model_names\": [\"sim:a\"], \"num_fewshot\": 3}");
        assertTrue(c.isSuite());
        assertEquals(List.of("gsm8k", "mmlu_redux"), c.tasks());
        assertEquals("gsm8k", c.task());
        assertEquals(3, c.numFewshot().orElseThrow());
        MocoConfig second = c.forTask("mmlu_redux");
        assertEquals("mmlu_redux", second.task());
        assertFalse(second.isSuite());
        assertEquals(3, second.numFewshot().orElseThrow());
        assertTrue(c.warnings().isEmpty(), "num_fewshot is a known key: " + c.warnings());
        MocoConfig single = parse("{\"method\": \"m\", \"task\": \"gsm8k\", \"model_names\": [\"sim:a\"]}");
        assertEquals(List.of("gsm8k"), single.tasks());
        assertTrue(single.numFewshot().isEmpty());
    }

    @Test
    void badTaskListsAndFewShotValuesAreConfigErrors() {
        assertTrue(assertThrows(ConfigException.class, () -> parse("{\"method\": \"m\", \"task\": [], \"model_names\": [\"sim:a\"]}"))
                .getMessage().contains("\"task\" is an empty list"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("{\"method\": \"m\", \"task\": [\"a\", 3], \"model_names\": [\"sim:a\"]}"))
                .getMessage().contains("task[1] must be a non-empty string"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("{\"method\": \"m\", \"task\": [\"a\", \"a\"], \"model_names\": [\"sim:a\"]}"))
                .getMessage().contains("listed twice"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("{\"method\": \"m\", \"task\": \"a\", \"num_fewshot\": -1, \"model_names\": [\"sim:a\"]}"))
                .getMessage().contains("\"num_fewshot\" is -1, outside the allowed range [0, 2147483647]"));
    }

    /** A minimal multiple-choice evaluator: the question, then the options as "A) text" lines. */
    private static final io.mocoj.task.Evaluator MC = new io.mocoj.task.Evaluator() {
        @Override public TaskType taskType() { return TaskType.MULTIPLE_CHOICE; }
        @Override public String prompt(Example e) { return e.input() + "\nA) " + e.choices().get("A") + "\nB) " + e.choices().get("B") + "\n"; }
        @Override public String extractAnswer(Example e, String r) { return r.strip(); }
        @Override public Score score(Example e, String r) { return Score.of(r.strip().equals(e.answer()) ? 1 : 0, r.strip()); }
    };

    @Test
    void fewShotPromptsShowSeededDevExamplesWithTheirAnswers() {
        List<Example> dev = List.of(
                Example.multipleChoice("d0", "Q0?", Map.of("A", "x", "B", "y"), "A"),
                Example.multipleChoice("d1", "Q1?", Map.of("A", "x", "B", "y"), "B"),
                Example.multipleChoice("d2", "Q2?", Map.of("A", "x", "B", "y"), "A"));
        FewShotEvaluator f = FewShotEvaluator.of(MC, dev, 2, 5);
        List<Integer> order = new java.util.ArrayList<>(List.of(0, 1, 2));
        java.util.Collections.shuffle(order, new java.util.Random(5));
        assertEquals(List.of(dev.get(order.get(0)).id(), dev.get(order.get(1)).id()), f.shotIds());
        Example t = Example.multipleChoice("t", "Qt?", Map.of("A", "x", "B", "y"), "B");
        String expected = MC.prompt(f.shots().get(0)) + "\n" + f.shots().get(0).answer() + "\n\n"
                + MC.prompt(f.shots().get(1)) + "\n" + f.shots().get(1).answer() + "\n\n" + MC.prompt(t);
        assertEquals(expected, f.prompt(t));
        assertEquals(1.0, f.score(t, "B").value(), "scoring is the inner evaluator's");
        assertEquals(f.shotIds(), FewShotEvaluator.of(MC, dev, 2, 5).shotIds(), "the same seed draws the same examples");
        assertThrows(IllegalArgumentException.class, () -> FewShotEvaluator.of(MC, dev, 4, 5));
    }
}

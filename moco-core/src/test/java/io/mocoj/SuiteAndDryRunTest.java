package io.mocoj;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.TestSupport.ScriptedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several tasks through the builder, and dry runs that call no model. */
class SuiteAndDryRunTest {

    /** 10 test examples of which the first {@code right} have the reference the scripted model answers. */
    private static Task partlyRight(String name, int right) {
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < 10; i++) test.add(Example.freeText("t" + i, "test question " + i, i < right ? "answer t" + i : "something else"));
        return new Task(name, TaskType.EXACT_MATCH, List.of(), test);
    }

    @Test
    void aSuiteHasAReportPerTaskAndTheirUnweightedMean() {
        ScriptedModel a = new ScriptedModel("a");
        RunBuilder b = MoCo.run().models(a).method(TestSupport.firstModel(false)).evaluator(TestSupport.EXACT)
                .tasks(partlyRight("seven", 7), TestSupport.task(0, 40), partlyRight("two", 2));
        var e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("use buildSuite()"), e.getMessage());
        Suite.SuiteReport r = b.executeSuite();
        assertEquals(List.of("seven", "unit", "two"), r.reports().stream().map(RunReport::task).toList());
        assertEquals(List.of(0.7, 1.0, 0.2), r.reports().stream().map(RunReport::meanScore).toList());
        assertEquals((0.7 + 1.0 + 0.2) / 3, r.macroAverage(), 1e-12, "each task counts once, not by its size");
        assertEquals(60, a.calls.get());
        String table = r.toTable();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("unit ") && l.contains(" 40 ") && l.contains("1.0000")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("macro average") && l.contains("0.6333")), table);
        assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a).method(TestSupport.firstModel(false))
                .evaluator(TestSupport.EXACT).tasks(partlyRight("x", 1), partlyRight("x", 2)).buildSuite());
    }

    @Test
    void aDryRunShowsThePromptsAndCallsNoModel() {
        ScriptedModel a = new ScriptedModel("a");
        Run run = MoCo.run().models(a).method(TestSupport.firstModel(false)).evaluator(TestSupport.EXACT)
                .task(TestSupport.task(3, 12)).baselines(true).fewShot(2).build();
        DryRun d = run.dryRun(2);
        assertEquals(0, a.calls.get());
        assertEquals(2, d.prompts().size());
        // two dev demonstrations (prompt, newline, boxed answer, blank line), then the test prompt
        assertTrue(d.prompts().get(0).matches("dev question \\d\\n\\\\box\\{answer d\\d}\\n\\ndev question \\d\\n\\\\box\\{answer d\\d}\\n\\ntest question 0"),
                d.prompts().get(0));
        assertTrue(d.methodCalls().isEmpty(), "this method declares no formula");
        assertEquals(12L, d.baselineCalls().get("a"));
        assertTrue(d.estimatedCost().isEmpty());
        assertTrue(d.describe().contains("does not declare its calls in advance"), d.describe());
        assertEquals(0, a.calls.get());
    }
}

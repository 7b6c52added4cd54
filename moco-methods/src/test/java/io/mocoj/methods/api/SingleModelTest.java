package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.task.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleModelTest {
    private final Task task = McqTasks.generate("t", 3, 6, List.of("x"), 1);
    private final ScriptedModel a = ScriptedModel.text("a", r -> "A");
    private final ScriptedModel b = ScriptedModel.text("b", r -> "B");

    @Test
    void answersWithTheChosenModelOnly() {
        RunReport r = MoCo.run().models(a, b).method(Methods.singleModel().modelId(1)).task(task)
                .evaluator(new LetterEvaluator()).execute();
        r.examples().forEach(e -> assertEquals("B", e.output()));
        assertEquals(0, Reports.calls(r, "a"));
        assertEquals(6, Reports.calls(r, "b"), "one call per test example, no dev evaluation");
        long goldB = task.test().stream().filter(e -> e.answer().equals("B")).count();
        assertEquals(goldB / 6.0, r.meanScore(), 1e-12);
        RunReport first = MoCo.run().models(a, b).method(Methods.singleModel()).task(task).evaluator(new LetterEvaluator()).execute();
        first.examples().forEach(e -> assertEquals("A", e.output()));
    }

    @Test
    void modelIdOutsideThePoolIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(a, b)
                .method(Methods.singleModel().modelId(2)).task(task).evaluator(new LetterEvaluator()).build());
        assertTrue(e.getMessage().contains("'model_id'") && e.getMessage().contains("only 2 model(s) (valid: 0..1)"), e.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> Methods.singleModel().modelId(-1));
        assertTrue(negative.getMessage().contains("has value -1"), negative.getMessage());
    }
}

package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.TokenUsage;
import io.mocoj.task.Task;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SwitchGenerationTest {
    static final GenerationSettings SETTINGS = new GenerationSettings(100, 0.7, 0.9, 4, 42); // 100 / 25 = 4 rounds

    /** A writer whose patch is its letter and the number of words already written ("a0", "b1", …); it fills its budget unless told to stop at a round. */
    static ScriptedModel writer(String name, int stopAtWords) {
        return new ScriptedModel(name, EnumSet.of(Capability.TEXT), req -> {
            String p = req.lastUserText();
            int at = p.indexOf("Answer so far:\n");
            String soFar = at < 0 ? "" : p.substring(at + "Answer so far:\n".length());
            int words = soFar.isBlank() ? 0 : soFar.trim().split(" ").length;
            boolean stop = words == stopAtWords;
            return new Generation(name + words, stop ? FinishReason.STOP : FinishReason.LENGTH,
                    new TokenUsage(10, stop ? 3 : req.maxTokens()), List.of(), List.of());
        });
    }

    /** A selector that answers from a fixed script, by the number of patches written so far. */
    static ScriptedModel selector(Function<Integer, String> byRound) {
        return ScriptedModel.text("sel", req -> byRound.apply(req.lastUserText().split("wrote:]", -1).length - 1));
    }

    static Task task() { return McqTasks.generate("sw", 1, 3, List.of("x"), 4); }

    static RunReport run(ScriptedModel a, ScriptedModel b, ScriptedModel sel, SwitchGeneration method) {
        return MoCo.run().models(a, b, sel).method(method).task(task()).settings(SETTINGS).seed(5).execute();
    }

    @Test
    void theSelectorPicksEachPatchWriterAndEverySwitchIsTraced() {
        List<String> script = List.of("1", "Model 2 should continue.", "b", "1");
        RunReport r = run(writer("a", -1), writer("b", -1), selector(script::get), Methods.switchGeneration().selector("sel"));
        for (int i = 0; i < 3; i++) {
            assertEquals("a0 b1 b2 a3", r.examples().get(i).output());
            Map<String, Object> t = Reports.exampleEvent(r, i, "patches");
            assertEquals(List.of("a", "b", "b", "a"), ((List<?>) t.get("patches")).stream().map(p -> ((Map<?, ?>) p).get("model")).toList());
            assertEquals("rounds", t.get("ended_by"));
        }
        assertEquals(3 * 4, Reports.calls(r, "sel"));
        assertEquals(3 * 2, Reports.calls(r, "a"));
        assertEquals(3 * 2, Reports.calls(r, "b"));
    }

    @Test
    void anUnreadableSelectorReplyPicksAWriterAtRandomReproducibly() {
        RunReport r1 = run(writer("a", -1), writer("b", -1), selector(k -> "no idea"), Methods.switchGeneration().selector("sel"));
        RunReport r2 = run(writer("a", -1), writer("b", -1), selector(k -> "no idea"), Methods.switchGeneration().selector("sel"));
        for (int i = 0; i < 3; i++) {
            assertEquals(r1.examples().get(i).output(), r2.examples().get(i).output());
            for (Object p : (List<?>) Reports.exampleEvent(r1, i, "patches").get("patches")) assertEquals(true, ((Map<?, ?>) p).get("random_choice"));
        }
    }

    @Test
    void aWriterThatStopsEndsTheAnswerUnlessWaitFlagAndObjectiveFlagPrimesTheLastPatch() {
        RunReport stop = run(writer("a", 1), writer("b", -1), selector(k -> "1"), Methods.switchGeneration().selector("sel"));
        assertEquals("a0 a1", stop.examples().get(0).output());
        assertEquals("writer_stopped", Reports.exampleEvent(stop, 0, "patches").get("ended_by"));
        assertEquals(3 * 2, Reports.calls(stop, "a"), "no patch is requested after the writer stopped");

        RunReport wait = run(writer("a", 1), writer("b", -1), selector(k -> "1"), Methods.switchGeneration().selector("sel").flags(false, true));
        // after "a0 a1" the answer gets " Wait," (one more word), so the writer sees 3 words, then 4
        assertEquals("a0 a1 Wait, a3 a4", wait.examples().get(0).output());

        RunReport objective = run(writer("a", -1), writer("b", -1), selector(k -> "2"), Methods.switchGeneration().selector("sel").flags(true, false));
        assertEquals("b0 b1 b2 The final answer is b7", objective.examples().get(0).output());
    }

    @Test
    void refusedBeforeAnyCall() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MoCo.run().models(writer("a", -1), writer("b", -1)).method(Methods.switchGeneration()).task(task()).build());
        assertTrue(e.getMessage().contains("model 'a' (selector_base_model (default: pool model 0)), which cannot train (no capability TRAIN)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(writer("a", -1), writer("b", -1))
                .method(Methods.switchGeneration().selector("bunsenfeng/PFA_switcher_1")).task(task()).build());
        assertTrue(e.getMessage().contains("not a model of the pool [a, b]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.switchGeneration().patchSize(0));
        assertTrue(e.getMessage().contains("'patch_size'"), e.getMessage());
    }
}

package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedLogitsModel;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mentor collaboration on constructed distributions (word-level vocabulary, greedy):
 * the generator would write "I think it is red", the mentor "I know it is blue"; after "I think"
 * the mentor agrees on " it is", after "I know" the generator agrees too. As judge, the generator
 * prefers option A (its own patch) exactly when that patch is " red", else B.
 */
class MentorCollabTest {
    static final List<String> WORDS = List.of("I", " think", " know", " it", " is", " red", " blue");
    static final GenerationSettings SETTINGS = new GenerationSettings(32, 0.0, 1.0, 2, 9);

    static List<String> pieces() {
        List<String> p = new ArrayList<>(WORDS);
        p.addAll(ScriptedLogitsModel.characters());
        return p;
    }

    static Map<String, Double> next(String soFar, String colour, String verb) {
        if (soFar.endsWith(" red") || soFar.endsWith(" blue")) return Map.of(ScriptedLogitsModel.END, 0.9, " is", 0.1);
        return switch (soFar) {
            case "" -> Map.of("I", 0.9, " is", 0.1);
            case "I" -> Map.of(verb, 0.8, " is", 0.2);
            case "I think", "I know" -> Map.of(" it", 0.9, " is", 0.1);
            case "I think it", "I know it" -> Map.of(" is", 0.9, " it", 0.1);
            case "I think it is", "I know it is" -> Map.of(colour, 0.7, " it", 0.3);
            default -> Map.of(ScriptedLogitsModel.END, 1.0);
        };
    }

    /** Hidden state: [has "know", ends with " is", 1]. */
    static float[] hidden(String text) {
        return new float[] {text.contains("know") ? 1 : 0, text.endsWith(" is") ? 1 : 0, 1};
    }

    static ScriptedLogitsModel generator() {
        return new ScriptedLogitsModel("gen", pieces(), (prompt, soFar) -> {
            if (prompt.contains("Which continuation is better?")) {
                return prompt.contains("A:  red\n") ? Map.of("A", 0.8, "B", 0.2) : Map.of("A", 0.3, "B", 0.7);
            }
            return next(soFar, " red", " think");
        }, MentorCollabTest::hidden, 3);
    }

    static ScriptedLogitsModel mentor() {
        return new ScriptedLogitsModel("mentor", pieces(), (prompt, soFar) -> next(soFar, " blue", " know"), null, 0);
    }

    /** Scores 1 when the answer says "blue". */
    static final class BlueEvaluator extends LetterEvaluator {
        @Override public Score score(Example example, String response) { return Score.of(response.contains("blue") ? 1 : 0, response); }
    }

    static RunReport run(CollaborationMethod method) {
        Task task = McqTasks.generate("colours", 3, 2, List.of("x"), 2);
        return MoCo.run().models(generator(), mentor()).method(method).task(task).evaluator(new BlueEvaluator())
                .settings(SETTINGS).seed(9).execute();
    }

    static List<Object> chosen(RunReport r, int i) {
        return ((List<?>) Reports.exampleEvent(r, i, "decisions").get("decisions")).stream().map(d -> (Object) ((Map<?, ?>) d).get("chosen")).toList();
    }

    @Test
    void freeModeTheGeneratorJudgesEveryDivergence() {
        RunReport r = run(Methods.mentorCollab().decisions(100, 2));
        // "I" agreed; at "I": patches " think it" / " know it", the judge prefers B → mentor; " is" agreed;
        // at "I know it is": " red" / " blue" (both then end), the judge prefers A → generator, which ended
        for (int i = 0; i < 2; i++) {
            assertEquals("I know it is red", r.examples().get(i).output());
            assertEquals(List.of("mentor", "generator"), chosen(r, i));
            Map<String, Object> t = Reports.exampleEvent(r, i, "decisions");
            assertEquals(2, t.get("divergences"));
            assertEquals("generator_end", t.get("stopped_by"));
            Map<?, ?> first = (Map<?, ?>) ((List<?>) t.get("decisions")).get(0);
            assertEquals(" think it", first.get("generator_patch"));
            assertEquals(" know it", first.get("mentor_patch"));
            assertEquals(1, first.get("offset"));
            assertEquals(0.3, ((Number) first.get("score")).doubleValue(), 1e-6);
        }
        // per example: a session of each model plus two judge sessions of the generator
        assertEquals(2 * 3, Reports.calls(r, "gen"));
        assertEquals(2, Reports.calls(r, "mentor"));
    }

    @Test
    void proportionZeroLeavesTheGeneratorAlone() {
        RunReport r = run(Methods.mentorCollab().decisions(0, 2));
        assertEquals("I think it is red", r.examples().get(0).output());
        assertEquals(List.of(), chosen(r, 0));
        assertEquals(2, Reports.exampleEvent(r, 0, "decisions").get("divergences"));
    }

    @Test
    void trainModeLearnsFromDevWhichPatchWinsAndTheThresholdDecides() {
        // on dev, following the generator at "I" and the mentor at "I think it is" (only there do the completions
        // differ: "...red" scores 0, "...blue" 1), so the MLP sees one point, labelled "mentor better"
        RunReport r = run(Methods.mentorCollab().decisions(100, 2).mode("train"));
        Map<String, Object> mlp = Reports.runEvent(r, "mlp");
        assertEquals(3, mlp.get("training_points"));
        assertEquals(0, mlp.get("generator_better"));
        assertEquals("I know it is blue", r.examples().get(0).output());
        assertEquals(List.of("mentor", "mentor"), chosen(r, 0));
        assertEquals(1.0, r.meanScore());
        // threshold 0: every positive score keeps the generator's patch
        assertEquals("I think it is red", run(Methods.mentorCollab().decisions(100, 2).mode("train").mlpThreshold(0)).examples().get(0).output());
    }

    @Test
    void refusedBeforeAnyCall() {
        Task task = McqTasks.generate("colours", 1, 1, List.of("x"), 2);
        var e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(generator(), mentor(),
                        new ScriptedLogitsModel("third", pieces(), soFar -> Map.of(ScriptedLogitsModel.END, 1.0)))
                .method(Methods.mentorCollab()).task(task).build());
        assertTrue(e.getMessage().contains("exactly 2 models"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(generator(), ScriptedModel.text("t", q -> "x"))
                .method(Methods.mentorCollab()).task(task).build());
        assertTrue(e.getMessage().contains("needs LOGITS but model 't'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(mentor(), generator())
                .method(Methods.mentorCollab().mode("train")).task(task).build());
        assertTrue(e.getMessage().contains("does not expose"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.mentorCollab().mode("trained"));
        assertTrue(e.getMessage().contains("'mode'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.mentorCollab().decisions(150, 2));
        assertTrue(e.getMessage().contains("'decision_proportion'"), e.getMessage());
    }
}

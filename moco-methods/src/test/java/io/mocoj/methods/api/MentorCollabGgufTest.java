package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mentor collaboration end to end on moco-local's tiny GGUF models (different tokenizers). */
class MentorCollabGgufTest {
    static LocalModel generator() { return NudgingGgufTest.load("tiny-qwen2-bpe-f32.gguf", "qwen"); }

    static LocalModel mentor() { return NudgingGgufTest.load("tiny-llama-spm-f32.gguf", "llama"); }

    @Test
    void withoutDecisionsTheAnswerIsTheGeneratorsOwnGreedyDecoding() {
        LocalModel gen = generator(), mentor = mentor();
        Task task = McqTasks.generate("tiny", 1, 2, List.of("x"), 9);
        RunReport r = MoCo.run().models(gen, mentor).method(Methods.mentorCollab().decisions(0, 4))
                .task(task).settings(NudgingGgufTest.GREEDY).seed(3).execute();
        for (int i = 0; i < 2; i++) {
            String alone = gen.generate(GenerationRequest.builder().user(r.examples().get(i).prompt()).maxTokens(24).temperature(0).build()).text();
            assertEquals(alone, r.examples().get(i).output());
        }
    }

    @Test
    void everyDivergenceIsADecisionAndTheKeptPatchIsInTheAnswer() {
        LocalModel gen = generator(), mentor = mentor();
        Task task = McqTasks.generate("tiny", 1, 1, List.of("x"), 9);
        RunReport r = MoCo.run().models(gen, mentor).method(Methods.mentorCollab().decisions(100, 3))
                .task(task).settings(NudgingGgufTest.GREEDY).seed(3).execute();
        Map<String, Object> t = Reports.exampleEvent(r, 0, "decisions");
        List<?> decisions = (List<?>) t.get("decisions");
        assertEquals(((Number) t.get("divergences")).intValue(), decisions.size(), "proportion 100: every divergence is decided");
        assertTrue(!decisions.isEmpty(), "two random models disagree somewhere");
        String out = r.examples().get(0).output();
        for (Object o : decisions) {
            Map<?, ?> d = (Map<?, ?>) o;
            String kept = (String) d.get(d.get("chosen").equals("generator") ? "generator_patch" : "mentor_patch");
            int at = ((Number) d.get("offset")).intValue();
            assertTrue(out.startsWith(kept, at), "patch '" + kept + "' at " + at + " in '" + out + "'");
        }
    }

    /** Scores 1 when the answer has an even number of characters: an arbitrary rule under which two completions often differ. */
    static final class EvenLength extends io.mocoj.methods.testing.LetterEvaluator {
        @Override public io.mocoj.task.Score score(io.mocoj.task.Example example, String response) {
            return io.mocoj.task.Score.of(response.length() % 2 == 0 ? 1 : 0, response);
        }
    }

    @Test
    void trainModeFitsTheMlpOnRealHiddenStates() {
        LocalModel gen = generator(), mentor = mentor();
        Task task = McqTasks.generate("tiny", 4, 1, List.of("x"), 9);
        RunReport r = MoCo.run().models(gen, mentor).method(Methods.mentorCollab().decisions(100, 3).mode("train"))
                .task(task).evaluator(new EvenLength()).settings(NudgingGgufTest.GREEDY).seed(3).execute();
        Map<String, Object> mlp = Reports.runEvent(r, "mlp");
        assertTrue(((Number) mlp.get("training_points")).intValue() > 0, mlp.toString());
        for (Object o : (List<?>) Reports.exampleEvent(r, 0, "decisions").get("decisions")) {
            Map<?, ?> d = (Map<?, ?>) o;
            double score = ((Number) d.get("score")).doubleValue();
            assertEquals(score > 0.5 ? "generator" : "mentor", d.get("chosen"), "the MLP's score against mlp_threshold decides");
        }
    }
}

package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.LocalModel;
import io.mocoj.local.LocalModelOptions;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.model.GenerationRequest;
import io.mocoj.task.Task;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nudging end to end on moco-local's tiny GGUF models, whose tokenizers differ (SentencePiece vs byte-level BPE). */
class NudgingGgufTest {
    static final Path FIXTURES = Path.of("../moco-local/src/test/resources/fixtures");
    static final GenerationSettings GREEDY = new GenerationSettings(24, 0.0, 1.0, 1, 3);

    static LocalModel load(String file, String name) {
        return LocalModel.load(FIXTURES.resolve(file), LocalModelOptions.builder().name(name).threads(1).build());
    }

    @Test
    void gammaOneIsTheNudgersOwnGreedyDecodingAndAccountingCountsEveryToken() {
        LocalModel base = load("tiny-llama-spm-f32.gguf", "llama");
        LocalModel nudger = load("tiny-qwen2-bpe-f32.gguf", "qwen");
        assertNotEquals(base.vocabularyFingerprint(), nudger.vocabularyFingerprint());
        Task task = McqTasks.generate("tiny", 1, 2, List.of("x"), 9);
        RunReport r = MoCo.run().models(base, nudger).method(Methods.nudging().gamma(1.0).doSample(false))
                .task(task).settings(GREEDY).seed(3).execute();
        // every top-1 probability is below 1, so the nudger writes every token: its own greedy decoding of the prompt
        for (int i = 0; i < 2; i++) {
            String prompt = r.examples().get(i).prompt();
            String alone = nudger.generate(GenerationRequest.builder().user(prompt).maxTokens(24).temperature(0).build()).text();
            assertEquals(alone, r.examples().get(i).output(), "example " + i);
            assertEquals(0, ((Number) Reports.exampleEvent(r, i, "nudges").get("base_tokens")).intValue());
        }
        // one decoding session per model per test example, the prompt counted once each
        RunReport.ModelUsage u = NudgingTest.usage(r, "qwen");
        assertEquals(2, u.calls());
        assertTrue(u.promptTokens() > 0 && u.completionTokens() > 0, u.toString());
    }

    @Test
    void theBaseWritesWhereItIsConfidentAndBothTokenizersSeeTheSameText() {
        LocalModel base = load("tiny-qwen2-bpe-f32.gguf", "qwen");
        LocalModel nudger = load("tiny-llama-spm-f32.gguf", "llama");
        Task task = McqTasks.generate("tiny", 1, 1, List.of("x"), 9);
        // gamma 0: the base is never unsure, so only MoCo's opening nudge (until the nudger starts a new word) is the nudger's
        RunReport r = MoCo.run().models(base, nudger).method(Methods.nudging().gamma(0.0).doSample(false))
                .task(task).settings(GREEDY).seed(3).execute();
        var trace = Reports.exampleEvent(r, 0, "nudges");
        List<?> nudges = (List<?>) trace.get("nudges");
        assertTrue(nudges.size() <= 1, trace.toString());
        String out = r.examples().get(0).output();
        if (!nudges.isEmpty()) assertTrue(out.startsWith((String) ((java.util.Map<?, ?>) nudges.get(0)).get("text")), out);
    }
}

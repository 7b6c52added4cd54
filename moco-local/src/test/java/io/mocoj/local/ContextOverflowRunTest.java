package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.MoCo;
import io.mocoj.ModelFailureException;
import io.mocoj.ModelFailurePolicy;
import io.mocoj.RunReport;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #7: a prompt longer than a gguf: model's context is a failure of that model, and says how to fix it. */
class ContextOverflowRunTest {
    private static final Evaluator ANY = new Evaluator() {
        @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
        @Override public String prompt(Example e) { return e.input(); }
        @Override public String extractAnswer(Example e, String r) { return r; }
        @Override public Score score(Example e, String r) { return Score.of(r.isEmpty() ? 0 : 1, r); }
    };

    /** Asks every model; an example fails only when all failed. */
    private static final CollaborationMethod ASK_ALL = new CollaborationMethod() {
        @Override public String name() { return "ask_all"; }
        @Override public Level level() { return Level.TEXT; }
        @Override public Set<Capability> requiredCapabilities() { return Set.of(); }
        @Override public Hyperparameters hyperparameters() { return Hyperparameters.defaults(name(), List.of()); }
        @Override public MethodOutput run(MethodContext ctx) {
            return ctx.forEachTest((ex, i) -> {
                String out = null;
                for (var m : ctx.models()) {
                    try {
                        String t = ctx.generate(m, ctx.settings().request(ex.input()).maxTokens(2).temperature(0).build()).text();
                        if (out == null) out = t;
                    } catch (io.mocoj.model.ModelCallException ignored) {
                        // counted by the engine
                    }
                }
                return out;
            });
        }
    };

    @Test
    void aContextOverflowCountsAsAFailureOfThatModelAndNamesTheCtxOption(@TempDir Path dir) throws IOException {
        Path file = TinyModels.write(dir.resolve("tiny.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 17);
        LocalModel roomy = LocalModel.load(file, LocalModelOptions.builder().threads(1).name("roomy").build());
        // other weights: two endpoints of the same weights share identical requests (and their answers)
        Path other = TinyModels.write(dir.resolve("other.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 18);
        LocalModel cramped = LocalModel.load(other, LocalModelOptions.builder().threads(1).name("cramped").contextLength(8).build());
        List<Example> test = new ArrayList<>();
        for (int i = 0; i < 6; i++) test.add(Example.freeText("t" + i, "the answer is " + i, "x"));
        Task task = new Task("overflow", TaskType.EXACT_MATCH, List.of(), test);

        var e = assertThrows(ModelFailureException.class, () -> MoCo.run().models(roomy, cramped).task(task).evaluator(ANY)
                .method(ASK_ALL).baselines(false).concurrency(1).execute());
        assertEquals("cramped", e.model());
        assertTrue(e.getMessage().contains("context overflow: the prompt has"), e.getMessage());
        assertTrue(e.getMessage().contains("the context holds 8"), e.getMessage());
        assertTrue(e.getMessage().contains("?ctx="), e.getMessage());

        RunReport r = MoCo.run().models(roomy, cramped).task(task).evaluator(ANY).method(ASK_ALL).baselines(false).concurrency(1)
                .onModelFailure(ModelFailurePolicy.CONTINUE).execute();
        assertEquals("degraded", r.status());
        assertEquals("cramped", r.degraded().get(0).model());
        assertEquals(6, r.degraded().get(0).failedCalls());
        assertEquals(0, r.summary().failed(), "the roomy model answered every example");
    }
}

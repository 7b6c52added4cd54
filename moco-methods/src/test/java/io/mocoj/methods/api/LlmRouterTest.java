package io.mocoj.methods.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.method.GenerationSettings;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.Reports;
import io.mocoj.methods.testing.ScriptedModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * api_trained_router's LLM router ({@code router_base_model}) on a tiny GGUF router: model "xs"
 * solves the queries that start with x, model "ys" those that start with y. Untrained, the router's
 * replies name no model and every query falls back to the best dev model (half right); after SFT on
 * the dev labels it routes held-out queries to the right specialist.
 */
class LlmRouterTest {
    @TempDir static Path dir;


    static ModelEndpoint specialist(String name, char prefix) {
        return ScriptedModel.text(name, r -> {
            String q = r.messages().get(r.messages().size() - 1).text();
            return q.charAt(0) == prefix ? "ok" : "no";
        });
    }

    @Test
    void fineTuningTheRouterOnDevLabelsRoutesHeldOutQueries() throws Exception {
        Path router = TinyModels.write(dir.resolve("router.gguf"), new TinyModels.Shape("qwen2", 64, 2, 4, 2, 96, 40, 1024, true, 1000000f),
                GgmlType.F32, 51);
        List<Example> dev = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            (i < 8 ? dev : test).add(new Example("x" + i, "x" + i + " query", Map.of(), List.of("ok"), Map.of()));
            (i < 8 ? dev : test).add(new Example("y" + i, "y" + i + " query", Map.of(), List.of("ok"), Map.of()));
        }
        Task task = new Task("xy", TaskType.EXACT_MATCH, dev, test);
        List<ModelEndpoint> pool = List.of(specialist("xs", 'x'), specialist("ys", 'y'));
        String spec = "gguf:" + router + "?threads=2&name=router";
        var method = Methods.trainedRouter().with("router_base_model", spec).with("router_sft_max_steps", 30)
                .with("router_sft_learning_rate", 1e-2).with("router_lora_rank", 8);
        GenerationSettings s = new GenerationSettings(4, 0.0, 1.0, 1, 2);
        RunReport untrained = MoCo.run().models(pool).method(method.with("router_sft_max_steps", 1).with("router_sft_learning_rate", 1e-9))
                .task(task).evaluator(new io.mocoj.methods.testing.ExactWordEvaluator()).settings(s).seed(2).baselines(false).execute();
        RunReport trained = MoCo.run().models(pool).method(method).task(task).evaluator(new io.mocoj.methods.testing.ExactWordEvaluator()).settings(s).seed(2)
                .logDir(dir.resolve("logs")).baselines(false).execute();
        assertEquals(16, ((Number) Reports.runEvent(trained, "llm_router_data").get("rows")).intValue(), "every dev query has one solver");
        List<?> losses = io.mocoj.methods.testing.TrainingJobs.of(trained, "router").losses();
        assertTrue(((Number) losses.get(losses.size() - 1)).doubleValue() < ((Number) losses.get(0)).doubleValue() / 2, losses.toString());
        System.out.println("llm router untrained " + untrained.summary().mean() + " trained " + trained.summary().mean());
        assertTrue(trained.summary().mean() >= untrained.summary().mean() + 0.3,
                "untrained " + untrained.summary().mean() + ", trained " + trained.summary().mean());
    }
}

package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.config.ConfigException;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.Level;
import io.mocoj.method.MethodRegistry;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names, defaults, refusals before any call, and MoCo's own example configs through the config path. */
class TeamMethodsConfigTest {
    static final List<String> NAMES = List.of("text_multiagent_refine", "text_multiagent_feedback", "text_knowledge_card",
            "text_llm_blender", "text_structure", "text_slm_mux", "text_moa", "text_heterogeneous_swarms", "text_bbmas");
    final Task task = McqTasks.generate("agieval_tiny", 20, 30, List.of("general"), 4);

    @Test
    void registeredUnderMoCoNamesWithMoCoDefaults() {
        for (String n : NAMES) assertEquals(Level.TEXT, MethodRegistry.byName(n).level(), n);
        assertEquals(3, Methods.multiagentRefine().hyperparameters().getInt("round"));
        assertEquals(1.0, Methods.multiagentRefine().hyperparameters().getDouble("ratio"));
        assertEquals(3, Methods.multiagentFeedback().hyperparameters().getInt("feedback_count"));
        assertEquals(false, Methods.knowledgeCard().hyperparameters().getBoolean("exclude_self"));
        assertEquals(3, Methods.llmBlender().hyperparameters().getInt("top_k"));
        assertEquals(128, Methods.llmBlender().hyperparameters().getInt("ranker_max_response_length"));
        assertEquals(3, Methods.structure().hyperparameters().getInt("num_rounds"));
        assertEquals(5, Methods.slmMux().hyperparameters().getInt("samples_per_model"));
        assertEquals("dev-based", Methods.slmMux().hyperparameters().getString("tie"));
        assertEquals(42, Methods.slmMux().hyperparameters().getInt("seed"));
        assertEquals(1, Methods.moa().hyperparameters().getInt("round"));
        assertEquals(5, Methods.heterogeneousSwarms().hyperparameters().getInt("population"));
        assertEquals(5, Methods.heterogeneousSwarms().hyperparameters().getInt("max_iterations"));
        assertEquals(0.25, Methods.heterogeneousSwarms().hyperparameters().getDouble("ratio"));
        assertEquals(0.2, Methods.heterogeneousSwarms().hyperparameters().getDouble("inertia"));
        assertEquals(1, Methods.bbmas().hyperparameters().getInt("max_num_agents_to_act"));
        assertEquals(1, Methods.bbmas().hyperparameters().getInt("min_num_agents_to_stop"));
        assertEquals(10, Methods.bbmas().hyperparameters().getInt("max_iterations"));
        assertEquals(3, Methods.bbmas().hyperparameters().getInt("max_num_retries"));
    }

    private SimulatedModel sim(String name) { return SimulatedModel.builder(task).name(name).build(); }

    /** The run is refused at build time with a message containing {@code expected}, and no model was called. */
    private void refused(CollaborationMethod method, List<SimulatedModel> pool, Task t, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MoCo.run().models(List.copyOf(pool)).method(method).task(t).build());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        for (SimulatedModel m : pool) assertEquals(0, m.callCount(), "no call before the refusal");
    }

    @Test
    void tooFewModelsAreRefusedBeforeAnyCall() {
        for (String n : NAMES) {
            CollaborationMethod m = n.equals("text_structure") ? Methods.structure().structure("chain") : MethodRegistry.byName(n).create(Map.of());
            refused(m, List.of(sim("solo")), task, "needs at least 2 models");
        }
    }

    @Test
    void badHyperparametersAreRefusedWithKeyValueAndWhatIsAllowed() {
        Map<String, Map<String, ?>> bad = Map.of(
                "text_heterogeneous_swarms", Map.of("population", 0),
                "text_bbmas", Map.of("max_num_retries", 0),
                "text_multiagent_refine", Map.of("round", 0),
                "text_multiagent_feedback", Map.of("feedback_count", 0),
                "text_moa", Map.of("ratio", 0.0),
                "text_slm_mux", Map.of("tie", "dev_based"),
                "text_llm_blender", Map.of("top_k", 0),
                "text_knowledge_card", Map.of("exclude_self", "yes"),
                "text_structure", Map.of("structure_type", "ring"));
        bad.forEach((name, hp) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodRegistry.byName(name).create(hp));
            String key = hp.keySet().iterator().next();
            assertTrue(e.getMessage().contains("hyperparameter '" + key + "' of method " + name) && e.getMessage().contains("expected"), e.getMessage());
        });
    }

    @Test
    void blenderTrainingOnDevNeedsARankerThatCanTrain() {
        refused(Methods.llmBlender().with("train_ranker_on_dev", true), List.of(sim("a"), sim("b")), task, "model 'sim:a' (the ranker), which cannot train");
        refused(Methods.llmBlender().with("train_fuser_on_dev", true).fuser("sim:b"), List.of(sim("a"), sim("b")), task, "model 'sim:b' (the fuser), which cannot train");
    }

    @Test
    void poolDependentSettingsAreCheckedBeforeAnyCall() {
        List<SimulatedModel> three = List.of(sim("a"), sim("b"), sim("c"));
        refused(Methods.structure(), three, task, "needs hyperparameter 'structure_type'");
        refused(Methods.structure().structureMatrix(List.of(List.of(0, 1), List.of(1, 0))), three, task, "structure_matrix has 2 rows but the pool has 3");
        refused(Methods.structure().structureMatrix(List.of(List.of(0, 1, 2), List.of(1, 0, 0), List.of(0, 0, 0))), three, task, "may only hold 0 and 1");
        refused(Methods.llmBlender().ranker("sim:zz"), three, task, "ranker_model_name 'sim:zz' is not a model of the pool");
        Task coding = new Task("code", TaskType.CODING, List.of(), List.of(new Example("1", "def f(): pass", Map.of(), List.of("x"), Map.of())));
        List<SimulatedModel> coders = List.of(SimulatedModel.builder(coding).name("a").build(), SimulatedModel.builder(coding).name("b").build());
        refused(Methods.slmMux(), coders, coding, "coding");
    }

    private RunReport runConfig(String json) {
        return ConfigRuns.toBuilder(MocoConfig.parse(json, null), c -> task).execute();
    }

    /** MoCo's examples/<method>.json for each method, model names swapped for simulated ones. */
    @Test
    void moCosOwnExampleConfigsRun() {
        String models = "[\"sim:m1?accuracy=0.5&persuade=0.3&aggregation_accuracy=0.6\", \"sim:m2?accuracy=0.6\","
                + " \"sim:m3?accuracy=0.7&judge_accuracy=0.8\", \"sim:m4?accuracy=0.55\"]";
        Map<String, String> specific = Map.of(
                "text_moa", ", \"round\": 1",
                "text_multiagent_refine", ", \"round\": 1",
                "text_multiagent_feedback", ", \"round\": 1",
                "text_llm_blender", "",
                "text_knowledge_card", "",
                "text_structure", ", \"structure_type\": \"star\"",
                "text_slm_mux", ", \"samples_per_model\": 5, \"tie\": \"dev-based\", \"seed\": 42",
                "text_heterogeneous_swarms", ", \"max_iterations\": 3, \"ratio\": 1.0",
                "text_bbmas", "");
        specific.forEach((method, extra) -> {
            RunReport r = runConfig("{\"method\": \"" + method + "\", \"task\": \"agieval_tiny\", \"task_type\": \"multiple_choice\","
                    + " \"gpu_ids\": [0,1,2,3], \"model_names\": " + models + ", \"hyperparameters\": {\"max_response_length\": 512,"
                    + " \"temperature\": 0.7, \"top_p\": 0.9, \"batch_size\": 32" + extra + "}}");
            assertEquals(method, r.method());
            assertEquals(30, r.examples().size(), method);
            assertEquals(0, r.summary().failed(), method);
            assertTrue(r.warnings().isEmpty(), method + " " + r.warnings());
        });
        ConfigException e = assertThrows(ConfigException.class, () -> runConfig(
                "{\"method\": \"text_moa\", \"task\": \"agieval_tiny\", \"model_names\": [\"sim:a\", \"sim:b\"], \"hyperparameters\": {\"round\": 1.5}}"));
        assertTrue(e.getMessage().contains("hyperparameter 'round' of method text_moa has value 1.5"), e.getMessage());
    }
}

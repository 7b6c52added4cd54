package io.mocoj.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.RunReport;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.methods.testing.DomainTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented configs of the API methods on TEXT models run through the config path. */
class ApiConfigPathTest {
    private final Task task = DomainTasks.generate("domains", 40, 20, List.of("arithmetic", "logic"), 3);

    private RunReport run(String json) {
        return ConfigRuns.toBuilder(MocoConfig.parse(json, null), c -> task).execute();
    }

    @Test
    void trainedRouterConfigWithCalibrationRuns() {
        RunReport r = run("""
                {"method": "api_trained_router", "task": "domains", "task_type": "multiple_choice", "gpu_ids": [0],
                 "model_names": ["sim:arith?accuracy=0.4&acc.arithmetic=0.95&price_in=0.1&price_out=0.1",
                                 "sim:logic?accuracy=0.4&acc.logic=0.95&price_in=3&price_out=15"],
                 "hyperparameters": {"max_response_length": 512, "classifier": "logistic", "calibrate": {"strong_share": 0.3}}}""");
        assertEquals(20, r.examples().size());
        Map<String, Object> cal = Reports.runEvent(r, "calibration");
        assertEquals("sim:logic", cal.get("strong_model"));
        assertEquals(Map.of("strong_share", 0.3), cal.get("target"));
    }

    @Test
    void graphRoutingConfigRuns() {
        RunReport r = run("""
                {"method": "api_graph_routing", "task": "domains", "task_type": "multiple_choice", "gpu_ids": [0],
                 "model_names": ["sim:arith?accuracy=0.4&acc.arithmetic=0.95", "sim:logic?accuracy=0.4&acc.logic=0.95"],
                 "hyperparameters": {"model_descriptions": ["good at arithmetic", "good at logic"], "task_description": "quiz",
                                     "hidden_features": 4, "train_epochs": 50, "scenario": "Balance", "calibrate": {"strong_share": 0.5}}}""");
        assertEquals(20, r.examples().size());
        assertEquals("Balance", Reports.runEvent(r, "graph").get("scenario"));
        assertEquals(Map.of("strong_share", 0.5), Reports.runEvent(r, "calibration").get("target"));
    }

    @Test
    void switchGenerationConfigRuns() {
        RunReport r = run("""
                {"method": "api_switch_generation", "task": "domains", "model_names": ["sim:a?accuracy=0.6", "sim:b?accuracy=0.7"],
                 "hyperparameters": {"patch_size": 25, "selector_model_name": "sim:b", "max_response_length": 100}}""");
        assertEquals(20, r.examples().size());
        assertEquals(4, Reports.runEvent(r, "switching").get("rounds"));
    }

    @Test
    void badApiHyperparametersAreRefusedBeforeAnyCall() {
        var e = assertThrows(RuntimeException.class, () -> run("""
                {"method": "api_trained_router", "task": "domains", "model_names": ["sim:a", "sim:b"],
                 "hyperparameters": {"calibrate": {"strong_share": "lots"}}}"""));
        assertTrue(e.getMessage().contains("calibrate"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> run("""
                {"method": "api_switch_generation", "task": "domains", "model_names": ["sim:a", "sim:b"], "hyperparameters": {}}"""));
        assertTrue(e.getMessage().contains("TRAIN"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> run("""
                {"method": "api_nudging", "task": "domains", "model_names": ["sim:a", "sim:b"], "hyperparameters": {"gamma": 0.4}}"""));
        assertTrue(e.getMessage().contains("LOGITS"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> run("""
                {"method": "api_mentor_collab", "task": "domains", "model_names": ["sim:a"], "hyperparameters": {}}"""));
        assertTrue(e.getMessage().contains("LOGITS") || e.getMessage().contains("exactly 2"), e.getMessage());
    }
}

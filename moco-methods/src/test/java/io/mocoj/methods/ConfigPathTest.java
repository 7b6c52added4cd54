package io.mocoj.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.RunReport;
import io.mocoj.config.ConfigException;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.methods.testing.Reports;
import io.mocoj.task.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented example configs of these methods run unchanged through the config path. */
class ConfigPathTest {
    private final Task task = McqTasks.generate("domains", 30, 60, List.of("algebra", "law"), 3);

    private RunReport run(String json) {
        return ConfigRuns.toBuilder(MocoConfig.parse(json, null), c -> task).execute();
    }

    @Test
    void promptRoutingConfigRuns() {
        RunReport r = run("""
                {
                  "method": "api_prompt_routing",
                  "task": "domains",
                  "task_type": "multiple_choice",
                  "gpu_ids": [0, 1],
                  "model_names": ["sim:algebra-expert?accuracy=0.3&acc.algebra=0.95&routing_skill=1",
                                  "sim:law-expert?accuracy=0.3&acc.law=0.95&routing_skill=1"],
                  "hyperparameters": {
                    "max_response_length": 512, "temperature": 0.7, "top_p": 0.9, "batch_size": 8,
                    "model_descriptions": ["strong at algebra, weak at everything else", "strong at law, weak at everything else"]
                  }
                }""");
        assertEquals("api_prompt_routing", r.method());
        assertEquals(60, r.examples().size());
        assertEquals(30, ((Number) Reports.runEvent(r, "routed_to").get("sim:algebra-expert")).intValue(),
                "a router of skill 1 sends every algebra question (half of them) to the algebra expert");
    }

    @Test
    void cascadeAndMajorityVoteConfigsRun() {
        RunReport cascade = run("""
                {"method": "api_cascade", "task": "domains", "model_names": ["sim:small?accuracy=0.5", "sim:large?accuracy=0.9"],
                 "hyperparameters": {"mode": "logit", "percentage": 0.5}}""");
        assertEquals(60, cascade.examples().size());
        RunReport vote = run("""
                {"method": "text_majority_vote", "task": "domains", "model_names": ["sim:a", "sim:b", "sim:c"],
                 "hyperparameters": {"tie": "dev-based"}}""");
        assertEquals(60, vote.examples().size());
        assertTrue(Reports.runEvent(vote, "dev_ranking").containsKey("models"));
    }

    @Test
    void badHyperparametersAreReportedBeforeAnyCall() {
        ConfigException e = assertThrows(ConfigException.class, () -> run("""
                {"method": "api_cascade", "task": "domains", "model_names": ["sim:a", "sim:b"],
                 "hyperparameters": {"percentage": "half"}}"""));
        assertTrue(e.getMessage().contains("hyperparameter 'percentage' of method api_cascade has value \"half\""), e.getMessage());
        RunReport warned = run("""
                {"method": "text_majority_vote", "task": "domains", "model_names": ["sim:a", "sim:b"],
                 "hyperparameters": {"tei": "random"}}""");
        assertTrue(warned.warnings().stream().anyMatch(w -> w.contains("'tei'") && w.contains("did you mean 'tie'?")), warned.warnings().toString());
    }
}

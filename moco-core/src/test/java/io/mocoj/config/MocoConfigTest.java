package io.mocoj.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MocoConfigTest {

    @Test
    void readsMocoShapeWithCommentsAndTrailingCommas() {
        MocoConfig c = MocoConfig.parse("""
                {
                  "method": "text_majority_vote",   // method name
                  "task": "agieval_tiny",
                  "task_type": "multiple_choice",
                  "gpu_ids": [0, 1, 2],
                  "model_names": ["sim:a", "sim:b", "sim:c"],
                  "hyperparameters": {"max_response_length": 256, "temperature": 0.2, "top_p": 0.95, "batch_size": 4, "tie": "dev-based",},
                }
                """, Path.of("cfg.json"));
        assertEquals("text_majority_vote", c.method());
        assertEquals(List.of("sim:a", "sim:b", "sim:c"), c.modelNames());
        assertEquals(256, c.settings().maxResponseLength());
        assertEquals(0.2, c.settings().temperature());
        assertEquals(0.95, c.settings().topP());
        assertEquals(4, c.settings().batchSize());
        assertEquals("dev-based", c.hyperparameters().get("tie"));
        assertTrue(c.warnings().isEmpty());
        assertTrue(c.baselines());
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() {
        var e = assertThrows(ConfigException.class, () -> MocoConfig.parse("{\n \"method\": \"x\",\n \"task\" \"y\"\n}", Path.of("bad.json")));
        assertTrue(e.getMessage().startsWith("bad.json:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void missingAndMistypedKeysAreNamed() {
        assertMessage("{\"task\":\"t\",\"model_names\":[\"sim:a\"]}", "missing \"method\"");
        assertMessage("{\"method\":\"m\",\"task\":\"t\"}", "missing \"model_names\"");
        assertMessage("{\"method\":\"m\",\"task\":\"t\",\"model_names\":[]}", "non-empty list");
        assertMessage("{\"method\":\"m\",\"task\":\"t\",\"model_names\":[3]}", "model_names[0] must be a string");
        assertMessage("{\"method\":\"m\",\"task\":\"t\",\"model_names\":[\"a\"],\"hyperparameters\":{\"temperature\":\"hot\"}}",
                "hyperparameters.temperature must be a number, found \"hot\"");
        assertMessage("{\"method\":\"m\",\"task\":\"t\",\"model_names\":[\"a\"],\"hyperparameters\":{\"top_p\":1.5}}", "top_p must be in (0, 1]");
        assertMessage("{\"method\":\"m\",\"task\":\"t\",\"model_names\":[\"a\"],\"limit\":-1}", "\"limit\" is -1, outside the allowed range [0, 2147483647]");
        assertMessage("[1,2]", "expected a JSON object");
    }

    @Test
    void unknownTopLevelKeysWarn() {
        MocoConfig c = MocoConfig.parse("{\"method\":\"m\",\"task\":\"t\",\"model_names\":[\"a\"],\"metod\":1}", null);
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().get(0).contains("unknown key 'metod'"));
    }

    @Test
    void relativeTaskFilesResolveAgainstTheConfigFolder() {
        MocoConfig c = MocoConfig.parse("{\"method\":\"m\",\"task\":\"data/demo.json\",\"model_names\":[\"a\"]}", Path.of("/x/y/cfg.json"));
        assertTrue(c.taskIsFile());
        assertEquals(Path.of("/x/y/data/demo.json"), c.resolve(c.task()));
    }

    private static void assertMessage(String json, String expected) {
        var e = assertThrows(ConfigException.class, () -> MocoConfig.parse(json, Path.of("c.json")));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

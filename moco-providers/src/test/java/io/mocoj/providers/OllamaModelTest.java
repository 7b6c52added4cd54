package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.TokenUsage;
import io.mocoj.providers.ollama.OllamaModel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaModelTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String chatResponse(String content, String doneReason, int promptTokens, int evalTokens) {
        return """
                {"model":"llama3.2:1b","created_at":"2026-01-01T00:00:00.000000Z",
                 "message":{"role":"assistant","content":"%s"},
                 "done":true,"done_reason":"%s","total_duration":123456,"load_duration":1000,
                 "prompt_eval_count":%d,"prompt_eval_duration":10,"eval_count":%d,"eval_duration":20}
                """.formatted(content, doneReason, promptTokens, evalTokens);
    }

    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    OllamaModel model() {
        return OllamaModel.builder().baseUrl(server.baseUrl("")).model("llama3.2:1b").timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void chatRoundTripMapsTextUsageFinishReasonAndOptions() throws Exception {
        server.enqueue(200, chatResponse("Paris.", "length", 31, 2));
        OllamaModel m = model();
        Generation g = m.generate(GenerationRequest.builder().system("answer briefly").user("Capital of France?")
                .maxTokens(40).temperature(0.2).topP(0.7).seed(99).stop("\n").build());

        assertEquals("Paris.", g.text());
        assertEquals(FinishReason.LENGTH, g.finishReason());
        assertEquals(new TokenUsage(31, 2), g.usage());
        assertEquals(Set.of(Capability.TEXT), m.capabilities());
        assertEquals("ollama:" + server.baseUrl("") + "|llama3.2:1b", m.identity());

        LoopbackServer.Recorded r = server.lastRequest();
        assertEquals("/api/chat", r.path());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("llama3.2:1b", body.get("model").asText());
        assertEquals("system", body.get("messages").get(0).get("role").asText());
        assertEquals("answer briefly", body.get("messages").get(0).get("content").asText());
        assertEquals("user", body.get("messages").get(1).get("role").asText());
        assertFalse(body.get("stream").asBoolean());
        JsonNode options = body.get("options");
        assertEquals(40, options.get("num_predict").asInt());
        assertEquals(0.2, options.get("temperature").asDouble());
        assertEquals(0.7, options.get("top_p").asDouble());
        assertEquals(99, options.get("seed").asInt());
        assertEquals("\n", options.get("stop").get(0).asText());
    }

    @Test
    void samplesAreSeparateCallsWithShiftedSeeds() throws Exception {
        server.enqueue(200, chatResponse("a", "stop", 5, 1)).enqueue(200, chatResponse("b", "stop", 5, 1));
        Generation g = model().generate(GenerationRequest.builder().user("q").samples(2).seed(7).build());
        assertEquals(List.of("a", "b"), g.samples());
        assertEquals(new TokenUsage(10, 2), g.usage());
        assertEquals(7, JSON.readTree(server.requests().get(0).body()).get("options").get("seed").asInt());
        assertEquals(8, JSON.readTree(server.requests().get(1).body()).get("options").get("seed").asInt());
    }

    @Test
    void unknownModelIsPermanentAndServerErrorTransient() {
        server.enqueue(404, "{\"error\":\"model \\\"llama3.2:1b\\\" not found, try pulling it first\"}");
        server.enqueue(500, "{\"error\":\"llama runner process has terminated\"}");
        OllamaModel m = model();
        ModelCallException missing = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("q")));
        assertFalse(missing.transientFailure());
        assertEquals(404, missing.httpStatus());
        assertTrue(missing.getMessage().contains("try pulling it first"), missing.getMessage());
        ModelCallException crashed = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("q")));
        assertTrue(crashed.transientFailure());
        assertEquals(500, crashed.httpStatus());
        assertEquals(2, server.requests().size(), "LangChain4j's own retries must be off");
    }

    @Test
    void seedFoldingAndUrlValidation() {
        assertEquals(-5, OllamaModel.toIntSeed(-5));
        assertEquals(Long.hashCode(1L << 40), OllamaModel.toIntSeed(1L << 40));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OllamaModel.builder().baseUrl("localhost:11434").model("x").build());
        assertTrue(e.getMessage().contains("http://"));
    }
}

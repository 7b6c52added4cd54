package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TokenUsage;
import io.mocoj.model.langchain4j.LangChain4jModel;
import io.mocoj.providers.openai.OpenAiLangChain4j;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LangChain4j's own OpenAiChatModel, wrapped, against the same canned chat-completions server. */
class OpenAiLangChain4jTest {
    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    LangChain4jModel model() {
        OpenAiChatModel chat = OpenAiChatModel.builder().baseUrl(server.baseUrl("/v1")).apiKey("sk-lc4j-test-key-999")
                .modelName("tiny").maxRetries(0).timeout(Duration.ofSeconds(5)).build();
        return OpenAiLangChain4j.wrap(chat).name("lc4j-tiny").redact("sk-lc4j-test-key-999").build();
    }

    @Test
    void logprobsAndSettingsGoThroughLangChain4j() throws Exception {
        server.enqueue(200, """
                {"choices":[{"index":0,"message":{"role":"assistant","content":"Four"},"finish_reason":"stop",
                  "logprobs":{"content":[{"token":"Four","logprob":-0.5,"top_logprobs":[
                    {"token":"Four","logprob":-0.5},{"token":"4","logprob":-1.0}]}]}}],
                 "usage":{"prompt_tokens":8,"completion_tokens":1,"total_tokens":9}}
                """);
        LangChain4jModel m = model();
        assertTrue(m.has(Capability.LOGPROBS));
        Generation g = m.generate(GenerationRequest.builder().user("q").maxTokens(9).temperature(0)
                .seed(5).topLogprobs(2).build());
        assertEquals("Four", g.text());
        assertEquals(new TokenUsage(8, 1), g.usage());
        assertEquals(List.of(new TokenLogprob("Four", -0.5, List.of(
                new TokenLogprob.Alternative("Four", -0.5), new TokenLogprob.Alternative("4", -1.0)))), g.logprobs());
        JsonNode body = new ObjectMapper().readTree(server.lastRequest().body());
        assertEquals("tiny", body.get("model").asText());
        assertEquals(5, body.get("seed").asInt());
        assertTrue(body.get("logprobs").asBoolean());
        assertEquals(2, body.get("top_logprobs").asInt());
        assertEquals(9, body.get("max_tokens").asInt());
    }

    @Test
    void severalChoicesAreRejectedByLangChain4jSoSamplesAreSeparateCalls() throws Exception {
        // OpenAiChatModel refuses a response with two choices; the adapter therefore asks for one per call.
        String one = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"s%d\"},\"finish_reason\":\"stop\"}]}";
        server.enqueue(200, one.formatted(1)).enqueue(200, one.formatted(2));
        Generation g = model().generate(GenerationRequest.builder().user("q").samples(2).seed(3).build());
        assertEquals(List.of("s1", "s2"), g.samples());
        ObjectMapper json = new ObjectMapper();
        assertEquals(3, json.readTree(server.requests().get(0).body()).get("seed").asInt());
        assertEquals(4, json.readTree(server.requests().get(1).body()).get("seed").asInt());
        assertFalse(json.readTree(server.requests().get(0).body()).has("n"));

        server.enqueue(200, OpenAiCompatibleModelTest.COMPLETION);
        assertThrows(ModelCallException.class, () -> model().generate(GenerationRequest.of("q")));
    }

    @Test
    void errorsAreMappedWithStatusAndNoKey() {
        server.enqueue(429, "{\"error\":{\"message\":\"slow down\"}}");
        server.enqueue(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-lc4j-test-key-999\"}}");
        LangChain4jModel m = model();
        ModelCallException rate = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("q")));
        assertTrue(rate.transientFailure());
        assertEquals(429, rate.httpStatus());
        ModelCallException auth = assertThrows(ModelCallException.class, () -> m.generate(GenerationRequest.of("q")));
        assertFalse(auth.transientFailure());
        assertEquals(401, auth.httpStatus());
        assertFalse(auth.getMessage().contains("sk-lc4j-test-key-999"), auth.getMessage());
        assertEquals(2, server.requests().size(), "maxRetries(0) means one request per call");
    }
}

package io.mocoj.model.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelPricing;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TokenUsage;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LangChain4jModelTest {

    /** A hand-written chat model: records every request and answers "echo-N: last user text". */
    static final class RecordingChatModel implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        dev.langchain4j.model.output.FinishReason finishReason = dev.langchain4j.model.output.FinishReason.STOP;
        Supplier<RuntimeException> failure;

        @Override
        public synchronized ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            int n = calls.incrementAndGet();
            if (failure != null) throw failure.get();
            UserMessage last = (UserMessage) request.messages().get(request.messages().size() - 1);
            return ChatResponse.builder()
                    .aiMessage(AiMessage.from("echo-" + n + ": " + last.singleText()))
                    .tokenUsage(new dev.langchain4j.model.output.TokenUsage(10 + n, 3 * n))
                    .finishReason(finishReason)
                    .build();
        }
    }

    @Test
    void mapsRolesParametersTextUsageAndFinishReason() {
        RecordingChatModel chat = new RecordingChatModel();
        chat.finishReason = dev.langchain4j.model.output.FinishReason.LENGTH;
        LangChain4jModel model = LangChain4jModel.builder(chat).name("m1").identity("test:m1")
                .pricing(ModelPricing.perMillionTokens(1, 2)).build();

        Generation g = model.generate(GenerationRequest.builder()
                .system("be brief").user("hi").assistant("hello").user("what is 2+2?")
                .maxTokens(64).temperature(0.3).topP(0.8).stop("###", "END").build());

        assertEquals("echo-1: what is 2+2?", g.text());
        assertEquals(FinishReason.LENGTH, g.finishReason());
        assertEquals(new TokenUsage(11, 3), g.usage());
        assertTrue(g.samples().isEmpty());
        assertFalse(g.hasLogprobs());

        ChatRequest sent = chat.requests.get(0);
        assertEquals(4, sent.messages().size());
        assertInstanceOf(SystemMessage.class, sent.messages().get(0));
        assertEquals("be brief", ((SystemMessage) sent.messages().get(0)).text());
        assertInstanceOf(UserMessage.class, sent.messages().get(1));
        assertInstanceOf(AiMessage.class, sent.messages().get(2));
        assertEquals("hello", ((AiMessage) sent.messages().get(2)).text());
        assertEquals(64, sent.parameters().maxOutputTokens());
        assertEquals(0.3, sent.parameters().temperature());
        assertEquals(0.8, sent.parameters().topP());
        assertEquals(List.of("###", "END"), sent.parameters().stopSequences());

        assertEquals("m1", model.name());
        assertEquals("test:m1", model.identity());
        assertEquals(java.util.Set.of(Capability.TEXT), model.capabilities());
        assertEquals(1.0, model.pricing().inputPerMillion());
    }

    @Test
    void severalSamplesMakeSeveralCallsWithShiftedSeedsAndSummedUsage() {
        RecordingChatModel chat = new RecordingChatModel();
        List<OptionalLong> seeds = new ArrayList<>();
        LangChain4jModel model = LangChain4jModel.builder(chat).name("m").parameters((req, seed) -> {
            seeds.add(seed);
            return LangChain4jModel.genericParameters(req, seed);
        }).build();

        Generation g = model.generate(GenerationRequest.builder().user("q").samples(3).seed(41).build());

        assertEquals(3, chat.calls.get());
        assertEquals(List.of("echo-1: q", "echo-2: q", "echo-3: q"), g.samples());
        assertEquals("echo-1: q", g.text());
        // usage: prompt 11+12+13, completion 3+6+9
        assertEquals(new TokenUsage(36, 18), g.usage());
        assertEquals(List.of(OptionalLong.of(41), OptionalLong.of(42), OptionalLong.of(43)), seeds);
    }

    @Test
    void logprobExtractorAddsCapabilityAndIsTrimmedToTopK() {
        RecordingChatModel chat = new RecordingChatModel();
        TokenLogprob t = new TokenLogprob("4", -0.1, List.of(
                new TokenLogprob.Alternative("4", -0.1), new TokenLogprob.Alternative("5", -2.5),
                new TokenLogprob.Alternative("3", -3.0)));
        LangChain4jModel model = LangChain4jModel.builder(chat).logprobs(r -> List.of(t)).build();
        assertTrue(model.has(Capability.LOGPROBS));

        Generation with = model.generate(GenerationRequest.builder().user("q").topLogprobs(2).build());
        assertEquals(1, with.logprobs().size());
        assertEquals(List.of(new TokenLogprob.Alternative("4", -0.1), new TokenLogprob.Alternative("5", -2.5)),
                with.logprobs().get(0).top());

        Generation without = model.generate(GenerationRequest.of("q"));
        assertFalse(without.hasLogprobs());
    }

    private static ModelCallException failWith(Supplier<RuntimeException> failure) {
        RecordingChatModel chat = new RecordingChatModel();
        chat.failure = failure;
        LangChain4jModel model = LangChain4jModel.builder(chat).name("failing").redact("sk-secret-123456").build();
        return assertThrows(ModelCallException.class, () -> model.generate(GenerationRequest.of("q")));
    }

    @Test
    void transientFailures() {
        ModelCallException rate = failWith(() -> new RateLimitException(new HttpException(429, "slow down")));
        assertTrue(rate.transientFailure());
        assertEquals(429, rate.httpStatus());
        assertTrue(rate.getMessage().contains("slow down"), rate.getMessage());
        assertEquals("failing", rate.model());

        ModelCallException server = failWith(() -> new InternalServerException(new HttpException(503, "overloaded")));
        assertTrue(server.transientFailure());
        assertEquals(503, server.httpStatus());

        assertTrue(failWith(() -> new TimeoutException("read timed out")).transientFailure());
        ModelCallException reset = failWith(() -> new LangChain4jException(new RuntimeException(new SocketException("Connection reset"))));
        assertTrue(reset.transientFailure());
        assertTrue(reset.getMessage().contains("Connection reset"));
        // a bare HTTP 502 that no mapper classified is still transient
        assertTrue(failWith(() -> new HttpException(502, "bad gateway")).transientFailure());
    }

    @Test
    void permanentFailuresAndRedaction() {
        ModelCallException auth = failWith(() -> new AuthenticationException(
                new HttpException(401, "{\"error\":\"Incorrect API key provided: sk-secret-123456\"}")));
        assertFalse(auth.transientFailure());
        assertEquals(401, auth.httpStatus());
        assertTrue(auth.getMessage().contains("authentication failed"), auth.getMessage());
        assertFalse(auth.getMessage().contains("sk-secret-123456"), auth.getMessage());
        assertTrue(auth.getMessage().contains("[redacted]"));

        ModelCallException notFound = failWith(() -> new ModelNotFoundException(new HttpException(404, "no such model")));
        assertFalse(notFound.transientFailure());
        assertTrue(notFound.getMessage().contains("no such model"));

        assertFalse(failWith(() -> new InvalidRequestException(new HttpException(400, "bad"))).transientFailure());
        assertFalse(failWith(() -> new IllegalStateException("bug")).transientFailure());
    }

    @Test
    void nullTextBecomesEmptyString() {
        ChatModel toolCaller = new ChatModel() {
            @Override public ChatResponse doChat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(new AiMessage(List.of(
                        dev.langchain4j.agent.tool.ToolExecutionRequest.builder().name("f").arguments("{}").build())))
                        .finishReason(dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION).build();
            }
        };
        Generation g = LangChain4jModel.builder(toolCaller).build().generate(GenerationRequest.of("q"));
        assertEquals("", g.text());
        assertEquals(FinishReason.OTHER, g.finishReason());
        assertEquals(TokenUsage.ZERO, g.usage());
    }
}

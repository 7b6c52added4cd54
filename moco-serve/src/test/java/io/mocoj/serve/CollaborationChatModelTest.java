package io.mocoj.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import io.mocoj.chat.CollaborationChatModel;
import io.mocoj.chat.CollaborationResponseMetadata;
import io.mocoj.methods.Methods;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.Role;
import io.mocoj.sim.SimulatedModel;
import io.mocoj.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CollaborationChatModelTest {

    @Test
    void everyCallCarriesTheConversationAndNoAnswerFormatSuffix() {
        TestPools.EchoModel echo = new TestPools.EchoModel("echo", Duration.ZERO);
        ChatModel chat = CollaborationChatModel.builder().models(echo).method(Methods.singleModel()).build();
        ChatResponse r = chat.chat(ChatRequest.builder().messages(
                SystemMessage.from("You are terse."),
                UserMessage.from("What is 2+2?"),
                AiMessage.from("4."),
                UserMessage.from("And 3+3?")).build());

        assertEquals("echo heard: And 3+3?", r.aiMessage().text());
        assertEquals(1, echo.requests.size());
        List<ChatMessage> sent = echo.requests.get(0).messages();
        assertEquals(List.of(ChatMessage.system("You are terse."), ChatMessage.user("What is 2+2?"),
                ChatMessage.assistant("4."), ChatMessage.user("And 3+3?")), sent, "roles, order and text exactly as given");
        assertEquals(7, r.tokenUsage().inputTokenCount());
        assertEquals(3, r.tokenUsage().outputTokenCount());
    }

    @Test
    void requestParametersMapOntoThePoolsCallsAndStopCutsTheAnswer() {
        TestPools.EchoModel echo = new TestPools.EchoModel("echo", Duration.ZERO);
        ChatModel chat = CollaborationChatModel.builder().models(echo).method(Methods.singleModel()).build();
        ChatResponse r = chat.chat(ChatRequest.builder().messages(UserMessage.from("one STOP two"))
                .parameters(ChatRequestParameters.builder().temperature(0.0).topP(0.5).maxOutputTokens(17).stopSequences(List.of("STOP")).build())
                .build());
        GenerationRequest sent = echo.requests.get(0);
        assertEquals(0.0, sent.temperature());
        assertEquals(0.5, sent.topP());
        assertEquals(17, sent.maxTokens());
        assertEquals(List.of("STOP"), sent.stop());
        assertEquals("echo heard: one ", r.aiMessage().text(), "the final text is cut at the stop sequence");
    }

    @Test
    void usageIsSummedOverThePoolAndTheTraceReachesListeners() {
        TestPools.EchoModel a = new TestPools.EchoModel("a", Duration.ZERO), b = new TestPools.EchoModel("b", Duration.ZERO);
        AtomicReference<ChatResponse> seen = new AtomicReference<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override public void onResponse(ChatModelResponseContext ctx) { seen.set(ctx.chatResponse()); }
        };
        // prompt routing: the router (first model, no calibration) names a model, which then answers
        ChatModel chat = CollaborationChatModel.builder().models(a, b).method(Methods.promptRouting().modelDescriptions(List.of("a generalist", "another generalist"))).listener(listener).build();
        ChatResponse r = chat.chat(UserMessage.from("route me"));
        int calls = a.requests.size() + b.requests.size();
        assertTrue(calls >= 2, "router call + answer: " + calls);
        assertEquals(7 * calls, r.tokenUsage().inputTokenCount(), "prompt tokens summed over every call of the pool");
        assertEquals(3 * calls, r.tokenUsage().outputTokenCount());
        CollaborationResponseMetadata m = (CollaborationResponseMetadata) seen.get().metadata();
        assertEquals("api_prompt_routing", m.method());
        assertTrue(m.trace().stream().anyMatch(e -> e.event().equals("route")), "trace events: " + m.trace());
        assertEquals(calls, m.usage().stream().mapToLong(u -> u.calls()).sum());
    }

    @Test
    void devWorkIsDoneOnceForAllTurns() {
        Task task = TestPools.mcq(40, 20, List.of("algebra", "law"), 5);
        SimulatedModel weak = SimulatedModel.builder(task).name("weak").accuracy(0.3).seed(1).build();
        SimulatedModel strong = SimulatedModel.builder(task).name("strong").accuracy(0.9).seed(2).build();
        CollaborationChatModel chat = CollaborationChatModel.builder().models(weak, strong)
                .method(Methods.promptRouting().modelDescriptions(List.of("a weak model", "a strong model"))).calibration(task).build();
        assertEquals(0, weak.callCount() + strong.callCount(), "building makes no call");

        ChatResponse first = chat.chat(ChatRequest.builder().messages(UserMessage.from(task.test().get(0).input())).build());
        long afterFirst = weak.callCount() + strong.callCount();
        assertEquals(2 * 40 + 2, afterFirst, "the first turn scores both models on the 40 dev examples, then routes (1 call) and answers (1 call)");
        CollaborationResponseMetadata m = (CollaborationResponseMetadata) first.metadata();
        assertTrue(m.trace().stream().anyMatch(e -> e.event().equals("router") && "sim:strong".equals(e.data().get("model"))),
                "the best dev model routes: " + m.trace());

        chat.chat(UserMessage.from(task.test().get(1).input()));
        chat.chat(UserMessage.from(task.test().get(2).input()));
        assertEquals(afterFirst + 4, weak.callCount() + strong.callCount(), "later turns reuse the dev ranking: 2 calls each");
    }

    @Test
    void methodsThatOnlyVoteOnShortAnswersAreRefusedAtBuild() {
        TestPools.EchoModel a = new TestPools.EchoModel("a", Duration.ZERO), b = new TestPools.EchoModel("b", Duration.ZERO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CollaborationChatModel.builder().models(a, b).method(Methods.majorityVote()).build());
        assertTrue(e.getMessage().contains("text_majority_vote works only on scored tasks"), e.getMessage());
        assertTrue(a.requests.isEmpty() && b.requests.isEmpty());
    }

    @Test
    void toolsAndImagesAreRefusedClearly() {
        TestPools.EchoModel echo = new TestPools.EchoModel("echo", Duration.ZERO);
        ChatModel chat = CollaborationChatModel.builder().models(echo).method(Methods.singleModel()).build();
        var tool = dev.langchain4j.agent.tool.ToolSpecification.builder().name("weather").description("gets the weather").build();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> chat.chat(ChatRequest.builder()
                .messages(UserMessage.from("hi")).toolSpecifications(tool).build()));
        assertTrue(e.getMessage().contains("cannot call tools"), e.getMessage());
        var image = UserMessage.from(dev.langchain4j.data.message.TextContent.from("what is this?"),
                dev.langchain4j.data.message.ImageContent.from("https://example.invalid/cat.png"));
        assertThrows(UnsupportedFeatureException.class, () -> chat.chat(image));
        assertTrue(echo.requests.isEmpty(), "nothing was sent");
    }

    interface Assistant {
        String reply(String message);
    }

    @Test
    void dropsIntoAiServices() {
        TestPools.EchoModel echo = new TestPools.EchoModel("echo", Duration.ZERO);
        ChatModel chat = CollaborationChatModel.builder().models(echo).method(Methods.singleModel()).build();
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(chat)
                .systemMessageProvider(id -> "Answer in one word.").build();
        assertEquals("echo heard: hello", assistant.reply("hello"));
        assertEquals(Role.SYSTEM, echo.requests.get(0).messages().get(0).role());
        assertEquals("Answer in one word.", echo.requests.get(0).messages().get(0).text());
    }

    @Test
    void theStreamingViewDeliversTheWholeAnswerThenCompletes() throws Exception {
        TestPools.EchoModel echo = new TestPools.EchoModel("echo", Duration.ZERO);
        CollaborationChatModel chat = CollaborationChatModel.builder().models(echo).method(Methods.singleModel()).build();
        StringBuilder partial = new StringBuilder();
        java.util.concurrent.CompletableFuture<ChatResponse> done = new java.util.concurrent.CompletableFuture<>();
        chat.streaming().chat(ChatRequest.builder().messages(UserMessage.from("stream it")).build(),
                new dev.langchain4j.model.chat.response.StreamingChatResponseHandler() {
                    @Override public void onPartialResponse(String s) { partial.append(s); }
                    @Override public void onCompleteResponse(ChatResponse r) { done.complete(r); }
                    @Override public void onError(Throwable t) { done.completeExceptionally(t); }
                });
        assertEquals("echo heard: stream it", partial.toString());
        assertEquals("echo heard: stream it", done.get().aiMessage().text());
    }
}

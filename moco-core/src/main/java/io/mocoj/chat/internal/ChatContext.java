package io.mocoj.chat.internal;

import io.mocoj.method.DevEvaluation;
import io.mocoj.method.GenerationSettings;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.Trace;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.Role;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** A method context that puts the conversation before every request and serves a shared dev evaluation. */
final class ChatContext implements MethodContext {
    private final MethodContext delegate;
    private final List<ChatMessage> conversation;
    private final List<String> stop;
    private final Supplier<DevEvaluation> dev;

    ChatContext(MethodContext delegate, List<ChatMessage> conversation, List<String> stop, Supplier<DevEvaluation> dev) {
        this.delegate = delegate;
        this.conversation = conversation;
        this.stop = stop;
        this.dev = dev;
    }

    @Override public List<ModelEndpoint> models() { return delegate.models(); }
    @Override public Task task() { return delegate.task(); }
    @Override public Evaluator evaluator() { return delegate.evaluator(); }
    @Override public GenerationSettings settings() { return delegate.settings(); }
    @Override public <T, R> List<R> parallel(List<T> items, Function<T, R> work) { return delegate.parallel(items, work); }
    @Override public DevEvaluation devEvaluation() { return dev.get(); }
    @Override public MethodOutput forEachTest(ExampleSolver solver) { return delegate.forEachTest(solver); }
    @Override public RandomGenerator random(String stream) { return delegate.random(stream); }
    @Override public Trace trace() { return delegate.trace(); }

    @Override
    public Generation generate(ModelEndpoint model, GenerationRequest request) {
        return delegate.generate(model, withConversation(conversation, stop, request));
    }

    /**
     * The request with the conversation first. System texts (the user's, then the method's) are joined
     * into one leading system message, since many chat templates accept only one.
     */
    static GenerationRequest withConversation(List<ChatMessage> conversation, List<String> stop, GenerationRequest request) {
        if (conversation.isEmpty() && stop.isEmpty()) return request;
        List<String> system = new ArrayList<>();
        List<ChatMessage> turns = new ArrayList<>();
        for (ChatMessage m : conversation) {
            if (m.role() == Role.SYSTEM) system.add(m.text()); else turns.add(m);
        }
        List<ChatMessage> own = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            if (m.role() == Role.SYSTEM && own.isEmpty()) {
                system.add(m.text());
            } else {
                own.add(m);
            }
        }
        List<ChatMessage> all = new ArrayList<>();
        if (!system.isEmpty()) all.add(ChatMessage.system(String.join("\n\n", system)));
        all.addAll(turns);
        all.addAll(own);
        List<String> stops = new ArrayList<>(request.stop());
        for (String s : stop) if (!stops.contains(s)) stops.add(s);
        return new GenerationRequest(all, request.maxTokens(), request.temperature(), request.topP(), request.seed(),
                stops, request.samples(), request.logprobs(), request.topLogprobs());
    }
}

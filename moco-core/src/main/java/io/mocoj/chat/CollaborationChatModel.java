package io.mocoj.chat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.mocoj.MoCo;
import io.mocoj.RetryPolicy;
import io.mocoj.RunBuilder;
import io.mocoj.RunFailedException;
import io.mocoj.RunReport;
import io.mocoj.chat.internal.ChatEvaluator;
import io.mocoj.chat.internal.ChatScopedMethod;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.GenerationSettings;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import io.mocoj.task.Tasks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A collaboration method over a pool of models, as a LangChain4j {@link ChatModel}: it drops into
 * {@code AiServices} and every LangChain4j integration.
 *
 * <pre>{@code
 * ChatModel chat = CollaborationChatModel.builder()
 *         .models(a, b, c)
 *         .method(Methods.byName("api_prompt_routing", Map.of()))
 *         .calibration(Datasets.load("agieval_tiny"))      // only methods that use dev data need it
 *         .build();
 * String answer = chat.chat("Why is the sky blue?");
 * }</pre>
 *
 * <p>Each request is one free-form turn: the user's last message goes to the method as written (no
 * benchmark answer-format suffix), and every call the method makes carries the system message and
 * the earlier turns first. The request's temperature, top-p, max output tokens and stop sequences
 * replace the defaults for that turn; stop sequences are passed to every call and the final text is
 * also cut at the first one. Methods that rank the pool on dev data do so once, on the calibration
 * task, by the first turn that needs it; the result is kept for the model's lifetime. Token usage in
 * the response is the sum over every call of the pool for the turn; the method's trace and per-model
 * usage are in {@link CollaborationResponseMetadata}. Tools, JSON response formats and images are
 * refused with {@link UnsupportedFeatureException}.
 */
public final class CollaborationChatModel implements ChatModel {
    private final List<ModelEndpoint> models;
    private final CollaborationMethod method;
    private final Task calibration;
    private final Evaluator calibrationEvaluator;
    private final GenerationSettings settings;
    private final int concurrency;
    private final RetryPolicy retry;
    private final Path cacheDir;
    private final List<ChatModelListener> listeners;
    private final String name;
    private final ChatScopedMethod.DevMemo devMemo = new ChatScopedMethod.DevMemo();
    private final AtomicLong turns = new AtomicLong();

    private CollaborationChatModel(Builder b) {
        this.models = List.copyOf(b.models);
        this.method = b.method;
        this.calibration = b.calibration;
        this.calibrationEvaluator = b.calibration == null ? null
                : b.calibrationEvaluator != null ? b.calibrationEvaluator : Tasks.evaluatorFor(b.calibration);
        this.settings = b.settings;
        this.concurrency = b.concurrency;
        this.retry = b.retry;
        this.cacheDir = b.cacheDir;
        this.listeners = List.copyOf(b.listeners);
        this.name = b.name != null ? b.name : method.name();
    }

    public static Builder builder() { return new Builder(); }

    /** The name this model answers to (the method's by default). */
    public String name() { return name; }

    /** The method, for callers that want its hyperparameters. */
    public CollaborationMethod method() { return method; }

    /** The pool, in order. */
    public List<ModelEndpoint> models() { return models; }

    @Override public List<ChatModelListener> listeners() { return listeners; }

    /**
     * This model as a LangChain4j {@link StreamingChatModel}, for integrations that need one. A method's
     * answer is known only when its last stage has finished, so the whole answer arrives as one partial
     * response, followed by the complete response (or the error).
     */
    public StreamingChatModel streaming() {
        CollaborationChatModel self = this;
        return new StreamingChatModel() {
            @Override public List<ChatModelListener> listeners() { return self.listeners; }

            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                ChatResponse r;
                try {
                    r = self.doChat(request);
                } catch (RuntimeException e) {
                    handler.onError(e);
                    return;
                }
                handler.onPartialResponse(r.aiMessage().text());
                handler.onCompleteResponse(r);
            }
        };
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        ChatRequestParameters p = request.parameters();
        if (p != null && p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedFeatureException("a collaboration method (" + method.name() + ") cannot call tools");
        }
        if (p != null && p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
            throw new UnsupportedFeatureException("a collaboration method (" + method.name() + ") has no JSON response mode; ask for JSON in the prompt");
        }
        List<ChatMessage> conversation = toConversation(request.messages());
        ChatMessage last = conversation.remove(conversation.size() - 1);
        GenerationSettings turnSettings = turnSettings(p);
        List<String> stop = p == null || p.stopSequences() == null ? List.of() : p.stopSequences();

        Example turn = new Example("chat-" + turns.incrementAndGet(), last.text(), Map.of(), List.of(),
                Map.of(ChatEvaluator.CHAT_FIELD, true));
        TaskType type = calibration != null ? calibration.type() : TaskType.TEXT_GENERATION;
        Task task = new Task(calibration != null ? calibration.name() : "chat", type,
                calibration != null ? calibration.dev() : List.of(), List.of(turn));
        RunBuilder run = MoCo.run().models(models).method(new ChatScopedMethod(method, conversation, devMemo, stop))
                .task(task).evaluator(new ChatEvaluator(type, calibrationEvaluator))
                .settings(turnSettings).concurrency(concurrency).retry(retry).baselines(false).failFast(true);
        if (cacheDir != null) run.cacheDir(cacheDir);
        RunReport report;
        try {
            report = run.execute();
        } catch (RunFailedException e) {
            throw new LangChain4jException(method.name() + " could not answer: " + e.getMessage(), e);
        }
        String text = cutAtStop(report.examples().get(0).output(), stop);
        long in = 0, out = 0;
        for (RunReport.ModelUsage u : report.summary().usage()) {
            in += u.promptTokens();
            out += u.completionTokens();
        }
        CollaborationResponseMetadata metadata = CollaborationResponseMetadata.newBuilder()
                .method(method.name()).trace(report.trace()).usage(report.summary().usage())
                .id(turn.id()).modelName(name).tokenUsage(new TokenUsage((int) in, (int) out)).finishReason(FinishReason.STOP)
                .build();
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).metadata(metadata).build();
    }

    private GenerationSettings turnSettings(ChatRequestParameters p) {
        if (p == null) return settings;
        return new GenerationSettings(
                p.maxOutputTokens() != null ? p.maxOutputTokens() : settings.maxResponseLength(),
                p.temperature() != null ? p.temperature() : settings.temperature(),
                p.topP() != null ? p.topP() : settings.topP(),
                settings.batchSize(), settings.seed());
    }

    static String cutAtStop(String text, List<String> stop) {
        int cut = text.length();
        for (String s : stop) {
            if (s.isEmpty()) continue;
            int i = text.indexOf(s);
            if (i >= 0) cut = Math.min(cut, i);
        }
        return text.substring(0, cut);
    }

    private static List<ChatMessage> toConversation(List<dev.langchain4j.data.message.ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) throw new IllegalArgumentException("a chat request needs at least one message");
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (dev.langchain4j.data.message.ChatMessage m : messages) {
            if (m instanceof SystemMessage s) {
                out.add(ChatMessage.system(s.text()));
            } else if (m instanceof UserMessage u) {
                if (!u.hasSingleText()) throw new UnsupportedFeatureException("a collaboration method takes text only; this user message has "
                        + u.contents().size() + " parts (images, audio or files are not supported)");
                out.add(ChatMessage.user(u.singleText()));
            } else if (m instanceof AiMessage a) {
                if (a.hasToolExecutionRequests()) throw new UnsupportedFeatureException("tool calls in the history are not supported by a collaboration method");
                out.add(ChatMessage.assistant(a.text() == null ? "" : a.text()));
            } else {
                throw new UnsupportedFeatureException("message type " + m.type() + " is not supported by a collaboration method (text system, user and assistant messages only)");
            }
        }
        if (out.get(out.size() - 1).role() != io.mocoj.model.Role.USER) {
            throw new IllegalArgumentException("the last message of a chat request must be the user's (it was " + out.get(out.size() - 1).role() + ")");
        }
        return out;
    }

    /** Builder for {@link CollaborationChatModel}; {@link #build()} refuses what cannot work, before any call. */
    public static final class Builder {
        private final List<ModelEndpoint> models = new ArrayList<>();
        private CollaborationMethod method;
        private Task calibration;
        private Evaluator calibrationEvaluator;
        private GenerationSettings settings = GenerationSettings.DEFAULTS;
        private int concurrency = 64;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Path cacheDir;
        private final List<ChatModelListener> listeners = new ArrayList<>();
        private String name;

        private Builder() {}

        public Builder models(ModelEndpoint... pool) { return models(List.of(pool)); }
        public Builder models(List<? extends ModelEndpoint> pool) { models.clear(); models.addAll(pool); return this; }
        public Builder method(CollaborationMethod m) { this.method = m; return this; }
        /** A scored task whose dev split calibrates dev-based methods (best dev model, routers, thresholds). */
        public Builder calibration(Task task) { this.calibration = task; return this; }
        /** The evaluator of the calibration task (found by its type when not given). */
        public Builder calibrationEvaluator(Evaluator e) { this.calibrationEvaluator = e; return this; }
        /** Defaults for temperature, top-p, max tokens and the seed; a request's parameters override them. */
        public Builder settings(GenerationSettings s) { this.settings = Objects.requireNonNull(s); return this; }
        /** Calls in flight at once for one turn (default 64). */
        public Builder concurrency(int n) {
            if (n <= 0) throw new IllegalArgumentException("concurrency must be positive, was " + n);
            this.concurrency = n;
            return this;
        }
        public Builder retry(RetryPolicy r) { this.retry = Objects.requireNonNull(r); return this; }
        /** Keeps responses on disk, so dev work survives a restart. */
        public Builder cacheDir(Path dir) { this.cacheDir = dir; return this; }
        public Builder listener(ChatModelListener l) { listeners.add(Objects.requireNonNull(l)); return this; }
        /** The model name reported in responses (default: the method's name). */
        public Builder name(String n) { this.name = n; return this; }

        public CollaborationChatModel build() {
            if (method == null) throw new IllegalArgumentException("no method: call .method(...)");
            if (models.isEmpty()) throw new IllegalArgumentException("no models: call .models(...) with at least one model");
            if (!method.supportedTaskTypes().contains(TaskType.TEXT_GENERATION)) {
                throw new IllegalArgumentException(method.name() + " works only on scored tasks with short answers ("
                        + method.supportedTaskTypes().stream().map(TaskType::configName).toList()
                        + "): its outputs are chosen by comparing extracted answers, which free-form chat does not have;"
                        + " use a method that supports text_generation (e.g. api_prompt_routing, api_cascade, single_model)");
            }
            if (calibration != null && !method.supportedTaskTypes().contains(calibration.type())) {
                throw new IllegalArgumentException(method.name() + " does not support the calibration task's type "
                        + calibration.type().configName() + " (task " + calibration.name() + ")");
            }
            if (calibration != null && calibration.dev().isEmpty()) {
                throw new IllegalArgumentException("the calibration task " + calibration.name() + " has an empty dev split");
            }
            // the same checks a run makes (capabilities, pool shape), once, before any call
            Task probe = new Task("chat", calibration != null ? calibration.type() : TaskType.TEXT_GENERATION,
                    calibration != null ? calibration.dev() : List.of(),
                    List.of(new Example("probe", "", Map.of(), List.of(), Map.of(ChatEvaluator.CHAT_FIELD, true))));
            Evaluator ce = calibration == null ? null : calibrationEvaluator != null ? calibrationEvaluator : Tasks.evaluatorFor(calibration);
            MoCo.run().models(models).method(method).task(probe).evaluator(new ChatEvaluator(probe.type(), ce)).build();
            return new CollaborationChatModel(this);
        }
    }
}

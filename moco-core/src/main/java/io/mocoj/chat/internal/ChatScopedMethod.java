package io.mocoj.chat.internal;

import io.mocoj.method.CollaborationMethod;
import io.mocoj.method.DevEvaluation;
import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodOutput;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.TaskType;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs a method for one chat turn: every call it makes carries the conversation (system message and
 * earlier turns) before the method's own messages, and its dev evaluation comes from a memo shared by
 * all turns of one chat model, so dev work is done once.
 */
public final class ChatScopedMethod implements CollaborationMethod {
    private final CollaborationMethod method;
    private final List<ChatMessage> conversation;
    private final DevMemo dev;
    private final List<String> stop;

    /** @param stop stop sequences added to every call of the turn */
    public ChatScopedMethod(CollaborationMethod method, List<ChatMessage> conversation, DevMemo dev, List<String> stop) {
        this.method = method;
        this.conversation = List.copyOf(conversation);
        this.dev = dev;
        this.stop = List.copyOf(stop);
    }

    @Override public String name() { return method.name(); }
    @Override public Level level() { return method.level(); }
    @Override public Set<Capability> requiredCapabilities() { return method.requiredCapabilities(); }
    @Override public Hyperparameters hyperparameters() { return method.hyperparameters(); }
    @Override public Set<TaskType> supportedTaskTypes() { return method.supportedTaskTypes(); }
    @Override public void checkPool(List<ModelEndpoint> models) { method.checkPool(models); }
    @Override public java.util.Optional<io.mocoj.method.CallPlan> plannedCalls(List<ModelEndpoint> models, int devExamples, int testExamples) {
        return method.plannedCalls(models, devExamples, testExamples);
    }

    @Override
    public MethodOutput run(MethodContext context) {
        return method.run(new ChatContext(context, conversation, stop, () -> dev.get(context::devEvaluation)));
    }

    /** The dev evaluation of a chat model, computed by the first turn that asks for it. */
    public static final class DevMemo {
        private volatile DevEvaluation value;

        public DevMemo() {}

        DevEvaluation get(Supplier<DevEvaluation> compute) {
            DevEvaluation v = value;
            if (v != null) return v;
            synchronized (this) {
                if (value == null) value = compute.get();
                return value;
            }
        }

        /** Whether a turn has computed it already. */
        public boolean computed() { return value != null; }
    }
}

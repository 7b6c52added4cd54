package io.mocoj.chat;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import io.mocoj.RunReport;
import java.util.List;

/**
 * The metadata of a {@link CollaborationChatModel} response: LangChain4j's fields (token usage summed
 * over every call the pool made for this turn) plus the method's trace and per-model usage, for
 * listeners and callers that cast {@code response.metadata()}.
 */
public final class CollaborationResponseMetadata extends ChatResponseMetadata {
    private final String method;
    private final List<RunReport.TraceEvent> trace;
    private final List<RunReport.ModelUsage> usage;

    private CollaborationResponseMetadata(Builder b) {
        super(b);
        this.method = b.method;
        this.trace = List.copyOf(b.trace);
        this.usage = List.copyOf(b.usage);
    }

    /** The method's MoCo name. */
    public String method() { return method; }

    /** What the method recorded while answering (votes, routing decisions, debate rounds...). */
    public List<RunReport.TraceEvent> trace() { return trace; }

    /** Calls, tokens, latency and cost per model of the pool for this turn. */
    public List<RunReport.ModelUsage> usage() { return usage; }

    static Builder newBuilder() { return new Builder(); }

    static final class Builder extends ChatResponseMetadata.Builder<Builder> {
        private String method = "";
        private List<RunReport.TraceEvent> trace = List.of();
        private List<RunReport.ModelUsage> usage = List.of();

        Builder method(String m) { method = m; return this; }
        Builder trace(List<RunReport.TraceEvent> t) { trace = t; return this; }
        Builder usage(List<RunReport.ModelUsage> u) { usage = u; return this; }

        @Override public CollaborationResponseMetadata build() { return new CollaborationResponseMetadata(this); }
    }
}

package io.mocoj.internal.engine;

import io.mocoj.RunReport.ModelCall;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Every model call of a run, filed by phase and test example; trace events take the ids of the calls before them. */
final class CallLog {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<CallScope.Scope, List<ModelCall>> byExample = new ConcurrentHashMap<>();
    private final Map<CallScope.Scope, Integer> referenced = new ConcurrentHashMap<>();

    void add(ModelEndpoint model, String response, TokenUsage usage, long latencyNanos, boolean cached, String error) {
        CallScope.Scope scope = CallScope.current();
        if (scope == null || scope.example() < 0) return;
        Double cost = model.pricing().known() && usage != null ? model.pricing().cost(usage) : null;
        ModelCall c = new ModelCall(ids.incrementAndGet(), model.name(), response,
                usage == null ? 0 : usage.promptTokens(), usage == null ? 0 : usage.completionTokens(),
                cached ? null : latencyNanos / 1e6, cached, error, cost);
        List<ModelCall> list = byExample.computeIfAbsent(scope, s -> new ArrayList<>());
        synchronized (list) {
            list.add(c);
        }
    }

    /**
     * The calls made for one example of one phase, in a fixed order (model, response, error) rather than
     * the order concurrent calls happened to finish, so that the same run gives the same run log. Ids
     * still follow completion order (like latencies, they are timing).
     */
    List<ModelCall> calls(String phase, int example) {
        List<ModelCall> list = byExample.get(new CallScope.Scope(phase, example));
        if (list == null) return List.of();
        List<ModelCall> copy;
        synchronized (list) {
            copy = new ArrayList<>(list);
        }
        copy.sort(java.util.Comparator.comparing(ModelCall::model)
                .thenComparing(ModelCall::response, java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()))
                .thenComparing(ModelCall::error, java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()))
                .thenComparing(ModelCall::cached));
        return List.copyOf(copy);
    }

    /** Ids of the calls of an example not yet named by an earlier trace event of it. */
    List<Integer> takeUnreferenced(String phase, int example) {
        CallScope.Scope key = new CallScope.Scope(phase, example);
        List<ModelCall> list = byExample.get(key);
        if (list == null) return List.of();
        synchronized (list) {
            int from = referenced.getOrDefault(key, 0);
            referenced.put(key, list.size());
            List<Integer> out = new ArrayList<>();
            for (int i = from; i < list.size(); i++) out.add(list.get(i).id());
            return out;
        }
    }
}

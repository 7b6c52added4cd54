package io.mocoj.internal.engine;

import io.mocoj.RunReport.ModelCall;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TokenUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every model call of a run, filed by phase, test example and position in the example's plan
 * ({@link CallScope}). Ids are given when a phase is first read: examples in order, and within an
 * example by position, so that ids, like the order of the calls, are a function of the plan and
 * not of which concurrent call finished first. Trace events name the calls before them by id.
 */
final class CallLog {
    private record Entry(int[] path, ModelCall call) {}

    private static final Comparator<Entry> BY_PATH = (a, b) -> CallScope.compare(a.path(), b.path());

    private final Map<CallScope.Scope, List<Entry>> byExample = new ConcurrentHashMap<>();
    private final Map<CallScope.Scope, CallScope.Cursor> roots = new ConcurrentHashMap<>();
    /** Per scope: the entries with their ids, in path order (guarded by this). */
    private final Map<CallScope.Scope, List<Entry>> numbered = new HashMap<>();
    private int lastId;

    /** The cursor of an example's steps (the same one for every pass of a method over the example). */
    CallScope.Cursor root(CallScope.Scope scope) { return roots.computeIfAbsent(scope, s -> CallScope.Cursor.root()); }

    void add(ModelEndpoint model, String response, TokenUsage usage, long latencyNanos, boolean cached, String error) {
        CallScope.Point point = CallScope.next();
        if (point == null || point.scope().example() < 0) return;
        Double cost = model.pricing().known() && usage != null ? model.pricing().cost(usage) : null;
        ModelCall c = new ModelCall(0, model.name(), response,
                usage == null ? 0 : usage.promptTokens(), usage == null ? 0 : usage.completionTokens(),
                cached ? null : latencyNanos / 1e6, cached, error, cost);
        List<Entry> list = byExample.computeIfAbsent(point.scope(), s -> new ArrayList<>());
        synchronized (list) {
            list.add(new Entry(point.path(), c));
        }
    }

    /** The calls made for one example of one phase, in the order of its plan, with their ids. */
    List<ModelCall> calls(String phase, int example) {
        return entries(phase, example).stream().map(Entry::call).toList();
    }

    /**
     * Ids of the calls of an example whose position is after {@code after} (null: from the start) and
     * before {@code before} (null: to the end).
     */
    List<Integer> idsBetween(String phase, int example, int[] after, int[] before) {
        List<Integer> out = new ArrayList<>();
        for (Entry e : entries(phase, example)) {
            if (after != null && CallScope.compare(e.path(), after) <= 0) continue;
            if (before != null && CallScope.compare(e.path(), before) >= 0) break;
            out.add(e.call().id());
        }
        return out;
    }

    /** Numbers the phase's calls on first reading (examples in order, each by path); later additions are numbered after. */
    private synchronized List<Entry> entries(String phase, int example) {
        CallScope.Scope key = new CallScope.Scope(phase, example);
        List<CallScope.Scope> scopes = byExample.keySet().stream().filter(s -> s.phase().equals(phase))
                .sorted(Comparator.comparingInt(CallScope.Scope::example)).toList();
        for (CallScope.Scope s : scopes) {
            List<Entry> raw = byExample.get(s);
            List<Entry> done = numbered.computeIfAbsent(s, k -> new ArrayList<>());
            List<Entry> fresh;
            synchronized (raw) {
                // raw only grows, so the entries not yet numbered are its tail
                if (raw.size() == done.size()) continue;
                fresh = new ArrayList<>(raw.subList(done.size(), raw.size()));
            }
            fresh.sort(BY_PATH);
            for (Entry e : fresh) {
                ModelCall c = e.call();
                done.add(new Entry(e.path(), new ModelCall(++lastId, c.model(), c.response(), c.promptTokens(), c.completionTokens(),
                        c.latencyMs(), c.cached(), c.error(), c.cost())));
            }
            done.sort(BY_PATH);
        }
        return List.copyOf(numbered.getOrDefault(key, List.of()));
    }
}

package io.mocoj.internal.engine;

import io.mocoj.RunReport.TraceEvent;
import io.mocoj.method.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects trace events from many threads. {@link #events()} returns the run-level events first (in
 * the order they were recorded), then each example's events in the order of its plan: an event
 * recorded inside the example takes a position like a model call ({@link CallScope}), so events of
 * concurrent branches come out branch by branch whatever the timing; events recorded for an example
 * from outside it follow, in recording order. Each event names the example's calls since its
 * previous event.
 */
final class TraceCollector implements Trace {
    private record Pending(long seq, int exampleIndex, String event, Map<String, Object> data, int[] path) {}

    private final ConcurrentLinkedQueue<Pending> events = new ConcurrentLinkedQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private final String phase;
    private final CallLog log;

    TraceCollector(String phase, CallLog log) {
        this.phase = phase;
        this.log = log;
    }

    @Override public void record(String event, Map<String, ?> data) { record(-1, event, data); }

    @Override public void record(int exampleIndex, String event, Map<String, ?> data) {
        int[] path = null;
        CallScope.Scope here = CallScope.current();
        if (exampleIndex >= 0 && here != null && here.example() == exampleIndex && here.phase().equals(phase)) {
            path = CallScope.next().path();
        }
        events.add(new Pending(seq.getAndIncrement(), exampleIndex, event,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data)), path));
    }

    List<TraceEvent> events() {
        List<Pending> all = new ArrayList<>(events);
        all.sort(Comparator.comparingInt(Pending::exampleIndex)
                .thenComparing((a, b) -> a.path() == null || b.path() == null
                        ? Boolean.compare(a.path() == null, b.path() == null) : CallScope.compare(a.path(), b.path()))
                .thenComparingLong(Pending::seq));
        List<TraceEvent> out = new ArrayList<>(all.size());
        int example = Integer.MIN_VALUE;
        int[] previous = null;
        boolean restTaken = false;
        for (Pending p : all) {
            if (p.exampleIndex() != example) {
                example = p.exampleIndex();
                previous = null;
                restTaken = false;
            }
            List<Integer> calls;
            if (example < 0 || restTaken) {
                calls = List.of();
            } else {
                calls = log.idsBetween(phase, example, previous, p.path());
                if (p.path() == null) restTaken = true; else previous = p.path();
            }
            out.add(new TraceEvent(p.exampleIndex(), p.event(), p.data(), calls));
        }
        return out;
    }
}

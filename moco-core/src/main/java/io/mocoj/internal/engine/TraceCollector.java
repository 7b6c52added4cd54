package io.mocoj.internal.engine;

import io.mocoj.RunReport.TraceEvent;
import io.mocoj.method.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;

/** Collects trace events from many threads; {@link #events()} returns them run-level first, then by example. */
final class TraceCollector implements Trace {
    private final ConcurrentLinkedQueue<TraceEvent> events = new ConcurrentLinkedQueue<>();
    private final IntFunction<List<Integer>> callsBefore;

    /** @param callsBefore ids of the model calls of an example made since its previous trace event */
    TraceCollector(IntFunction<List<Integer>> callsBefore) { this.callsBefore = callsBefore; }

    @Override public void record(String event, Map<String, ?> data) { record(-1, event, data); }

    @Override public void record(int exampleIndex, String event, Map<String, ?> data) {
        List<Integer> calls = exampleIndex < 0 ? List.of() : callsBefore.apply(exampleIndex);
        events.add(new TraceEvent(exampleIndex, event, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data)), calls));
    }

    List<TraceEvent> events() {
        List<TraceEvent> out = new ArrayList<>(events);
        out.sort(Comparator.comparingInt(TraceEvent::exampleIndex));
        return out;
    }
}

package io.mocoj.internal.engine;

import io.mocoj.RunReport.TraceEvent;
import io.mocoj.method.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects trace events from many threads; {@link #events()} returns them run-level first, then by example. */
final class TraceCollector implements Trace {
    private final ConcurrentLinkedQueue<TraceEvent> events = new ConcurrentLinkedQueue<>();

    @Override public void record(String event, Map<String, ?> data) { record(-1, event, data); }

    @Override public void record(int exampleIndex, String event, Map<String, ?> data) {
        events.add(new TraceEvent(exampleIndex, event, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data))));
    }

    List<TraceEvent> events() {
        List<TraceEvent> out = new ArrayList<>(events);
        out.sort(Comparator.comparingInt(TraceEvent::exampleIndex));
        return out;
    }
}

package io.mocoj.methods.testing;

import io.mocoj.method.Trace;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A trace that keeps every event, for assertions. */
public final class RecordingTrace implements Trace {
    /** One recorded event; {@code exampleIndex} is -1 for run-level events. */
    public record Event(int exampleIndex, String name, Map<String, ?> data) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override public void record(String event, Map<String, ?> data) { events.add(new Event(-1, event, data)); }

    @Override public void record(int exampleIndex, String event, Map<String, ?> data) { events.add(new Event(exampleIndex, event, data)); }

    public List<Event> events() { return List.copyOf(events); }

    /** Run-level event data by name (the last one recorded). */
    public Map<String, ?> run(String name) {
        for (int i = events.size() - 1; i >= 0; i--) {
            Event e = events.get(i);
            if (e.exampleIndex() < 0 && e.name().equals(name)) return e.data();
        }
        throw new AssertionError("no run-level trace event '" + name + "' in " + events);
    }

    /** The data of an example-level event. */
    public Map<String, ?> example(int index, String name) {
        for (Event e : events) if (e.exampleIndex() == index && e.name().equals(name)) return e.data();
        throw new AssertionError("no trace event '" + name + "' for example " + index);
    }
}

package io.mocoj.method;

import java.util.Map;

/**
 * Where a method records what it did (routing decisions, thresholds, votes, rounds), kept in the
 * run report and the run log. Thread-safe. Never record secrets.
 */
public interface Trace {
    /** A run-level event (e.g. "thresholds" with a value per model). */
    void record(String event, Map<String, ?> data);

    /** An event about one test example (by its index in the test split). */
    void record(int exampleIndex, String event, Map<String, ?> data);

    /** A trace that keeps nothing. */
    Trace NONE = new Trace() {
        @Override public void record(String event, Map<String, ?> data) {}
        @Override public void record(int exampleIndex, String event, Map<String, ?> data) {}
    };
}

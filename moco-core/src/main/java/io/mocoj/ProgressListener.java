package io.mocoj;

/** Receives {@link ProgressEvent}s; must be thread-safe and quick. */
@FunctionalInterface
public interface ProgressListener {
    void onEvent(ProgressEvent event);

    ProgressListener NONE = e -> {};
}

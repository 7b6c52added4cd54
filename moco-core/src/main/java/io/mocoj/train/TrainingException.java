package io.mocoj.train;

/** Training stopped: why, at which step, and what was kept (e.g. the last good checkpoint). */
public class TrainingException extends RuntimeException {
    public TrainingException(String message) { super(message); }

    public TrainingException(String message, Throwable cause) { super(message, cause); }
}

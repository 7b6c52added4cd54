package io.mocoj;

/** A run stopped early (fail-fast, or a failure outside any single example). Finished work is kept in the run log and cache. */
public class RunFailedException extends RuntimeException {
    public RunFailedException(String message, Throwable cause) { super(message, cause); }
}

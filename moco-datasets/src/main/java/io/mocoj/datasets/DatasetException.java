package io.mocoj.datasets;

/** A dataset could not be found, fetched or read; the message says what, where and what to do. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) { super(message); }

    public DatasetException(String message, Throwable cause) { super(message, cause); }
}

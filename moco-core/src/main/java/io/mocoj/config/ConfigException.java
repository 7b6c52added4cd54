package io.mocoj.config;

/** A run configuration that cannot be run, with a message saying what is wrong, where, and what to do. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) { super(message); }

    public ConfigException(String message, Throwable cause) { super(message, cause); }
}

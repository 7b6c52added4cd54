package io.mocoj.task;

/** Which part of a task an example belongs to. */
public enum Split { DEV, TEST }

package io.mocoj.model;

/** The author of a chat message. */
public enum Role { SYSTEM, USER, ASSISTANT }

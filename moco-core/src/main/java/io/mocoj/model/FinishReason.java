package io.mocoj.model;

/** Why a generation ended. */
public enum FinishReason { STOP, LENGTH, CONTENT_FILTER, ERROR, OTHER }

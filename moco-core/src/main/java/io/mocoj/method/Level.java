package io.mocoj.method;

/** What collaborating models exchange (the survey's four levels). */
public enum Level {
    /** Whole models are routed to or switched between. */
    API,
    /** Models exchange generated text. */
    TEXT,
    /** Next-token distributions are combined. */
    LOGIT,
    /** Parameters are combined. */
    WEIGHT
}

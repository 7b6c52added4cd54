package io.mocoj;

/**
 * What a run does when a model of the pool turns out unhealthy (see {@link RunBuilder#modelHealth}).
 */
public enum ModelFailurePolicy {
    /** Stop the run early with a {@link ModelFailureException}; finished work stays in the response cache. */
    STOP,
    /** Go on; the report, table and run log mark the result DEGRADED, naming the model and its failed calls. */
    CONTINUE
}

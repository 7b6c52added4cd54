package io.mocoj.eval;

import java.util.Map;

/**
 * The scores of one run on one split: overall and per group ({@link io.mocoj.task.Example#group()};
 * examples without a group are under {@link #NO_GROUP}), sorted by group name.
 */
public record ScoreSummary(MeanWithInterval overall, Map<String, MeanWithInterval> byGroup) {
    /** The key of examples that have no group field. */
    public static final String NO_GROUP = "(no group)";

    public ScoreSummary {
        byGroup = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(byGroup));
    }
}

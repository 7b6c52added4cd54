package io.mocoj.eval;

/**
 * How answers are read out of responses and compared with references.
 *
 * <p>{@link #MOCO_COMPATIBLE} is the default everywhere and reproduces the published MoCo
 * toolkit's rules exactly, weaknesses included, so that scores are comparable with published
 * numbers. {@link #STRICT} fixes the known weaknesses (see docs/evaluation.md) and is used only
 * when asked for.
 */
public enum MatchMode {
    /** The published toolkit's rules, unchanged. The default. */
    MOCO_COMPATIBLE,
    /** Stricter letter matching, balanced-brace box extraction and numeric equivalence. Opt-in. */
    STRICT
}

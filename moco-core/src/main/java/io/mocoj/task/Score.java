package io.mocoj.task;

/**
 * The score of one output.
 *
 * @param value     the score (usually 0 or 1; F1, reward and diversity scores are real numbers)
 * @param extracted the answer the evaluator extracted from the output ("" when none)
 * @param failed    true when scoring itself failed (e.g. an unparseable judge), as opposed to a wrong answer
 * @param detail    why, in a few words (may be empty)
 */
public record Score(double value, String extracted, boolean failed, String detail) {
    public static Score of(double value, String extracted) { return new Score(value, extracted, false, ""); }

    public static Score failure(String detail) { return new Score(0, "", true, detail); }
}

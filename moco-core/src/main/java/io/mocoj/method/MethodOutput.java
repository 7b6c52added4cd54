package io.mocoj.method;

import java.util.List;

/**
 * One outcome per test example, in test-split order: the final output, or the error that made the
 * example fail.
 */
public record MethodOutput(List<Outcome> outcomes) {
    public MethodOutput {
        outcomes = List.copyOf(outcomes);
    }

    /** The outcome of one test example: {@code output} is null exactly when {@code error} is not. */
    public record Outcome(String output, String error) {
        public static Outcome success(String output) { return new Outcome(output, null); }

        public static Outcome failure(String error) { return new Outcome(null, error); }

        public boolean failed() { return output == null; }
    }
}

package io.mocoj.eval;

import io.mocoj.eval.internal.AnswerExtraction;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import java.util.Objects;

/** What exact match and F1 match share: the {@code \box{ANSWER}} prompt and answer extraction in either mode. */
abstract sealed class BoxedAnswerEvaluator implements Evaluator permits ExactMatchEvaluator, F1MatchEvaluator {
    private final MatchMode mode;

    BoxedAnswerEvaluator(MatchMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public MatchMode mode() { return mode; }

    @Override public java.util.Map<String, String> scoringInfo() { return java.util.Map.of("matchMode", mode.name().toLowerCase(java.util.Locale.ROOT)); }

    @Override public String prompt(Example example) { return MocoPrompts.boxedAnswer(example); }

    @Override
    public String extractAnswer(Example example, String response) {
        if (response == null) return "";
        return mode == MatchMode.STRICT ? AnswerExtraction.extractStrict(response) : AnswerExtraction.extractCompatible(response);
    }
}

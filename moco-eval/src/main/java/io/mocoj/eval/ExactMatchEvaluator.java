package io.mocoj.eval;

import io.mocoj.eval.internal.AnswerExtraction;
import io.mocoj.eval.internal.NumericAnswers;
import io.mocoj.eval.internal.TextNormalizer;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;


/**
 * Scores free-text answers by exact match: 1 when the normalised extracted answer equals the
 * normalised reference (any of the references). In {@link MatchMode#STRICT} mode, when both the
 * answer and a reference read as numbers they are compared as numbers instead
 * ({@code 1/2} = {@code 0.5}, {@code 5 dollars} = {@code 5}, but {@code 1.5} ≠ {@code 15}, which
 * the compatible normalisation equates by dropping the dot).
 */
public final class ExactMatchEvaluator extends BoxedAnswerEvaluator {

    public ExactMatchEvaluator(MatchMode mode) {
        super(mode);
    }

    @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }

    @Override
    public Score score(Example example, String response) {
        String predicted = extractAnswer(example, response);
        String normalizedPrediction = TextNormalizer.normalize(predicted);
        for (String reference : example.answers()) {
            if (mode() == MatchMode.STRICT && NumericAnswers.parse(reference).isPresent()
                    && NumericAnswers.parse(predicted).isPresent()) {
                if (NumericAnswers.sameValue(predicted, reference)) {
                    return new Score(1, predicted, false, "numerically equal to " + reference);
                }
                continue;
            }
            String ref = mode() == MatchMode.STRICT ? AnswerExtraction.unwrapLatex(reference) : reference;
            if (normalizedPrediction.equals(TextNormalizer.normalize(ref))) return Score.of(1, predicted);
        }
        return Score.of(0, predicted);
    }
}

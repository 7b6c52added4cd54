package io.mocoj.eval;

import io.mocoj.eval.internal.TextNormalizer;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;


/**
 * Scores free-text answers by token-level F1 of the normalised strings, taking the best over
 * the example's references (popqa lists several). Both empty = 1, one empty = 0. With no
 * reference at all the reference is taken as "".
 */
public final class F1MatchEvaluator extends BoxedAnswerEvaluator {

    public F1MatchEvaluator(MatchMode mode) {
        super(mode);
    }

    @Override public TaskType taskType() { return TaskType.F1_MATCH; }

    @Override
    public Score score(Example example, String response) {
        String predicted = extractAnswer(example, response);
        if (example.answers().isEmpty()) return Score.of(TextNormalizer.tokenF1(predicted, ""), predicted);
        double best = 0;
        for (String reference : example.answers()) best = Math.max(best, TextNormalizer.tokenF1(predicted, reference));
        return Score.of(best, predicted);
    }
}

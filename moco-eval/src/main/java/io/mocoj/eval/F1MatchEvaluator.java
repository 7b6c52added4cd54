package io.mocoj.eval;

import io.mocoj.eval.internal.TextNormalizer;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.ArrayList;
import java.util.List;


/**
 * Scores free-text answers by token-level F1 of the normalised strings, taking the best over
 * the example's references (popqa lists several). Both empty = 1, one empty = 0. With no
 * reference at all the reference is taken as "".
 *
 * <p>For references given as a list in a string ({@link Example#REFERENCE_LIST_TEXT}, popqa),
 * {@link MatchMode#MOCO_COMPATIBLE} does what MoCo does: deletes {@code [ ] " '} from the text and
 * splits it at every comma, so {@code "John Francis Welch, Jr."} becomes two references
 * {@code John Francis Welch} and {@code Jr.}; {@link MatchMode#STRICT} uses the parsed list.
 */
public final class F1MatchEvaluator extends BoxedAnswerEvaluator {

    public F1MatchEvaluator(MatchMode mode) {
        super(mode);
    }

    @Override public TaskType taskType() { return TaskType.F1_MATCH; }

    @Override
    public Score score(Example example, String response) {
        String predicted = extractAnswer(example, response);
        List<String> references = references(example);
        if (references.isEmpty()) return Score.of(TextNormalizer.tokenF1(predicted, ""), predicted);
        double best = 0;
        for (String reference : references) best = Math.max(best, TextNormalizer.tokenF1(predicted, reference));
        return Score.of(best, predicted);
    }

    /** The references scored against, in this evaluator's mode. */
    public List<String> references(Example example) {
        var raw = example.field(Example.REFERENCE_LIST_TEXT);
        if (mode() == MatchMode.STRICT || raw.isEmpty()) return example.answers();
        return mocoListSplit(raw.get());
    }

    /** MoCo's popqa rule: remove {@code [ ] " '} and split at commas, stripping each part. */
    static List<String> mocoListSplit(String text) {
        String bare = text.replace("[", "").replace("]", "").replace("\"", "").replace("'", "");
        List<String> out = new ArrayList<>();
        for (String part : bare.split(",", -1)) out.add(io.mocoj.eval.internal.PyText.strip(part));
        return out;
    }
}
